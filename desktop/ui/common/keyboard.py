"""Keyboard helpers shared by every window: tables that Tab leaves, a visible focus frame,
a scroll area that follows the focus, windows that Escape closes and that fit the screen, and
`DateField`, a date box that takes what is typed. Menu letters: common/mnemonics.py.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QDate, QEvent, QObject, QSize, Qt, Signal
from PySide6.QtGui import QAction, QFocusEvent, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QCalendarWidget,
    QDialog,
    QDialogButtonBox,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QStyle,
    QTextEdit,
    QToolTip,
    QWidget,
)

# A clear frame around whatever has the keyboard (the platform's is hardly visible).
FOCUS_COLOUR = "#1a73e8"
FOCUS_STYLE = "\n".join(
    f"{kind}:focus {{ border: 2px solid {FOCUS_COLOUR}; border-radius: 2px; }}"
    for kind in (
        "QTreeView",
        "QListView",
        "QTableView",
        "QComboBox",
        "QLineEdit",
        "QPlainTextEdit",
        "QTextEdit",
        "QAbstractSpinBox",
    )
)
# The editor pane takes the focus (PageDown then scrolls the guidance): a frame always there,
# coloured when focused (a border only under :focus would not be drawn: no frame width).
FOCUS_STYLE += (
    "\nQScrollArea#editor_scroll { border: 2px solid transparent; }"
    f"\nQScrollArea#editor_scroll:focus {{ border: 2px solid {FOCUS_COLOUR}; }}"
)

# Strings the user sees.
T_DATE_HINT = "ngày/tháng/năm"
T_DATE_TIP = "Gõ ngày/tháng/năm (vd. 20/07/2021 hoặc 20072021); F4 hoặc Alt+↓: mở lịch"
T_BAD_DATE = "Ngày không hợp lệ: “{text}”. Gõ ngày/tháng/năm, vd. 20/07/2021 hoặc 20072021."
T_TOO_LATE = "Ngày {date} sau ngày muộn nhất được phép ({limit})."
T_TOO_EARLY = "Ngày {date} trước ngày sớm nhất được phép ({limit})."
T_REQUIRED = "Cần nhập ngày (ngày/tháng/năm)."
T_CALENDAR = "Mở lịch (F4)"
SHOWN = "dd/MM/yyyy"


def install_focus_frame() -> None:
    """Add the focus frame to the application's style sheet (once)."""
    app = QApplication.instance()
    if isinstance(app, QApplication) and FOCUS_STYLE not in app.styleSheet():
        app.setStyleSheet((app.styleSheet() + "\n" + FOCUS_STYLE).strip())


def fit_on_screen(window: QWidget, width: int, height: int, room: QSize | None = None) -> None:
    """Resize a top-level window to width×height, or less so that it stays whole on the
    screen (frame and title bar included): a 1024×600 laptop shows every button."""
    if room is None:
        screen = window.screen()
        room = screen.availableGeometry().size() if screen is not None else QSize(width, height)
    room = room - QSize(16, 48)  # frame and title bar
    window.resize(QSize(width, height).boundedTo(room))


def ok_on_ctrl_enter(dialog: QDialog, box: QDialogButtonBox) -> QAction:
    """Ctrl+Enter presses the dialog's OK from anywhere in it, a multi-line box included
    (Enter there starts a new line); the OK button's checks run as on a click."""
    ok = box.button(QDialogButtonBox.StandardButton.Ok)
    action = QAction(dialog)
    action.setShortcuts([QKeySequence("Ctrl+Return"), QKeySequence("Ctrl+Enter")])
    action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    action.triggered.connect(ok.click)
    ok.setToolTip(f"{ok.text()} (Ctrl+Enter)")
    dialog.addAction(action)
    return action


def close_on_escape(window: QWidget) -> QAction:
    """Escape closes this top-level window, as it closes a dialog."""
    action = QAction(window)
    action.setShortcut(QKeySequence(Qt.Key.Key_Escape))
    action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    action.triggered.connect(window.close)
    window.addAction(action)
    return action


