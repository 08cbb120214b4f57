"""Writes of the discipline app: the daily ladder run, clarifications, OPD actions and the
steps of a case (RULEBOOK.md sections 5 and 6). Every write is audited, and its messages are
queued in the outbox in the same transaction."""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta

from django.core.files import File
from django.db import transaction
from django.utils import timezone

from hadir.audit.services import audit_record
from hadir.calendars.choices import NON_WORKING_KINDS
from hadir.calendars.models import CalendarDay
from hadir.core.errors import DomainError
from hadir.discipline.choices import (
    CaseKind,
    CaseStatus,
    ClarificationDecision,
    StepKind,
    WarningStatus,
)
from hadir.discipline.models import AbsenceWarning, CaseStep, Clarification, DisciplineCase
from hadir.discipline.rules import add_working_days
from hadir.org.models import Employee, Region
from hadir.tpp.ruleset.discipline import SANCTIONS

log = logging.getLogger(__name__)
SUMMONS_WORKING_DAYS = 7  # first summons at least 7 working days before the examination
DECISION_DAYS = 14  # decision (SK hukdis) within 14 days of the examination


def discipline_run(*, on: date | None) -> str:
    """Run the ladder for every region as of `on` (days up to and including it). Without a
    date: the last day that has ended in WIB, the earliest of Indonesia's zones."""
    from hadir.discipline.ladder import RunCounts, discipline_run_region

    day = on or timezone.localdate(timezone=_wib()) - timedelta(days=1)
    counts = RunCounts()
    for region in Region.objects.order_by("code"):
        try:
            discipline_run_region(region=region, on=day, counts=counts)
        except DomainError as exc:  # one region's bad data does not stop the others
            log.warning("discipline run for region %s: %s", region.code, exc.message)
            counts.skipped.append(f"region {region.code}: {exc.message}")
    return counts.line(day)


def _wib():  # type: ignore[no-untyped-def]
    from zoneinfo import ZoneInfo

    return ZoneInfo("Asia/Jakarta")


def _holidays(region: Region, start: date, days: int) -> frozenset[date]:
    return frozenset(
        CalendarDay.objects.filter(
            region=region,
            kind__in=NON_WORKING_KINDS,
            date__gte=start,
            date__lte=start + timedelta(days=days),
        ).values_list("date", flat=True)
    )


def case_open(
    *,
    employee: Employee,
    kind: CaseKind,
    key: str,
    on: date,
    tally: int = 0,
    recommended: str = "",
    warning: AbsenceWarning | None = None,
    note: str = "",
) -> DisciplineCase | None:
    """Open a case with its planned steps; None when the case (by key) already exists."""
    if DisciplineCase.objects.filter(key=key).exists():
        return None
    with transaction.atomic():
        case = DisciplineCase.objects.create(
            employee=employee,
            kind=kind,
            key=key,
            year=on.year,
            opened_on=on,
            tally_days=tally,
            recommended=recommended,
            level=SANCTIONS.get(recommended, "berat" if kind == CaseKind.PASAL_28 else ""),
            warning=warning,
            note=note,
        )
        holidays = _holidays(employee.region, on, 30)
        CaseStep.objects.bulk_create(
            [
                CaseStep(
                    case=case,
                    kind=StepKind.SUMMONS_1,
                    due_on=add_working_days(on, SUMMONS_WORKING_DAYS, holidays),
                ),
                CaseStep(case=case, kind=StepKind.EXAMINATION),
                CaseStep(case=case, kind=StepKind.DECISION),
            ]
        )
        audit_record(
            actor="system",
            action="discipline.case_open",
            object_type="DisciplineCase",
            object_id=str(case.id),
            data={"employee": employee.key, "kind": str(kind), "recommended": recommended},
        )
    return case


def case_step_record(
    *,
    case: DisciplineCase,
    kind: StepKind,
    on: date,
    actor: str,
    document: File | None = None,
    note: str = "",
    sanction: str = "",
) -> CaseStep:
    """Record a step as done: a summons, the examination record (BAP) or the decision.

    The examination comes at least 7 working days after the first summons; the decision
    (with the sanction given) sets the case decided. A second summons may be recorded when
    the employee did not come to the examination.
    """
    with transaction.atomic():
        case = DisciplineCase.objects.select_for_update().get(id=case.id)
        if case.status == CaseStatus.DECIDED:
            raise DomainError("the case is already decided", code="case_decided")
        steps = {s.kind: s for s in case.steps.all()}
        summons = steps.get(StepKind.SUMMONS_1)
        exam = steps[StepKind.EXAMINATION]
        if kind != StepKind.SUMMONS_1 and (summons is None or summons.done_on is None):
            raise DomainError("record the first summons first", code="summons_missing")
        if kind == StepKind.EXAMINATION and exam.earliest_on and on < exam.earliest_on:
            raise DomainError(
                f"the examination may take place from {exam.earliest_on.isoformat()}: at least "
                f"{SUMMONS_WORKING_DAYS} working days after the summons",
                code="examination_too_early",
            )
        if kind == StepKind.DECISION:
            if exam.done_on is None:
                raise DomainError("record the examination (BAP) first", code="examination_missing")
            if sanction not in SANCTIONS:
                raise DomainError("a decision names the sanction given", code="sanction_missing")
        step, _ = CaseStep.objects.get_or_create(case=case, kind=kind)
        step.done_on, step.note, step.recorded_by = on, note, actor
        if document is not None:
            step.document.save(document.name or f"{kind}.pdf", document, save=False)
        step.save()
        if kind in (StepKind.SUMMONS_1, StepKind.SUMMONS_2):
            holidays = _holidays(case.employee.region, on, 30)
            exam.earliest_on = add_working_days(on, SUMMONS_WORKING_DAYS, holidays)
            exam.save(update_fields=["earliest_on"])
        elif kind == StepKind.EXAMINATION:
            CaseStep.objects.filter(case=case, kind=StepKind.DECISION).update(
                due_on=on + timedelta(days=DECISION_DAYS)
            )
        else:
            case.status, case.decided_sanction = CaseStatus.DECIDED, sanction
            case.save(update_fields=["status", "decided_sanction"])
        _warning_acted(case, on, f"{kind} {note}".strip())
        audit_record(
            actor=actor,
            action="discipline.case_step",
            object_type="DisciplineCase",
            object_id=str(case.id),
            data={"step": str(kind), "on": on, "sanction": sanction, "note": note},
        )
    return step


