"""Kiểm tra CCHC: the offline notebook of an administrative-reform inspection delegation."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("kiemtra-cchc")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+source"
