"""Text normalisation shared by storage and search."""

from __future__ import annotations

import unicodedata


def nfc(text: str) -> str:
    """Unicode NFC: Vietnamese typed by some input methods arrives decomposed (NFD)."""
    return unicodedata.normalize("NFC", text)


def fold(text: str) -> str:
    """Lower case without diacritics, đ→d: "Kết luận ĐẠT" → "ket luan dat"."""
    decomposed = unicodedata.normalize("NFD", text.lower())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.replace("đ", "d")
