"""The judging controls of the finding editor: the result choices offered per judging type
(Alt+1…Alt+4) and what each choice records, and the measure pages (ratio, count, date).

`current_choice` and `choice_changes` are plain functions over a checklist row; `MeasurePages`
shows a row's measure and tells what was typed with its signals (the editor writes).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QSpinBox,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.domain import JudgingType, Result
from desktop.services import judging
from desktop.ui import strings
from desktop.ui.common.keyboard import DateField
from desktop.ui.models import DISAGREE, RESULT_COLOURS, result_label, score_text

# The result choices by judging type. Each shortcut means the same for every type, so that
# an inspector working blind never records a weakness as passed:
#   Alt+1 the passing result (Có, Tốt, Đạt, Đúng hạn)
#   Alt+2 partly (Đạt — half points — of Tốt/Đạt/Chưa đạt; Đạt một phần); none for Có/Không
#   Alt+3 the failing result (Không, Chưa đạt, Không đạt, Không đúng hạn)
#   Alt+4 Không áp dụng
# (Alt+digit types nothing in the observation box.) A choice is (key, label); the key is the
# measure's value code (co/khong, tot/dat/chua-dat) or a result code; None: the slot is unused.
# TEXT items take no result at all.
NA = Result.KHONG_AP_DUNG.value
CHOICE_KEYS = ["Alt+1", "Alt+2", "Alt+3", "Alt+4"]
Choice = tuple[str, str] | None
_NA_CHOICE = (NA, Result.KHONG_AP_DUNG.label)
_RESULTS: list[Choice] = [
    (r.value, r.label) for r in (Result.DAT, Result.MOT_PHAN, Result.KHONG_DAT)
]
CHOICES: dict[JudgingType, list[Choice]] = {
    JudgingType.YES_NO: [
        (judging.YES, judging.value_label(JudgingType.YES_NO, judging.YES)),
        None,
        (judging.NO, judging.value_label(JudgingType.YES_NO, judging.NO)),
        _NA_CHOICE,
    ],
    JudgingType.LEVEL: [*judging.VALUE_LABELS[JudgingType.LEVEL].items(), _NA_CHOICE],
    JudgingType.PERCENT: [*_RESULTS, _NA_CHOICE],
    JudgingType.COUNT: [*_RESULTS, _NA_CHOICE],
    JudgingType.DATE_ON_TIME: [
        (judging.YES, judging.value_label(JudgingType.DATE_ON_TIME, judging.YES)),
        None,
        (judging.NO, judging.value_label(JudgingType.DATE_ON_TIME, judging.NO)),
        _NA_CHOICE,
    ],
    JudgingType.TEXT: [],
}
T_MEASURE = "Nhập số liệu (tỷ lệ, số lượng, ngày)"
CHOICE_LEGEND = (
    "Phím: Alt+1 đạt/có · Alt+2 một phần · Alt+3 không đạt/không · Alt+4 Không áp dụng"
    " · Alt+5 nhập số liệu"
)
# The colour of a checked choice: the colour of the result it stands for.
CHOICE_RESULT = {
    judging.YES: Result.DAT.value,
    judging.NO: Result.KHONG_DAT.value,
    **{code: v[1].value for code, v in judging.LEVELS.items()},
}

# Strings the user sees.
T_GUIDE = "Hướng dẫn kiểm tra"
T_SELF = "Đơn vị tự đánh giá"
T_SELF_NONE = "Đơn vị chưa tự đánh giá nội dung này."
T_LEGAL = "Căn cứ pháp lý"
T_EVIDENCE = "Tài liệu kiểm chứng cần có"
T_NUM, T_DEN = "Tử số:", "Mẫu số:"
T_COUNT = "Số lượng:"
T_DOC_DATE = strings.ISSUED_ON
T_NUM_TOO_BIG = "Tử số lớn hơn mẫu số — kiểm tra lại."
T_PERCENT = "= {percent} % → {result} · {score} điểm"
T_PERCENT_WAIT = "Nhập tử số và mẫu số để tính tỷ lệ."
NO_DATE = QDate(2000, 1, 1)


def label(text: str = "", *, wrap: bool = True, selectable: bool = True) -> QLabel:
    """A label that wraps, shrinks with the editor and can be selected."""
    widget = QLabel(text)
    widget.setWordWrap(wrap)
    widget.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
    widget.setMinimumWidth(50)
    if selectable:
        widget.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return widget


def number(value: float) -> str:
    """A number the Vietnamese way (decimal comma), without trailing zeros."""
    return f"{value:g}".replace(".", ",")


def current_choice(r: dict[str, Any] | None) -> str | None:
    """The key of the choice the stored finding of row `r` corresponds to (None: none yet)."""
    if r is None or not r.get("result"):
        return None
    result, value = r["result"], r.get("value")
    if result == NA:
        return NA
    jtype = JudgingType(r["type"])
    if jtype in (JudgingType.YES_NO, JudgingType.DATE_ON_TIME):
        if jtype == JudgingType.YES_NO and value in (judging.YES, judging.NO):
            return str(value)
        return {Result.DAT.value: judging.YES, Result.KHONG_DAT.value: judging.NO}.get(result)
    if jtype == JudgingType.LEVEL:
        if value in judging.LEVELS:
            return str(value)
        if result == Result.DAT.value:  # recorded without a level (imported): by points
            full = r.get("score") is None or r["score"] >= float(r["max_score"] or 0)
            return "tot" if full else "dat"
        return "chua-dat" if result == Result.KHONG_DAT.value else None
    return str(result)


def choice_changes(r: dict[str, Any], key: str) -> dict[str, Any]:
    """The finding fields the choice `key` of row `r` records."""
    jtype = JudgingType(r["type"])
    max_score = float(r["max_score"] or 0)
    if key == NA:
        changes = judging.result_changes(Result.KHONG_AP_DUNG, max_score, r["score"])
        if jtype in (JudgingType.YES_NO, JudgingType.LEVEL):
            changes["value"] = None
    elif jtype == JudgingType.YES_NO:
        changes = {**judging.yes_no_outcome(key == judging.YES, max_score).changes()}
        changes["value"] = key
    elif jtype == JudgingType.LEVEL:
        changes = {**judging.level_outcome(key, max_score).changes(), "value": key}
    elif jtype == JudgingType.DATE_ON_TIME:  # the verdict; the date stays in value
        changes = judging.on_time_outcome(key == judging.YES, max_score).changes()
    else:  # PERCENT (an override of the computed result) and COUNT
        # Picked without the counts: the judging rule gives a PERCENT item its step's points.
        changes = judging.picked_result_changes(Result(key), r, r["score"])
    return changes


def shown_result(r: dict[str, Any]) -> str:
    """The word of row `r`'s judging type for its result ("Có", "Tốt", "Đúng hạn"…), so that
    Có and Tốt are not both shown as "Đạt"; the result's label otherwise."""
    key = current_choice(r)
    for choice in CHOICES.get(JudgingType(r["type"]), []):
        if choice is not None and choice[0] == key:
            return choice[1]
    return Result(r["result"]).label if r.get("result") else ""


