"""A region's rule set (CONTRACT.md section 4): its frozen values and the TOML parser.

Split in two modules to stay short: `model` (the values) and `parse` (validation of the TOML).
"""

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
from hadir.tpp.ruleset.parse import parse_ruleset

__all__ = [
    "ABSENCE_TYPES",
    "RAMADAN",
    "WEEKDAYS",
    "AbsenceRule",
    "Band",
    "Checkpoint",
    "CheckpointKind",
    "Override",
    "RegionInfo",
    "RuleSet",
    "RuleSetError",
    "Schedule",
    "Tier",
    "TierTable",
    "TppRules",
    "parse_ruleset",
]
