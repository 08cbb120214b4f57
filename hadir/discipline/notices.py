"""The messages of the ladder, queued in the outbox inside the caller's transaction."""

from __future__ import annotations

from datetime import date, timedelta

from hadir.discipline.models import AbsenceWarning, Clarification, DisciplineCase
from hadir.notify.services import outbox_enqueue
from hadir.org.models import Employee, Unit
from hadir.tpp.ruleset.discipline import DisciplineRules


def _d(day: date) -> str:
    return day.strftime("%d-%m-%Y")


def opd_head(employee: Employee) -> Employee | None:
    """The head of the employee's OPD: the unit just below the region's root on its path."""
    ids = [int(x) for x in employee.unit.path.strip("/").split("/") if x]
    if not ids:
        return None
    opd_id = ids[1] if len(ids) > 1 else ids[0]
    unit = Unit.objects.select_related("head__region").filter(id=opd_id).first()
    return unit.head if unit is not None else None


def _who(w: AbsenceWarning) -> dict[str, object]:
    e = w.employee
    return {
        "employee": e.name,
        "nip": e.nip or e.key,
        "start": _d(w.streak_start),
        "end": _d(w.streak_end),
    }


def notify_warning(w: AbsenceWarning) -> None:
    outbox_enqueue(
        key=f"warning:{w.id}",
        template="hadir_peringatan_tk",
        recipient=w.employee,
        context={**_who(w), "name": w.employee.name, "days": w.tk_days, "due": _d(w.clarify_by)},
        about=w,
    )


def notify_reprimand(w: AbsenceWarning, rules: DisciplineRules) -> None:
    assert w.reprimanded_on is not None  # noqa: S101
    if w.atasan is not None:
        outbox_enqueue(
            key=f"reprimand:{w.id}",
            template="hadir_teguran_atasan",
            recipient=w.atasan,
            context={**_who(w), "name": w.atasan.name, "due": _d(w.clarify_by)},
            about=w,
        )
    head = opd_head(w.employee)
    if head is not None:
        due = w.reprimanded_on + timedelta(days=rules.opd_action_within_days)
        outbox_enqueue(
            key=f"coaching:{w.id}",
            template="hadir_pembinaan_unit",
            recipient=head,
            context={**_who(w), "name": head.name, "unit": w.employee.unit.name, "due": _d(due)},
            about=w,
        )


def notify_pasal28(w: AbsenceWarning) -> None:
    assert w.reprimanded_on is not None  # noqa: S101
    atasan = w.atasan.name if w.atasan else "(tidak ada atasan tercatat)"
    people = {p.id: p for p in (w.atasan, opd_head(w.employee)) if p is not None}
    for person in people.values():
        outbox_enqueue(
            key=f"pasal28:{w.id}:{person.id}",
            template="hadir_rekomendasi_pasal28",
            recipient=person,
            context={
                **_who(w),
                "name": person.name,
                "reprimanded": _d(w.reprimanded_on),
                "atasan": atasan,
            },
            about=w,
        )


def notify_case(case: DisciplineCase) -> None:
    from hadir.discipline.choices import CaseKind, Sanction, StepKind
    from hadir.org.services import employee_atasan

    e = case.employee
    reasons = {
        CaseKind.TALLY: f"akumulasi {case.tally_days} hari tidak hadir tanpa keterangan "
        f"tahun {case.year}",
        CaseKind.CONSECUTIVE: f"{case.tally_days} hari kerja berturut-turut tidak hadir "
        "tanpa keterangan",
        CaseKind.PASAL_28: "atasan tidak menindaklanjuti pelanggaran bawahan (Pasal 28)",
    }
    summons = case.steps.filter(kind=StepKind.SUMMONS_1).first()
    due = summons.due_on if summons and summons.due_on else case.opened_on
    sanction = Sanction(case.recommended).label if case.recommended else "sesuai pemeriksaan"
    people = {p.id: p for p in (e, employee_atasan(e)) if p is not None}
    for person in people.values():
        outbox_enqueue(
            key=f"case:{case.id}:{person.id}",
            template="hadir_kasus_disiplin",
            recipient=person,
            context={
                "name": person.name,
                "employee": e.name,
                "nip": e.nip or e.key,
                "reason": reasons[CaseKind(case.kind)],
                "sanction": sanction,
                "due": _d(due),
            },
            about=case,
        )


def notify_clarification_submitted(c: Clarification) -> None:
    w = c.warning
    if w.atasan is not None:
        outbox_enqueue(
            key=f"clarification:{c.id}:submitted",
            template="hadir_klarifikasi_masuk",
            recipient=w.atasan,
            context={**_who(w), "name": w.atasan.name},
            about=c,
        )


def notify_clarification_decided(c: Clarification) -> None:
    w = c.warning
    accepted = c.decision == "accepted"
    outbox_enqueue(
        key=f"clarification:{c.id}:decided",
        template="hadir_klarifikasi_keputusan",
        recipient=w.employee,
        context={
            **_who(w),
            "name": w.employee.name,
            "decision": "diterima" if accepted else "ditolak; peringatan tetap berlaku",
            "reason": f"Alasan: {c.reason}" if c.reason else "",
        },
        about=c,
    )
