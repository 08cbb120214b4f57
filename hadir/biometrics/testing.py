"""Frames rendered from real face photographs that PyPI packages carry, for tests and benchmarks.

`skimage.data.astronaut()` (Eileen Collins) and matplotlib's `sample_data/grace_hopper.jpg` are two
different real people. They are cropped to a selfie's framing; bursts are rendered from them by
shifting, scaling and changing brightness, a blink by closing the eyes along the landmarks, and a
head turn by a horizontal warp that compresses one side of the face. Nothing is downloaded.
"""

from __future__ import annotations

import io
from functools import lru_cache

import numpy as np
from PIL import Image, ImageEnhance

from hadir.biometrics import face

SELFIE_SIZE = (360, 480)


@lru_cache(maxsize=4)
def person(name: str) -> Image.Image:
    """A selfie-framed photograph of "astronaut" or "hopper"."""
    if name == "astronaut":
        from skimage import data

        img = Image.fromarray(data.astronaut()).crop((120, 20, 320, 287))
    elif name == "hopper":
        from matplotlib import cbook

        with cbook.get_sample_data("grace_hopper.jpg") as fh:
            img = Image.open(fh).convert("RGB").crop((120, 60, 430, 473))
    else:
        raise ValueError(f"unknown person {name!r}")
    return img.resize(SELFIE_SIZE, Image.Resampling.BICUBIC)


def jpeg(img: Image.Image, quality: int = 88) -> bytes:
    buf = io.BytesIO()
    img.convert("RGB").save(buf, "JPEG", quality=quality)
    return buf.getvalue()


def moved(
    img: Image.Image, *, dx: float = 0, dy: float = 0, scale: float = 1.0, light: float = 1.0
) -> Image.Image:
    """The same picture shifted, scaled about its centre and brightened or dimmed."""
    w, h = img.size
    cx, cy = w / 2, h / 2
    # Inverse affine map: output (x, y) samples input ((x - cx - dx) / s + cx, ...).
    coeffs = (1 / scale, 0, cx - (cx + dx) / scale, 0, 1 / scale, cy - (cy + dy) / scale)
    out = img.transform(img.size, Image.Transform.AFFINE, coeffs, Image.Resampling.BICUBIC)
    if light != 1.0:
        out = ImageEnhance.Brightness(out).enhance(light)
    return out


def _landmarks(img: Image.Image) -> np.ndarray:
    frame = face.frame_of(img, detect_side=max(img.size))
    obs = face.observe(frame)
    if obs.landmarks is None:
        raise ValueError("no face in the picture to render from")
    return obs.landmarks


def blinked(img: Image.Image) -> Image.Image:
    """The eyes closed by warping each eye region along the landmarks: the rows of the eye
    opening are replaced by the eyelids around it, pulled together to meet in a lash line."""
    points = _landmarks(img)
    arr = np.asarray(img).astype(np.float32)
    out = arr.copy()
    height, width = arr.shape[:2]
    for eye in (points[36:42], points[42:48]):
        x0, x1 = eye[:, 0].min(), eye[:, 0].max()
        centre = float(eye[:, 1].mean())
        opening = max(2.0, (eye[:, 1].max() - eye[:, 1].min()) / 2 * 1.3)
        reach = opening * 2.6
        pad = 0.25 * (x1 - x0)
        cols = np.arange(max(0, int(x0 - pad)), min(width, int(x1 + pad) + 1))
        # Feather the warp towards the corners of the eye.
        mid, half = (x0 + x1) / 2, (x1 - x0) / 2 + pad
        weight = np.clip(1.2 - np.abs(cols - mid) / half, 0.0, 1.0)
        for y in range(max(0, int(centre - reach)), min(height, int(centre + reach) + 1)):
            offset = y - centre
            src = centre + np.sign(offset or 1.0) * (
                opening + abs(offset) * (reach - opening) / reach
            )
            row = arr[int(np.clip(round(src), 0, height - 1)), cols]
            w = weight[:, None]
            out[y, cols] = w * row + (1 - w) * arr[y, cols]
        lash = min(height - 1, round(centre))
        out[lash, cols] = out[lash, cols] * (1 - 0.6 * weight[:, None]) + 40 * 0.6 * weight[:, None]
    return Image.fromarray(np.clip(out, 0, 255).astype(np.uint8))


def turned(img: Image.Image, direction: str, strength: float = 0.16) -> Image.Image:
    """A head turn: the nose moves by `strength` of the width, one side of the face is
    stretched and the other squeezed, in an unmirrored frame ("turn_left" is the subject's
    left: the image's right)."""
    if direction not in ("turn_left", "turn_right"):
        raise ValueError(direction)
    nose = float(_landmarks(img)[30, 0])
    arr = np.asarray(img)
    w = arr.shape[1]
    last = w - 1.0
    moved_nose = nose + (strength if direction == "turn_left" else -strength) * w
    xs = np.arange(w, dtype=np.float64)
    # Source column of each output column: [0, moved_nose] <- [0, nose], the rest likewise.
    src = np.where(
        xs <= moved_nose,
        xs * nose / moved_nose,
        nose + (xs - moved_nose) * (last - nose) / (last - moved_nose),
    )
    cols = np.clip(np.round(src).astype(int), 0, w - 1)
    return Image.fromarray(arr[:, cols])


def tilted(img: Image.Image, amount: float = 0.3) -> Image.Image:
    """A flat photo turned about its vertical axis, as seen by the camera (a perspective map):
    its right edge recedes by `amount` of the height."""
    w, h = img.size
    d = amount * h
    # Where the photo's corners land, and the map from output pixels back to the photo.
    dst = [(0, 0), (w * (1 - amount / 2), d / 2), (w * (1 - amount / 2), h - d / 2), (0, h)]
    src = [(0, 0), (w, 0), (w, h), (0, h)]
    rows = []
    for (x, y), (u, v) in zip(dst, src, strict=True):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y])
    coeffs = np.linalg.solve(np.array(rows, dtype=float), np.array(src, dtype=float).reshape(8))
    return img.transform(
        img.size,
        Image.Transform.PERSPECTIVE,
        tuple(coeffs.tolist()),
        Image.Resampling.BICUBIC,
        fillcolor=(90, 90, 90),
    )


def burst(name: str, instruction: str, *, frames: int = 5, seed: int = 0) -> list[bytes]:
    """A live-looking burst of JPEG frames of one person doing the instruction mid-burst;
    another `seed` is another capture (framed, lit and placed differently)."""
    base = person(name)
    out: list[bytes] = []
    action_at = {frames // 2} if instruction == "blink" else set(range(frames // 2, frames - 1))
    for i in range(frames):
        img = moved(
            base,
            dx=1.5 * i - 12 + 6 * (seed % 5),
            dy=0.8 * i - 6 + 5 * (seed % 3),
            scale=1 + 0.01 * i - 0.025 * (seed % 4),
            light=1 + 0.02 * i - 0.05 * (seed % 3),
        )
        if i in action_at:
            img = blinked(img) if instruction == "blink" else turned(img, instruction)
        out.append(jpeg(img))
    return out


def still_burst(name: str, *, frames: int = 5) -> list[bytes]:
    """The same picture again and again: a still image held to the camera."""
    data = jpeg(person(name))
    return [data] * frames
