"""Writes of the TPP app: loading rule-set versions."""

from __future__ import annotations

import hashlib
from datetime import date

from django.db import transaction

from hadir.attendance.services import ALL_END, ALL_START, stale_mark
from hadir.audit.services import audit_record
from hadir.core.errors import DomainError
from hadir.org.models import Employee, Region
from hadir.org.selectors import region_get
from hadir.tpp.models import RuleSetVersion
from hadir.tpp.ruleset import parse_ruleset
from hadir.tpp.selectors import RuleBook


def ruleset_load(
    *, text: str, source_name: str, effective_from: date | None = None, actor: str
) -> str:
    """Validate and store a rule set version; creates the region named in [region] if new.

    The version takes effect on `effective_from` (else `[region] effective_from` in the file);
    with neither it is the region's base version, in force from the start, and replaces the
    previous base version. Days from the effective date on are resolved again.
    """
    rules = parse_ruleset(text)  # raises RuleSetError with every problem
    since = effective_from or rules.region.effective_from
    checksum = hashlib.sha256(text.encode()).hexdigest()
    with transaction.atomic():
        region, created = Region.objects.get_or_create(
            code=rules.region.code,
            defaults={"name": rules.region.name, "timezone": rules.region.timezone},
        )
        if not created and (region.name, region.timezone) != (
            rules.region.name,
            rules.region.timezone,
        ):
            region.name, region.timezone = rules.region.name, rules.region.timezone
            region.save(update_fields=["name", "timezone"])
        version = RuleSetVersion.objects.filter(region=region, effective_from=since).first()
        unchanged = version is not None and version.checksum == checksum and not created
        if not unchanged:
            if version is None:
                version = RuleSetVersion(region=region, effective_from=since)
            version.source, version.checksum, version.loaded_by = text, checksum, actor
            version.save()
            stale_mark(region=region, start=since or ALL_START, end=ALL_END)
            audit_record(
                actor=actor,
                action="ruleset.load",
                object_type="RuleSetVersion",
                object_id=str(version.id),
                data={
                    "region": region.code,
                    "effective_from": since,
                    "checksum": checksum,
                    "source": source_name,
                },
            )
    codes = {s.code for s in rules.schedules}
    unknown = sorted(
        set(
            Employee.objects.filter(region=region)
            .exclude(schedule_code="")
            .exclude(schedule_code__in=codes)
            .values_list("schedule_code", flat=True)
        )
    )
    when = f"from {since.isoformat()}" if since else "from the start (base version)"
    lines = [
        f"rule set for {region.code} {region.name} "
        f"{'unchanged' if unchanged else 'loaded'}: in force {when}; "
        f"{len(rules.schedules)} schedule(s): {', '.join(sorted(codes))}"
    ]
    if unknown:
        lines.append(
            "warning: employees use schedule(s) this version does not define: " + ", ".join(unknown)
        )
    return "\n".join(lines)


def ruleset_show(*, region_code: str | None, on: date | None = None) -> str:
    region = region_get(region_code)
    book = RuleBook(region)
    if not book:
        raise DomainError(f"region {region.code} has no rule set yet", code="no_rule_set")
    chosen = book.in_force(on) if on else book.latest()
    version = RuleSetVersion.objects.get(id=chosen.version_id)
    since = version.effective_from.isoformat() if version.effective_from else "the start"
    header = f"# region {region.code}: rule set version in force from {since}\n"
    return header + version.source + ("" if version.source.endswith("\n") else "\n")
