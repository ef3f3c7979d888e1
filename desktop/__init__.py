"""Kiểm tra CCHC: the offline notebook of an administrative-reform inspection delegation."""

from typing import Any

DISTRIBUTION = "kiemtra-cchc"


def __getattr__(name: str) -> Any:
    """`desktop.__version__`, read from the package metadata on first use: importlib.metadata
    costs ~30 ms at start-up, which the window does not need."""
    if name != "__version__":
        raise AttributeError(f"module 'desktop' has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        value = version(DISTRIBUTION)
    except PackageNotFoundError:  # running from a source tree that is not installed
        value = "0.0.0+source"
    globals()["__version__"] = value
    return value
