"""Parse and validate a rule set's TOML, collecting every problem as "path: message"."""

from __future__ import annotations

import math
import re
import tomllib
from collections.abc import Callable
from datetime import date, datetime, time
from decimal import Decimal
from types import MappingProxyType
from typing import Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from hadir.tpp.ruleset.biometrics import (
    DEFAULT_BIOMETRICS,
    DEFAULT_INTEGRITY,
    parse_biometrics,
    parse_integrity,
)
from hadir.tpp.ruleset.checkin import DEFAULT_CHECKIN, parse_checkin
from hadir.tpp.ruleset.discipline import DEFAULT_DISCIPLINE, parse_discipline
from hadir.tpp.ruleset.model import (
    ABSENCE_TYPES,
    RAMADAN,
    WEEKDAYS,
    AbsenceRule,
    Band,
    Checkpoint,
    CheckpointKind,
    Override,
    RegionInfo,
    RuleSet,
    RuleSetError,
    Schedule,
    Tier,
    TierTable,
    TppRules,
)
from hadir.tpp.ruleset.verification import DEFAULT_VERIFICATION, parse_verification

_TIME_RE = re.compile(r"([0-9]{2}):([0-9]{2})")
_ISO_DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_RESERVED_CODE_RE = re.compile(r"TK|TL[0-9]+|PSW[0-9]+")
_T = TypeVar("_T")
Keys = tuple[str, ...]


class _Problems:
    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, path: str, message: str) -> None:
        self.items.append(f"{path}: {message}")


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _get(
    p: _Problems, path: str, table: dict[str, Any], key: str, parse: Callable[..., _T | None]
) -> _T | None:
    """Parse `table[key]` with `parse` when present (a missing key is reported by `_keys`)."""
    return parse(p, _join(path, key), table[key]) if key in table else None


def _table(p: _Problems, path: str, value: Any) -> dict[str, Any] | None:
    if not isinstance(value, dict):
        p.add(path, "must be a table")
        return None
    return value


def _keys(p: _Problems, path: str, table: dict[str, Any], required: Keys, optional: Keys) -> None:
    for key in required:
        if key not in table:
            p.add(_join(path, key), "missing required key")
    for key in table:
        if key not in required and key not in optional:
            p.add(_join(path, key), "unknown key")


def _array(p: _Problems, path: str, value: Any, *, noun: str) -> list[Any] | None:
    if not isinstance(value, list):
        p.add(path, f"must be an array of {noun}")
        return None
    if not value:
        p.add(path, "must not be empty")
        return None
    return value


def _text(p: _Problems, path: str, value: Any) -> str | None:
    if not isinstance(value, str) or not value.strip():
        p.add(path, "must be a non-empty string")
        return None
    return value


def _flag(p: _Problems, path: str, value: Any) -> bool | None:
    if not isinstance(value, bool):
        p.add(path, "must be true or false")
        return None
    return value


def _pct(p: _Problems, path: str, value: Any) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        p.add(path, "must be a number")
        return None
    if isinstance(value, float) and not math.isfinite(value):
        p.add(path, "must be a number")
        return None
    if not 0 <= value <= 100:
        p.add(path, f"must be between 0 and 100, got {value}")
        return None
    return Decimal(str(value))


def _positive_int(p: _Problems, path: str, value: Any) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        p.add(path, f"must be a positive integer, got {value!r}")
        return None
    return value


def _minutes(p: _Problems, path: str, value: Any) -> int | None:
    if isinstance(value, time) and not (value.second or value.microsecond or value.tzinfo):
        return value.hour * 60 + value.minute
    match = _TIME_RE.fullmatch(value) if isinstance(value, str) else None
    if match is None or int(match[1]) > 47 or int(match[2]) > 59:
        p.add(path, f'must be a time "HH:MM" with HH 00..47, got {value!r}')
        return None
    return int(match[1]) * 60 + int(match[2])


