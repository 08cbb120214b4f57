"""Rule-set parsing and validation (CONTRACT.md section 4). No database."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from hadir.tpp.ruleset import (
    ABSENCE_TYPES,
    AbsenceRule,
    Band,
    Checkpoint,
    CheckpointKind,
    Override,
    RuleSetError,
    Schedule,
    Tier,
    TierTable,
    parse_ruleset,
)

# The example of CONTRACT.md section 4, with real Friday checkpoints in place of "...".
CONTRACT_EXAMPLE = """
[region]
code = "6408"                 # BPS code
name = "Kabupaten Kutai Timur"
timezone = "Asia/Makassar"

[tpp]
cap_pct = 100
manipulation_zero = true
absent_day_pct = 3.0
missed_checkpoint_pct = 0.5
apel_missed_pct = 0.5
late  = { tiers = [{up_to = 30, pct = 0.5}, {up_to = 60, pct = 1.0}, {up_to = 90, pct = 1.25}, {pct = 1.5}], missing_pct = 1.5 }
early = { tiers = [{up_to = 30, pct = 0.5}, {up_to = 60, pct = 1.0}, {up_to = 90, pct = 1.25}, {pct = 1.5}], missing_pct = 1.5 }

[tpp.absence.dinas_luar]
counts_as_present = true
[tpp.absence.sakit]
bands = [{up_to_days = 2, pct = 0}, {up_to_days = 14, pct = 25}, {pct = 50}]
[tpp.absence.izin]
per_day_pct = 1.0

[[schedules]]
code = "5hk"
workdays = ["mon", "tue", "wed", "thu", "fri"]
checkpoints = [
  {code = "masuk",   kind = "in",   opens = "06:00", due = "07:30", closes = "12:00"},
  {code = "ist_out", kind = "mark", opens = "11:45",                 closes = "12:15"},
  {code = "ist_in",  kind = "mark", opens = "12:45",                 closes = "13:15"},
  {code = "pulang",  kind = "out",  opens = "13:15", due = "16:00", closes = "23:59"},
  {code = "apel",    kind = "apel", opens = "07:15",                 closes = "07:45", days = ["mon"]},
]
[[schedules.overrides]]
when = "fri"
checkpoints = [
  {code = "masuk",   kind = "in",   opens = "06:00", due = "07:30", closes = "11:15"},
  {code = "ist_out", kind = "mark", opens = "11:15",                 closes = "11:45"},
  {code = "ist_in",  kind = "mark", opens = "12:45",                 closes = "13:15"},
  {code = "pulang",  kind = "out",  opens = "13:15", due = "16:30", closes = "23:59"},
]
"""  # noqa: E501

# Ramadan hours (RULEBOOK.md section 2), a night shift crossing midnight and a rostered schedule.
MORE_SCHEDULES = """
[[schedules.overrides]]
when = "ramadan"
checkpoints = [
  {code = "masuk",  kind = "in",  opens = "06:00", due = "08:00", closes = "12:00"},
  {code = "pulang", kind = "out", opens = "13:00", due = "15:00", closes = "23:59"},
]
[[schedules.overrides]]
when = ["fri", "ramadan"]
checkpoints = [
  {code = "masuk",  kind = "in",  opens = "06:00", due = "08:00", closes = "12:00"},
  {code = "pulang", kind = "out", opens = "13:00", due = "15:30", closes = "23:59"},
]

[[schedules]]
code = "malam"
workdays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
works_holidays = true
checkpoints = [
  {code = "masuk",  kind = "in",  opens = "17:00", due = "19:00", closes = "23:00"},
  {code = "pulang", kind = "out", opens = "29:00", due = "31:00", closes = "35:00"},
]

