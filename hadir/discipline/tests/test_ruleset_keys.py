"""The `[discipline]` table of a rule set: defaults, thresholds and validation."""

from __future__ import annotations

import pytest

from conftest import RULESET_TOML
from hadir.tpp.ruleset import RuleSetError, parse_ruleset


def test_it_defaults_to_the_rulebook_without_the_table() -> None:
    rules = parse_ruleset(RULESET_TOML).discipline
    assert (rules.warn_after_days, rules.clarify_within_days, rules.opd_action_within_days) == (
        3,
        10,
        28,
    )
    assert (rules.heavy_consecutive_days, rules.minutes_per_day, rules.convert_minutes) == (
        10,
        450,
        True,
    )
    assert rules.tally[0].sanction == "teguran_lisan"


def test_it_reads_the_regions_thresholds() -> None:
    text = (
        RULESET_TOML
        + """
[discipline]
warn_after_days = 2
clarify_within_days = 7
convert_minutes = false
tally = [{from_days = 2, sanction = "teguran_tertulis"},
         {from_days = 9, sanction = "pemberhentian"}]
"""
    )
    rules = parse_ruleset(text).discipline
    assert (rules.warn_after_days, rules.clarify_within_days, rules.convert_minutes) == (
        2,
        7,
        False,
    )
    assert [(s.from_days, s.sanction) for s in rules.tally] == [
        (2, "teguran_tertulis"),
        (9, "pemberhentian"),
    ]


def test_it_reports_every_bad_key(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "bad.toml"
    path.write_text(
        RULESET_TOML
        + """
[discipline]
warn_after_days = 0
typo = 1
tally = [{from_days = 5, sanction = "teguran_lisan"}, {from_days = 4, sanction = "x"}]
""",
        encoding="utf-8",
    )
    with pytest.raises(RuleSetError) as info:
        parse_ruleset(path.read_text(encoding="utf-8"))
    assert set(info.value.problems) == {
        "discipline.typo: unknown key",
        "discipline.warn_after_days: must be a positive integer, got 0",
        "discipline.tally[1].from_days: must be greater than 5",
    }
