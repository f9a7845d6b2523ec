"""Generated QR images with camera-like distortions, for the fake scanner, tests and benchmarks."""

from __future__ import annotations

import random
from dataclasses import dataclass

import numpy as np


def qr_image(payload: str | bytes, module_px: int = 6, border_modules: int = 4) -> np.ndarray:
    """A clean grey QR image of ``payload`` (black on white, uint8), made by segno."""
    import segno

    qr = segno.make_qr(payload, error="m")
    matrix = np.array([list(row) for row in qr.matrix], dtype=np.uint8)  # 1 = dark module
    matrix = np.pad(matrix, border_modules)
    image = np.where(matrix == 1, 0, 255).astype(np.uint8)
    return np.kron(image, np.ones((module_px, module_px), dtype=np.uint8))


def on_canvas(image: np.ndarray, width: int = 1280, height: int = 720,
              background: int = 200, at: tuple[int, int] | None = None) -> np.ndarray:
    """Paste ``image`` on a flat grey frame of the given size (centred unless ``at`` = (x, y))."""
    frame = np.full((height, width), background, dtype=np.uint8)
    h, w = image.shape[:2]
    if h > height or w > width:
        raise ValueError(f"image {w}x{h} does not fit a {width}x{height} frame")
    x, y = at if at is not None else ((width - w) // 2, (height - h) // 2)
    frame[y:y + h, x:x + w] = image
    return frame


def rotate(image: np.ndarray, degrees: float, fill: int = 255) -> np.ndarray:
    """Rotate about the centre, growing the canvas so no corner is cut off."""
    import cv2

    h, w = image.shape[:2]
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), degrees, 1.0)
    cos, sin = abs(matrix[0, 0]), abs(matrix[0, 1])
    new_w, new_h = int(h * sin + w * cos + 0.5), int(h * cos + w * sin + 0.5)
    matrix[0, 2] += new_w / 2 - w / 2
    matrix[1, 2] += new_h / 2 - h / 2
    return cv2.warpAffine(image, matrix, (new_w, new_h), flags=cv2.INTER_LINEAR,
                          borderValue=fill)


def blur(image: np.ndarray, sigma_px: float) -> np.ndarray:
    import cv2

    return cv2.GaussianBlur(image, (0, 0), sigma_px)


def low_contrast(image: np.ndarray, dark: int = 110, light: int = 150) -> np.ndarray:
    """Squeeze 0..255 into dark..light (a washed-out print or a glare)."""
    scaled = dark + image.astype(np.float32) * ((light - dark) / 255.0)
    return scaled.round().astype(np.uint8)


def invert(image: np.ndarray) -> np.ndarray:
    """Light code on a dark background (phone screens in dark mode)."""
    return 255 - image


def perspective(image: np.ndarray, tilt: float = 0.25, fill: int = 255) -> np.ndarray:
    """Warp as if seen from the side: the right edge shrinks by ``tilt`` of the height."""
    import cv2

    h, w = image.shape[:2]
    pad = int(max(h, w) * 0.1)
    src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    dst = np.float32([[pad, pad], [pad + w * 0.85, pad + h * tilt / 2],
                      [pad + w * 0.85, pad + h * (1 - tilt / 2)], [pad, pad + h]])
    matrix = cv2.getPerspectiveTransform(src, dst)
    return cv2.warpPerspective(image, matrix, (w + 2 * pad, h + 2 * pad),
                               flags=cv2.INTER_LINEAR, borderValue=fill)


def scale(image: np.ndarray, factor: float) -> np.ndarray:
    import cv2

    h, w = image.shape[:2]
    size = (max(1, int(w * factor)), max(1, int(h * factor)))
    return cv2.resize(image, size, interpolation=cv2.INTER_AREA)


def noise(image: np.ndarray, sigma: float, rng: np.random.Generator) -> np.ndarray:
    """Additive Gaussian sensor noise."""
    noisy = image.astype(np.float32) + rng.normal(0.0, sigma, image.shape)
    return np.clip(noisy, 0, 255).astype(np.uint8)


@dataclass(frozen=True)
class HardCase:
    payload: str
    distortions: tuple[str, ...]
    frame: np.ndarray


def hard_set(count: int = 200, seed: int = 7, width: int = 640, height: int = 480) -> list[HardCase]:
    """``count`` frames, each a random mix of the distortions above (fixed ``seed``)."""
    pick = random.Random(seed)
    rng = np.random.default_rng(seed)
    cases = []
    for index in range(count):
        payload = f"KIOSK-{index:04d}-{pick.getrandbits(40):010x}"
        image = qr_image(payload, module_px=pick.choice([2, 3, 4, 5]))
        applied: list[str] = []
        if pick.random() < 0.5:
            image = rotate(image, pick.uniform(-60, 60))
            applied.append("rotate")
        if pick.random() < 0.4:
            image = perspective(image, tilt=pick.uniform(0.1, 0.35))
            applied.append("perspective")
        if pick.random() < 0.4:
            image = blur(image, pick.uniform(0.8, 2.0))
            applied.append("blur")
        if pick.random() < 0.4:
            image = low_contrast(image, dark=pick.randint(80, 120), light=pick.randint(140, 180))
            applied.append("low_contrast")
        if pick.random() < 0.25:
            image = invert(image)
            applied.append("invert")
        if max(image.shape) > min(width, height):
            image = scale(image, min(width, height) / max(image.shape) * 0.95)
            applied.append("downscale")
        frame = on_canvas(image, width, height, background=int(image[0, 0]))
        if pick.random() < 0.4:
            frame = noise(frame, pick.uniform(4, 14), rng)
            applied.append("noise")
        cases.append(HardCase(payload, tuple(applied), frame))
    return cases
