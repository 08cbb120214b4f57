"""Draw the app's icons with Pillow: `python -m hadir.pwa.icons` rewrites static/pwa/icons/.

A white check mark in a green rounded square (192 and 512 px), and a maskable 512 px variant
whose mark stays inside the safe zone (the inner 80%).
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

GREEN = (15, 81, 50, 255)
WHITE = (255, 255, 255, 255)
OUT = Path(__file__).resolve().parent / "static" / "pwa" / "icons"


def draw(size: int, *, maskable: bool = False) -> Image.Image:
    scale = 4  # draw large, then downsample for smooth edges
    big = size * scale
    image = Image.new("RGBA", (big, big), GREEN if maskable else (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    if not maskable:
        pen.rounded_rectangle((0, 0, big - 1, big - 1), radius=big // 5, fill=GREEN)
    inset = 0.22 if maskable else 0.15  # maskable: keep the mark inside the safe circle
    box = big * (1 - 2 * inset)

    def at(x: float, y: float) -> tuple[float, float]:
        return (big * inset + x * box, big * inset + y * box)

    mark = [at(0.12, 0.55), at(0.4, 0.8), at(0.88, 0.22)]
    pen.line(mark, fill=WHITE, width=int(box * 0.13), joint="curve")
    return image.resize((size, size), Image.Resampling.LANCZOS)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for size in (192, 512):
        draw(size).save(OUT / f"icon-{size}.png", optimize=True)
    draw(512, maskable=True).save(OUT / "maskable-512.png", optimize=True)


if __name__ == "__main__":
    main()
