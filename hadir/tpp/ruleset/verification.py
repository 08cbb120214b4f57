"""The optional `[verification]` table of a rule set: the atasan's monthly verification
(RULEBOOK.md section 7). Every key has the RULEBOOK default, so a rule set without the table
gets Kotim's cycle.

```toml
[verification]
due_day = 10                          # the month's report is due before this day of the next month
remind_days_before = [3, 1]           # reminders to the atasan this many days before the due day
unverified_after_deadline = "rejected"  # "rejected" (not counted for TPP), "approved" or "kept"
flag_atasan = true          # an atasan with records unverified after the deadline is flagged
bulk_max_risk = 0.3         # bulk approval: accepted records at or below this risk only
```
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hadir.tpp.ruleset.tables import table_open

AFTER_DEADLINE = ("rejected", "approved", "kept")


@dataclass(frozen=True, slots=True)
class VerificationRules:
    due_day: int = 10
    remind_days_before: tuple[int, ...] = (3, 1)
    unverified_after_deadline: str = "rejected"
    flag_atasan: bool = True
    bulk_max_risk: float = 0.3


DEFAULT_VERIFICATION = VerificationRules()


def parse_verification(add: Any, path: str, value: Any) -> VerificationRules | None:
    """Validate the table; `add(path, message)` reports a problem. None when any was found."""
    known = ("due_day", "remind_days_before", "unverified_after_deadline", "flag_atasan")
    bad = table_open(add, path, value, (*known, "bulk_max_risk"))
    if bad is None:
        return None
    d = DEFAULT_VERIFICATION
    due = value.get("due_day", d.due_day)
    if isinstance(due, bool) or not isinstance(due, int) or not 1 <= due <= 28:
        bad("due_day", f"must be an integer from 1 to 28, got {due!r}")
    remind = value.get("remind_days_before", list(d.remind_days_before))
    if not isinstance(remind, list) or not all(
        isinstance(n, int) and not isinstance(n, bool) and 1 <= n <= 27 for n in remind
    ):
        bad("remind_days_before", f"must be an array of integers from 1 to 27, got {remind!r}")
        remind = []
    after = value.get("unverified_after_deadline", d.unverified_after_deadline)
    if after not in AFTER_DEADLINE:
        bad(
            "unverified_after_deadline",
            f"must be one of {', '.join(AFTER_DEADLINE)}, got {after!r}",
        )
    flag = value.get("flag_atasan", d.flag_atasan)
    if not isinstance(flag, bool):
        bad("flag_atasan", "must be true or false")
    risk = value.get("bulk_max_risk", d.bulk_max_risk)
    if isinstance(risk, bool) or not isinstance(risk, int | float) or not 0 <= risk <= 1:
        bad("bulk_max_risk", f"must be a number from 0 to 1, got {risk!r}")
    if bad.count:
        return None
    return VerificationRules(
        due_day=due,
        remind_days_before=tuple(sorted(set(remind), reverse=True)),
        unverified_after_deadline=after,
        flag_atasan=flag,
        bulk_max_risk=float(risk),
    )
