"""Crash safety of the kiosk core: kill -9 while it queues and while it syncs, start it again, and
every acknowledged record reaches the server exactly once (real server on loopback, real processes)."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kiosk.config import load
from kiosk.config_writer import validate_and_write
from support.live_server import applied_counts, live_server

ROOT = Path(__file__).resolve().parents[2]
CHILD = ROOT / "tests" / "support" / "ops_core_child.py"


def _acks(path: Path) -> dict[str, int]:
    """key -> n of every acknowledged record (a line cut by the kill is ignored)."""
    found = {}
    if path.exists():
        for line in path.read_text(encoding="ascii").splitlines():
            parts = line.split()
            if len(parts) == 3 and parts[0] == "ACK" and len(parts[2]) == 36:
                found[parts[2]] = int(parts[1])
    return found


def _start(tmp_path: Path, config: Path, acks: Path, *args: str) -> subprocess.Popen:
    env = dict(os.environ, KIOSK_DATA_DIR=str(tmp_path / "kiosk-data"), KIOSK_LOG_DIR=str(tmp_path / "kiosk-logs"),
               PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen")
    return subprocess.Popen([sys.executable, str(CHILD), str(config), str(acks), *args], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _wait(condition, timeout_s: float, child: subprocess.Popen) -> None:  # noqa: ANN001
    deadline = time.monotonic() + timeout_s
    while not condition():
        if child.poll() is not None:
            raise AssertionError(f"kiosk core exited early ({child.returncode}): {child.stderr.read().decode()[-2000:]}")
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.01)


def _kill(child: subprocess.Popen) -> None:
    os.kill(child.pid, signal.SIGKILL)
    child.wait(30)
    child.stderr.close()
    assert child.returncode == -signal.SIGKILL


def _kiosk_outbox(tmp_path: Path) -> dict[str, str]:
    with sqlite3.connect(tmp_path / "kiosk-data" / "kiosk.sqlite3") as conn:
        return dict(conn.execute("SELECT key, state FROM outbox WHERE kind = 'test.count'").fetchall())


@pytest.mark.slow
def test_kill_9_mid_write_and_mid_sync_loses_no_acknowledged_record_and_applies_none_twice(tmp_path):
    from server.testing import seed_minimal

    db_url = f"sqlite:///{tmp_path / 'server.db'}"
    seed = seed_minimal(db_url)
    acks = tmp_path / "acks.txt"
    with live_server(db_url, migrate=False) as server:
        config = load(None)
        config.server.url = server.base_url
        config.server.enrollment_code = seed["enroll_code"]
        config.server.push_batch = 20  # many small pushes: a kill lands inside one
        config.server.pull_interval_s = 3600
        config.server.backoff_base_s = 0.05
        config.server.backoff_cap_s = 1.0
        config.voice.backend = "null"
        path = tmp_path / "kiosk.toml"
        validate_and_write(path, config)

        def applied() -> int:
            return len(applied_counts(db_url))

        # 1. Killed while queueing records one by one (the relay sends them meanwhile).
        child = _start(tmp_path, path, acks, "write", "100000", "0")
        _wait(lambda: len(_acks(acks)) >= 300 and applied() >= 40, 120, child)
        _kill(child)
        first = _acks(acks)

        # 2. Killed while syncing: 1500 records queued fast, killed half-way through delivery.
        before = applied()
        child = _start(tmp_path, path, acks, "write", "1500", "100000")
        _wait(lambda: "WRITTEN" in acks.read_text() and applied() >= before + 400, 180, child)
        _kill(child)
        on_kiosk = _kiosk_outbox(tmp_path)
        done_on_server = {key for key, _, _ in applied_counts(db_url)}
        resent = [k for k, state in on_kiosk.items() if state == "pending" and k in done_on_server]
        assert any(state == "pending" for state in on_kiosk.values())  # killed before the end of delivery

        # 3. Started again: it delivers what is left, with the same keys.
        child = _start(tmp_path, path, acks, "drain")
        try:
            assert child.wait(300) == 0, child.stderr.read().decode()[-2000:]
        finally:
            if child.poll() is None:
                child.kill()
                child.wait(30)
            child.stderr.close()
        assert "DRAINED" in acks.read_text()

    acknowledged = _acks(acks)
    assert len(acknowledged) >= 300 + 1500 and set(first) <= set(acknowledged)
    counts = applied_counts(db_url)
    server_keys = {key: (times, n) for key, times, n in counts}
    assert all(times == 1 for times, _ in server_keys.values()), "a record was applied twice"
    missing = [k for k in acknowledged if k not in server_keys]
    assert not missing, f"{len(missing)} acknowledged records never reached the server"
    assert all(server_keys[k][1] == n for k, n in acknowledged.items())  # the payload that was acknowledged
    outbox_rows = _kiosk_outbox(tmp_path)
    assert set(outbox_rows) == set(server_keys)  # nothing on the server that the kiosk did not commit
    assert set(outbox_rows.values()) == {"delivered"}
    print(f"acknowledged {len(acknowledged)}, applied {len(counts)}, re-sent after the mid-sync kill {len(resent)}")