def relabel_choices(
    choices: list[Choice], actions: list[QAction], buttons: list[QToolButton]
) -> None:
    """Label the choice actions and buttons with `choices` (hide and disable the unused
    slots); a checked button takes the colour of the result it stands for."""
    for n, (action, button) in enumerate(zip(actions, buttons, strict=True)):
        choice = choices[n] if n < len(choices) else None
        used = choice is not None
        action.setVisible(used)
        button.setVisible(used)
        if choice is None:
            action.setText("")
            action.setEnabled(False)
            continue
        key, text = choice
        action.setText(text)
        action.setIconText(f"{text}  ({CHOICE_KEYS[n]})")
        action.setToolTip(f"{text} ({CHOICE_KEYS[n]})")
        action.setStatusTip(f"Ghi “{text}” cho nội dung đang chọn ({CHOICE_KEYS[n]})")
        colour = RESULT_COLOURS[CHOICE_RESULT.get(key, key)].name()
        # Not bold: the button is as wide as its text in the normal font, and a bold
        # "Không đúng hạn (Alt+3)" overflowed both its edges.
        button.setStyleSheet(
            f"QToolButton:checked {{ background: {colour}; color: white; border-radius: 3px; }}"
        )


class SelfAssessmentBox(QGroupBox):
    """ "Đơn vị tự đánh giá": the unit's own result, score and evidence, and a warning when
    it differs from the inspectors' result."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(T_SELF, parent)
        layout = QVBoxLayout(self)
        self.self_label = label()
        self.self_evidence_label = label()
        self.disagree_label = label("⚠ " + DISAGREE)
        self.disagree_label.setStyleSheet(
            "background: #fff4ce; color: #5c3c00; padding: 4px; border-radius: 3px;"
        )
        for widget in (self.self_label, self.self_evidence_label, self.disagree_label):
            layout.addWidget(widget)

    def show_row(self, r: dict[str, Any]) -> None:
        """Show the self-assessment of checklist row `r`."""
        if r.get("self_result") or r.get("self_score") is not None:
            parts = [result_label(r.get("self_result"))]
            if r.get("self_score") is not None:
                parts.append(f"{score_text(r['self_score'])} điểm")
            self.self_label.setText("Tự đánh giá: " + " · ".join(p for p in parts if p))
        else:
            self.self_label.setText(T_SELF_NONE)
        evidence = r.get("self_evidence") or ""
        self.self_evidence_label.setText(f"Tài liệu đơn vị nêu: {evidence}" if evidence else "")
        self.self_evidence_label.setVisible(bool(evidence))
        self.disagree_label.setVisible(judging.disagrees(r))


class GuideBox(QGroupBox):
    """ "Hướng dẫn kiểm tra": the item's guidance, the evidence expected, the legal basis."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(T_GUIDE, parent)
        layout = QVBoxLayout(self)
        self.guidance_label = label()
        self.evidence_label = label()
        self.legal_label = label()
        layout.addWidget(self.guidance_label)
        layout.addWidget(QLabel(f"<b>{T_EVIDENCE}</b>"))
        layout.addWidget(self.evidence_label)
        layout.addWidget(QLabel(f"<b>{T_LEGAL}</b>"))
        layout.addWidget(self.legal_label)

    def show_row(self, r: dict[str, Any]) -> None:
        """Show the guidance of checklist row `r` ("—" for what it lacks)."""
        self.guidance_label.setText(r.get("guidance") or "—")
        self.evidence_label.setText(r.get("evidence") or "—")
        self.legal_label.setText(r.get("legal_basis") or "—")


