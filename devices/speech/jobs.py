"""What the speech worker is asked to do: speak an utterance, or write one to a file."""

from __future__ import annotations

import concurrent.futures
from dataclasses import dataclass


@dataclass(frozen=True)
class Utterance:
    """Text plus the settings at the moment of say(); ``generation`` orders interruptions."""

    generation: int
    text: str
    lang: str
    rate_wpm: int
    volume: float
    voice_id: str


@dataclass(frozen=True)
class FileJob:
    """synthesize_to_file: the caller waits on ``future``."""

    utterance: Utterance
    path: str
    future: concurrent.futures.Future[None]
