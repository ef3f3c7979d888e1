"""Searching items, observations and evidence, with or without Vietnamese diacritics.

"niem yet" finds "niêm yết", "DON VI" finds "đơn vị": the index holds folded text (see
db/store/search.py) and the query is folded the same way. User text never reaches MATCH raw:
each word becomes a quoted prefix phrase ("niem"* "yet"*), all of which must match.
"""

from __future__ import annotations

import re
from typing import Any

from db import Store
from desktop.domain import fold, nfc

# unicode61 splits on everything that is not a letter or a digit (underscore included).
_WORD = re.compile(r"[^\W_]+")
SNIPPET_WIDTH = 80
MARK_OPEN, MARK_CLOSE = "[", "]"


def query_terms(text: str) -> list[str]:
    """The folded words of a query; [] when it holds no letter or digit."""
    return _WORD.findall(fold(nfc(text or "")))


def fts_query(terms: list[str]) -> str:
    """A safe FTS5 expression: every term as a quoted prefix phrase, implicitly ANDed."""
    return " ".join(f'"{t}"*' for t in terms)


def search(
    store: Store, text: str, inspection_id: str | None = None, limit: int = 200
) -> list[dict[str, Any]]:
    """Hits for `text`, best first.

    Each hit: kind ('item' | 'finding' | 'evidence'), inspection_id (None for an item when no
    inspection is given), item_code, text (the original, with diacritics), snippet (the part
    of `text` around the first match, matched words in [brackets]), plus ref_id and item_id
    for navigation. With `inspection_id`: only items applicable to that inspection and
    findings/evidence recorded in it.
    """
    terms = query_terms(text)
    if not terms or limit <= 0:
        return []
    hits = store.search.search_hits(fts_query(terms), inspection_id=inspection_id, limit=limit)
    out = []
    for hit in hits:
        out.append(
            {
                "kind": hit["kind"],
                "inspection_id": inspection_id if hit["kind"] == "item" else hit["inspection_id"],
                "item_code": hit["item_code"],
                "text": hit["text"],
                "snippet": snippet(hit["text"], terms),
                "ref_id": hit["ref_id"],
                "item_id": hit["item_id"],
            }
        )
    return out


def _folded_chars(text: str) -> list[str]:
    # Fold character by character so positions in the folded text map back to the original.
    return [fold(ch) for ch in text]


def snippet(text: str, terms: list[str], width: int = SNIPPET_WIDTH) -> str:
    """A window of the original text around the first match, matched word starts bracketed."""
    if not text:
        return ""
    chars = _folded_chars(text)
    starts: list[int] = []  # index in the folded string where each original char begins
    folded = ""
    for ch in chars:
        starts.append(len(folded))
        folded += ch
    spans: list[tuple[int, int]] = []
    for term in terms:
        for m in re.finditer(r"(?<![^\W_])" + re.escape(term), folded):
            spans.append((m.start(), m.end()))
    if not spans:
        return text[:width] + ("…" if len(text) > width else "")

    def to_original(pos: int) -> int:
        for i, s in enumerate(starts):
            if s >= pos:
                return i
        return len(text)

    marks = sorted({(to_original(a), to_original(b)) for a, b in spans})
    first = marks[0][0]
    begin = max(0, first - width // 3)
    if begin > 0:
        space = text.rfind(" ", 0, begin)
        begin = space + 1 if space >= 0 and first - space < width // 2 else begin
    end = min(len(text), begin + width)
    pieces: list[str] = []
    cursor = begin
    for a, b in marks:
        if a < cursor or b > end:
            continue
        pieces.append(text[cursor:a] + MARK_OPEN + text[a:b] + MARK_CLOSE)
        cursor = b
    pieces.append(text[cursor:end])
    return ("…" if begin > 0 else "") + "".join(pieces) + ("…" if end < len(text) else "")
