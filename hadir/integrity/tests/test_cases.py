"""Fraud cases: opened by the BKPSDM admin from flagged records, decided; proven manipulation
zeroes the month's TPP in the recap for the employee and the verifier who approved the record."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest

from conftest import EMPLOYEE_NIP, HEAD_NIP, OPERATOR_NIP, RULESET_TOML
from hadir.attendance.review import checkin_review_set
from hadir.audit.models import AuditEntry
from hadir.biometrics.tests import factories as f
from hadir.integrity.cases import CaseError, CaseForbidden, case_decide, case_open, cases_for_user
from hadir.org.models import Region
from hadir.tpp.models import ManipulationFinding

pytestmark = pytest.mark.django_db
AT = datetime(2026, 11, 10, 23, 5, tzinfo=UTC)  # Wednesday 11 November 07:05 WITA


@pytest.fixture
def people(region_setup, hadir_cli, write_csv):  # type: ignore[no-untyped-def]
    """Ani, Budi (her atasan, a user), Citra, Eka (BKPSDM admin), a stranger admin elsewhere;
    everyone of unit A present every working day of November 2026."""
    region = Region.objects.get(code="6408")
    ani, budi = f.employee(EMPLOYEE_NIP), f.employee(HEAD_NIP)
    rows = []
    for day in range(1, 31):
        d = date(2026, 11, day)
        if d.weekday() < 5:
            for nip in (EMPLOYEE_NIP, HEAD_NIP, OPERATOR_NIP):
                for hhmm in ("07:20", "12:00", "13:00", "16:35"):
                    rows.append([nip, f"{d.isoformat()}T{hhmm}:00+08:00", "import", "", "", ""])
    events = write_csv(
        "events.csv", ["nip", "timestamp", "source", "checkpoint", "latitude", "longitude"], rows
    )
    code, _, err = hadir_cli("import", "events", str(events), "--region", "6408")
    assert code == 0, err
    other = Region.objects.create(code="6409", name="Lain", timezone="Asia/Makassar")
    return {
        "ani": ani,
        "budi_user": f.user("budi", emp=budi),
        "eka": f.user("eka", role="bkpsdm_admin", region=region),
        "stranger": f.user("zaki", role="bkpsdm_admin", region=other),
        "citra_user": f.user("citra", emp=f.employee(OPERATOR_NIP), role="operator", region=region),
    }


def _flagged(ani, approver=None):  # type: ignore[no-untyped-def]
    record = f.checkin(ani, at=AT, status="pending_review")
    record.risk_score, record.risk_reasons = 0.6, [{"code": "face_mismatch", "weight": 0.6}]
    record.save(update_fields=["risk_score", "risk_reasons"])
    if approver is not None:
        checkin_review_set(checkin=record, status="approved", by=approver)
        record.refresh_from_db()
    return record


def _recap(hadir_cli) -> dict[str, dict]:  # type: ignore[no-untyped-def]
    code, out, err = hadir_cli("recap", "--month", "2026-11", "--region", "6408")
    assert code == 0, err
    return {e["nip"]: e for e in json.loads(out)["employees"]}


def test_it_zeroes_the_tpp_of_the_employee_and_the_approving_verifier(people, hadir_cli) -> None:  # type: ignore[no-untyped-def]
    before = _recap(hadir_cli)
    assert before[EMPLOYEE_NIP]["tpp_paid"] > 0 and before[HEAD_NIP]["tpp_paid"] > 0
    record = _flagged(people["ani"], approver=people["budi_user"])
    case = case_open(checkins=[record], by=people["eka"], summary="Wajah orang lain.")
    assert list(cases_for_user(people["eka"])) == [case]
    assert list(cases_for_user(people["stranger"])) == []
    case_decide(case=case, by=people["eka"], proven=True, decision="Terbukti: foto kolega.")
    case.refresh_from_db()
    assert case.status == "proven" and case.decided_by == people["eka"]
    findings = {(x.employee.nip, x.month) for x in ManipulationFinding.objects.all()}
    assert findings == {(EMPLOYEE_NIP, date(2026, 11, 1)), (HEAD_NIP, date(2026, 11, 1))}
    assert case.findings.count() == 2
    after = _recap(hadir_cli)
    for nip in (EMPLOYEE_NIP, HEAD_NIP):
        assert (after[nip]["tpp_paid"], after[nip]["manipulation"]) == (0, True)
        assert after[nip]["deduction_pct"] == 100
    assert after[OPERATOR_NIP] == before[OPERATOR_NIP]
    assert AuditEntry.objects.filter(action="integrity.case_decide").exists()


def test_it_keeps_tpp_when_the_rule_set_does_not_zero(people, hadir_cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    rules = tmp_path / "rules.toml"
    rules.write_text(RULESET_TOML.replace("manipulation_zero = true", "manipulation_zero = false"))
    code, _, err = hadir_cli("rules", "load", str(rules))
    assert code == 0, err
    before = _recap(hadir_cli)
    case = case_open(checkins=[_flagged(people["ani"])], by=people["eka"], summary="Mock GPS.")
    case_decide(case=case, by=people["eka"], proven=True, decision="Terbukti.")
    after = _recap(hadir_cli)
    assert after[EMPLOYEE_NIP]["manipulation"] is True
    assert after[EMPLOYEE_NIP]["tpp_paid"] == before[EMPLOYEE_NIP]["tpp_paid"] > 0


def test_a_dismissed_case_changes_no_tpp(people, hadir_cli) -> None:  # type: ignore[no-untyped-def]
    before = _recap(hadir_cli)
    record = _flagged(people["ani"], approver=people["budi_user"])
    case = case_open(checkins=[record], by=people["eka"], summary="Periksa.")
    case_decide(case=case, by=people["eka"], proven=False, decision="GPS lemah di gedung.")
    assert not ManipulationFinding.objects.exists()
    assert _recap(hadir_cli)[EMPLOYEE_NIP] == before[EMPLOYEE_NIP]
    with pytest.raises(CaseError, match="sudah diputus"):
        case_decide(case=case, by=people["eka"], proven=True, decision="Berubah pikiran.")


def test_only_the_regions_bkpsdm_admin_opens_and_decides(people) -> None:  # type: ignore[no-untyped-def]
    record = _flagged(people["ani"])
    for user in (people["stranger"], people["citra_user"], people["budi_user"]):
        with pytest.raises(CaseForbidden):
            case_open(checkins=[record], by=user, summary="x")
    case = case_open(checkins=[record], by=people["eka"], summary="x")
    with pytest.raises(CaseForbidden):
        case_decide(case=case, by=people["stranger"], proven=True, decision="x")


def test_it_opens_cases_from_flagged_records_of_one_employee_only(people) -> None:  # type: ignore[no-untyped-def]
    clean = f.checkin(people["ani"], at=AT - timedelta(days=1))
    with pytest.raises(CaseError, match="tidak ditandai"):
        case_open(checkins=[clean], by=people["eka"], summary="x")
    budis = _flagged(f.employee(HEAD_NIP))
    with pytest.raises(CaseError, match="satu pegawai"):
        case_open(checkins=[_flagged(people["ani"]), budis], by=people["eka"], summary="x")
    with pytest.raises(CaseError, match="Ringkasan"):
        case_open(checkins=[budis], by=people["eka"], summary="  ")
    with pytest.raises(CaseError, match="keputusan"):
        case = case_open(checkins=[budis], by=people["eka"], summary="x")
        case_decide(case=case, by=people["eka"], proven=True, decision="")