def _warning_acted(case: DisciplineCase, on: date, note: str) -> None:
    """A step on the employee's case is action by the OPD on the warning it came from."""
    if case.warning_id is not None and case.kind != CaseKind.PASAL_28:
        AbsenceWarning.objects.filter(id=case.warning_id, acted_on__isnull=True).update(
            acted_on=on, action_note=note
        )


def warning_action_record(*, warning: AbsenceWarning, on: date, note: str, actor: str) -> None:
    """The OPD records coaching (pembinaan) or another action: stops the Pasal 28 clock."""
    if not note.strip():
        raise DomainError("describe the action taken", code="note_missing")
    with transaction.atomic():
        AbsenceWarning.objects.filter(id=warning.id).update(acted_on=on, action_note=note)
        audit_record(
            actor=actor,
            action="discipline.action",
            object_type="AbsenceWarning",
            object_id=str(warning.id),
            data={"on": on, "note": note},
        )


def clarification_submit(
    *,
    warning: AbsenceWarning,
    text: str,
    actor: str,
    evidence: File | None = None,
    at: datetime | None = None,
) -> Clarification:
    """The employee answers a warning with a clarification and evidence."""
    from hadir.discipline.notices import notify_clarification_submitted

    if not text.strip():
        raise DomainError("a clarification needs a text", code="text_missing")
    with transaction.atomic():
        w = AbsenceWarning.objects.select_for_update().get(id=warning.id)
        if w.status in (WarningStatus.CLOSED, WarningStatus.STANDS, WarningStatus.RECOMMENDED):
            raise DomainError("this warning is no longer open", code="warning_closed")
        if Clarification.objects.filter(warning=w).exists():
            raise DomainError("a clarification was already submitted", code="already_clarified")
        c = Clarification(warning=w, text=text, submitted_at=at or timezone.now())
        if evidence is not None:
            c.evidence.save(evidence.name or "bukti", evidence, save=False)
        c.save()
        w.status = WarningStatus.CLARIFIED
        w.save(update_fields=["status"])
        audit_record(
            actor=actor,
            action="discipline.clarification_submit",
            object_type="Clarification",
            object_id=str(c.id),
            data={"warning": w.id, "evidence": c.evidence.name},
        )
        notify_clarification_submitted(c)
    return c


def _decide(
    clarification: Clarification, *, accept: bool, reason: str, by: Employee, actor: str
) -> Clarification:
    from hadir.discipline.notices import notify_clarification_decided
    from hadir.org.services import employee_atasan

    with transaction.atomic():
        c = (
            Clarification.objects.select_for_update()
            .select_related("warning")
            .get(id=clarification.id)
        )
        w = c.warning
        if c.decision != ClarificationDecision.PENDING:
            raise DomainError("the clarification is already decided", code="already_decided")
        atasan = w.atasan or employee_atasan(w.employee)
        if atasan is None or atasan.id != by.id:
            raise DomainError("only the employee's atasan decides", code="not_atasan")
        c.decision = ClarificationDecision.ACCEPTED if accept else ClarificationDecision.REJECTED
        c.decided_by, c.decided_at, c.reason = by, timezone.now(), reason
        c.save(update_fields=["decision", "decided_by", "decided_at", "reason"])
        w.status = WarningStatus.CLOSED if accept else WarningStatus.STANDS
        w.save(update_fields=["status"])
        audit_record(
            actor=actor,
            action=f"discipline.clarification_{'accept' if accept else 'reject'}",
            object_type="Clarification",
            object_id=str(c.id),
            data={"warning": w.id, "reason": reason},
        )
        notify_clarification_decided(c)
    return c


def clarification_accept(
    *, clarification: Clarification, by: Employee, actor: str, reason: str = ""
) -> Clarification:
    """The atasan accepts: the warning is closed."""
    return _decide(clarification, accept=True, reason=reason, by=by, actor=actor)


def clarification_reject(
    *, clarification: Clarification, by: Employee, actor: str, reason: str
) -> Clarification:
    """The atasan rejects, with a reason: the warning stands."""
    if not reason.strip():
        raise DomainError("a rejection needs a reason", code="reason_missing")
    return _decide(clarification, accept=False, reason=reason, by=by, actor=actor)