[[schedules]]
code = "rs"
rostered = true
checkpoints = [
  {code = "masuk",  kind = "in",  opens = "06:00", due = "07:00", closes = "10:00"},
  {code = "pulang", kind = "out", opens = "12:00", due = "14:00", closes = "20:00"},
]
"""

FULL_EXAMPLE = CONTRACT_EXAMPLE + MORE_SCHEDULES


def _variant(old: str, new: str, text: str = CONTRACT_EXAMPLE) -> str:
    """The example with exactly one occurrence of `old` replaced by `new`."""
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
    return text.replace(old, new)


def _problems(text: str) -> list[str]:
    with pytest.raises(RuleSetError) as caught:
        parse_ruleset(text)
    return caught.value.problems


def test_it_parses_the_contract_example() -> None:
    rules = parse_ruleset(CONTRACT_EXAMPLE)
    assert (rules.region.code, rules.region.name) == ("6408", "Kabupaten Kutai Timur")
    assert rules.region.timezone == "Asia/Makassar"
    assert rules.region.tz.key == "Asia/Makassar"
    assert rules.region.effective_from is None
    tpp = rules.tpp
    assert tpp.cap_pct == Decimal(100)
    assert tpp.manipulation_zero is True
    assert (tpp.absent_day_pct, tpp.missed_checkpoint_pct, tpp.apel_missed_pct) == (
        Decimal("3.0"),
        Decimal("0.5"),
        Decimal("0.5"),
    )
    tiers = (
        Tier(30, Decimal("0.5")),
        Tier(60, Decimal("1.0")),
        Tier(90, Decimal("1.25")),
        Tier(None, Decimal("1.5")),
    )
    assert tpp.late == TierTable(tiers, Decimal("1.5"))
    assert tpp.early == TierTable(tiers, Decimal("1.5"))
    assert dict(tpp.absences) == {
        "dinas_luar": AbsenceRule(counts_as_present=True),
        "sakit": AbsenceRule(
            bands=(Band(2, Decimal(0)), Band(14, Decimal(25)), Band(None, Decimal(50)))
        ),
        "izin": AbsenceRule(per_day_pct=Decimal("1.0")),
    }
    schedule = rules.default_schedule
    assert schedule.code == "5hk"
    assert schedule.workdays == frozenset({0, 1, 2, 3, 4})
    assert (schedule.works_holidays, schedule.rostered) == (False, False)
    assert schedule.checkpoints[0] == Checkpoint("masuk", CheckpointKind.IN, 360, 450, 720, None)
    assert schedule.checkpoints[1] == Checkpoint(
        "ist_out", CheckpointKind.MARK, 705, None, 735, None
    )
    assert schedule.checkpoints[4] == Checkpoint(
        "apel", CheckpointKind.APEL, 435, None, 465, frozenset({0})
    )
    assert [cp.code for cp in schedule.checkpoints] == [
        "masuk",
        "ist_out",
        "ist_in",
        "pulang",
        "apel",
    ]
    (friday,) = schedule.overrides
    assert friday.when == ("fri",)
    assert friday.checkpoints[3] == Checkpoint("pulang", CheckpointKind.OUT, 795, 990, 1439)
    assert rules.checkpoint_codes() == frozenset({"masuk", "ist_out", "ist_in", "pulang", "apel"})


def test_it_parses_night_shifts_rostered_schedules_and_native_toml_values() -> None:
    rules = parse_ruleset(FULL_EXAMPLE)
    assert [s.code for s in rules.schedules] == ["5hk", "malam", "rs"]
    night = rules.schedule("malam")
    assert night.works_holidays is True
    assert night.checkpoints[1] == Checkpoint("pulang", CheckpointKind.OUT, 1740, 1860, 2100)
    rostered = rules.schedule("rs")
    assert (rostered.rostered, rostered.workdays) == (True, frozenset())
    native = _variant(
        'opens = "06:00", due = "07:30", closes = "12:00"',
        "opens = 06:00:00, due = 07:30:00, closes = 12:00:00",
    )
    native = _variant(
        'timezone = "Asia/Makassar"',
        'timezone = "Asia/Makassar"\neffective_from = 2026-01-01',
        native,
    )
    parsed = parse_ruleset(_variant('when = "fri"', "when = [2026-01-02]", native))
    assert parsed.default_schedule.checkpoints[0].due == 450
    assert parsed.region.effective_from == date(2026, 1, 1)
    assert parsed.default_schedule.overrides[0].when == ("2026-01-02",)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("2026-07-01", date(2026, 7, 1)), ("2024-02-29", date(2024, 2, 29))],
)
def test_it_reads_effective_from_as_an_iso_string(value: str, expected: date) -> None:
    text = _variant(
        'timezone = "Asia/Makassar"', f'timezone = "Asia/Makassar"\neffective_from = "{value}"'
    )
    assert parse_ruleset(text).region.effective_from == expected


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("00:00", 0),
        ("07:30", 450),
        ("23:59", 1439),
        ("24:00", 1440),
        ("31:00", 1860),
        ("47:59", 2879),
    ],
)
def test_it_reads_times_past_midnight(text: str, minutes: int) -> None:
    toml = _variant(
        'opens = "13:15", due = "16:00", closes = "23:59"',
        f'opens = "00:00", due = "00:00", closes = "{text}"',
    )
    assert parse_ruleset(toml).default_schedule.checkpoints[3].closes == minutes


LATE = TierTable(
    (
        Tier(30, Decimal("0.5")),
        Tier(60, Decimal(1)),
        Tier(90, Decimal("1.25")),
        Tier(None, Decimal("1.5")),
    ),
    Decimal("1.5"),
)
BOUNDED = TierTable((Tier(10, Decimal(1)), Tier(20, Decimal(2))), Decimal(3))


@pytest.mark.parametrize(
    ("table", "minutes", "tier"),
    [
        (LATE, -5, None),
        (LATE, 0, None),
        (LATE, 1, 1),
        (LATE, 30, 1),
        (LATE, 31, 2),
        (LATE, 60, 2),
        (LATE, 61, 3),
        (LATE, 90, 3),
        (LATE, 91, 4),
        (LATE, 600, 4),
        (BOUNDED, 10, 1),
        (BOUNDED, 11, 2),
        (BOUNDED, 20, 2),
        (BOUNDED, 21, 2),
        (BOUNDED, 999, 2),
    ],
)
def test_it_finds_the_tier_of_minutes(table: TierTable, minutes: int, tier: int | None) -> None:
    assert table.tier_of(minutes) == tier


@pytest.mark.parametrize(("index", "pct"), [(1, "0.5"), (2, "1"), (3, "1.25"), (4, "1.5")])
def test_it_gives_the_pct_of_a_tier(index: int, pct: str) -> None:
    assert LATE.pct_of_tier(index) == Decimal(pct)


@pytest.mark.parametrize("index", [0, 5, -1])
def test_it_refuses_a_tier_out_of_range(index: int) -> None:
    with pytest.raises(ValueError, match=r"out of range 1\.\.4"):
        LATE.pct_of_tier(index)


SAKIT = AbsenceRule(bands=(Band(2, Decimal(0)), Band(14, Decimal(25)), Band(None, Decimal(50))))
CAPPED = AbsenceRule(bands=(Band(2, Decimal(5)), Band(14, Decimal(25))))


@pytest.mark.parametrize(
    ("rule", "days", "pct"),
    [
        (SAKIT, 0, 0),
        (SAKIT, 1, 0),
        (SAKIT, 2, 0),
        (SAKIT, 3, 25),
        (SAKIT, 14, 25),
        (SAKIT, 15, 50),
        (SAKIT, 31, 50),
        (CAPPED, 0, 0),
        (CAPPED, 1, 5),
        (CAPPED, 2, 5),
        (CAPPED, 3, 25),
        (CAPPED, 20, 25),
        (AbsenceRule(per_day_pct=Decimal(1)), 5, 0),
    ],
)
def test_it_finds_the_band_pct_of_days(rule: AbsenceRule, days: int, pct: int) -> None:
    assert rule.band_pct(days) == Decimal(pct)


def _cps(code: str) -> tuple[Checkpoint, ...]:
    return (Checkpoint(code, CheckpointKind.MARK, 0, None, 60),)


PRECEDENCE = Schedule(
    code="x",
    workdays=frozenset(range(7)),
    checkpoints=_cps("base"),
    overrides=(
        Override(("fri",), _cps("fri")),
        Override(("ramadan",), _cps("ramadan")),
        Override(("mon",), _cps("mon")),
        Override(("fri", "ramadan"), _cps("fri+ramadan")),
        Override(("2026-03-06",), _cps("date")),  # a Friday
        Override(("2026-01-05",), _cps("date-early")),
        Override(("2026-01-05",), _cps("date-late")),  # same specificity, later in the file
        Override(("mon",), _cps("mon-late")),
    ),
)


@pytest.mark.parametrize(
    ("day", "ramadan", "expected"),
    [
        (date(2026, 1, 6), False, "base"),  # a Tuesday, no override
        (date(2026, 1, 9), False, "fri"),
        (date(2026, 2, 24), True, "ramadan"),  # a Tuesday in Ramadan
        (date(2026, 2, 23), True, "ramadan"),  # Monday in Ramadan: ramadan beats a weekday
        (date(2026, 2, 20), True, "fri+ramadan"),  # more conditions beat fewer
        (date(2026, 3, 6), True, "date"),  # a date beats everything else
        (date(2026, 3, 6), False, "date"),
        (date(2026, 1, 5), False, "date-late"),  # ties go to the later override
        (date(2026, 1, 12), False, "mon-late"),
    ],
)
def test_it_picks_the_most_specific_override(day: date, ramadan: bool, expected: str) -> None:
    (cp,) = PRECEDENCE.checkpoints_for(day, ramadan=ramadan)
    assert cp.code == expected


def test_it_applies_the_friday_override_of_the_example() -> None:
    schedule = parse_ruleset(FULL_EXAMPLE).default_schedule
    thursday = schedule.checkpoints_for(date(2026, 1, 8), ramadan=False)
    friday = schedule.checkpoints_for(date(2026, 1, 9), ramadan=False)
    ramadan_friday = schedule.checkpoints_for(date(2026, 2, 20), ramadan=True)
    assert [cp.due for cp in thursday if cp.kind == CheckpointKind.OUT] == [960]
    assert [cp.due for cp in friday if cp.kind == CheckpointKind.OUT] == [990]
    assert [cp.due for cp in ramadan_friday if cp.kind == CheckpointKind.OUT] == [930]


def test_it_looks_up_schedules_by_code() -> None:
    rules = parse_ruleset(FULL_EXAMPLE)
    assert rules.schedule("rs").rostered is True
    with pytest.raises(LookupError, match=r"6408 has no schedule 'nope' \(known: 5hk, malam, rs\)"):
        rules.schedule("nope")


def test_it_exposes_the_absence_types_of_the_contract() -> None:
    assert len(ABSENCE_TYPES) == 11
    assert {"cuti_tahunan", "sakit", "dinas_luar", "tugas_belajar"} <= set(ABSENCE_TYPES)


def test_it_allows_bands_and_a_per_day_pct_together_and_ignores_due_on_marks() -> None:
    text = _variant("per_day_pct = 1.0", "per_day_pct = 1.0\nbands = [{pct = 2}]")
    text = _variant(
        'opens = "11:45",                 closes = "12:15"',
        'opens = "11:45", due = "12:00", closes = "12:15"',
        text,
    )
    rules = parse_ruleset(text)
    assert rules.tpp.absences["izin"] == AbsenceRule(
        per_day_pct=Decimal("1.0"), bands=(Band(None, Decimal(2)),)
    )
    assert rules.default_schedule.checkpoints[1].due is None


def test_it_reports_toml_syntax_errors_with_their_line() -> None:
    problems = _problems(_variant('name = "Kabupaten Kutai Timur"', "name = Kutai"))
    assert len(problems) == 1
    assert problems[0].startswith("toml: ")
    assert "line 4" in problems[0]


def test_it_reports_every_problem_at_once() -> None:
    text = _variant("cap_pct = 100", "cap_pct = 120")
    text = _variant('timezone = "Asia/Makassar"', 'timezone = "WITA"', text)
    text = _variant('kind = "mark", opens = "11:45"', 'kind = "break", opens = "11:45"', text)
    with pytest.raises(RuleSetError) as caught:
        parse_ruleset(text)
    assert caught.value.problems == [
        "region.timezone: unknown IANA time zone 'WITA'",
        "tpp.cap_pct: must be between 0 and 100, got 120",
        "schedules[0].checkpoints[1].kind: must be one of in, out, mark, apel, got 'break'",
    ]
    assert str(caught.value).startswith("invalid rule set:\n  region.timezone: unknown")


REQUIRED_TPP_LINES = {
    "cap_pct": "cap_pct = 100\n",
    "manipulation_zero": "manipulation_zero = true\n",
    "absent_day_pct": "absent_day_pct = 3.0\n",
    "missed_checkpoint_pct": "missed_checkpoint_pct = 0.5\n",
    "apel_missed_pct": "apel_missed_pct = 0.5\n",
    "late": CONTRACT_EXAMPLE.split("late  = ")[1].split("\n")[0],
    "early": CONTRACT_EXAMPLE.split("early = ")[1].split("\n")[0],
}


@pytest.mark.parametrize("key", sorted(REQUIRED_TPP_LINES))
def test_it_requires_every_tpp_key(key: str) -> None:
    prefix = {"late": "late  = ", "early": "early = "}.get(key, "")
    text = _variant(prefix + REQUIRED_TPP_LINES[key], "")
    assert _problems(text) == [f"tpp.{key}: missing required key"]


def test_it_reports_a_typo_as_an_unknown_key_and_a_missing_key() -> None:
    text = _variant("absent_day_pct = 3.0", "absent_day_pc = 3.0")
    assert _problems(text) == [
        "tpp.absent_day_pct: missing required key",
        "tpp.absent_day_pc: unknown key",
    ]


REGION_BLOCK = CONTRACT_EXAMPLE.split("[tpp]")[0].split("\n[region]")[1]
LATE_LINE = "late  = " + CONTRACT_EXAMPLE.split("\nlate  = ")[1].split("\n")[0]
EARLY_LINE = "early = " + CONTRACT_EXAMPLE.split("\nearly = ")[1].split("\n")[0]
MASUK = '{code = "masuk",   kind = "in",   opens = "06:00", due = "07:30", closes = "12:00"}'
IST_OUT = '{code = "ist_out", kind = "mark", opens = "11:45",                 closes = "12:15"}'
PULANG = '{code = "pulang",  kind = "out",  opens = "13:15", due = "16:00", closes = "23:59"}'
APEL = '{code = "apel",    kind = "apel", opens = "07:15",                 closes = "07:45", days'
TZ = 'timezone = "Asia/Makassar"'
WORKDAYS = 'workdays = ["mon", "tue", "wed", "thu", "fri"]'
BANDS = "bands = [{up_to_days = 2, pct = 0}, {up_to_days = 14, pct = 25}, {pct = 50}]"
HHMM = 'must be a time "HH:MM" with HH 00..47, got'
CP = "schedules[0].checkpoints"
WHEN = "schedules[0].overrides[0].when"
FRI = 'when = "fri"'
NEVER = "(all conditions must hold)"
EXPECTED_WEEKDAY = "expected one of mon, tue, wed, thu, fri, sat, sun"
EXPECTED_CONDITION = 'expected a weekday (mon..sun), "ramadan" or an ISO date'


def _tiers(tiers: str, missing: str = "1.5") -> str:
    return f"{{ tiers = [{tiers}], missing_pct = {missing} }}"


def _ist_out(**values: str) -> str:
    fields = {"code": '"ist_out"', "kind": '"mark"', "opens": '"11:45"', "closes": '"12:15"'}
    fields.update(values)
    return "{" + ", ".join(f"{k} = {v}" for k, v in fields.items() if v) + "}"


INVALID = [
    # region
    ("[region]" + REGION_BLOCK, "", "region: missing required key"),
    ('code = "6408"                 # BPS code\n', "", "region.code: missing required key"),
    ('name = "Kabupaten Kutai Timur"', 'name = ""', "region.name: must be a non-empty string"),
    ('code = "6408" ', "code = 6408 ", "region.code: must be a non-empty string"),
    (TZ, 'timezone = "Asia/Atlantis"', "region.timezone: unknown IANA time zone 'Asia/Atlantis'"),
    (TZ, 'timezone = ""', "region.timezone: must be a non-empty string"),
    (TZ, TZ + '\nkode = "x"', "region.kode: unknown key"),
    (
        TZ,
        TZ + '\neffective_from = "2026-13-01"',
        "region.effective_from: must be an ISO date (YYYY-MM-DD), got '2026-13-01'",
    ),
    (
        TZ,
        TZ + "\neffective_from = 2026-01-01T00:00:00",
        "region.effective_from: must be an ISO date (YYYY-MM-DD), "
        "got datetime.datetime(2026, 1, 1, 0, 0)",
    ),
    ("[region]", "[extra]\na = 1\n[region]", "extra: unknown key"),
    ("[region]", "region = 1\n[x]", "region: must be a table"),
    # tpp numbers
    ("cap_pct = 100", "cap_pct = 100.5", "tpp.cap_pct: must be between 0 and 100, got 100.5"),
    (
        "absent_day_pct = 3.0",
        "absent_day_pct = -1",
        "tpp.absent_day_pct: must be between 0 and 100, got -1",
    ),
    ("absent_day_pct = 3.0", 'absent_day_pct = "3%"', "tpp.absent_day_pct: must be a number"),
    ("absent_day_pct = 3.0", "absent_day_pct = true", "tpp.absent_day_pct: must be a number"),
    ("absent_day_pct = 3.0", "absent_day_pct = nan", "tpp.absent_day_pct: must be a number"),
    ("apel_missed_pct = 0.5", "apel_missed_pct = inf", "tpp.apel_missed_pct: must be a number"),
    (
        "missed_checkpoint_pct = 0.5",
        "missed_checkpoint_pct = [0.5]",
        "tpp.missed_checkpoint_pct: must be a number",
    ),
    (
        "manipulation_zero = true",
        'manipulation_zero = "yes"',
        "tpp.manipulation_zero: must be true or false",
    ),
    ("apel_missed_pct = 0.5", "apel_missed_pct = 0.5\nbonus_pct = 1", "tpp.bonus_pct: unknown key"),
    # tiers
    (
        LATE_LINE,
        "late  = " + _tiers("{up_to = 30, pct = 0.5}, {up_to = 30, pct = 1}, {pct = 1.5}"),
        "tpp.late.tiers[1].up_to: must be greater than 30",
    ),
    (
        LATE_LINE,
        "late  = " + _tiers("{up_to = 30, pct = 0}, {up_to = 60, pct = 1}, {up_to = 45}"),
        "tpp.late.tiers[2].up_to: must be greater than 60",
    ),
    (
        LATE_LINE,
        "late  = " + _tiers("{up_to = 30, pct = 0.5}, {pct = 1}, {pct = 1.5}"),
        "tpp.late.tiers[1]: only the last tier may omit up_to",
    ),
    (
        LATE_LINE,
        "late  = " + _tiers("{up_to = 0, pct = 0.5}"),
        "tpp.late.tiers[0].up_to: must be a positive integer, got 0",
    ),
    (
        LATE_LINE,
        "late  = " + _tiers("{up_to = 30.5, pct = 0.5}"),
        "tpp.late.tiers[0].up_to: must be a positive integer, got 30.5",
    ),
    (LATE_LINE, "late  = " + _tiers("{up_to = 30}"), "tpp.late.tiers[0].pct: missing required key"),
    (
        LATE_LINE,
        "late  = " + _tiers("{up_to = 30, pct = 101}"),
        "tpp.late.tiers[0].pct: must be between 0 and 100, got 101",
    ),
    (
        LATE_LINE,
        "late  = " + _tiers("{upto = 30, pct = 0.5}"),
        "tpp.late.tiers[0].upto: unknown key",
    ),
    (LATE_LINE, "late  = " + _tiers("1, {pct = 1.5}"), "tpp.late.tiers[0]: must be a table"),
    (
        LATE_LINE,
        "late  = { tiers = [{pct = 1.5}], missing_pct = 1.5, max = 2 }",
        "tpp.late.max: unknown key",
    ),
    (LATE_LINE, "late  = 5", "tpp.late: must be a table"),
    (EARLY_LINE, "early = " + _tiers(""), "tpp.early.tiers: must not be empty"),
    (
        EARLY_LINE,
        'early = { tiers = "30/60/90", missing_pct = 1.5 }',
        "tpp.early.tiers: must be an array of tables",
    ),
    (
        EARLY_LINE,
        "early = { tiers = [{pct = 1.5}] }",
        "tpp.early.missing_pct: missing required key",
    ),
    (
        EARLY_LINE,
        "early = " + _tiers("{pct = 1.5}", missing="101"),
        "tpp.early.missing_pct: must be between 0 and 100, got 101",
    ),
    # absences
    (
        "[tpp.absence.izin]",
        "[tpp.absence.cuti_hamil]",
        "tpp.absence.cuti_hamil: unknown absence type, expected one of cuti_tahunan, cuti_sakit, "
        "cuti_besar, cuti_melahirkan, cuti_alasan_penting, cltn, izin, sakit, dinas_luar, "
        "perjalanan_dinas, tugas_belajar",
    ),
    ("per_day_pct = 1.0", "per_day = 1.0", "tpp.absence.izin.per_day: unknown key"),
    (
        "per_day_pct = 1.0",
        "per_day_pct = -2",
        "tpp.absence.izin.per_day_pct: must be between 0 and 100, got -2",
    ),
    (
        "counts_as_present = true",
        "counts_as_present = 1",
        "tpp.absence.dinas_luar.counts_as_present: must be true or false",
    ),
    (
        BANDS,
        "bands = [{pct = 0}, {pct = 25}]",
        "tpp.absence.sakit.bands[0]: only the last band may omit up_to_days",
    ),
    (
        BANDS,
        "bands = [{up_to_days = 2, pct = 0}, {up_to_days = 2, pct = 25}]",
        "tpp.absence.sakit.bands[1].up_to_days: must be greater than 2",
    ),
    (
        BANDS,
        "bands = [{up_to_days = 2, pct = 0}, {up_to_days = 14, pct = 125}]",
        "tpp.absence.sakit.bands[1].pct: must be between 0 and 100, got 125",
    ),
    (
        BANDS,
        "bands = [{up_to_days = -1, pct = 0}]",
        "tpp.absence.sakit.bands[0].up_to_days: must be a positive integer, got -1",
    ),
    (BANDS, "bands = []", "tpp.absence.sakit.bands: must not be empty"),
    (
        "[tpp.absence.izin]\nper_day_pct = 1.0",
        "[tpp.absence]\nizin = 1",
        "tpp.absence.izin: must be a table",
    ),
    # schedules
    ('code = "5hk"', 'code = ""', "schedules[0].code: must be a non-empty string"),
    ('code = "5hk"\n', "", "schedules[0].code: missing required key"),
    (WORKDAYS + "\n", "", "schedules[0].workdays: missing required key"),
    (
        WORKDAYS,
        "workdays = []",
        "schedules[0].workdays: must be a non-empty array of weekdays (mon..sun)",
    ),
    (
        WORKDAYS,
        'workdays = "mon-fri"',
        "schedules[0].workdays: must be a non-empty array of weekdays (mon..sun)",
    ),
    (
        '"thu", "fri"]',
        '"thu", "friday"]',
        f"schedules[0].workdays[4]: unknown weekday 'friday', {EXPECTED_WEEKDAY}",
    ),
    ('"thu", "fri"]', '"thu", "thu"]', "schedules[0].workdays[4]: duplicate weekday 'thu'"),
    ('code = "5hk"', 'code = "5hk"\nworkday = ["sat"]', "schedules[0].workday: unknown key"),
    (
        'code = "5hk"',
        'code = "5hk"\nworks_holidays = "no"',
        "schedules[0].works_holidays: must be true or false",
    ),
    ('code = "5hk"', 'code = "5hk"\nrostered = 1', "schedules[0].rostered: must be true or false"),
    # checkpoints
    (IST_OUT, _ist_out(code='"masuk"'), f"{CP}[1].code: duplicate checkpoint code 'masuk'"),
    (IST_OUT, _ist_out(code='""'), f"{CP}[1].code: must be a non-empty string"),
    (
        IST_OUT,
        _ist_out(kind='"break"'),
        f"{CP}[1].kind: must be one of in, out, mark, apel, got 'break'",
    ),
    (IST_OUT, _ist_out(kind=""), f"{CP}[1].kind: missing required key"),
    (MASUK, MASUK.replace('due = "07:30", ', ""), f"{CP}[0].due: required for kind in"),
    (PULANG, PULANG.replace('due = "16:00", ', ""), f"{CP}[3].due: required for kind out"),
    (
        MASUK,
        MASUK.replace("07:30", "05:59"),
        f"{CP}[0].due: must lie between opens and closes (06:00-12:00)",
    ),
    (
        PULANG,
        PULANG.replace('"16:00"', '"24:00"'),
        f"{CP}[3].due: must lie between opens and closes (13:15-23:59)",
    ),
    (MASUK, MASUK.replace('"07:30"', '"7:30"'), f"{CP}[0].due: {HHMM} '7:30'"),
    (IST_OUT, _ist_out(closes='"11:44"'), f"{CP}[1].closes: must not be before opens (11:45)"),
    (IST_OUT, _ist_out(closes='"7:30"'), f"{CP}[1].closes: {HHMM} '7:30'"),
    (IST_OUT, _ist_out(closes='"12:60"'), f"{CP}[1].closes: {HHMM} '12:60'"),
    (IST_OUT, _ist_out(closes='"48:00"'), f"{CP}[1].closes: {HHMM} '48:00'"),
    (IST_OUT, _ist_out(closes='"12:15:00"'), f"{CP}[1].closes: {HHMM} '12:15:00'"),
    (IST_OUT, _ist_out(opens="1145"), f"{CP}[1].opens: {HHMM} 1145"),
    (IST_OUT, _ist_out(opens="11:45:30"), f"{CP}[1].opens: {HHMM} datetime.time(11, 45, 30)"),
    (IST_OUT, _ist_out(opens=""), f"{CP}[1].opens: missing required key"),
    (IST_OUT, _ist_out(closes=""), f"{CP}[1].closes: missing required key"),
    (
        IST_OUT,
        _ist_out(days='["monday"]'),
        f"{CP}[1].days[0]: unknown weekday 'monday', {EXPECTED_WEEKDAY}",
    ),
    (
        IST_OUT,
        _ist_out(days="[]"),
        f"{CP}[1].days: must be a non-empty array of weekdays (mon..sun)",
    ),
    (IST_OUT, _ist_out(window="30"), f"{CP}[1].window: unknown key"),
    (IST_OUT, _ist_out(code='"TK"'), f"{CP}[1].code: 'TK' is reserved for a deduction code"),
    (IST_OUT, _ist_out(code='"TL1"'), f"{CP}[1].code: 'TL1' is reserved for a deduction code"),
    (IST_OUT, _ist_out(code='"PSW2"'), f"{CP}[1].code: 'PSW2' is reserved for a deduction code"),
    (IST_OUT, _ist_out(code='"izin"'), f"{CP}[1].code: 'izin' is reserved for a deduction code"),
    (IST_OUT, "7", f"{CP}[1]: must be a table"),
    (
        "checkpoints = [\n  " + MASUK,
        "checkpoints = []\nx = [\n  " + MASUK,
        f"{CP}: must not be empty",
    ),
    # overrides
    (FRI, 'when = "friday"', f"{WHEN}: unknown condition 'friday': {EXPECTED_CONDITION}"),
    (FRI, 'when = "Fri"', f"{WHEN}: unknown condition 'Fri': {EXPECTED_CONDITION}"),
    (FRI, 'when = "2026-02-30"', f"{WHEN}: unknown condition '2026-02-30': {EXPECTED_CONDITION}"),
    (FRI, 'when = "20260105"', f"{WHEN}: unknown condition '20260105': {EXPECTED_CONDITION}"),
    (FRI, "when = 5", f"{WHEN}: unknown condition 5: {EXPECTED_CONDITION}"),
    (FRI, "when = []", f"{WHEN}: must not be empty"),
    (FRI, 'when = ["fri", "fri"]', f"{WHEN}: duplicate condition 'fri'"),
    (FRI, 'when = ["mon", "tue"]', f"{WHEN}: 'mon' and 'tue' can never both hold {NEVER}"),
    (
        FRI,
        'when = ["2026-01-05", "2026-01-06"]',
        f"{WHEN}: '2026-01-05' and '2026-01-06' can never both hold {NEVER}",
    ),
    (
        FRI,
        'when = ["fri", "2026-01-05"]',
        f"{WHEN}: 2026-01-05 is not a 'fri', so the override can never apply",
    ),
    ('when = "fri"\n', "", f"{WHEN}: missing required key"),
    (
        'when = "fri"\ncheckpoints = [',
        'when = "fri"\nchekpoints = [',
        "schedules[0].overrides[0].checkpoints: missing required key",
    ),
    (FRI, 'when = "fri"\nlabel = "Jumat"', "schedules[0].overrides[0].label: unknown key"),
]


@pytest.mark.parametrize(("old", "new", "expected"), INVALID, ids=[e for _, _, e in INVALID])
def test_it_reports_each_validation_problem(old: str, new: str, expected: str) -> None:
    problems = _problems(_variant(old, new))
    assert expected in problems, problems


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (CONTRACT_EXAMPLE.split("[[schedules]]")[0],
         "schedules: at least one [[schedules]] table is required"),
        (CONTRACT_EXAMPLE.split("[[schedules]]")[0] + "schedules = []",
         "schedules: at least one [[schedules]] table is required"),
        (CONTRACT_EXAMPLE + '[[schedules]]\ncode = "5hk"\nworkdays = ["sat"]\ncheckpoints = ['
         '{code = "m", kind = "mark", opens = "08:00", closes = "09:00"}]\n',
         "schedules[1].code: duplicate schedule code '5hk'"),
        (CONTRACT_EXAMPLE.split("[tpp]")[0] + "[[schedules]]"
         + CONTRACT_EXAMPLE.split("[[schedules]]")[1], "tpp: missing required key"),
        (CONTRACT_EXAMPLE.split("[tpp.absence")[0] + "absence = 3\n[[schedules]]"
         + CONTRACT_EXAMPLE.split("[[schedules]]")[1], "tpp.absence: must be a table"),
        (CONTRACT_EXAMPLE + "[[schedules]]\n", "schedules[1].code: missing required key"),
        (CONTRACT_EXAMPLE.replace("[[schedules]]", "[schedules]").split("[[schedules.")[0],
         "schedules: at least one [[schedules]] table is required"),
        ("schedules = [1]\n" + CONTRACT_EXAMPLE.split("[[schedules]]")[0],
         "schedules[0]: must be a table"),
    ],
)  # fmt: skip
def test_it_reports_problems_of_whole_tables(text: str, expected: str) -> None:
    assert expected in _problems(text)


def test_it_accepts_a_rostered_schedule_without_workdays_and_checks_one_with_them() -> None:
    bad = MORE_SCHEDULES.replace("rostered = true", 'rostered = true\nworkdays = ["xyz"]')
    assert (
        "schedules[2].workdays[0]: unknown weekday 'xyz', expected one of mon, tue, wed, "
        "thu, fri, sat, sun" in _problems(CONTRACT_EXAMPLE + bad)
    )
    assert parse_ruleset(CONTRACT_EXAMPLE + MORE_SCHEDULES).schedule("rs").workdays == frozenset()
