"""From frame bytes to measurements, liveness, an encoding and perceptual hashes (no ORM).

`analyze_burst` is the whole per-check-in face work; `analyze_photo` is one enrollment photo.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import imagehash
import numpy as np
from PIL import Image

from hadir.biometrics import face
from hadir.biometrics.rules import FrameMeasure, Liveness, Problem, judge_liveness, quality_problems
from hadir.tpp.ruleset.biometrics import BiometricRules


def measure(frame: face.Frame, obs: face.Observation) -> FrameMeasure:
    thumb = tuple(float(v) for v in obs.thumb.ravel())
    if not obs.found or obs.box is None or obs.landmarks is None:
        return FrameMeasure(faces=obs.faces, thumb=thumb)
    left, top, right, bottom = obs.box
    box_w, box_h = max(1, right - left), max(1, bottom - top)
    gray = obs.face_gray if obs.face_gray is not None else np.zeros((0, 0))
    shape = (obs.landmarks - np.array([left, top])) / np.array([box_w, box_h])
    return FrameMeasure(
        faces=obs.faces,
        face_fraction=box_w / max(1, obs.width),
        face_px=box_w,
        sharpness=face.sharpness(gray),
        brightness=float(gray.mean()) if gray.size else 0.0,
        ear=face.eye_aspect_ratio(obs.landmarks),
        yaw=face.yaw_ratio(obs.landmarks),
        thumb=thumb,
        shape=tuple(float(v) for v in shape.ravel()),
    )


HASH_SIZE = 16  # 256-bit pHash: small shifts of a new capture change tens of bits


def phash(frame: face.Frame) -> str:
    return str(imagehash.phash(Image.fromarray(frame.small), hash_size=HASH_SIZE))


@dataclass(slots=True)
class BurstResult:
    measures: list[FrameMeasure]
    liveness: Liveness
    hashes: list[str]
    embedding: np.ndarray | None = None
    chosen: int | None = None  # index of the encoded frame
    problems: list[str] = field(default_factory=list)  # frames that could not be read

    @property
    def faces_found(self) -> int:
        return sum(1 for m in self.measures if m.found)


def _choose(measures: Sequence[FrameMeasure]) -> int | None:
    """The frame to encode: one face, eyes open, most frontal; ties to the earliest."""
    best: tuple[float, int] | None = None
    for i, m in enumerate(measures):
        if not m.found:
            continue
        key = (abs(m.yaw - 0.5) - 0.5 * m.ear + (1.0 if m.faces > 1 else 0.0), i)
        if best is None or key < best:
            best = key
    return None if best is None else best[1]


def analyze_burst(
    frames: Sequence[bytes], instruction: str, rules: BiometricRules, *, encode: bool = True
) -> BurstResult:
    """Measure every frame, judge liveness, hash every frame and encode the best one."""
    decoded: list[face.Frame | None] = []
    problems: list[str] = []
    for i, data in enumerate(frames):
        try:
            decoded.append(face.decode(data))
        except face.FaceImageError as exc:
            decoded.append(None)
            problems.append(f"frame {i}: {exc.message}")
    observations: list[face.Observation | None] = []
    measures: list[FrameMeasure] = []
    hashes: list[str] = []
    for frame in decoded:
        if frame is None:
            observations.append(None)
            measures.append(FrameMeasure(faces=0))
            continue
        obs = face.observe(frame)
        observations.append(obs)
        measures.append(measure(frame, obs))
        hashes.append(phash(frame))
    liveness = judge_liveness(measures, instruction, rules)
    result = BurstResult(measures=measures, liveness=liveness, hashes=hashes, problems=problems)
    chosen = _choose(measures)
    if encode and chosen is not None:
        frame, obs = decoded[chosen], observations[chosen]
        if frame is not None and obs is not None:
            result.embedding = face.encode(frame, obs)
            result.chosen = chosen
    return result


@dataclass(slots=True)
class PhotoResult:
    measure: FrameMeasure
    problems: list[Problem]
    embedding: np.ndarray | None
    hash: str


def analyze_photo(data: bytes, rules: BiometricRules) -> PhotoResult:
    """Check an enrollment photo's quality; encode it when it passes."""
    frame = face.decode(data)
    obs = face.observe(frame)
    if not obs.found:  # a small face: look again at the larger size before saying "no face"
        frame = face.decode(data, detect_side=face.ENCODE_MAX_SIDE)
        obs = face.observe(frame)
    m = measure(frame, obs)
    problems = quality_problems(m, rules)
    embedding = face.encode(frame, obs) if not problems else None
    return PhotoResult(m, problems, embedding, phash(frame))
