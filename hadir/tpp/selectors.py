"""Which rule set is in force: parsed versions of a region, cached by checksum."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from hadir.core.errors import DomainError
from hadir.org.models import Region
from hadir.tpp.models import RuleSetVersion
from hadir.tpp.ruleset import RuleSet, parse_ruleset


@lru_cache(maxsize=64)
def _parsed(checksum: str, source: str) -> RuleSet:
    return parse_ruleset(source)


@dataclass(frozen=True)
class VersionInForce:
    version_id: int
    effective_from: date | None
    rules: RuleSet


class RuleBook:
    """All versions of one region's rule set, ordered by the date they take effect."""

    def __init__(self, region: Region) -> None:
        self.region = region
        versions = list(RuleSetVersion.objects.filter(region=region).order_by("effective_from"))
        # NULL (the base version) sorts first on both SQLite and PostgreSQL only when asked.
        versions.sort(key=lambda v: (v.effective_from is not None, v.effective_from or date.min))
        self._versions = [
            VersionInForce(v.id, v.effective_from, _parsed(v.checksum, v.source)) for v in versions
        ]
        self._starts = [v.effective_from or date.min for v in self._versions]

    def __bool__(self) -> bool:
        return bool(self._versions)

    def in_force(self, day: date) -> VersionInForce:
        index = bisect_right(self._starts, day) - 1
        if index < 0:
            raise DomainError(
                f"region {self.region.code} has no rule set in force on {day.isoformat()}: "
                "load one with `hadir rules load FILE.toml`",
                code="no_rule_set",
            )
        return self._versions[index]

    def latest(self) -> VersionInForce:
        if not self._versions:
            raise DomainError(
                f"region {self.region.code} has no rule set: load one with `hadir rules load`",
                code="no_rule_set",
            )
        return self._versions[-1]
