"""TEMPORARY (issue 12): the Store's old flat method names, until the call sites use the
repositories. Delete this module, and `_FlatNames` from `Store`'s bases, once
/work/store_rewrite.py has rewritten desktop/ and tests/ (then mypy finds any call it missed).

`store.set_finding(...)` resolves to `store.findings.set_finding(...)` through FLAT_NAMES.
Nothing in db/ uses these names.
"""

from __future__ import annotations

from typing import Any

# old name on Store -> path of today's method from the Store
FLAT_NAMES: dict[str, str] = {
    # private helpers some tests reached into
    "_parents": "sync.versions.parents",
    "_ancestors": "sync.versions.ancestors",
    "checklist": "checklists.checklist",
    "checklist_items": "checklists.checklist_items",
    "checklist_versions": "checklists.checklist_versions",
    "current_checklist_version": "checklists.current_checklist_version",
    "import_checklist": "checklists.import_checklist",
    "import_default_checklist": "checklists.import_default_checklist",
    "append_audit": "core.append_audit",
    "audit_count": "core.audit_count",
    "audit_entry": "core.audit_entry",
    "audit_head": "core.audit_head",
    "audit_truncated_after": "core.audit_truncated_after",
    "delete_row": "core.delete_row",
    "finding_audit": "core.finding_audit",
    "get_row": "core.get_row",
    "history": "core.history",
    "insert_row": "core.insert_row",
    "insert_rows": "core.insert_rows",
    "live_row": "core.live_row",
    "update_row": "core.update_row",
    "upsert_row": "core.upsert_row",
    "verify_audit": "core.verify_audit",
    "add_attachment_row": "evidence.add_attachment_row",
    "add_evidence_doc": "evidence.add_evidence_doc",
    "attachment_rows": "evidence.attachment_rows",
    "attachments_of_sha": "evidence.attachments_of_sha",
    "delete_evidence_doc": "evidence.delete_evidence_doc",
    "ensure_finding": "evidence.ensure_finding",
    "evidence_docs": "evidence.evidence_docs",
    "update_evidence_doc": "evidence.update_evidence_doc",
    "finding": "findings.finding",
    "inspection_items": "findings.inspection_items",
    "item_id_for_code": "findings.item_id_for_code",
    "set_finding": "findings.set_finding",
    "add_remediation": "followup.add_remediation",
    "add_remediation_attachment": "followup.add_remediation_attachment",
    "followup_recommendations": "followup.followup_recommendations",
    "remediation_attachment_rows": "followup.remediation_attachment_rows",
    "remediations_of": "followup.remediations_of",
    "update_remediation": "followup.update_remediation",
    "add_recommendation": "outcomes.add_recommendation",
    "conclusions": "outcomes.conclusions",
    "delete_recommendation": "outcomes.delete_recommendation",
    "item_area_code": "outcomes.item_area_code",
    "recommendations": "outcomes.recommendations",
    "recommended_item_codes": "outcomes.recommended_item_codes",
    "save_conclusion": "outcomes.save_conclusion",
    "update_recommendation": "outcomes.update_recommendation",
    "add_member": "planning.add_member",
    "create_inspection": "planning.create_inspection",
    "create_plan": "planning.create_plan",
    "ensure_unit": "planning.ensure_unit",
    "find_unit": "planning.find_unit",
    "inspection": "planning.inspection",
    "inspections": "planning.inspections",
    "members": "planning.members",
    "plan": "planning.plan",
    "plans": "planning.plans",
    "report_checklist_is_scored": "reports.report_checklist_is_scored",
    "report_conclusions": "reports.report_conclusions",
    "report_evidence": "reports.report_evidence",
    "report_inspection_findings": "reports.report_inspection_findings",
    "report_plan_findings": "reports.report_plan_findings",
    "report_recommendation_counts": "reports.report_recommendation_counts",
    "report_recommendations": "reports.report_recommendations",
    "index_checklist_version": "search.index_checklist_version",
    "index_evidence_row": "search.index_evidence_row",
    "index_finding_row": "search.index_finding_row",
    "index_text": "search.index_text",
    "mark_finding_stale": "search.mark_finding_stale",
    "rebuild_search_index": "search.rebuild_search_index",
    "refresh_search_index": "search.refresh_search_index",
    "search_hits": "search.search_hits",
    "unindex": "search.unindex",
    "set_setting": "settings.set_setting",
    "setting": "settings.setting",
    "conflicted_finding_items": "sync.conflicts.conflicted_finding_items",
    "normalize_all_conflicts": "sync.conflicts.normalize_all_conflicts",
    "normalize_conflicts": "sync.conflicts.normalize_conflicts",
    "resolve_sync_conflict": "sync.conflicts.resolve_sync_conflict",
    "row_heads": "sync.conflicts.row_heads",
    "sync_conflict": "sync.conflicts.get",
    "sync_conflicts": "sync.conflicts.settle_and_list",
    "device_by_fingerprint": "sync.devices.device_by_fingerprint",
    "device_by_id": "sync.devices.device_by_id",
    "device_names": "sync.devices.device_names",
    "devices": "sync.devices.devices",
    "record_device": "sync.devices.record_device",
    "rename_self_device": "sync.devices.rename_self_device",
    "self_device": "sync.devices.self_device",
    "set_device_trust": "sync.devices.set_device_trust",
    "set_self_keys": "sync.devices.set_self_keys",
    "last_export_seq": "sync.export_scope.last_export_seq",
    "record_export": "sync.export_scope.record_export",
    "sync_export_rows": "sync.export_scope.sync_export_rows",
    "merge_version": "sync.merge.merge_version",
    "merge_versions": "sync.merge.merge_versions",
    "record_import": "sync.merge.record_import",
    "add_sync_edges": "sync.versions.add_sync_edges",
    "existing_ids": "sync.versions.existing_ids",
    "sync_columns": "sync.versions.sync_columns",
    "sync_foreign_keys": "sync.versions.sync_foreign_keys",
    "sync_max_seq": "sync.versions.sync_max_seq",
    "sync_row_edges": "sync.versions.sync_row_edges",
}


class _FlatNames:
    """Resolves an old flat name (`store.plans()`) to its repository's method (temporary)."""

    def __getattr__(self, name: str) -> Any:
        # Only reached for what the Store does not define itself.
        path = FLAT_NAMES.get(name)
        if path is None:
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        target: Any = self
        for part in path.split("."):
            target = getattr(target, part)
        return target
