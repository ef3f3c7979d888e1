"""`python -m desktop` is the `kiemtra` command."""

from desktop.cli import main

if __name__ == "__main__":
    main()
