"""Constants shared by the server request tests."""

from __future__ import annotations

from datetime import UTC, datetime

T0 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)  # 09:00 in Hangzhou
