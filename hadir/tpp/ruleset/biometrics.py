"""The optional `[biometrics]` and `[integrity]` tables of a rule set: face thresholds and the
weights of the integrity signals (docs/biometrics.md). Every key has a default, so a rule set
without the tables gets them.

```toml
[biometrics]
match_threshold = 0.6         # largest face-encoding distance that is still the same person
reuse_distance = 0.3          # two employees' faces closer than this on one day: one person
reuse_hash_bits = 8           # perceptual hashes this close (of 256 bits): the same photo again
blink_ratio = 0.7             # a blink: eye aspect ratio falls to this share of the open value
turn_delta = 0.08             # a head turn: the nose moves this share of the face width

[integrity]
review_threshold = 0.5        # risk (0..1) from which a record goes to the atasan's queue
max_speed_kmh = 300           # faster between two consecutive records: impossible travel
new_device_days = 7           # a device bound less than this many days ago is "new"
weights = {face_mismatch = 0.6, mock_location = 0.6}   # per signal code, 0..1
```
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from types import MappingProxyType
from typing import Any

from hadir.tpp.ruleset.tables import table_open

SIGNAL_WEIGHTS: dict[str, float] = {
    "face_mismatch": 0.6,
    "face_missing": 0.4,
    "liveness_failed": 0.5,
    "photo_reused": 0.6,
    "face_shared": 0.6,
    "no_biometric_consent": 0.5,
    "not_enrolled": 0.5,
    "mock_location": 0.6,
    "gps_accuracy_implausible": 0.25,
    "gps_repeated_coordinates": 0.3,
    "impossible_travel": 0.4,
    "shared_device": 0.4,
    "new_device": 0.15,
    "unbound_device": 0.5,
    "clock_skew": 0.2,
    "offline_gap": 0.3,
    "offline_chain_broken": 0.5,
    "offline_backdated": 0.5,
}


@dataclass(frozen=True, slots=True)
class BiometricRules:
    match_threshold: float = 0.6
    reuse_distance: float = 0.3
    reuse_hash_bits: int = 8
    reuse_frame_share: float = 0.8
    blink_ratio: float = 0.7
    turn_delta: float = 0.08
    still_pixel_delta: float = 1.0
    still_shape_delta: float = 0.002
    min_face_fraction: float = 0.2
    min_face_px: int = 80
    min_sharpness: float = 15.0
    min_brightness: float = 60.0
    max_brightness: float = 215.0


@dataclass(frozen=True, slots=True)
class IntegrityRules:
    review_threshold: float = 0.5
    max_speed_kmh: float = 300.0
    new_device_days: int = 7
    weights: Mapping[str, float] = field(
        default_factory=lambda: MappingProxyType(dict(SIGNAL_WEIGHTS)), hash=False
    )

    def weight(self, code: str) -> float:
        return self.weights.get(code, 0.0)


DEFAULT_BIOMETRICS = BiometricRules()
DEFAULT_INTEGRITY = IntegrityRules()

_BIO_BOUNDS: dict[str, tuple[float, float]] = {
    "match_threshold": (0.1, 1.5),
    "reuse_distance": (0.0, 1.0),
    "reuse_hash_bits": (0, 128),
    "reuse_frame_share": (0.1, 1.0),
    "blink_ratio": (0.1, 0.95),
    "turn_delta": (0.01, 0.5),
    "still_pixel_delta": (0.0, 50.0),
    "still_shape_delta": (0.0, 0.1),
    "min_face_fraction": (0.0, 1.0),
    "min_face_px": (0, 2000),
    "min_sharpness": (0.0, 10000.0),
    "min_brightness": (0.0, 255.0),
    "max_brightness": (0.0, 255.0),
}
_INT_KEYS = {"reuse_hash_bits", "min_face_px"}


def _number(bad: Any, key: str, raw: Any, low: float, high: float, *, whole: bool) -> Any:
    if (
        isinstance(raw, bool)
        or not isinstance(raw, int | float)
        or (whole and isinstance(raw, float))
    ):
        bad(key, f"must be a {'whole ' if whole else ''}number, got {raw!r}")
        return None
    if not low <= raw <= high:
        bad(key, f"must lie between {low:g} and {high:g}, got {raw!r}")
        return None
    return raw


def parse_biometrics(add: Any, path: str, value: Any) -> BiometricRules | None:
    """Validate `[biometrics]`; `add(path, message)` reports a problem. None when any was found."""
    bad = table_open(add, path, value)
    if bad is None:
        return None
    known = {f.name for f in fields(BiometricRules)}
    values: dict[str, Any] = {}
    for key, raw in value.items():
        if key not in known:
            bad(key, "unknown key")
            continue
        low, high = _BIO_BOUNDS[key]
        number = _number(bad, key, raw, low, high, whole=key in _INT_KEYS)
        if number is not None:
            values[key] = int(number) if key in _INT_KEYS else float(number)
    rules = BiometricRules(**values)
    if rules.min_brightness >= rules.max_brightness:
        bad("min_brightness", "must be below max_brightness")
    return None if bad.count else rules


def parse_integrity(add: Any, path: str, value: Any) -> IntegrityRules | None:
    """Validate `[integrity]`; unknown signal codes in `weights` are reported."""
    bad = table_open(add, path, value)
    if bad is None:
        return None
    values: dict[str, Any] = {}
    for key, raw in value.items():
        if key == "review_threshold":
            number = _number(bad, key, raw, 0.01, 1, whole=False)
            values[key] = None if number is None else float(number)
        elif key == "max_speed_kmh":
            number = _number(bad, key, raw, 1, 5000, whole=False)
            values[key] = None if number is None else float(number)
        elif key == "new_device_days":
            values[key] = _number(bad, key, raw, 0, 365, whole=True)
        elif key == "weights":
            if not isinstance(raw, dict):
                bad(key, "must be a table of signal code = weight")
                continue
            weights = dict(SIGNAL_WEIGHTS)
            for code, weight in raw.items():
                if code not in SIGNAL_WEIGHTS:
                    bad(
                        f"weights.{code}",
                        "unknown signal, expected one of " + ", ".join(SIGNAL_WEIGHTS),
                    )
                elif (w := _number(bad, f"weights.{code}", weight, 0, 1, whole=False)) is not None:
                    weights[code] = float(w)
            values[key] = MappingProxyType(weights)
        else:
            bad(key, "unknown key")
    if bad.count:
        return None
    return IntegrityRules(**{k: v for k, v in values.items() if v is not None})