def _weekdays(p: _Problems, path: str, value: Any, *, allow_empty: bool) -> frozenset[int] | None:
    if not isinstance(value, list) or (not value and not allow_empty):
        p.add(path, "must be a non-empty array of weekdays (mon..sun)")
        return None
    days: set[int] = set()
    for i, name in enumerate(value):
        if name not in WEEKDAYS:
            expected = ", ".join(WEEKDAYS)
            p.add(f"{path}[{i}]", f"unknown weekday {name!r}, expected one of {expected}")
        elif WEEKDAYS.index(name) in days:
            p.add(f"{path}[{i}]", f"duplicate weekday {name!r}")
        else:
            days.add(WEEKDAYS.index(name))
    return frozenset(days)


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _steps(
    p: _Problems, path: str, value: Any, *, bound: str, noun: str
) -> list[tuple[int | None, Decimal]] | None:
    """Tiers or bands: tables of an optional inclusive bound and a pct; bounds strictly rising."""
    items = _array(p, path, value, noun="tables")
    if items is None:
        return None
    steps: list[tuple[int | None, Decimal]] = []
    ok = True
    previous: int | None = None
    for i, item in enumerate(items):
        item_path = f"{path}[{i}]"
        table = _table(p, item_path, item)
        if table is None:
            ok = False
            continue
        _keys(p, item_path, table, ("pct",), (bound,))
        pct = _pct(p, f"{item_path}.pct", table["pct"]) if "pct" in table else None
        limit: int | None = None
        if bound in table:
            limit = _positive_int(p, f"{item_path}.{bound}", table[bound])
            if limit is not None and previous is not None and limit <= previous:
                p.add(f"{item_path}.{bound}", f"must be greater than {previous}")
                limit = None
            ok = ok and limit is not None
            previous = limit if limit is not None else previous
        elif i < len(items) - 1:
            p.add(item_path, f"only the last {noun} may omit {bound}")
            ok = False
        if pct is None:
            ok = False
        else:
            steps.append((limit, pct))
    return steps if ok else None


def _tier_table(p: _Problems, path: str, value: Any) -> TierTable | None:
    table = _table(p, path, value)
    if table is None:
        return None
    _keys(p, path, table, ("tiers", "missing_pct"), ())
    steps = _get(p, path, table, "tiers", lambda *a: _steps(*a, bound="up_to", noun="tier"))
    missing = _get(p, path, table, "missing_pct", _pct)
    if steps is None or missing is None:
        return None
    return TierTable(tuple(Tier(up_to, pct) for up_to, pct in steps), missing)


def _absence_rule(p: _Problems, path: str, value: Any) -> AbsenceRule | None:
    table = _table(p, path, value)
    if table is None:
        return None
    _keys(p, path, table, (), ("counts_as_present", "per_day_pct", "bands"))
    before = len(p.items)
    present = _flag(p, f"{path}.counts_as_present", table.get("counts_as_present", False))
    per_day = _get(p, path, table, "per_day_pct", _pct)
    steps = _get(p, path, table, "bands", lambda *a: _steps(*a, bound="up_to_days", noun="band"))
    if "bands" not in table:
        steps = []
    if len(p.items) > before or steps is None:
        return None
    bands = tuple(Band(up_to, pct) for up_to, pct in steps)
    return AbsenceRule(counts_as_present=bool(present), per_day_pct=per_day, bands=bands)


_TPP_PCT_KEYS = ("cap_pct", "absent_day_pct", "missed_checkpoint_pct", "apel_missed_pct")


def _tpp(p: _Problems, path: str, value: Any) -> TppRules | None:
    table = _table(p, path, value)
    if table is None:
        return None
    required = (*_TPP_PCT_KEYS, "manipulation_zero", "late", "early")
    _keys(p, path, table, required, ("absence",))
    pcts = {k: _pct(p, _join(path, k), table[k]) for k in _TPP_PCT_KEYS if k in table}
    zero = _get(p, path, table, "manipulation_zero", _flag)
    late = _get(p, path, table, "late", _tier_table)
    early = _get(p, path, table, "early", _tier_table)
    absences: dict[str, AbsenceRule] = {}
    absence_table = _table(p, _join(path, "absence"), table.get("absence", {}))
    for kind, entry in (absence_table or {}).items():
        entry_path = _join(path, f"absence.{kind}")
        if kind not in ABSENCE_TYPES:
            p.add(entry_path, f"unknown absence type, expected one of {', '.join(ABSENCE_TYPES)}")
        elif (rule := _absence_rule(p, entry_path, entry)) is not None:
            absences[kind] = rule
    cap, absent_day, missed, apel = (pcts.get(k) for k in _TPP_PCT_KEYS)
    if zero is None or late is None or early is None:
        return None
    if cap is None or absent_day is None or missed is None or apel is None:
        return None
    return TppRules(cap, zero, absent_day, missed, apel, late, early, MappingProxyType(absences))


