"""Face detection, 68-point landmarks and 128-d encodings with dlib directly.

The models are the files the `face_recognition_models` package ships (`*_location()`), so nothing
is downloaded at run time; the `face_recognition` package itself is not used (it would build dlib
from source). Models are loaded once per process, on first use, never at import time.

Speed (docs/biometrics.md): frames are decoded with JPEG draft mode to at most `ENCODE_MAX_SIDE`,
faces are found with the HOG detector on a copy of at most `DETECT_MAX_SIDE` pixels without
upsampling (a selfie's face is large), landmarks are taken on that copy, and only the frame chosen
for matching is encoded (the encoder's CNN is what dominates).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import dlib
import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from hadir.core.errors import DomainError

DETECT_MAX_SIDE = 320
ENCODE_MAX_SIDE = 640
MAX_PIXELS = 4096 * 4096
THUMB_SIDE = 32

# 68-point landmark indices (iBUG 300-W).
JAW_LEFT, JAW_RIGHT, NOSE_TIP = 0, 16, 30
RIGHT_EYE = slice(36, 42)  # the subject's right eye: the image's left side
LEFT_EYE = slice(42, 48)


class FaceImageError(DomainError):
    code = "bad_image"
    status = 422


@dataclass(slots=True)
class Frame:
    """A decoded frame: `image` (RGB, at most ENCODE_MAX_SIDE) and `small`, a greyscale copy of
    at most DETECT_MAX_SIDE for detection, motion and hashes (HOG on grey is ~20% faster than
    on RGB and finds the same boxes)."""

    image: np.ndarray
    small: np.ndarray
    scale: float  # image pixels per small pixel


@dataclass(slots=True)
class Observation:
    """What the detector and the landmark model saw in one frame (small-image pixels)."""

    faces: int
    width: int
    height: int
    box: tuple[int, int, int, int] | None  # left, top, right, bottom of the largest face
    landmarks: np.ndarray | None  # (68, 2) float
    thumb: np.ndarray  # THUMB_SIDE² grayscale of the whole frame, float 0..255
    face_gray: np.ndarray | None  # grayscale crop of the face (for blur and light checks)

    @property
    def found(self) -> bool:
        return self.box is not None and self.landmarks is not None


@lru_cache(maxsize=1)
def _models() -> tuple[Any, Any, Any]:
    import face_recognition_models  # its import is slow (pkg_resources): only when needed

    detector = dlib.get_frontal_face_detector()
    predictor = dlib.shape_predictor(face_recognition_models.pose_predictor_model_location())
    encoder = dlib.face_recognition_model_v1(
        face_recognition_models.face_recognition_model_location()
    )
    return detector, predictor, encoder


def warm_up() -> None:
    """Load the models now (a worker calls this once at start instead of on the first task)."""
    _models()


def decode(data: bytes, *, detect_side: int = DETECT_MAX_SIDE) -> Frame:
    """Decode JPEG/PNG bytes; FaceImageError when they are not a usable image."""
    try:
        pil = Image.open(io.BytesIO(data))
        if pil.width * pil.height > MAX_PIXELS:
            raise FaceImageError("Gambar terlalu besar.")
        if pil.format == "JPEG":
            pil.draft("RGB", (ENCODE_MAX_SIDE, ENCODE_MAX_SIDE))
        pil = ImageOps.exif_transpose(pil).convert("RGB")
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise FaceImageError("Berkas bukan gambar JPEG yang dapat dibaca.") from exc
    return frame_of(pil, detect_side=detect_side)


def frame_of(pil: Image.Image, *, detect_side: int = DETECT_MAX_SIDE) -> Frame:
    pil = pil.convert("RGB")
    if max(pil.size) > ENCODE_MAX_SIDE:
        pil.thumbnail((ENCODE_MAX_SIDE, ENCODE_MAX_SIDE), Image.Resampling.BILINEAR)
    image = np.asarray(pil)
    scale = 1.0
    small_pil = pil.convert("L")
    if max(pil.size) > detect_side:
        scale = max(pil.size) / detect_side
        size = (max(1, round(pil.width / scale)), max(1, round(pil.height / scale)))
        small_pil = small_pil.resize(size, Image.Resampling.BILINEAR)
    return Frame(image=image, small=np.asarray(small_pil), scale=scale)


def _gray(rgb: np.ndarray) -> np.ndarray:
    return rgb[..., 0] * 0.299 + rgb[..., 1] * 0.587 + rgb[..., 2] * 0.114


def _thumb(grey: np.ndarray) -> np.ndarray:
    pil = Image.fromarray(grey).convert("L").resize((THUMB_SIDE, THUMB_SIDE), Image.Resampling.BOX)
    return np.asarray(pil, dtype=np.float32)


def observe(frame: Frame) -> Observation:
    """Find the faces in a frame (on the small copy); landmarks of the largest one, taken on
    the larger image for precise eyes. Coordinates are in the larger image's pixels."""
    detector, predictor, _ = _models()
    image = frame.image
    height, width = image.shape[:2]
    rects = list(detector(frame.small, 0))
    thumb = _thumb(frame.small)
    if not rects:
        return Observation(0, width, height, None, None, thumb, None)
    small = max(rects, key=lambda r: r.width() * r.height())
    s = frame.scale
    rect = dlib.rectangle(
        round(small.left() * s),
        round(small.top() * s),
        round(small.right() * s),
        round(small.bottom() * s),
    )
    shape = predictor(image, rect)
    points = np.array([(p.x, p.y) for p in shape.parts()], dtype=np.float64)
    left, top = max(0, rect.left()), max(0, rect.top())
    right, bottom = min(width, rect.right()), min(height, rect.bottom())
    face_gray = _gray(image[top:bottom, left:right].astype(np.float32))
    return Observation(
        len(rects), width, height, (left, top, right, bottom), points, thumb, face_gray
    )