class _LetShortcutsThrough(QObject):
    """Refuses, for a text field, the keys of some window shortcuts it would claim."""

    def __init__(self, keys: set[int], parent: QObject) -> None:
        super().__init__(parent)
        self.setObjectName("keep_shortcuts")
        self._keys = keys

    def keys(self) -> set[int]:
        """The key chords let through (QKeyCombination.toCombined())."""
        return set(self._keys)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent):
            if event.keyCombination().toCombined() in self._keys:
                event.ignore()  # not the field's: the window's shortcut runs
                return True
        return False


def keep_shortcuts(root: QWidget, *actions: QAction) -> None:
    """The shortcuts of `actions` also work while a text field under `root` has the keyboard.

    On X11 a text field claims Ctrl+E (end of line, as in Emacs) and a few other chords before
    the window sees them, so "Ctrl+E: thêm tài liệu kiểm chứng" did nothing from the note.
    """
    keys = {
        seq[0].toCombined()  # type: ignore[index]  # the stub lacks QKeySequence.__getitem__
        for a in actions
        for seq in a.shortcuts()
        if not seq.isEmpty()
    }
    keeper = _LetShortcutsThrough(keys, root)
    for kind in (QLineEdit, QPlainTextEdit, QTextEdit, QAbstractSpinBox):
        for field in root.findChildren(kind):
            field.installEventFilter(keeper)


