"""Pure judgements over what the face model measured: photo quality, liveness, match, reuse.

No ORM, no settings, no clock: the inputs are per-frame measurements (`FrameMeasure`) and the
thresholds of the region's rule set (`BiometricRules`); the outputs carry a stable code and an
Indonesian message (English with `lang="en"`).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from hadir.tpp.ruleset.biometrics import BiometricRules

MESSAGES: dict[str, tuple[str, str]] = {
    "no_face": (
        "Wajah tidak terlihat. Hadapkan wajah ke kamera.",
        "No face found. Face the camera.",
    ),
    "many_faces": (
        "Terlihat lebih dari satu wajah. Pastikan hanya Anda yang ada di depan kamera.",
        "More than one face. Make sure only you are in front of the camera.",
    ),
    "face_small": (
        "Wajah terlalu kecil. Dekatkan wajah ke kamera.",
        "The face is too small. Move closer to the camera.",
    ),
    "blurry": (
        "Foto buram. Tahan ponsel dengan stabil dan bersihkan lensa kamera.",
        "The photo is blurred. Hold the phone still and clean the lens.",
    ),
    "too_dark": (
        "Pencahayaan terlalu gelap. Cari tempat yang lebih terang.",
        "Too dark. Find a brighter place.",
    ),
    "too_bright": (
        "Pencahayaan terlalu terang. Hindari cahaya langsung ke wajah atau dari belakang.",
        "Too bright. Avoid direct light on the face or behind it.",
    ),
    "still_image": (
        "Gambar tidak bergerak: yang difoto tampaknya foto atau layar, bukan wajah langsung.",
        "The frames do not move: a photo or a screen, not a live face.",
    ),
    "too_few_faces": (
        "Wajah tidak terlihat pada cukup banyak bingkai untuk memeriksa keaslian.",
        "The face was not seen in enough frames to check liveness.",
    ),
    "no_blink": (
        "Kedipan mata tidak terdeteksi.",
        "No blink was seen.",
    ),
    "no_turn_left": (
        "Gerakan menoleh ke kiri tidak terdeteksi.",
        "No turn of the head to the left was seen.",
    ),
    "no_turn_right": (
        "Gerakan menoleh ke kanan tidak terdeteksi.",
        "No turn of the head to the right was seen.",
    ),
    "unknown_instruction": (
        "Instruksi keaslian tidak dikenal.",
        "Unknown liveness instruction.",
    ),
}


def message(code: str, lang: str = "id") -> str:
    texts = MESSAGES.get(code)
    if texts is None:
        return code
    return texts[1] if lang == "en" else texts[0]


@dataclass(frozen=True, slots=True)
class FrameMeasure:
    """One frame as measured: faces found, the largest face's box relative to the frame, its
    sharpness and brightness, eye aspect ratio, yaw ratio, and the frame's motion thumbnail."""

    faces: int
    face_fraction: float = 0.0  # face box width / frame width
    face_px: int = 0  # face box width in the encoded image's pixels
    sharpness: float = 0.0
    brightness: float = 0.0
    ear: float = 0.0
    yaw: float = 0.5
    thumb: tuple[float, ...] = ()  # grayscale thumbnail, flattened
    shape: tuple[float, ...] = ()  # landmarks normalised to the face box, flattened

    @property
    def found(self) -> bool:
        return self.faces > 0


@dataclass(frozen=True, slots=True)
class Problem:
    code: str

    def text(self, lang: str = "id") -> str:
        return message(self.code, lang)


def quality_problems(m: FrameMeasure, rules: BiometricRules) -> list[Problem]:
    """Why a photo cannot serve as an enrollment template; empty when it can."""
    if m.faces == 0:
        return [Problem("no_face")]
    problems: list[Problem] = []
    if m.faces > 1:
        problems.append(Problem("many_faces"))
    if m.face_fraction < rules.min_face_fraction or m.face_px < rules.min_face_px:
        problems.append(Problem("face_small"))
    if m.brightness < rules.min_brightness:
        problems.append(Problem("too_dark"))
    elif m.brightness > rules.max_brightness:
        problems.append(Problem("too_bright"))
    if m.sharpness < rules.min_sharpness:
        problems.append(Problem("blurry"))
    return problems


