"""Menus whose every entry has its letter: Alt+T opens Tệp, then T (Tạo mẫu kế hoạch…),
N (Nạp kế hoạch từ Excel…) or K (Thêm cuộc kiểm tra…) picks the entry. The letters are given
in menu order to the entries that have none of their own, and given again when the menu opens
(entries relabelled since, such as the result choices, take their turn)."""

from __future__ import annotations

import string

from PySide6.QtWidgets import QMenu

# A mnemonic is a letter every keyboard has (Alt+ệ cannot be typed on a US layout).
_TYPEABLE = frozenset(string.ascii_lowercase + string.digits)


def mnemonic_of(text: str) -> str | None:
    """The letter after a single '&' in `text`, lower case ("&&" is a literal '&')."""
    i = 0
    while i < len(text) - 1:
        if text[i] == "&":
            if text[i + 1] != "&":
                return text[i + 1].lower()
            i += 1
        i += 1
    return None


def _free_letter(text: str, used: set[str]) -> int | None:
    """Where to put '&' in `text`: a word's first letter if one is free, else any letter."""
    starts = [i for i, c in enumerate(text) if i == 0 or not text[i - 1].isalnum()]
    rest = [i for i in range(len(text)) if i not in starts]
    for i in starts + rest:
        if text[i].lower() in _TYPEABLE and text[i].lower() not in used:
            return i
    return None


_AUTO = "auto_mnemonic"  # the text an action was given by give_mnemonics
_PLAIN = "auto_mnemonic_plain"  # and its text before


def _letters(texts: list[str], used: set[str]) -> list[int | None]:
    """Where each text gets its '&', in order, each letter once."""
    taken = set(used)
    places: list[int | None] = []
    for text in texts:
        pos = _free_letter(text, taken)
        if pos is not None:
            taken.add(text[pos].lower())
        places.append(pos)
    return places


def give_mnemonics(menu: QMenu) -> None:
    """Give every entry of `menu` without its own mnemonic one, distinct within the menu, in
    menu order; when letters run out, the entries left without go first (the letters given
    before are given again: relabelled entries take their turn)."""
    actions = [a for a in menu.actions() if not a.isSeparator() and a.text()]
    for action in actions:
        given = action.property(_AUTO)
        if given and action.text() == given:
            action.setText(action.property(_PLAIN))
    used = {m for a in actions if (m := mnemonic_of(a.text())) is not None}
    todo = [a for a in actions if mnemonic_of(a.text()) is None]
    places = _letters([a.text() for a in todo], used)
    if None in places:  # "Mở lại" after "Kết thúc kiể&m tra" and "Đánh dấu đã kết &luận"
        todo = [a for a, p in zip(todo, places, strict=True) if p is None] + [
            a for a, p in zip(todo, places, strict=True) if p is not None
        ]
        places = _letters([a.text() for a in todo], used)
    for action, pos in zip(todo, places, strict=True):
        if pos is None:
            continue
        text = action.text()
        action.setProperty(_PLAIN, text)
        action.setText(text[:pos] + "&" + text[pos:])
        action.setProperty(_AUTO, action.text())


def keep_mnemonics(menu: QMenu) -> None:
    """`give_mnemonics` now and each time the menu opens."""
    give_mnemonics(menu)
    menu.aboutToShow.connect(lambda: give_mnemonics(menu))
