"""The optional `[checkin]` table of a rule set: how the employee app's check-ins are judged
(docs/checkin.md). Every key has a default, so a rule set without the table works.

```toml
[checkin]
outside_geofence = "pending_review"   # or "rejected": a check-in outside every site
max_accuracy_m = 100                  # a location less accurate than this -> rejected (weak_gps)
max_clock_skew_s = 300                # device clock this far from the server -> clock_skew reason
offline_upload_day = 10               # offline records upload until this day of the next month
challenge_ttl_s = 120                 # how long a challenge (nonce) is valid
```
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hadir.tpp.ruleset.tables import table_open

OUTSIDE_GEOFENCE = ("pending_review", "rejected")


@dataclass(frozen=True, slots=True)
class CheckinRules:
    outside_geofence: str = "pending_review"
    max_accuracy_m: int = 100
    max_clock_skew_s: int = 300
    offline_upload_day: int = 10
    challenge_ttl_s: int = 120


DEFAULT_CHECKIN = CheckinRules()
_LIMITS: dict[str, tuple[int, int]] = {
    "max_accuracy_m": (1, 100_000),
    "max_clock_skew_s": (1, 86_400),
    "offline_upload_day": (1, 28),
    "challenge_ttl_s": (10, 3_600),
}


def parse_checkin(add: Any, path: str, value: Any) -> CheckinRules | None:
    """Validate the table; `add(path, message)` reports a problem. None when any was found."""
    bad = table_open(add, path, value, (*_LIMITS, "outside_geofence"))
    if bad is None:
        return None
    ints: dict[str, int] = {}
    for key, (lo, hi) in _LIMITS.items():
        if key in value:
            raw = value[key]
            if isinstance(raw, bool) or not isinstance(raw, int) or not lo <= raw <= hi:
                bad(key, f"must be an integer from {lo} to {hi}, got {raw!r}")
            else:
                ints[key] = raw
    outside = value.get("outside_geofence", DEFAULT_CHECKIN.outside_geofence)
    if outside not in OUTSIDE_GEOFENCE:
        bad("outside_geofence", f"must be one of {', '.join(OUTSIDE_GEOFENCE)}, got {outside!r}")
    if bad.count:
        return None
    return CheckinRules(outside_geofence=outside, **ints)
