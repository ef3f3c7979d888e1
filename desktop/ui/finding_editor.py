"""The finding editor: the right-hand panel where one checklist item is recorded.

Every change is written at once through the StoreAdapter (no save button). The observation
is written on focus-out, after ~800 ms without typing and at least every 5 s while typing.

More sections plug in with `add_section(widget)`: a QWidget (usually a QGroupBox) that may
define `set_item(inspection_id: str | None, row: dict | None)`; it is called whenever the
editor shows another item (row is the checklist row dict of ChecklistTableModel, with
`item_id`, `finding_id`, `code`, ... ) and whenever that item's finding changed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal, Slot
from PySide6.QtGui import QAction, QActionGroup, QFont, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDoubleSpinBox,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QScrollArea,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.domain import JudgingType, format_date
from desktop.services import judging
from desktop.ui import strings
from desktop.ui.common import keyboard
from desktop.ui.common.autosave import Autosaver
from desktop.ui.judging_controls import (
    CHOICE_KEYS,
    CHOICE_LEGEND,
    CHOICES,
    Choice,
    GuideBox,
    MeasurePages,
    SelfAssessmentBox,
    choice_changes,
    current_choice,
    relabel_choices,
)
from desktop.ui.judging_controls import label as _label
from desktop.ui.judging_controls import number as _number
from desktop.ui.store_adapter import StoreAdapter

NOTE_DEBOUNCE_MS = 800  # and saved at least every autosave.MAX_WAIT_MS while typing

# Strings the user sees.
T_EMPTY = "Chọn một nội dung trong danh sách để ghi nhận kết quả."
T_RESULT = "Kết quả kiểm tra"
T_MEASURE = "Đo lường"
T_SCORE = "Điểm:"
T_NO_SCORE = "chưa chấm"
T_NOTE = "Nhận xét"
T_NOTE_HINT = "Ghi nhận xét, phát hiện tại đơn vị… (tự động lưu)"
T_RECORDED = "Ghi bởi {who} lúc {when}"
T_TEXT_ONLY = "Nội dung này chỉ ghi nhận xét, không chấm điểm."
T_OVERRIDE = "Điều chỉnh kết quả (nếu cần):"
T_COUNT_RESULT = "Kết quả:"
T_HISTORY = strings.HISTORY
T_CONFLICT = "⇄ Nội dung này có xung đột đồng bộ: hai máy đã sửa khác nhau."
T_SEE_CONFLICT = "Xem xung đột…"


class FindingEditor(QWidget):
    """Records result, score, measure and observation of one item of one inspection.

    Signals:
      noteEdited() — the observation box changed (not yet saved); used by tests and the
          status bar to show "đang gõ".
      conflictRequested(inspection_id: str, item_id: str) — "Xem xung đột" was clicked on
          the banner of an item whose finding has an unresolved sync conflict.
    Public actions: `choice_actions` (four checkable QActions, Alt+1…Alt+4, relabelled for
    the judging type of the shown item; the unused ones are hidden), for menus.
    """

    noteEdited = Signal()
    conflictRequested = Signal(str, str)

    def __init__(self, adapter: StoreAdapter, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._adapter = adapter
        self._inspection_id: str | None = None
        self._row: dict[str, Any] | None = None
        self._loading = False
        self._sections: list[QWidget] = []
        self._focus_tail: list[QWidget] = []  # the sections' fields, in Tab order

        # After a pause, at least every 5 s while typing on, and on focus-out.
        self.note_autosave = Autosaver(self.save_note, self, debounce_ms=NOTE_DEBOUNCE_MS)

        self._choices: list[Choice] = []  # of the shown item's judging type, by key slot
        self.choice_actions: list[QAction] = []
        group = QActionGroup(self)
        group.setExclusionPolicy(QActionGroup.ExclusionPolicy.ExclusiveOptional)
        for n, key in enumerate(CHOICE_KEYS):
            action = QAction(self)
            action.setCheckable(True)
            action.setShortcut(QKeySequence(key))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            action.setVisible(False)
            action.triggered.connect(lambda _=False, i=n: self._choice_triggered(i))
            group.addAction(action)
            self.choice_actions.append(action)

        self._build()
        self.set_item(None, None)

    # -- building -------------------------------------------------------------------------
    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea(self)
        scroll.setObjectName("editor_scroll")  # its focus frame: keyboard.FOCUS_STYLE
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        outer.addWidget(scroll)
        body = QWidget()
        scroll.setWidget(body)
        self._scroll = scroll
        self._focus_follower = keyboard.FocusFollower(scroll)  # the focused field in view
        keyboard.WideEnough(scroll, self)  # the content is never cut at the right edge
        self._layout = QVBoxLayout(body)
        self._layout.setContentsMargins(8, 8, 8, 8)

        self.code_label = _label()
        font = QFont(self.code_label.font())
        font.setBold(True)
        self.code_label.setFont(font)
        self.text_label = _label(T_EMPTY)
        big = QFont(self.text_label.font())
        big.setPointSizeF(big.pointSizeF() * 1.1)
        self.text_label.setFont(big)
        self._layout.addWidget(self.code_label)
        self._layout.addWidget(self.text_label)

        # Banner: this finding was changed on two laptops; the secretary must choose.
        self.conflict_banner = QFrame()
        self.conflict_banner.setStyleSheet(
            "QFrame { background: #fce8e6; border-radius: 3px; } QLabel { color: #7f1d1d; }"
        )
        bl = QHBoxLayout(self.conflict_banner)
        bl.setContentsMargins(6, 4, 6, 4)
        bl.addWidget(_label(T_CONFLICT, selectable=False), 1)
        self.conflict_button = QToolButton()
        self.conflict_button.setText(T_SEE_CONFLICT)
        self.conflict_button.clicked.connect(self._conflict_clicked)
        bl.addWidget(self.conflict_button)
        self.conflict_banner.setVisible(False)
        self._layout.addWidget(self.conflict_banner)

        # Result
        self.result_box = QGroupBox(T_RESULT)
        rl = QVBoxLayout(self.result_box)
        # The measure first (numbers, a date), then the choices it leads to.
        self.measure_stack = measures = MeasurePages()
        self.num_spin, self.den_spin = measures.num_spin, measures.den_spin
        self.count_spin, self.date_edit = measures.count_spin, measures.date_edit
        self.percent_label = measures.percent_label
        measures.ratioEdited.connect(self._percent_changed)
        measures.countEdited.connect(self._count_changed)
        measures.dateEdited.connect(self._date_changed)
        rl.addWidget(measures)
        self.choice_caption = _label(selectable=False)
        rl.addWidget(self.choice_caption)
        buttons = QGridLayout()
        buttons.setSpacing(4)
        self.choice_buttons: list[QToolButton] = []
        for n, action in enumerate(self.choice_actions):
            button = QToolButton()
            button.setDefaultAction(action)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            button.setMinimumHeight(30)
            button.setObjectName(f"choice_{n + 1}")
            self.choice_buttons.append(button)
            buttons.addWidget(button, n // 2, n % 2)
        rl.addLayout(buttons)
        # The keys mean the same for every judging type; said beside the buttons.
        self.choice_legend = _label(CHOICE_LEGEND, selectable=False)
        self.choice_legend.setStyleSheet("color: #5f6368;")
        rl.addWidget(self.choice_legend)
        score_row = QHBoxLayout()
        score_row.addWidget(QLabel(T_SCORE))
        self.score_spin = QDoubleSpinBox()
        self.score_spin.setDecimals(2)
        self.score_spin.setSingleStep(0.25)
        self.score_spin.setKeyboardTracking(False)
        self.score_spin.setToolTip("Điểm chấm (0 đến điểm tối đa của nội dung, bước 0,25)")
        self.score_spin.valueChanged.connect(self._score_changed)
        score_row.addWidget(self.score_spin)
        self.max_label = QLabel()
        score_row.addWidget(self.max_label)
        score_row.addStretch(1)
        rl.addLayout(score_row)
        self._layout.addWidget(self.result_box)

        # Observation
        self.note_box = note_box = QGroupBox(T_NOTE)
        nl = QVBoxLayout(note_box)
        self.text_only_label = _label(T_TEXT_ONLY, selectable=False)
        self.text_only_label.setStyleSheet("color: #5f6368;")
        nl.addWidget(self.text_only_label)
        self.note_edit = QPlainTextEdit()
        self.note_edit.setPlaceholderText(T_NOTE_HINT)
        self.note_edit.setTabChangesFocus(True)
        self.note_edit.setMinimumHeight(90)
        self.note_edit.setMaximumHeight(160)
        self.note_edit.textChanged.connect(self._note_typed)
        self.note_edit.installEventFilter(self)
        nl.addWidget(self.note_edit)
        self.recorded_label = _label()
        self.recorded_label.setStyleSheet("color: #5f6368;")
        # "Lịch sử thay đổi" (Ctrl+H) beside who recorded it: the audit trail of this finding.
        self.history_action = QAction(T_HISTORY, self)
        self.history_action.setShortcut(QKeySequence("Ctrl+H"))
        self.history_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.history_action.setToolTip(f"{T_HISTORY} (Ctrl+H)")
        self.history_action.triggered.connect(self.show_history)
        self.addAction(self.history_action)
        self.measure_action = self.measure_stack.focus_action(self)  # Alt+5
        self.history_button = QToolButton()
        self.history_button.setDefaultAction(self.history_action)
        recorded_row = QHBoxLayout()
        recorded_row.addWidget(self.recorded_label, 1)
        recorded_row.addWidget(self.history_button)
        nl.addLayout(recorded_row)
        self._layout.addWidget(note_box)

        # Self-assessment
        self.self_box = SelfAssessmentBox()
        self.disagree_label = self.self_box.disagree_label
        self._layout.addWidget(self.self_box)

        # Guidance, evidence expected, legal basis
        self.guide_box = GuideBox()
        self._layout.addWidget(self.guide_box)
        self._layout.addStretch(1)

    def focus_order(self) -> list[QWidget]:
        """The editor's fields in Tab order: result choices, measures, score, observation."""
        fields = self.measure_stack.fields()
        return [*self.choice_buttons, *fields, self.score_spin, self.note_edit]

    @Slot()
    def focus_note(self) -> None:
        """Put the cursor in the observation box (Enter or F2 on a checklist row)."""
        if self._row is not None:
            self.note_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def add_section(self, widget: QWidget) -> None:
        """Append a section (a QGroupBox) below the built-in ones; see the module docstring."""
        self._layout.insertWidget(self._layout.count() - 1, widget)
        # Tab goes on from the observation (or the last section) into this section.
        self._focus_tail += keyboard.focusable_children(widget)
        keyboard.chain_focus([self.note_edit, *self._focus_tail, self.history_button])
        self._sections.append(widget)
        if hasattr(widget, "set_item"):
            widget.set_item(self._inspection_id, self._row)

    # -- showing an item ------------------------------------------------------------------
    @property
    def current_row(self) -> dict[str, Any] | None:
        return self._row

    @property
    def inspection_id(self) -> str | None:
        return self._inspection_id

    def set_item(self, inspection_id: str | None, row: dict[str, Any] | None) -> None:
        """Show another item (saving the observation typed for the previous one first)."""
        self.flush()
        self._inspection_id = inspection_id if row is not None else None
        self._row = dict(row) if row is not None else None
        enabled = row is not None
        writable = not self._adapter.read_only  # read-only: look, never touch
        for action in self.choice_actions:
            action.setEnabled(enabled and writable)
        self.history_action.setEnabled(enabled)
        self.measure_stack.setEnabled(writable)
        self.score_spin.setReadOnly(not writable)
        self.note_edit.setReadOnly(not writable)
        for w in (self.self_box, self.guide_box, self.note_edit):
            w.setVisible(enabled)
        text_only = row is not None and row["type"] == JudgingType.TEXT
        self.result_box.setVisible(enabled and not text_only)
        self.text_only_label.setVisible(text_only)
        self._set_choices(JudgingType(row["type"]) if row is not None else None)
        self.note_box.setVisible(enabled)
        self._show(full=True)
        self._scroll_to_result()
        for section in self._sections:
            if hasattr(section, "set_item"):
                section.set_item(self._inspection_id, self._row)

    def _scroll_to_result(self) -> None:
        """Another item: back to the top, its result choices in view."""
        body = self._scroll.widget()
        layout = body.layout() if body is not None else None
        if layout is not None:
            layout.activate()  # the sections just shown or hidden have their place
        self._scroll.verticalScrollBar().setValue(0)
        focused = QApplication.focusWidget()
        if focused is not None and body is not None and body.isAncestorOf(focused):
            self._scroll.ensureWidgetVisible(focused, 10, 10)

    def refresh(self, row: dict[str, Any]) -> None:
        """The shown item's finding changed (from here or elsewhere): show the new values."""
        if self._row is None or row.get("item_id") != self._row.get("item_id"):
            return
        self._row = dict(row)
        self._show(full=False)
        for section in self._sections:
            if hasattr(section, "set_item"):
                section.set_item(self._inspection_id, self._row)

    def _show(self, *, full: bool) -> None:
        self._loading = True
        try:
            self._show_row(full)
        finally:
            self._loading = False

    def _show_row(self, full: bool) -> None:
        r = self._row
        if r is None:
            self.code_label.setText("")
            self.text_label.setText(T_EMPTY)
            self.conflict_banner.setVisible(False)
            return
        jtype = JudgingType(r["type"])
        max_score = float(r["max_score"] or 0)
        if full:
            self.code_label.setText(
                f"{r['code']} · {jtype.label}"
                + (f" · tối đa {_number(max_score)} điểm" if max_score else "")
            )
            self.text_label.setText(r["text"])
            self.guide_box.show_row(r)
            self.measure_stack.show_page(self.measure_stack.page(jtype))
            self.score_spin.setRange(0.0, max_score)
            self.score_spin.setEnabled(max_score > 0)
            self.max_label.setText(f"/ {_number(max_score)}")
        current = self.current_choice()
        for choice, action in zip(self._choices, self.choice_actions, strict=False):
            action.setChecked(choice is not None and choice[0] == current)
        self.score_spin.setValue(r["score"] or 0.0)
        self.max_label.setText(
            f"/ {_number(max_score)}" + (f"  ({T_NO_SCORE})" if r["score"] is None else "")
        )
        self.measure_stack.show_row(r)
        # Observation: never overwrite what is being typed.
        note = r.get("note") or ""
        if full or (note != self.note_edit.toPlainText() and not self.note_autosave.pending):
            self.note_edit.setPlainText(note)
        if r.get("recorded_by") and r.get("recorded_at"):
            when = dt.datetime.fromisoformat(r["recorded_at"])
            self.recorded_label.setText(
                T_RECORDED.format(
                    who=r["recorded_by"], when=f"{when:%H:%M} {format_date(when.date())}"
                )
            )
        else:
            self.recorded_label.setText("")
        self.self_box.show_row(r)
        self.conflict_banner.setVisible(bool(r.get("conflict")))

    # -- writing --------------------------------------------------------------------------
    def _record(self, changes: dict[str, Any]) -> bool:
        if self._row is None or self._inspection_id is None or self._loading:
            return False
        return self._adapter.record(self._inspection_id, self._row, changes) is not None

    def _set_choices(self, jtype: JudgingType | None) -> None:
        """Relabel the four choice actions for `jtype` (hide the ones it does not use)."""
        self._choices = list(CHOICES[jtype]) if jtype is not None else []
        relabel_choices(self._choices, self.choice_actions, self.choice_buttons)
        caption = {JudgingType.PERCENT: T_OVERRIDE, JudgingType.COUNT: T_COUNT_RESULT}
        self.choice_caption.setText(caption.get(jtype, "") if jtype else "")
        self.choice_caption.setVisible(bool(self.choice_caption.text()))

    def choice_keys(self) -> list[str]:
        """The keys of the choices of the current item by shortcut slot ("" for a slot the
        judging type does not use, e.g. Alt+2 "partly" for Có/Không)."""
        return [choice[0] if choice else "" for choice in self._choices]

    def choice_action(self, key: str) -> QAction:
        """The action of the choice `key` of the current item (KeyError when not offered)."""
        return self.choice_actions[self.choice_keys().index(key)]

    def current_choice(self) -> str | None:
        """The key of the choice the stored finding corresponds to (None: none yet)."""
        return current_choice(self._row)

    @Slot()
    def choose(self, key: str) -> None:
        """Record the choice `key` of the current item (the buttons, Alt+1…Alt+4)."""
        r = self._row
        if r is None or self._loading or not key or key not in self.choice_keys():
            return
        changes = choice_changes(r, key)
        if not self._record(changes):
            self._show(full=False)

    def _choice_triggered(self, index: int) -> None:
        choice = self._choices[index] if index < len(self._choices) else None
        if choice is not None:
            self.choose(choice[0])

    @Slot()
    def _score_changed(self, value: float) -> None:
        if self._loading or self._row is None:
            return
        self._record({"score": round(value, 2)})

    @Slot(float, float)
    def _percent_changed(self, num: float, den: float) -> None:
        if self._loading or self._row is None:
            return
        changes: dict[str, Any] = {"numerator": num, "denominator": den}
        try:
            outcome = judging.percent_outcome(
                num, den, self._row["thresholds"], self._row["max_score"]
            )
        except ValueError:  # the label says why (numerator over denominator)
            self.measure_stack.show_percent({**self._row, "numerator": num, "denominator": den})
            return
        if outcome.result is not None:
            changes.update(outcome.changes())
        self._record(changes)

    @Slot()
    def _count_changed(self, value: int) -> None:
        if not self._loading:
            self._record({"value": str(value)})

    @Slot(object)
    def _date_changed(self, value: str | None) -> None:
        if not self._loading:
            self._record({"value": value})

    @Slot()
    def _conflict_clicked(self) -> None:
        if self._row is not None and self._inspection_id:
            self.conflictRequested.emit(self._inspection_id, self._row["item_id"])

    @Slot()
    def show_history(self) -> None:
        """Open "Lịch sử thay đổi" of the current item's finding."""
        if self._row is None or self._inspection_id is None:
            return
        from desktop.ui.history_dialog import HistoryDialog

        self.flush()
        HistoryDialog.show_for(
            self, self._adapter.reads, self._inspection_id, self._row["item_id"], self._row["code"]
        )

    # -- the observation ------------------------------------------------------------------
    def _note_typed(self) -> None:
        if self._loading or self._row is None:
            return
        self.note_autosave.touch()
        self.noteEdited.emit()

    @Slot()
    def save_note(self) -> None:
        """Write the observation now if it differs from what is stored."""
        self.note_autosave.cancel()
        if self._row is None:
            return
        text = self.note_edit.toPlainText()
        if text != (self._row.get("note") or ""):
            self._record({"note": text})

    def flush(self) -> None:
        """Save whatever is pending (call before switching item, inspection or database)."""
        for section in self._sections:
            if hasattr(section, "flush"):
                section.flush()
        if self.note_autosave.pending or (
            self._row is not None and self.note_edit.toPlainText() != (self._row.get("note") or "")
        ):
            self.save_note()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.note_edit and event.type() == QEvent.Type.FocusOut:
            self.save_note()
        return super().eventFilter(watched, event)