class _SelectOnFocus(QObject):
    """When the keyboard enters a view whose framed row is not selected, selects it: the
    buttons and keys that act on "the selected row" then act on the row the user sees."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusIn and isinstance(watched, QAbstractItemView):
            reason = event.reason() if isinstance(event, QFocusEvent) else None
            keyboard = (
                Qt.FocusReason.TabFocusReason,
                Qt.FocusReason.BacktabFocusReason,
                Qt.FocusReason.ShortcutFocusReason,
            )
            selection = watched.selectionModel()
            model = watched.model()
            if reason in keyboard and selection is not None and model is not None:
                current = watched.currentIndex()
                if not current.isValid() and model.rowCount() > 0:
                    current = model.index(0, 0)
                if current.isValid() and not selection.isRowSelected(current.row()):
                    flags = selection.SelectionFlag.ClearAndSelect | selection.SelectionFlag.Rows
                    selection.setCurrentIndex(current, flags)
        return False


def tab_leaves(*views: QAbstractItemView) -> None:
    """Tab and Shift+Tab leave these tables and lists (arrows move inside them); Tab into
    one selects the row it frames."""
    for view in views:
        view.setTabKeyNavigation(False)
        if view.findChild(_SelectOnFocus, "select_on_focus") is None:
            watcher = _SelectOnFocus(view)
            watcher.setObjectName("select_on_focus")
            view.installEventFilter(watcher)


def chain_focus(widgets: list[QWidget]) -> None:
    """Tab visits `widgets` in this order (hidden or disabled ones are skipped by Qt)."""
    for first, second in zip(widgets, widgets[1:], strict=False):
        QWidget.setTabOrder(first, second)


def focusable_children(parent: QWidget) -> list[QWidget]:
    """The widgets under `parent` that Tab can reach, in the order they were made."""
    return [
        w
        for w in parent.findChildren(QWidget)
        if w.focusPolicy() & Qt.FocusPolicy.TabFocus and w.focusProxy() is None
    ]


class FocusFollower(QObject):
    """Scrolls `area` so that the widget given the focus inside it is on screen."""

    def __init__(self, area: QScrollArea) -> None:
        super().__init__(area)
        self.area = area
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._focus_changed)

    def _focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        body = self.area.widget()
        if new is not None and body is not None and body.isAncestorOf(new):
            layout = body.layout()
            if layout is not None:
                layout.activate()  # just shown sections have their place
            self.area.ensureWidgetVisible(new, 10, 10)


class WideEnough(QObject):
    """Keeps `owner` at least as wide as the content of `area`, a panel that scrolls only up
    and down: what passed its right edge was cut off (the result buttons at 1024×600)."""

    def __init__(self, area: QScrollArea, owner: QWidget) -> None:
        super().__init__(owner)
        self.area, self.owner = area, owner
        body = area.widget()
        if body is not None:
            body.installEventFilter(self)  # a new layout may need more width

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.LayoutRequest and watched is self.area.widget():
            bar = self.area.verticalScrollBar().sizeHint().width()
            needed = watched.minimumSizeHint().width() + bar + 2 * self.area.frameWidth()
            if needed > self.owner.minimumWidth():
                self.owner.setMinimumWidth(needed)
        return False


def parse_date(text: str) -> QDate | None:
    """dd/mm/yyyy, d/m/yyyy (/, -, . or space) or ddmmyyyy; None when it is no date."""
    text = text.strip()
    if re.fullmatch(r"\d{8}", text):
        day, month, year = int(text[:2]), int(text[2:4]), int(text[4:])
    else:
        match = re.fullmatch(r"(\d{1,2})[/.\- ](\d{1,2})[/.\- ](\d{4})", text)
        if not match:
            return None
        day, month, year = (int(g) for g in match.groups())
    date = QDate(year, month, day)
    return date if date.isValid() else None


class _Calendar(QCalendarWidget):
    """The drop-down calendar: Enter picks, Escape closes."""

    picked = Signal(QDate)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.hide()
            return
        super().keyPressEvent(event)


class DateField(QLineEdit):
    """A date box that takes what is typed: "20/07/2021", "20-7-2021" or "20072021".

    A date it cannot read, or outside its range, is refused clearly (a red frame and the
    reason; Tab stays in the box); it is never changed into another date. With a special value
    text it may stay empty (`date()` is then the minimum date, as QDateEdit's special value).
    F4 or Alt+Down open a calendar; Up/Down move a day. The QDateEdit calls the window uses
    are offered (setDate, date, dateChanged, ranges, special value text).

    Signals: dateChanged(QDate) — a new date was set, typed or picked.
    """

    dateChanged = Signal(QDate)

    def __init__(self, date: QDate | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._min = QDate(1900, 1, 1)
        self._max = QDate(7999, 12, 31)
        self._special = ""
        self._date = date if date is not None and date.isValid() else QDate()
        self._error = ""
        self._calendar: _Calendar | None = None
        self.setPlaceholderText(T_DATE_HINT)
        self.setToolTip(T_DATE_TIP)
        self.setMaxLength(10)
        width = self.fontMetrics().horizontalAdvance("00/00/00000") + 44
        self.setMinimumWidth(width)
        self.setMaximumWidth(width + 40)
        icon = self.style().standardIcon(QStyle.StandardPixmap.SP_ArrowDown)
        action = self.addAction(icon, QLineEdit.ActionPosition.TrailingPosition)
        action.setToolTip(T_CALENDAR)
        action.triggered.connect(self.show_calendar)
        self._show()

    # -- QDateEdit's calls ------------------------------------------------------------------
    def setDisplayFormat(self, _fmt: str) -> None:  # noqa: N802 — QDateEdit's name
        """Always dd/MM/yyyy (kept for QDateEdit's callers)."""

    def displayFormat(self) -> str:  # noqa: N802
        return SHOWN

    def setCalendarPopup(self, _on: bool) -> None:  # noqa: N802
        """The calendar is always offered (F4)."""

    def setKeyboardTracking(self, _on: bool) -> None:  # noqa: N802
        """A typed date is taken when the box is left, never while typing."""

    def setMinimumDate(self, date: QDate) -> None:  # noqa: N802
        self._min = date

    def setMaximumDate(self, date: QDate) -> None:  # noqa: N802
        self._max = date

    def minimumDate(self) -> QDate:  # noqa: N802
        return self._min

    def maximumDate(self) -> QDate:  # noqa: N802
        return self._max

    def setSpecialValueText(self, text: str) -> None:  # noqa: N802
        """The box may be empty, shown as `text`; `date()` is then the minimum date."""
        self._special = text
        self._show()

    def date(self) -> QDate:
        if not self._date.isValid():
            return self._min if self._special else QDate.currentDate()
        return self._date

    def setDate(self, date: QDate) -> None:  # noqa: N802
        """Show `date` (the minimum date with a special value text: empty)."""
        if self._special and date == self._min:
            date = QDate()
        self._set(date)

    def calendarWidget(self) -> QCalendarWidget:  # noqa: N802
        return self._calendar_widget()

    # -- refusing ---------------------------------------------------------------------------
    def error_text(self) -> str:
        """Why the last typed text was refused ("" when it was not)."""
        return self._error

    def _refuse(self, message: str) -> None:
        self._error = message
        self.setStyleSheet("QLineEdit { border: 2px solid #b3261e; }")
        QToolTip.showText(self.mapToGlobal(self.rect().bottomLeft()), message, self)
        window = self.window()
        status = getattr(window, "statusBar", None)
        if callable(status):
            status().showMessage(message, 8000)

    def _clear_error(self) -> None:
        if self._error:
            self._error = ""
            self.setStyleSheet("")
            QToolTip.hideText()

    def commit(self) -> bool:
        """Take what is typed: True when it is a date in range (or empty where allowed)."""
        text = self.text().strip()
        if not text or (self._special and text == self._special):
            if self._special:
                self._clear_error()
                self._set(QDate())
                return True
            self._refuse(T_REQUIRED)
            return False
        date = parse_date(text)
        if date is None:
            self._refuse(T_BAD_DATE.format(text=text))
            return False
        if date > self._max:
            limit = self._max.toString(SHOWN)
            self._refuse(T_TOO_LATE.format(date=date.toString(SHOWN), limit=limit))
            return False
        if date < self._min or (self._special and date == self._min):
            limit = self._min.addDays(1 if self._special else 0).toString(SHOWN)
            self._refuse(T_TOO_EARLY.format(date=date.toString(SHOWN), limit=limit))
            return False
        self._clear_error()
        self._set(date)
        return True

    # -- showing ----------------------------------------------------------------------------
    def _set(self, date: QDate) -> None:
        changed = date != self._date
        self._date = date
        self._show()
        if changed:
            self.dateChanged.emit(self.date())

    def _show(self) -> None:
        if self._date.isValid():
            self.setText(self._date.toString(SHOWN))
        else:
            self.setText(self._special)

    def _calendar_widget(self) -> _Calendar:
        if self._calendar is None:
            self._calendar = _Calendar(self)
            self._calendar.setWindowFlags(Qt.WindowType.Popup)
            self._calendar.setGridVisible(True)
            self._calendar.clicked.connect(self._picked)
            self._calendar.activated.connect(self._picked)
        return self._calendar

    def show_calendar(self) -> None:
        """Open the calendar under the box, on the shown date (today when empty)."""
        calendar = self._calendar_widget()
        calendar.setDateRange(self._min, self._max)
        shown = parse_date(self.text()) or (self._date if self._date.isValid() else None)
        calendar.setSelectedDate(shown or QDate.currentDate())
        calendar.move(self.mapToGlobal(self.rect().bottomLeft()))
        calendar.show()
        calendar.setFocus()

    def _picked(self, date: QDate) -> None:
        if self._calendar is not None:
            self._calendar.hide()
        self._clear_error()
        self._set(date)
        self.setFocus()

    # -- keys -------------------------------------------------------------------------------
    def event(self, event: QEvent) -> bool:
        # Tab is handled before keyPressEvent: a refused date keeps the focus.
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            if event.key() in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab) and not self.commit():
                return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        alt = bool(event.modifiers() & Qt.KeyboardModifier.AltModifier)
        if key == Qt.Key.Key_F4 or (alt and key == Qt.Key.Key_Down):
            self.show_calendar()
            return
        if key in (Qt.Key.Key_Up, Qt.Key.Key_Down) and not alt:
            if self.commit() and self._date.isValid():  # nothing invented for an empty date
                step = 1 if key == Qt.Key.Key_Up else -1
                date = self._date.addDays(step)
                if self._min <= date <= self._max:
                    self._set(date)
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if self.commit():
                event.ignore()  # taken: a dialog's default button still answers
            else:
                event.accept()  # refused: the dialog must not close on the old date
            return
        if self._special and self.text() == self._special and event.text().isdigit():
            self.clear()  # typing into an empty date replaces the "—"
        super().keyPressEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.selectAll()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        popup = self._calendar is not None and self._calendar.isVisible()
        if not popup and not self.commit():
            self._show()  # the last good date stays; the message (status bar) said why
            self.setStyleSheet("")
        super().focusOutEvent(event)
