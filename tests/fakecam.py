"""A fake camera for the browser tests: a real face (scikit-image's astronaut, Eileen Collins)
written as a Y4M video that Chromium plays as its webcam, moving slightly from frame to frame.

Chromium reads the file with --use-file-for-fake-video-capture and loops it; the page gets it
through a real getUserMedia call, draws it on a canvas and encodes JPEG frames as on a phone.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from tests.browser import CHROMIUM, FLAGS

WIDTH, HEIGHT, FPS, SECONDS = 640, 480, 10, 3


def _rgb_to_yuv420(rgb: np.ndarray) -> bytes:
    """Full-range BT.601 (JPEG's YCbCr), chroma averaged over 2x2 blocks: Y4M's C420jpeg."""
    r, g, b = (rgb[..., i].astype(np.float32) for i in range(3))
    y = 0.299 * r + 0.587 * g + 0.114 * b
    cb = 128 - 0.168736 * r - 0.331264 * g + 0.5 * b
    cr = 128 + 0.5 * r - 0.418688 * g - 0.081312 * b

    def sub(plane: np.ndarray) -> np.ndarray:
        return plane.reshape(HEIGHT // 2, 2, WIDTH // 2, 2).mean(axis=(1, 3))

    planes = (y, sub(cb), sub(cr))
    return b"".join(np.clip(p + 0.5, 0, 255).astype(np.uint8).tobytes() for p in planes)


def face_frames(count: int = FPS * SECONDS) -> Iterator[np.ndarray]:
    """The astronaut's head and shoulders on a grey backdrop, drifting a few pixels as a
    hand-held phone does."""
    from skimage import data, transform

    # Head and shoulders, as a phone held at arm's length frames them (the whole 512 px photo
    # leaves the face too small for a detector working on a phone-sized frame).
    portrait = data.astronaut()[0:300, 90:390]
    face = transform.resize(portrait, (HEIGHT, HEIGHT), anti_aliasing=True)
    face = (face * 255).astype(np.uint8)
    left = (WIDTH - HEIGHT) // 2
    for i in range(count):
        phase = 2 * math.pi * i / count
        dx, dy = round(12 * math.sin(phase)), round(6 * math.sin(2 * phase))
        frame = np.full((HEIGHT, WIDTH, 3), 96, dtype=np.uint8)
        frame[:, left : left + HEIGHT] = np.roll(face, (dy, dx), axis=(0, 1))
        yield frame


def write_y4m(path: Path) -> Path:
    with path.open("wb") as out:
        out.write(f"YUV4MPEG2 W{WIDTH} H{HEIGHT} F{FPS}:1 Ip A1:1 C420jpeg\n".encode())
        for frame in face_frames():
            out.write(b"FRAME\n")
            out.write(_rgb_to_yuv420(frame))
    return path


@pytest.fixture(scope="session")
def fake_video(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_y4m(tmp_path_factory.mktemp("fakecam") / "astronaut.y4m")


@pytest.fixture(scope="session")
def camera_browser(playwright_driver, fake_video: Path) -> Iterator[object]:  # type: ignore[no-untyped-def]
    """Chromium whose webcam plays `fake_video`. No --use-fake-ui-for-media-stream: the camera
    is allowed by the context's permissions, so a test denies it by leaving it out (headless
    Chromium dismisses the prompt, as a user refusing it)."""
    browser = playwright_driver.chromium.launch(
        executable_path=CHROMIUM,
        headless=True,
        args=[
            *FLAGS,
            "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-video-capture={fake_video}",
        ],
    )
    yield browser
    browser.close()
