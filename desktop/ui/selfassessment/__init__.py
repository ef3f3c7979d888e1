"""The self-assessment form from the window (phiếu tự đánh giá): export it, import the unit's
or the delegation's side back. The controller and its dialogs are in controller.py.

`install(shell)` adds to the "Ghi nhận" menu:
  "Xuất phiếu tự đánh giá…"              the form of the open visit (.xlsx, printable A4);
  "Nhập phiếu tự đánh giá của đơn vị…"   read Tự đánh giá, Điểm tự chấm, Tài liệu kiểm chứng;
  "Nhập phiếu của Đoàn kiểm tra…"         read Kết quả, Điểm, Nhận xét.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from desktop.ui.selfassessment.controller import SelfAssessmentController
from desktop.ui.shell import Column, MenuId

if TYPE_CHECKING:
    from desktop.ui.shell import Shell


def install(shell: Shell) -> SelfAssessmentController:
    """Add the form's three entries at the end of the "Ghi nhận" menu; returns the controller
    (also `shell.feature("selfassessment")`)."""
    selection = shell.selection
    controller = SelfAssessmentController(
        shell.adapter,
        shell.widget,
        current_inspection=lambda: selection.inspection_id,
        flush=shell.flush,
        status=shell.show_status,
    )

    def imported(inspection_id: str, side: str, updated: int) -> None:
        # The column of the unit's answers shows once it sent some (the window hides it
        # while there are none).
        if side == "self" and updated and inspection_id == selection.inspection_id:
            shell.set_column_visible(Column.SELF_ASSESSMENT, True)

    controller.imported.connect(imported)
    menu = shell.menu(MenuId.RECORD)
    menu.addSeparator()
    menu.addAction(controller.export_action)
    for action in controller.import_actions.values():
        menu.addAction(action)
    menu.aboutToShow.connect(controller.refresh_actions)
    selection.inspectionChanged.connect(controller.refresh_actions)
    shell.adapter.storeReplaced.connect(controller.refresh_actions)
    controller.refresh_actions()
    shell.register_feature("selfassessment", controller)
    return controller
