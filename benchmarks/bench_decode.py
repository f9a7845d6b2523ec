"""QR decode speed per backend on 720p frames, and read rate on a generated hard set."""

from __future__ import annotations

import statistics
import time

import numpy as np

from devices.scanner import synthetic as syn
from devices.scanner.decoders import decoder_availability, make_decoder

REPEATS = 30
HARD_SET_SIZE = 200
HARD_SET_SEED = 7


def _ms_per_frame(decoder, frame: np.ndarray, repeats: int = REPEATS) -> float:
    decoder.decode(frame)  # warm up (library load, first allocation)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        decoder.decode(frame)
        times.append((time.perf_counter() - start) * 1000.0)
    return statistics.median(times)


def run() -> list[tuple[str, float, str]]:
    empty = np.full((720, 1280), 128, dtype=np.uint8)
    with_code = syn.on_canvas(syn.qr_image("KIOSK1.k7.1767225600.5f3a9c2e.ABCDEFGH", 6))
    noise = np.random.default_rng(1).integers(0, 256, (720, 1280), dtype=np.uint8)
    hard = syn.hard_set(HARD_SET_SIZE, HARD_SET_SEED)
    rows: list[tuple[str, float, str]] = []
    for backend in ("zxing", "pyzbar"):
        if not decoder_availability(backend)[0]:
            continue
        decoder = make_decoder(backend)
        rows.append((f"decode {backend} empty 1280x720", _ms_per_frame(decoder, empty), "ms/frame"))
        rows.append((f"decode {backend} code 1280x720", _ms_per_frame(decoder, with_code), "ms/frame"))
        rows.append((f"decode {backend} noise 1280x720", _ms_per_frame(decoder, noise, 10), "ms/frame"))
        start = time.perf_counter()
        read = sum(any(r.payload == case.payload for r in decoder.decode(case.frame)) for case in hard)
        elapsed_ms = (time.perf_counter() - start) * 1000.0
        rows.append((f"decode {backend} hard set read rate ({HARD_SET_SIZE} frames 640x480)",
                     read / len(hard), "read/total"))
        rows.append((f"decode {backend} hard set time", elapsed_ms / len(hard), "ms/frame"))
    return rows


if __name__ == "__main__":
    for name, value, unit in run():
        print(f"{name:60s} {value:10.3f} {unit}")
