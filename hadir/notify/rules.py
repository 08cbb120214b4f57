"""Pure timing rules of the outbox: quiet hours and retry backoff. No ORM, no clock."""

from __future__ import annotations

from datetime import datetime, time, timedelta


def parse_quiet_hours(text: str) -> tuple[time, time] | None:
    """ "21:00-06:00" -> (21:00, 06:00); an empty text disables quiet hours."""
    text = text.strip()
    if not text:
        return None
    start, _, end = text.partition("-")
    try:
        return time.fromisoformat(start.strip()), time.fromisoformat(end.strip())
    except ValueError as exc:
        raise ValueError(f"quiet hours {text!r}: expected HH:MM-HH:MM") from exc


def quiet_release(local_now: datetime, quiet: tuple[time, time] | None) -> datetime | None:
    """When quiet hours hold at `local_now` (aware, in the recipient's zone), the local time
    they end; else None. A window may cross midnight ("21:00-06:00")."""
    if quiet is None:
        return None
    start, end = quiet
    now = local_now.timetz().replace(tzinfo=None)
    if start == end:
        return None
    if start < end:
        inside = start <= now < end
        release_day = local_now.date()
    else:
        inside = now >= start or now < end
        release_day = local_now.date() + timedelta(days=1) if now >= start else local_now.date()
    if not inside:
        return None
    return datetime.combine(release_day, end, tzinfo=local_now.tzinfo)


def backoff_seconds(
    attempts: int, *, base: float, cap: float, retry_after: float | None = None
) -> float:
    """Delay before the next attempt after `attempts` failed ones: base·2^(attempts−1), capped,
    and never sooner than the provider's Retry-After."""
    delay = min(cap, base * 2 ** max(0, attempts - 1))
    if retry_after is not None:
        delay = max(delay, min(retry_after, cap))
    return delay
