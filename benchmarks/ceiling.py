"""Benchmark-only settings: hadir's own, with a URLconf that adds a minimal view writing one
row (benchmarks/ceiling_urls.py), the ceiling a Django request that touches the database
reaches on this machine. Never part of production: only `DJANGO_SETTINGS_MODULE=
benchmarks.ceiling` loads it."""

from __future__ import annotations

from hadir.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.ceiling_urls"
