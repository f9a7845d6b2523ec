"""`kiosk demo`'s community server: the reference server in a child process on loopback, seeded once.

The kiosk never imports ``server``: it runs ``python -m server`` like any other program, so the
demo exercises the same HTTP path as a real deployment.
"""

from __future__ import annotations

import logging
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

log = logging.getLogger(__name__)

DEMO_COMMUNITY = "C-01"
START_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 10.0


class DemoServerError(RuntimeError):
    """The demo server could not be prepared or started; ``key`` is a message key."""

    def __init__(self, key: str, detail: str = "") -> None:
        super().__init__(f"{key}: {detail}" if detail else key)
        self.key = key


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class DemoServer:
    """The reference server for ``kiosk demo``: database under ``data_dir``, a free loopback port.

    ``start()`` migrates, seeds the demo data the first time, starts ``serve`` and waits for its
    health check; it blocks (run it on a worker, never the Qt thread). ``enrollment_code()``
    makes a one-time code for the demo community. ``stop()`` ends the child process.
    """

    def __init__(self, data_dir: Path, db_url: str | None = None, *, seed: bool = True) -> None:
        self.data_dir = Path(data_dir)
        self.db_url = db_url or f"sqlite:///{self.data_dir / 'demo-server.db'}"
        self.seed = seed
        self.url = ""
        self._process: subprocess.Popen[bytes] | None = None

    def _cli(self, *args: str, timeout_s: float = 120.0) -> str:
        command = [sys.executable, "-m", "server", *args, "--db", self.db_url]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=timeout_s, check=False)
        except subprocess.TimeoutExpired:
            raise DemoServerError("demo.server_failed", f"{args[0]} timed out") from None
        if done.returncode != 0:
            raise DemoServerError("demo.server_failed", (done.stderr or done.stdout).strip()[-300:])
        return done.stdout.strip()

    def start(self) -> str:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self._cli("migrate")
        if self.seed:
            self._cli("seed-demo", "--if-empty")
        port = _free_port()
        log_path = self.data_dir / "demo-server.log"
        with log_path.open("ab") as server_log:
            self._process = subprocess.Popen(
                [sys.executable, "-m", "server", "serve", "--db", self.db_url, "--host", "127.0.0.1",
                 "--port", str(port)],
                stdout=server_log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                start_new_session=True,  # a Ctrl+C in the terminal reaches the kiosk, which stops it
            )
        self.url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + START_TIMEOUT_S
        with requests.Session() as http:
            http.trust_env = False
            while time.monotonic() < deadline:
                if self._process.poll() is not None:
                    raise DemoServerError("demo.server_failed", f"serve exited with {self._process.returncode}")
                try:
                    if http.get(self.url + "/api/v1/health", timeout=(1, 2)).status_code == 200:
                        log.info("demo server up on %s", self.url)
                        return self.url
                except requests.RequestException:
                    pass
                time.sleep(0.2)
        self.stop()
        raise DemoServerError("demo.server_failed", "no answer to the health check")

    def enrollment_code(self) -> str:
        return self._cli("kiosk", "enroll-code", "--community", DEMO_COMMUNITY).splitlines()[-1].strip()

    def demo_card(self, min_age: int = 80) -> str:
        """A signed QR payload for the oldest demo resident of the demo community (the demo scanner
        presents it, so `make demo` can show every resident service, not only guest mode)."""
        rows = [line.split("\t") for line in self._cli("resident", "list").splitlines() if line.count("\t") >= 4]
        local = [r for r in rows if r[4] == DEMO_COMMUNITY and r[2].isdigit()] or [r for r in rows if r[2].isdigit()]
        if not local:
            raise DemoServerError("demo.server_failed", "the demo server has no residents")
        oldest = min(local, key=lambda r: int(r[2]))
        return self._cli("token", "issue", oldest[0], "--days", "30").splitlines()[-1].strip()

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(STOP_TIMEOUT_S)

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None
