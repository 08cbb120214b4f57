"""The `[checkin]` table of a rule set: defaults, values and every bad key named."""

from __future__ import annotations

import pytest

from conftest import RULESET_TOML
from hadir.tpp.ruleset.checkin import DEFAULT_CHECKIN
from hadir.tpp.ruleset.model import RuleSetError
from hadir.tpp.ruleset.parse import parse_ruleset


def test_it_defaults_without_the_table() -> None:
    rules = parse_ruleset(RULESET_TOML).checkin
    assert rules == DEFAULT_CHECKIN
    assert rules.outside_geofence == "pending_review"
    assert (rules.max_accuracy_m, rules.max_clock_skew_s) == (100, 300)
    assert (rules.offline_upload_day, rules.challenge_ttl_s) == (10, 120)


def test_it_reads_the_table() -> None:
    text = RULESET_TOML + (
        '\n[checkin]\noutside_geofence = "rejected"\nmax_accuracy_m = 50\n'
        "max_clock_skew_s = 60\noffline_upload_day = 5\nchallenge_ttl_s = 90\n"
    )
    rules = parse_ruleset(text).checkin
    assert rules.outside_geofence == "rejected"
    assert (rules.max_accuracy_m, rules.max_clock_skew_s) == (50, 60)
    assert (rules.offline_upload_day, rules.challenge_ttl_s) == (5, 90)


@pytest.mark.parametrize(
    ("body", "path"),
    [
        ('outside_geofence = "ignore"', "checkin.outside_geofence"),
        ("max_accuracy_m = 0", "checkin.max_accuracy_m"),
        ("max_clock_skew_s = true", "checkin.max_clock_skew_s"),
        ("offline_upload_day = 31", "checkin.offline_upload_day"),
        ('challenge_ttl_s = "2m"', "checkin.challenge_ttl_s"),
        ("selfie = 1", "checkin.selfie"),
    ],
)
def test_it_names_each_bad_key(body: str, path: str) -> None:
    with pytest.raises(RuleSetError) as caught:
        parse_ruleset(RULESET_TOML + f"\n[checkin]\n{body}\n")
    assert any(problem.startswith(path) for problem in caught.value.problems), caught.value
