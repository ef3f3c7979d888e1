"""`python -m desktop` is the `kiemtra` command."""

from desktop.launcher import main

if __name__ == "__main__":
    main()
