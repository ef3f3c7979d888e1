"""Text normalisation shared by storage and search, and the search index's scope tokens
(here, below both db.migrations and db.store, which both write the index)."""

from __future__ import annotations

import re
import unicodedata


def nfc(text: str) -> str:
    """Unicode NFC: Vietnamese typed by some input methods arrives decomposed (NFD)."""
    return unicodedata.normalize("NFC", text)


def fold(text: str) -> str:
    """Lower case without diacritics, đ→d: "Kết luận ĐẠT" → "ket luan dat"."""
    decomposed = unicodedata.normalize("NFD", text.lower())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.replace("đ", "d")


def scope_token(prefix: str, value: str) -> str:
    """A scope token: the prefix and the value's letters and digits ("i" + uuid hex)."""
    return prefix + re.sub(r"[^0-9a-z]", "", value.lower())


def scope_text(
    kind: str, inspection_id: str | None, version_id: str | None = None, levels: str = ""
) -> str:
    """The scope column of an index row (see db.store.search's docstring)."""
    if kind == "item":
        letters = [x.strip() for x in levels.split(",") if x.strip()]
        return " ".join([scope_token("v", version_id or ""), *(f"l{x.lower()}" for x in letters)])
    return "rec " + scope_token("i", inspection_id or "")