def _checkpoint(p: _Problems, path: str, value: Any) -> Checkpoint | None:
    table = _table(p, path, value)
    if table is None:
        return None
    _keys(p, path, table, ("code", "kind", "opens", "closes"), ("due", "days"))
    before = len(p.items)
    code = _get(p, path, table, "code", _text)
    if code is not None and (_RESERVED_CODE_RE.fullmatch(code) or code in ABSENCE_TYPES):
        p.add(f"{path}.code", f"{code!r} is reserved for a deduction code")
    kind: CheckpointKind | None = None
    if "kind" in table:
        if table["kind"] in tuple(CheckpointKind):
            kind = CheckpointKind(table["kind"])
        else:
            p.add(f"{path}.kind", f"must be one of in, out, mark, apel, got {table['kind']!r}")
    opens = _get(p, path, table, "opens", _minutes)
    closes = _get(p, path, table, "closes", _minutes)
    if opens is not None and closes is not None and closes < opens:
        p.add(f"{path}.closes", f"must not be before opens ({_hhmm(opens)})")
    due: int | None = None
    if kind in (CheckpointKind.IN, CheckpointKind.OUT) and "due" not in table:
        p.add(f"{path}.due", f"required for kind {kind}")
    elif "due" in table:
        due = _minutes(p, f"{path}.due", table["due"])
        if kind not in (CheckpointKind.IN, CheckpointKind.OUT):
            due = None  # allowed but ignored for mark and apel
        elif (
            due is not None
            and opens is not None
            and closes is not None
            and not (opens <= due <= closes)
        ):
            window = f"{_hhmm(opens)}-{_hhmm(closes)}"
            p.add(f"{path}.due", f"must lie between opens and closes ({window})")
    days = _get(p, path, table, "days", lambda *a: _weekdays(*a, allow_empty=False))
    if len(p.items) > before or code is None or kind is None or opens is None or closes is None:
        return None
    return Checkpoint(code, kind, opens, due, closes, days)


def _checkpoints(p: _Problems, path: str, value: Any) -> tuple[Checkpoint, ...] | None:
    items = _array(p, path, value, noun="tables")
    if items is None:
        return None
    result: list[Checkpoint] = []
    seen: set[str] = set()
    ok = True
    for i, item in enumerate(items):
        cp = _checkpoint(p, f"{path}[{i}]", item)
        if cp is None:
            ok = False
        elif cp.code in seen:
            p.add(f"{path}[{i}].code", f"duplicate checkpoint code {cp.code!r}")
            ok = False
        else:
            seen.add(cp.code)
            result.append(cp)
    return tuple(result) if ok else None


def _when(p: _Problems, path: str, value: Any) -> tuple[str, ...] | None:
    raw = value if isinstance(value, list) else [value]
    if not raw:
        p.add(path, "must not be empty")
        return None
    before = len(p.items)
    conditions: list[str] = []
    for item in raw:
        condition = item.isoformat() if type(item) is date else item
        if not isinstance(condition, str) or not (
            condition in WEEKDAYS or condition == RAMADAN or _is_iso_date(condition)
        ):
            expected = 'expected a weekday (mon..sun), "ramadan" or an ISO date'
            p.add(path, f"unknown condition {item!r}: {expected}")
        elif condition in conditions:
            p.add(path, f"duplicate condition {condition!r}")
        else:
            conditions.append(condition)
    weekdays = [c for c in conditions if c in WEEKDAYS]
    dates = [c for c in conditions if _is_iso_date(c)]
    for group in (weekdays, dates):
        if len(group) > 1:
            never = f"{group[0]!r} and {group[1]!r} can never both hold"
            p.add(path, f"{never} (all conditions must hold)")
    if weekdays and dates and WEEKDAYS[date.fromisoformat(dates[0]).weekday()] != weekdays[0]:
        p.add(path, f"{dates[0]} is not a {weekdays[0]!r}, so the override can never apply")
    return tuple(conditions) if len(p.items) == before else None


def _is_iso_date(text: str) -> bool:
    if not _ISO_DATE_RE.fullmatch(text):
        return False
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _override(p: _Problems, path: str, value: Any) -> Override | None:
    table = _table(p, path, value)
    if table is None:
        return None
    _keys(p, path, table, ("when", "checkpoints"), ())
    when = _get(p, path, table, "when", _when)
    checkpoints = _get(p, path, table, "checkpoints", _checkpoints)
    if when is None or checkpoints is None:
        return None
    return Override(when, checkpoints)


