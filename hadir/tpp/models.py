"""Versioned rule sets per region, and proven-manipulation findings that zero a month's TPP."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class RuleSetVersion(models.Model):
    """One version of a region's rule set, in force from `effective_from` (empty: from the start).

    The TOML source is kept verbatim; it is parsed (and cached by checksum) when used, so what
    is stored is exactly what the region's admin loaded.
    """

    region = models.ForeignKey("org.Region", on_delete=models.CASCADE, related_name="rule_sets")
    effective_from = models.DateField(null=True, blank=True)
    source = models.TextField()
    checksum = models.CharField(max_length=64)
    loaded_at = models.DateTimeField(auto_now=True)
    loaded_by = models.CharField(max_length=150, blank=True)

    class Meta:
        ordering = ["region", "effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "effective_from"], name="ruleset_version_unique"
            ),
            models.UniqueConstraint(
                fields=["region"],
                condition=models.Q(effective_from__isnull=True),
                name="ruleset_base_version_unique",
            ),
        ]

    def __str__(self) -> str:
        since = self.effective_from.isoformat() if self.effective_from else "awal"
        return f"{self.region.code} rule set sejak {since}"


class ManipulationFinding(models.Model):
    """Proven manipulation in a month: with `manipulation_zero` the month's TPP is 0%."""

    employee = models.ForeignKey(
        "org.Employee", on_delete=models.PROTECT, related_name="manipulation_findings"
    )
    month = models.DateField(help_text="First day of the month")
    reason = models.TextField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["employee", "month"], name="manipulation_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.employee} {self.month:%Y-%m}"
