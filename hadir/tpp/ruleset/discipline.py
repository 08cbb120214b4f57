"""The optional `[discipline]` table of a rule set: thresholds of the warning ladder and the
PP 94/2021 yearly tally (RULEBOOK.md sections 5 and 6). Every key has the RULEBOOK default, so a
rule set without the table gets the regulation's ladder.

```toml
[discipline]
warn_after_days = 3           # consecutive working days TK -> warning to the employee
clarify_within_days = 10      # days to clarify -> else reprimand to the atasan
opd_action_within_days = 28   # calendar days for the OPD to act -> else Pasal 28 recommendation
heavy_consecutive_days = 10   # consecutive working days TK -> the heavy case (dismissal)
convert_minutes = true        # late + early minutes count as TK days ...
minutes_per_day = 450         # ... every 7.5 hours one day
tally = [{from_days = 3, sanction = "teguran_lisan"}, ...]   # PP 94/2021 Pasal 9-11 table
```
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hadir.tpp.ruleset.tables import table_open

SANCTIONS: dict[str, str] = {
    "teguran_lisan": "ringan",
    "teguran_tertulis": "ringan",
    "pernyataan_tidak_puas": "ringan",
    "potongan_tpp_6_bulan": "sedang",
    "potongan_tpp_9_bulan": "sedang",
    "potongan_tpp_12_bulan": "sedang",
    "penurunan_jabatan": "berat",
    "pembebasan_jabatan": "berat",
    "pemberhentian": "berat",
}


@dataclass(frozen=True, slots=True)
class TallyStep:
    from_days: int
    sanction: str

    @property
    def level(self) -> str:
        return SANCTIONS[self.sanction]


DEFAULT_TALLY: tuple[TallyStep, ...] = (
    TallyStep(3, "teguran_lisan"),
    TallyStep(4, "teguran_tertulis"),
    TallyStep(7, "pernyataan_tidak_puas"),
    TallyStep(11, "potongan_tpp_6_bulan"),
    TallyStep(14, "potongan_tpp_9_bulan"),
    TallyStep(17, "potongan_tpp_12_bulan"),
    TallyStep(21, "penurunan_jabatan"),
    TallyStep(25, "pembebasan_jabatan"),
    TallyStep(28, "pemberhentian"),
)


@dataclass(frozen=True, slots=True)
class DisciplineRules:
    warn_after_days: int = 3
    clarify_within_days: int = 10
    opd_action_within_days: int = 28
    heavy_consecutive_days: int = 10
    convert_minutes: bool = True
    minutes_per_day: int = 450
    tally: tuple[TallyStep, ...] = DEFAULT_TALLY


DEFAULT_DISCIPLINE = DisciplineRules()
_INT_KEYS = (
    "warn_after_days",
    "clarify_within_days",
    "opd_action_within_days",
    "heavy_consecutive_days",
    "minutes_per_day",
)


def parse_discipline(add: Any, path: str, value: Any) -> DisciplineRules | None:
    """Validate the table; `add(path, message)` reports a problem. None when any was found."""
    bad = table_open(add, path, value, (*_INT_KEYS, "convert_minutes", "tally"))
    if bad is None:
        return None
    ints: dict[str, int] = {}
    for key in _INT_KEYS:
        if key in value:
            raw = value[key]
            if isinstance(raw, bool) or not isinstance(raw, int) or raw < 1:
                bad(key, f"must be a positive integer, got {raw!r}")
            else:
                ints[key] = raw
    convert = value.get("convert_minutes", True)
    if not isinstance(convert, bool):
        bad("convert_minutes", "must be true or false")
    tally = DEFAULT_TALLY
    if "tally" in value:
        parsed = _tally(bad, value["tally"])
        if parsed is not None:
            tally = parsed
    if ints.get("heavy_consecutive_days", 10) < ints.get("warn_after_days", 3):
        bad("heavy_consecutive_days", "must not be below warn_after_days")
    if bad.count:
        return None
    return DisciplineRules(**ints, convert_minutes=bool(convert), tally=tally)


def _tally(bad: Any, raw: Any) -> tuple[TallyStep, ...] | None:
    if not isinstance(raw, list) or not raw:
        bad("tally", "must be a non-empty array of tables {from_days, sanction}")
        return None
    steps: list[TallyStep] = []
    for i, item in enumerate(raw):
        key = f"tally[{i}]"
        if not isinstance(item, dict) or set(item) != {"from_days", "sanction"}:
            bad(key, "must be a table with exactly from_days and sanction")
            return None
        days, sanction = item["from_days"], item["sanction"]
        if isinstance(days, bool) or not isinstance(days, int) or days < 1:
            bad(f"{key}.from_days", f"must be a positive integer, got {days!r}")
            return None
        if steps and days <= steps[-1].from_days:
            bad(f"{key}.from_days", f"must be greater than {steps[-1].from_days}")
            return None
        if sanction not in SANCTIONS:
            bad(
                f"{key}.sanction",
                f"unknown sanction {sanction!r}, expected one of " + ", ".join(SANCTIONS),
            )
            return None
        steps.append(TallyStep(days, sanction))
    return tuple(steps)
