"""The optional [biometrics] and [integrity] rule-set tables."""

from __future__ import annotations

import pytest

from conftest import RULESET_TOML
from hadir.tpp.ruleset import RuleSetError, parse_ruleset
from hadir.tpp.ruleset.biometrics import DEFAULT_BIOMETRICS, DEFAULT_INTEGRITY, SIGNAL_WEIGHTS


def test_it_defaults_both_tables_when_absent() -> None:
    rules = parse_ruleset(RULESET_TOML)
    assert rules.biometrics == DEFAULT_BIOMETRICS
    assert rules.biometrics.match_threshold == 0.6
    assert rules.integrity.review_threshold == 0.5
    assert rules.integrity.weight("face_mismatch") == SIGNAL_WEIGHTS["face_mismatch"]


def test_it_reads_region_values() -> None:
    text = (
        RULESET_TOML
        + """
[biometrics]
match_threshold = 0.5
reuse_hash_bits = 3

[integrity]
review_threshold = 0.4
max_speed_kmh = 200
weights = {mock_location = 1, new_device = 0}
"""
    )
    rules = parse_ruleset(text)
    assert rules.biometrics.match_threshold == 0.5
    assert rules.biometrics.reuse_hash_bits == 3
    assert rules.biometrics.blink_ratio == DEFAULT_BIOMETRICS.blink_ratio
    assert rules.integrity.review_threshold == 0.4
    assert rules.integrity.max_speed_kmh == 200.0
    assert rules.integrity.weight("mock_location") == 1.0
    assert rules.integrity.weight("new_device") == 0.0
    assert rules.integrity.weight("face_mismatch") == 0.6
    assert DEFAULT_INTEGRITY.weight("mock_location") == 0.6


@pytest.mark.parametrize(
    ("table", "problem"),
    [
        ("[biometrics]\nmatch_treshold = 0.5", "biometrics.match_treshold: unknown key"),
        ("[biometrics]\nmatch_threshold = 3", "biometrics.match_threshold: must lie between"),
        ("[biometrics]\nreuse_hash_bits = 2.5", "biometrics.reuse_hash_bits: must be a whole"),
        ("[biometrics]\nmin_brightness = 200\nmax_brightness = 100", "must be below"),
        ("[integrity]\nweights = {selfie = 10}", "integrity.weights.selfie: unknown signal"),
        ("[integrity]\nweights = {clock_skew = 1.2}", "integrity.weights.clock_skew: must lie"),
        ("[integrity]\nreview_threshold = 0", "integrity.review_threshold: must lie between"),
        ("[integrity]\nthreshold = 10", "integrity.threshold: unknown key"),
    ],
)
def test_it_reports_bad_values(table: str, problem: str) -> None:
    with pytest.raises(RuleSetError) as info:
        parse_ruleset(RULESET_TOML + "\n" + table + "\n")
    assert any(problem in p for p in info.value.problems), info.value.problems


def test_it_refuses_a_table_that_is_not_one() -> None:
    with pytest.raises(RuleSetError) as info:
        parse_ruleset("integrity = 1\n" + RULESET_TOML)
    assert "integrity: must be a table" in info.value.problems