@dataclass(frozen=True, slots=True)
class Liveness:
    passed: bool
    code: str  # "ok" or the reason it failed
    measure: float  # the blink depth (1 - min/open EAR) or the yaw change seen

    def text(self, lang: str = "id") -> str:
        return "" if self.passed else message(self.code, lang)


def _motion(frames: Sequence[FrameMeasure]) -> tuple[float, float]:
    """Largest mean absolute change between consecutive frames: of the pixels (grey levels)
    and of the normalised landmarks (fraction of the face box)."""
    pixels = shape = 0.0
    for a, b in itertools.pairwise(frames):
        if a.thumb and b.thumb and len(a.thumb) == len(b.thumb):
            diff = np.abs(np.asarray(a.thumb) - np.asarray(b.thumb)).mean()
            pixels = max(pixels, float(diff))
        if a.shape and b.shape and len(a.shape) == len(b.shape):
            delta = np.abs(np.asarray(a.shape) - np.asarray(b.shape)).mean()
            shape = max(shape, float(delta))
    return pixels, shape


def judge_liveness(
    frames: Sequence[FrameMeasure], instruction: str, rules: BiometricRules
) -> Liveness:
    """Did the burst show a live face doing what the challenge asked?

    - still image: frames (near) identical, no pixel and no landmark motion → fail;
    - blink: the eye aspect ratio falls to `blink_ratio` of the open value seen before it and
      rises back to it after (the closed frame is neither first nor last);
    - turn_left / turn_right: the nose tip moves along the face outline by `turn_delta` (yaw
      ratio) from the first frame in the asked direction (unmirrored frames).
    """
    seen = [f for f in frames if f.found]
    if len(seen) < 2:
        return Liveness(False, "too_few_faces", 0.0)
    pixels, shape = _motion(frames)
    if pixels < rules.still_pixel_delta and shape < rules.still_shape_delta:
        return Liveness(False, "still_image", 0.0)
    if not instruction:  # no challenge (an offline record): motion is all that can be asked
        return Liveness(True, "ok", max(pixels, shape))
    if instruction == "blink":
        ears = [f.ear for f in seen]
        low = int(np.argmin(ears))
        if 0 < low < len(ears) - 1:
            before, after = max(ears[:low]), max(ears[low + 1 :])
            opened = min(before, after)
            depth = 1 - ears[low] / opened if opened > 0 else 0.0
            if ears[low] <= rules.blink_ratio * opened:
                return Liveness(True, "ok", depth)
            return Liveness(False, "no_blink", depth)
        return Liveness(False, "no_blink", 0.0)
    if instruction in ("turn_left", "turn_right"):
        sign = 1.0 if instruction == "turn_left" else -1.0
        moved = max(sign * (f.yaw - seen[0].yaw) for f in seen[1:])
        if moved >= rules.turn_delta:
            return Liveness(True, "ok", moved)
        return Liveness(False, f"no_{instruction}", moved)
    return Liveness(False, "unknown_instruction", 0.0)


def is_match(distance: float, rules: BiometricRules) -> bool:
    return distance <= rules.match_threshold


def hamming(a: str, b: str) -> int:
    """Bits that differ between two perceptual hashes written as hex of equal length."""
    if len(a) != len(b):
        raise ValueError("hashes of different lengths")
    return (int(a, 16) ^ int(b, 16)).bit_count()


def reused_hash(candidate: str, history: Sequence[str], rules: BiometricRules) -> str | None:
    """The first earlier hash within `reuse_hash_bits` of the candidate, or None."""
    for earlier in history:
        if len(earlier) == len(candidate) and hamming(candidate, earlier) <= rules.reuse_hash_bits:
            return earlier
    return None
