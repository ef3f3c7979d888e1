"""Follow-up: statuses around the deadline, remediation reports, verification, earlier years."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from db import Store
from desktop.domain import UnitLevel
from desktop.services import followup
from desktop.services.errors import UserError
from desktop.services.followup import FollowupStatus, compute_status
from desktop.services.plans import PlanSpec, UnitSpec, create_plan

TODAY = dt.date(2024, 9, 10)


def make_plan(store: Store, year: int, units: list[tuple[str, UnitLevel]]) -> dict[str, str]:
    """A plan of `year` over `units`; returns unit name → inspection id."""
    plan_id = create_plan(
        store,
        PlanSpec(
            number=f"{year - 2000}/KH-UBND",
            year=year,
            issuer="Ủy ban nhân dân tỉnh Sóc Trăng",
            issued_on=dt.date(year, 2, 2),
            province="Sóc Trăng",
            units=[UnitSpec(name, level, 6) for name, level in units],
        ),
    )
    return {i["unit"]: i["id"] for i in store.planning.inspections(plan_id)}


def add_rec(store: Store, inspection_id: str, number: int, text: str, deadline: dt.date) -> str:
    row = store.core.insert_row(
        "recommendations",
        {
            "inspection_id": inspection_id,
            "number": number,
            "text": text,
            "deadline": deadline.isoformat(),
        },
    )
    return str(row["id"])


@pytest.fixture
def campaign(store: Store) -> dict[str, str]:
    ids = make_plan(store, 2024, [("Sở Y tế", UnitLevel.SO), ("UBND xã Đại Ân 2", UnitLevel.XA)])
    yte, dai_an = ids["Sở Y tế"], ids["UBND xã Đại Ân 2"]
    return {
        "yte": yte,
        "dai_an": dai_an,
        "today": add_rec(store, yte, 1, "Ban hành kế hoạch CCHC", TODAY),
        "plus7": add_rec(store, yte, 2, "Niêm yết thủ tục", TODAY + dt.timedelta(days=7)),
        "plus8": add_rec(store, yte, 3, "Khảo sát sự hài lòng", TODAY + dt.timedelta(days=8)),
        "yesterday": add_rec(store, dai_an, 1, "Số hóa hồ sơ", TODAY - dt.timedelta(days=1)),
        "old": add_rec(store, dai_an, 2, "Ký số văn bản đi", TODAY - dt.timedelta(days=30)),
    }


def by_id(rows: list[dict]) -> dict[str, dict]:
    return {r["id"]: r for r in rows}


def test_status_around_the_deadline(store: Store, campaign: dict[str, str]) -> None:
    rows = by_id(followup.register(store, today=TODAY))
    assert rows[campaign["today"]]["status"] == "sap-den-han"
    assert rows[campaign["plus7"]]["status"] == "sap-den-han"
    assert rows[campaign["plus8"]]["status"] == "chua-den-han"
    assert rows[campaign["yesterday"]]["status"] == "qua-han"
    assert rows[campaign["yesterday"]]["days_overdue"] == 1
    assert rows[campaign["old"]]["days_overdue"] == 30
    assert rows[campaign["today"]]["days_overdue"] == 0
    assert rows[campaign["yesterday"]]["status_label"] == "Quá hạn"
    assert rows[campaign["plus7"]]["status_label"] == "Sắp đến hạn"
    assert rows[campaign["yesterday"]]["unit"] == "UBND xã Đại Ân 2"
    # The next day the deadline-today recommendation is overdue by one day.
    later = by_id(followup.register(store, today=TODAY + dt.timedelta(days=1)))
    assert later[campaign["today"]]["status"] == "qua-han"
    assert later[campaign["today"]]["days_overdue"] == 1


def test_overdue_filter_and_plan_filter(store: Store, campaign: dict[str, str]) -> None:
    overdue = followup.register(store, overdue_only=True, today=TODAY)
    assert {r["id"] for r in overdue} == {campaign["yesterday"], campaign["old"]}
    other = make_plan(store, 2025, [("Sở Tư pháp", UnitLevel.SO)])
    add_rec(store, other["Sở Tư pháp"], 1, "Rà soát văn bản", TODAY)
    plan_id = store.planning.inspection(campaign["yte"])["plan_id"]
    assert len(followup.register(store, plan_id, today=TODAY)) == 5
    assert len(followup.register(store, today=TODAY)) == 6
    with pytest.raises(UserError):
        followup.register(store, "khong-co", today=TODAY)


def test_tombstoned_recommendation_is_left_out(store: Store, campaign: dict[str, str]) -> None:
    store.core.delete_row("recommendations", campaign["old"])
    assert campaign["old"] not in by_id(followup.register(store, today=TODAY))


def test_compute_status_without_deadline() -> None:
    assert compute_status(None, [], TODAY) == (FollowupStatus.CHUA_DEN_HAN, 0)


def test_report_then_verify_ok(store: Store, campaign: dict[str, str]) -> None:
    rid = campaign["old"]
    followup.record_report(
        store, [rid], TODAY, "15/BC-UBND", "Đã ký số 100% văn bản đi", today=TODAY
    )
    row = by_id(followup.register(store, today=TODAY))[rid]
    assert (row["status"], row["days_overdue"], row["overdue"]) == ("da-bao-cao", 0, False)
    assert row["doc_number"] == "15/BC-UBND"
    followup.verify(store, rid, True, "Đã kiểm tra trên hệ thống", verified_on=TODAY)
    row = by_id(followup.register(store, today=TODAY))[rid]
    assert row["status"] == "da-xac-minh"
    assert row["status_label"] == "Đã xác minh"
    # Audited: the report's insert and the verdict's update are in the chain.
    rem_id = row["remediations"][-1]["id"]
    actions = [h["action"] for h in store.core.history("remediations", rem_id)]
    assert actions == ["insert", "update"]
    assert store.core.verify_audit() is None
    with pytest.raises(UserError, match="đã được xác minh"):
        followup.record_report(store, [rid], TODAY, "16/BC-UBND", "Lần nữa", today=TODAY)
    with pytest.raises(UserError, match="chưa có báo cáo"):
        followup.verify(store, rid, True, verified_on=TODAY)


def test_reject_stays_until_a_new_report(store: Store, campaign: dict[str, str]) -> None:
    rid = campaign["yesterday"]
    followup.record_report(store, [rid], TODAY, "20/BC-UBND", "Đã số hóa một phần", today=TODAY)
    with pytest.raises(UserError, match="lý do"):
        followup.verify(store, rid, False, "", verified_on=TODAY)
    followup.verify(store, rid, False, "Mới số hóa 40% hồ sơ", verified_on=TODAY)
    row = by_id(followup.register(store, today=TODAY))[rid]
    assert row["status"] == "khong-dat-yeu-cau"
    assert row["status_label"] == "Không đạt yêu cầu"
    assert row["days_overdue"] == 1 and row["overdue"]
    later = dt.date(2024, 9, 20)
    followup.record_report(store, [rid], later, "25/BC-UBND", "Đã số hóa toàn bộ", today=later)
    row = by_id(followup.register(store, today=later))[rid]
    assert row["status"] == "da-bao-cao"
    assert len(row["remediations"]) == 2


def test_rejected_before_deadline_is_not_overdue(store: Store, campaign: dict[str, str]) -> None:
    rid = campaign["plus8"]
    followup.record_report(store, [rid], TODAY, "1/BC", "Đã khảo sát", today=TODAY)
    followup.verify(store, rid, False, "Thiếu phiếu khảo sát", verified_on=TODAY)
    row = by_id(followup.register(store, today=TODAY))[rid]
    assert (row["status"], row["days_overdue"], row["overdue"]) == ("khong-dat-yeu-cau", 0, False)


def test_one_report_for_several_recommendations(store: Store, campaign: dict[str, str]) -> None:
    ids = [campaign["today"], campaign["plus7"], campaign["today"]]  # a repeat counts once
    rows = followup.record_report(
        store, ids, dt.date(2024, 9, 1), "30/BC-SYT", "Đã khắc phục", today=TODAY
    )
    assert len(rows) == 2
    register = by_id(followup.register(store, today=TODAY))
    for rid in (campaign["today"], campaign["plus7"]):
        assert register[rid]["status"] == "da-bao-cao"
        assert register[rid]["reported_on"] == "2024-09-01"
    assert register[campaign["plus8"]]["status"] == "chua-den-han"


def test_bad_report_writes_nothing(store: Store, campaign: dict[str, str]) -> None:
    before = store.db.execute("SELECT count(*) FROM remediations").fetchone()[0]
    with pytest.raises(UserError, match="Không có kiến nghị"):
        followup.record_report(
            store, [campaign["today"], "khong-co"], TODAY, "1/BC", "x", today=TODAY
        )
    with pytest.raises(UserError, match="sau ngày hôm nay"):
        followup.record_report(
            store, [campaign["today"]], TODAY + dt.timedelta(days=1), "1/BC", "x", today=TODAY
        )
    with pytest.raises(UserError, match="số/ký hiệu"):
        followup.record_report(store, [campaign["today"]], TODAY, "  ", "x", today=TODAY)
    assert store.db.execute("SELECT count(*) FROM remediations").fetchone()[0] == before


def test_open_recommendations_from_earlier_years(store: Store) -> None:
    y2023 = make_plan(store, 2023, [("UBND xã Đại Ân 2", UnitLevel.XA), ("Sở Y tế", UnitLevel.SO)])
    y2024 = make_plan(store, 2024, [("UBND xã Đại Ân 2", UnitLevel.XA)])
    old = y2023["UBND xã Đại Ân 2"]
    open_rec = add_rec(store, old, 1, "Niêm yết thủ tục hành chính", dt.date(2023, 8, 1))
    reported = add_rec(store, old, 2, "Cập nhật hồ sơ điện tử", dt.date(2023, 8, 1))
    done = add_rec(store, old, 3, "Ban hành quy chế", dt.date(2023, 8, 1))
    add_rec(store, y2023["Sở Y tế"], 1, "Đơn vị khác", dt.date(2023, 8, 1))
    add_rec(store, y2024["UBND xã Đại Ân 2"], 1, "Kiến nghị năm nay", dt.date(2024, 8, 1))
    day = dt.date(2023, 9, 1)
    followup.record_report(store, [reported, done], day, "9/BC-UBND", "Đã làm", today=day)
    followup.verify(store, done, True, verified_on=day)

    rows = followup.open_recommendations_from_earlier(store, y2024["UBND xã Đại Ân 2"], today=TODAY)
    assert [r["id"] for r in rows] == [open_rec, reported]
    assert rows[0]["plan_year"] == 2023
    assert rows[0]["status"] == "qua-han"
    assert rows[1]["status"] == "da-bao-cao"
    # The 2023 inspection has nothing earlier.
    assert followup.open_recommendations_from_earlier(store, old, today=TODAY) == []
    with pytest.raises(UserError):
        followup.open_recommendations_from_earlier(store, "khong-co")


# -- command line ---------------------------------------------------------------------------


def test_cli_followup_json_keys(store: Store, campaign: dict[str, str], kiemtra) -> None:
    rows = kiemtra.json("followup", "--today", "10/09/2024")
    assert len(rows) == 5
    keys = {
        "id",
        "unit",
        "text",
        "deadline",
        "status",
        "days_overdue",
        "plan_id",
        "inspection_id",
        "number",
        "status_label",
    }
    assert keys <= set(rows[0])
    overdue = kiemtra.json("followup", "--overdue", "--today", "10/09/2024")
    assert {r["id"] for r in overdue} == {campaign["yesterday"], campaign["old"]}
    assert {r["unit"] for r in overdue} == {"UBND xã Đại Ân 2"}
    plan_id = store.planning.inspection(campaign["yte"])["plan_id"]
    assert len(kiemtra.json("followup", "--plan", plan_id, "--today", "10/09/2024")) == 5


def test_cli_remediation_add_and_verify(store: Store, campaign: dict[str, str], kiemtra) -> None:
    a, b = campaign["yesterday"], campaign["old"]
    out = kiemtra("remediation", "add", a, b, "--date", "05/09/2024", "--doc", "12/BC-UBND",
                  "--note", "Đã số hóa và ký số")  # fmt: skip
    assert "2 kiến nghị" in out.stdout
    kiemtra("remediation", "verify", a, "--ok", "--note", "Đạt")
    kiemtra("remediation", "verify", b, "--reject", "--note", "Chưa ký số")
    rows = by_id(kiemtra.json("followup", "--today", "10/09/2024"))
    assert rows[a]["status"] == "da-xac-minh"
    assert rows[b]["status"] == "khong-dat-yeu-cau"
    assert rows[b]["days_overdue"] == 30
    assert rows[b]["doc_number"] == "12/BC-UBND"


@pytest.mark.parametrize(
    "args",
    [
        ["--date", "31/02/2024", "--doc", "1/BC", "--note", "x"],
        ["--date", "hôm qua", "--doc", "1/BC", "--note", "x"],
        ["--date", "05/09/2024", "--doc", "", "--note", "x"],
        ["--date", "05/09/2099", "--doc", "1/BC", "--note", "x"],
    ],
)
def test_cli_remediation_add_errors(
    store: Store, campaign: dict[str, str], kiemtra, args: list[str]
) -> None:
    result = kiemtra("remediation", "add", campaign["old"], *args, ok=False)
    assert result.exit_code == 1
    assert result.stderr.startswith("Lỗi: ") and result.stderr.count("\n") == 1
    assert store.db.execute("SELECT count(*) FROM remediations").fetchone()[0] == 0


def test_cli_errors(store: Store, campaign: dict[str, str], kiemtra) -> None:
    bad = kiemtra("remediation", "add", "khong-co", "--date", "05/09/2024", "--doc", "1/BC",
                  "--note", "x", ok=False)  # fmt: skip
    assert bad.exit_code == 1 and "Không có kiến nghị" in bad.stderr
    bad = kiemtra("remediation", "verify", campaign["old"], "--ok", ok=False)
    assert bad.exit_code == 1 and "chưa có báo cáo" in bad.stderr
    bad = kiemtra("remediation", "verify", campaign["old"], "--note", "x", ok=False)
    assert bad.exit_code == 1 and "--ok" in bad.stderr
    bad = kiemtra("followup", "--today", "32/01/2024", "--json", ok=False)
    assert bad.exit_code == 1 and "Lỗi:" in bad.stderr
    bad = kiemtra("followup", "--plan", "khong-co", "--json", ok=False)
    assert bad.exit_code == 1


def test_cli_followup_unit_of(store: Store, kiemtra) -> None:
    y2023 = make_plan(store, 2023, [("UBND xã Đại Ân 2", UnitLevel.XA)])
    y2024 = make_plan(store, 2024, [("UBND xã Đại Ân 2", UnitLevel.XA)])
    rid = add_rec(store, y2023["UBND xã Đại Ân 2"], 1, "Niêm yết thủ tục", dt.date(2023, 8, 1))
    add_rec(store, y2024["UBND xã Đại Ân 2"], 1, "Năm nay", dt.date(2024, 8, 1))
    rows = kiemtra.json("followup", "--unit-of", y2024["UBND xã Đại Ân 2"], "--today", "10/09/2024")
    assert [r["id"] for r in rows] == [rid]
    assert rows[0]["year"] == 2023 and rows[0]["status"] == "qua-han"


def test_cli_help_and_readme() -> None:
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    for command in (
        "kiemtra followup",
        "kiemtra remediation add",
        "kiemtra remediation verify",
        "kiemtra reminder",
        "kiemtra escalation",
    ):
        assert f"`{command}" in readme, command


# -- remediation reports with attached files --------------------------------------------------


def _file(folder: Path, name: str, content: bytes) -> Path:
    path = folder / name
    path.write_bytes(content)
    return path


def test_report_with_attachments_stored_by_content(
    store: Store, campaign: dict[str, str], tmp_path: Path
) -> None:
    data = tmp_path / "data"
    report = _file(tmp_path, "Báo cáo khắc phục.pdf", b"%PDF-1.4 bao cao")
    photo = _file(tmp_path, "niem-yet.png", b"\x89PNG anh")
    rows = followup.record_report(
        store,
        [campaign["yesterday"], campaign["old"]],
        TODAY,
        "12/BC-UBND",
        "Đã số hóa",
        today=TODAY,
        attachments=[report, photo, report],  # the same file twice is attached once
        data_dir=data,
    )
    assert len(rows) == 2
    for row in rows:
        names = sorted(a["filename"] for a in row["attachments"])
        assert names == ["Báo cáo khắc phục.pdf", "niem-yet.png"]
        for a in row["attachments"]:
            assert Path(a["path"]).read_bytes() in (report.read_bytes(), photo.read_bytes())
            assert Path(a["path"]).parent.parent == data / "attachments"
            assert not a["missing"]
    # the register's trail shows the files of each report
    rec = followup.recommendation_status(store, campaign["old"], TODAY)
    assert [a["media_type"] for a in rec["remediations"][-1]["attachments"]] == [
        "application/pdf",
        "image/png",
    ] or sorted(a["media_type"] for a in rec["remediations"][-1]["attachments"]) == [
        "application/pdf",
        "image/png",
    ]
    listed = followup.report_attachments(store, rows[0]["id"], data)
    assert {a["filename"] for a in listed} == {"Báo cáo khắc phục.pdf", "niem-yet.png"}
    # content-addressed: two reports, one stored copy per content
    stored = [p for p in (data / "attachments").rglob("*") if p.is_file()]
    assert len(stored) == 2


def test_missing_attachment_writes_nothing(
    store: Store, campaign: dict[str, str], tmp_path: Path
) -> None:
    with pytest.raises(UserError, match="Không tìm thấy tệp"):
        followup.record_report(
            store,
            [campaign["old"]],
            TODAY,
            "12/BC",
            "x",
            today=TODAY,
            attachments=[tmp_path / "khong-co.pdf"],
            data_dir=tmp_path / "data",
        )
    assert store.db.execute("SELECT count(*) FROM remediations").fetchone()[0] == 0
    assert store.db.execute("SELECT count(*) FROM remediation_attachments").fetchone()[0] == 0


def test_cli_remediation_add_attach(
    store: Store, campaign: dict[str, str], kiemtra, tmp_path: Path, db_path: Path
) -> None:
    one = _file(tmp_path, "bc.pdf", b"bao cao")
    two = _file(tmp_path, "anh.jpg", b"anh chup")
    out = kiemtra("remediation", "add", campaign["old"], "--date", "05/09/2024", "--doc",
                  "12/BC-UBND", "--note", "Đã ký số", "--attach", str(one), "--attach",
                  str(two))  # fmt: skip
    assert "kèm 2 tệp" in out.stdout
    rows = store.db.execute(
        "SELECT filename, sha256 FROM remediation_attachments ORDER BY filename"
    ).fetchall()
    assert [r[0] for r in rows] == ["anh.jpg", "bc.pdf"]
    from desktop.services.attachments import path_of
    from desktop.services.paths import data_dir_for

    assert path_of(data_dir_for(db_path), rows[1][1]).read_bytes() == b"bao cao"
    listed = kiemtra.json("followup", "--today", "10/09/2024")
    row = next(r for r in listed if r["id"] == campaign["old"])
    assert row["attachments"] == ["anh.jpg", "bc.pdf"]
    missing = str(tmp_path / "nope.pdf")
    bad = kiemtra("remediation", "add", campaign["yesterday"], "--date", "05/09/2024", "--doc",
                  "1/BC", "--note", "x", "--attach", missing, ok=False)  # fmt: skip
    assert bad.exit_code == 1 and "nope.pdf" in bad.stderr


def test_remediation_attachment_travels_in_sync_packages(tmp_path: Path) -> None:
    """Laptop → Sở Nội vụ: the remediation, its attachment row and the file's content."""
    from desktop.services.attachments import path_of
    from desktop.services.demo import build_demo
    from tests.sync.helpers import Laptop, dump

    snv, laptop = Laptop(tmp_path, "so-noi-vu"), Laptop(tmp_path, "thu-ky")
    try:
        plan_id = build_demo(laptop.store)
        inspection = laptop.store.planning.inspections(plan_id)[0]["id"]
        rec = {"id": add_rec(laptop.store, inspection, 1, "Niêm yết thủ tục", TODAY)}
        evidence = _file(tmp_path, "Báo cáo số 7.pdf", b"%PDF noi dung khac phuc")
        laptop.cli("remediation", "add", rec["id"], "--date", dt.date.today().strftime(
            "%d/%m/%Y"), "--doc", "7/BC-UBND", "--note", "Đã khắc phục", "--attach",
            str(evidence))  # fmt: skip
        laptop.reopen()
        snv.cli("device", "trust", laptop.info()["fingerprint"], "--name", "thư ký")
        package = tmp_path / "goi.kiemtra"
        laptop.cli("sync", "export", "-o", str(package), "--plan", plan_id, "--full")
        result = snv.cli.json("sync", "import", str(package))
        assert result["conflicts"] == 0
        snv.reopen()
        mine, theirs = dump(laptop.store), dump(snv.store)
        assert theirs["remediation_attachments"] == mine["remediation_attachments"]
        assert len(theirs["remediation_attachments"]) == 1
        assert theirs["remediations"] == mine["remediations"]
        sha = theirs["remediation_attachments"][0]["sha256"]
        assert path_of(snv.data_dir, sha).read_bytes() == evidence.read_bytes()
        listed = followup.recommendation_status(snv.store, rec["id"])["remediations"]
        assert [a["filename"] for a in listed[-1]["attachments"]] == ["Báo cáo số 7.pdf"]
        # importing the same package again changes nothing
        again = snv.cli.json("sync", "import", str(package))
        assert again["inserted"] == 0 and again["updated"] == 0
    finally:
        snv.close()
        laptop.close()