class MeasurePages(QStackedWidget):
    """One page per judging type: nothing (yes/no, level, text), numerator and denominator
    with the computed percentage, a count, a document's date.

    Signals: ratioEdited(numerator: float, denominator: float), countEdited(value: int),
    dateEdited(value: object) — "yyyy-MM-dd", or None for no date.
    """

    ratioEdited = Signal(float, float)
    countEdited = Signal(int)
    dateEdited = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self._pages: dict[JudgingType, QWidget] = {}
        self._build()

    def focus_action(self, window_part: QWidget) -> QAction:
        """Alt+5 anywhere in the window of `window_part`: the cursor in the shown measure's
        first field (Tử số, Số lượng, the date), past the result buttons."""
        action = QAction(T_MEASURE, window_part)
        action.setShortcut(QKeySequence("Alt+5"))
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(self.focus_first)
        window_part.addAction(action)
        return action

    def focus_first(self) -> None:
        """The cursor in the shown page's first field (Có/Không and Mức độ have none)."""
        for field in self.fields():
            if field.isVisibleTo(self) and field.isEnabled():
                field.setFocus(Qt.FocusReason.ShortcutFocusReason)
                return

    def fields(self) -> list[QWidget]:
        """The measure's fields in Tab order (only the shown page's are reachable)."""
        return [self.num_spin, self.den_spin, self.count_spin, self.date_edit]

    def page(self, jtype: JudgingType) -> QWidget:
        return self._pages[jtype]

    def _build(self) -> None:
        # YES_NO and LEVEL: the choices say it all.
        for jtype in (JudgingType.YES_NO, JudgingType.LEVEL):
            self._add_page(jtype, QWidget())

        # PERCENT: numerator / denominator → percentage, result and score by thresholds.
        page = QWidget()
        form = QHBoxLayout(page)
        form.setContentsMargins(0, 0, 0, 0)
        self.num_spin, self.den_spin = QSpinBox(), QSpinBox()
        for title, spin in ((T_NUM, self.num_spin), (T_DEN, self.den_spin)):
            spin.setRange(0, 1_000_000)
            spin.setKeyboardTracking(False)
            spin.valueChanged.connect(self._ratio_changed)
            form.addWidget(QLabel(title))
            form.addWidget(spin)
        form.addStretch(1)
        wrapper = QWidget()
        wl = QVBoxLayout(wrapper)
        wl.setContentsMargins(0, 0, 0, 0)
        wl.addWidget(page)
        self.percent_label = label()
        wl.addWidget(self.percent_label)
        self._add_page(JudgingType.PERCENT, wrapper)

        # COUNT
        page = QWidget()
        cl = QHBoxLayout(page)
        cl.setContentsMargins(0, 0, 0, 0)
        self.count_spin = QSpinBox()
        self.count_spin.setRange(0, 1_000_000)
        self.count_spin.setKeyboardTracking(False)
        self.count_spin.valueChanged.connect(self.countEdited.emit)
        cl.addWidget(QLabel(T_COUNT))
        cl.addWidget(self.count_spin)
        cl.addStretch(1)
        self._add_page(JudgingType.COUNT, page)

        # DATE_ON_TIME: the document's date; the choices say whether the deadline was met.
        date_page = QWidget()
        date_row = QHBoxLayout(date_page)
        date_row.setContentsMargins(0, 0, 0, 0)
        date_row.addWidget(QLabel(T_DOC_DATE))
        self.date_edit = DateField()
        self.date_edit.setDisplayFormat("dd/MM/yyyy")
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setMinimumDate(NO_DATE)
        self.date_edit.setSpecialValueText("—")
        self.date_edit.setKeyboardTracking(False)
        self.date_edit.dateChanged.connect(self._date_changed)
        date_row.addWidget(self.date_edit)
        date_row.addStretch(1)
        self._add_page(JudgingType.DATE_ON_TIME, date_page)

        self._add_page(JudgingType.TEXT, QWidget())

    def show_page(self, page: QWidget) -> None:
        """Show one page, the stack as tall as that page."""
        # A stacked widget is as tall as its tallest page unless the hidden ones are ignored.
        for other in self._pages.values():
            policy = QSizePolicy.Policy.Preferred if other is page else QSizePolicy.Policy.Ignored
            other.setSizePolicy(policy, policy)
        self.setCurrentWidget(page)
        self.adjustSize()

    def _add_page(self, jtype: JudgingType, page: QWidget) -> None:
        self._pages[jtype] = page
        self.addWidget(page)

    def _ratio_changed(self) -> None:
        self.ratioEdited.emit(float(self.num_spin.value()), float(self.den_spin.value()))

    def _date_changed(self, date: QDate) -> None:
        self.dateEdited.emit(None if date == NO_DATE else date.toString("yyyy-MM-dd"))

    def show_row(self, r: dict[str, Any]) -> None:
        """Show the measure of a checklist row (signals blocked by the caller's flag)."""
        jtype = JudgingType(r["type"])
        value = r.get("value")
        if jtype == JudgingType.DATE_ON_TIME:
            try:
                self.date_edit.setDate(QDate.fromString(value, "yyyy-MM-dd") if value else NO_DATE)
            except TypeError:
                self.date_edit.setDate(NO_DATE)
        self.num_spin.setValue(int(r.get("numerator") or 0))
        self.den_spin.setValue(int(r.get("denominator") or 0))
        self.show_percent(r)
        self.count_spin.setValue(int(value) if jtype == JudgingType.COUNT and value else 0)

    def show_percent(self, r: dict[str, Any] | None) -> None:
        """The percentage, result and score the ratio of row `r` gives."""
        if r is None or r["type"] != JudgingType.PERCENT:
            return
        try:
            outcome = judging.percent_outcome(
                r.get("numerator"), r.get("denominator"), r["thresholds"], r["max_score"]
            )
        except ValueError:
            self.percent_label.setText(T_NUM_TOO_BIG)
            return
        if outcome.percent is None:
            self.percent_label.setText(T_PERCENT_WAIT)
            return
        self.percent_label.setText(
            T_PERCENT.format(
                percent=number(outcome.percent),
                result=outcome.result.label if outcome.result else "—",
                score=number(outcome.score or 0),
            )
        )

    # -- writing --------------------------------------------------------------------------