def _schedule(p: _Problems, path: str, value: Any) -> Schedule | None:
    table = _table(p, path, value)
    if table is None:
        return None
    optional: Keys = ("overrides", "works_holidays", "rostered")
    rostered = table.get("rostered") is True
    required: Keys = ("code", "checkpoints", "workdays")
    if rostered:  # every day comes from the roster: weekdays and checkpoints are optional
        optional = (*optional, "workdays", "checkpoints")
        required = ("code",)
    _keys(p, path, table, required, optional)
    before = len(p.items)
    code = _get(p, path, table, "code", _text)
    workdays = _weekdays(p, f"{path}.workdays", table.get("workdays", []), allow_empty=rostered)
    checkpoints: tuple[Checkpoint, ...] | None = ()
    if not rostered or table.get("checkpoints"):
        checkpoints = _get(p, path, table, "checkpoints", _checkpoints)
    overrides: list[Override | None] = []
    if "overrides" in table:
        items = _array(p, f"{path}.overrides", table["overrides"], noun="tables") or []
        overrides = [_override(p, f"{path}.overrides[{i}]", o) for i, o in enumerate(items)]
    works_holidays = _flag(p, f"{path}.works_holidays", table.get("works_holidays", False))
    _flag(p, f"{path}.rostered", table.get("rostered", False))
    if len(p.items) > before or code is None or workdays is None or checkpoints is None:
        return None
    return Schedule(
        code=code,
        workdays=workdays,
        checkpoints=checkpoints,
        overrides=tuple(o for o in overrides if o is not None),
        works_holidays=bool(works_holidays),
        rostered=rostered,
    )


def _region(p: _Problems, path: str, value: Any) -> RegionInfo | None:
    table = _table(p, path, value)
    if table is None:
        return None
    _keys(p, path, table, ("code", "name", "timezone"), ("effective_from",))
    before = len(p.items)
    code = _get(p, path, table, "code", _text)
    name = _get(p, path, table, "name", _text)
    tz = _get(p, path, table, "timezone", _text)
    if tz is not None:
        try:
            ZoneInfo(tz)
        except (ZoneInfoNotFoundError, ValueError, OSError):
            p.add(f"{path}.timezone", f"unknown IANA time zone {tz!r}")
    effective = table.get("effective_from")
    if isinstance(effective, str) and _is_iso_date(effective):
        effective = date.fromisoformat(effective)
    elif effective is not None and (type(effective) is not date or isinstance(effective, datetime)):
        p.add(f"{path}.effective_from", f"must be an ISO date (YYYY-MM-DD), got {effective!r}")
    if len(p.items) > before or code is None or name is None or tz is None:
        return None
    return RegionInfo(code, name, tz, effective)


def parse_ruleset(text: str) -> RuleSet:
    """Parse and validate a rule set; raise `RuleSetError` listing every problem found."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RuleSetError([f"toml: {exc}"]) from exc
    p = _Problems()
    _keys(
        p,
        "",
        data,
        ("region", "tpp"),
        ("schedules", "discipline", "checkin", "verification", "biometrics", "integrity"),
    )
    region = _get(p, "", data, "region", _region)
    tpp = _get(p, "", data, "tpp", _tpp)
    schedules: list[Schedule] = []
    raw_schedules = data.get("schedules", [])
    if not isinstance(raw_schedules, list) or not raw_schedules:
        p.add("schedules", "at least one [[schedules]] table is required")
        raw_schedules = []
    seen: set[str] = set()
    for i, raw in enumerate(raw_schedules):
        schedule = _schedule(p, f"schedules[{i}]", raw)
        if schedule is not None and schedule.code in seen:
            p.add(f"schedules[{i}].code", f"duplicate schedule code {schedule.code!r}")
        elif schedule is not None:
            seen.add(schedule.code)
            schedules.append(schedule)
    discipline = DEFAULT_DISCIPLINE
    if "discipline" in data:
        discipline = parse_discipline(p.add, "discipline", data["discipline"]) or discipline
    checkin = DEFAULT_CHECKIN
    if "checkin" in data:
        checkin = parse_checkin(p.add, "checkin", data["checkin"]) or checkin
    verification = DEFAULT_VERIFICATION
    if "verification" in data:
        verification = (
            parse_verification(p.add, "verification", data["verification"]) or verification
        )
    biometrics = DEFAULT_BIOMETRICS
    if "biometrics" in data:
        biometrics = parse_biometrics(p.add, "biometrics", data["biometrics"]) or biometrics
    integrity = DEFAULT_INTEGRITY
    if "integrity" in data:
        integrity = parse_integrity(p.add, "integrity", data["integrity"]) or integrity
    if p.items or region is None or tpp is None:
        raise RuleSetError(p.items or ["rule set: incomplete"])
    return RuleSet(
        region=region,
        tpp=tpp,
        schedules=tuple(schedules),
        discipline=discipline,
        checkin=checkin,
        verification=verification,
        biometrics=biometrics,
        integrity=integrity,
    )