def encode(frame: Frame, observation: Observation) -> np.ndarray:
    """The 128-d encoding of the observed face, computed on the larger image."""
    if observation.box is None:
        raise ValueError("no face to encode")
    _, predictor, encoder = _models()
    shape = predictor(frame.image, dlib.rectangle(*observation.box))
    return np.asarray(encoder.compute_face_descriptor(frame.image, shape, 0), dtype=np.float32)


def distance(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.linalg.norm(np.asarray(a, dtype=np.float32) - np.asarray(b, dtype=np.float32)))


def eye_aspect_ratio(points: np.ndarray) -> float:
    """Mean eye aspect ratio of both eyes (Soukupová and Čech 2016): about 0.3 open, < 0.2 shut."""

    def one(eye: np.ndarray) -> float:
        vertical = np.linalg.norm(eye[1] - eye[5]) + np.linalg.norm(eye[2] - eye[4])
        horizontal = np.linalg.norm(eye[0] - eye[3])
        return float(vertical / (2.0 * horizontal)) if horizontal > 0 else 0.0

    return (one(points[RIGHT_EYE]) + one(points[LEFT_EYE])) / 2.0


def yaw_ratio(points: np.ndarray) -> float:
    """Where the nose tip lies between the two ends of the face outline: 0.5 frontal, larger
    when the head turns to the subject's left in an unmirrored camera frame."""
    left, right = points[JAW_LEFT, 0], points[JAW_RIGHT, 0]
    span = right - left
    return float((points[NOSE_TIP, 0] - left) / span) if span > 0 else 0.5


def sharpness(gray: np.ndarray) -> float:
    """Variance of a 4-neighbour Laplacian, on the face resized to 128 px wide (scale-free)."""
    if gray.size == 0:
        return 0.0
    pil = Image.fromarray(np.clip(gray, 0, 255).astype(np.uint8))
    height = max(1, round(pil.height * 128 / max(1, pil.width)))
    g = np.asarray(pil.resize((128, height), Image.Resampling.BILINEAR), dtype=np.float32)
    if g.shape[0] < 3:
        return 0.0
    lap = -4 * g[1:-1, 1:-1] + g[:-2, 1:-1] + g[2:, 1:-1] + g[1:-1, :-2] + g[1:-1, 2:]
    return float(lap.var())
