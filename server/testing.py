"""Test helpers: a real uvicorn server on a loopback port in a thread, and a minimal seed."""

from __future__ import annotations

import socket
import threading
import time
from datetime import date, timedelta
from typing import Any

import uvicorn

from server.app import create_app
from server.db import make_engine, make_sessionmaker, utc_now
from server.identity_admin import active_key, create_signing_key
from server.kiosk_admin import new_enrollment_code
from server.migrate import upgrade
from server.models import Community, Staff, SubDistrict
from server.residents import add_resident, add_staff
from server.txn import in_transaction

START_TIMEOUT_S = 10.0
STOP_TIMEOUT_S = 10.0


class ServerThread:
    """Context manager: the server app on ``host``:``port`` (0 = a free port) in a daemon thread.

    ``base_url`` is set once it accepts connections. ``stop()`` asks uvicorn to exit and joins
    the thread (safe to call twice). Raises RuntimeError when the server does not start in time.
    """

    def __init__(self, db_url: str, host: str = "127.0.0.1", port: int = 0, *, migrate: bool = True,
                 now=None) -> None:  # noqa: ANN001
        if migrate:
            upgrade(db_url)
        self.app = create_app(db_url, now=now)
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind((host, port))
        self.host, self.port = self._sock.getsockname()[:2]
        self.base_url = f"http://{self.host}:{self.port}"
        config = uvicorn.Config(self.app, log_level="warning", access_log=False, lifespan="on",
                                timeout_graceful_shutdown=5)
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._run, name=f"kiosk-server-{self.port}", daemon=True)
        self._started = False

    def _run(self) -> None:
        self._server.run(sockets=[self._sock])

    def start(self) -> ServerThread:
        if self._started:
            return self
        self._started = True
        self._thread.start()
        deadline = time.monotonic() + START_TIMEOUT_S
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("the test server did not start")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        self._server.should_exit = True
        if self._thread.is_alive():
            self._thread.join(STOP_TIMEOUT_S)
        self._sock.close()

    def __enter__(self) -> ServerThread:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


MINIMAL_COMMUNITY = "C-01"


def seed_minimal(db_url: str, *, enroll_ttl_hours: float = 24) -> dict[str, Any]:
    """Migrate and add a community, 3 residents (a family of two and one alone), a staff member
    and a signing key unless present; always a fresh enrollment code. Returns their ids:
    community_id, residents, family_id, staff_id, technician_id, kid, enroll_code.
    """
    upgrade(db_url)
    engine = make_engine(db_url)
    try:
        def seed(session) -> dict[str, Any]:  # noqa: ANN001
            now = utc_now()
            if session.get(Community, MINIMAL_COMMUNITY) is None:
                session.add(SubDistrict(id="SD-CQ", name="仓前街道"))
                session.flush()  # no ORM relationships: parents are flushed before children
                session.add(Community(id=MINIMAL_COMMUNITY, sub_district_id="SD-CQ", name="葛巷社区"))
                session.flush()
                today = date.today()
                add_resident(session, name="王建国", birth_date=today - timedelta(days=365 * 72), phone="13800000001",
                             community_id=MINIMAL_COMMUNITY, family_id="F-0001", resident_id="R-000001")
                add_resident(session, name="李秀英", birth_date=today - timedelta(days=365 * 70), phone="13800000002",
                             community_id=MINIMAL_COMMUNITY, family_id="F-0001", resident_id="R-000002")
                add_resident(session, name="陈桂兰", birth_date=today - timedelta(days=365 * 85),
                             community_id=MINIMAL_COMMUNITY, resident_id="R-000003")
                add_staff(session, name="周晓燕", community_id=MINIMAL_COMMUNITY, staff_id="S-0001")
                add_staff(session, name="吴师傅", community_id=MINIMAL_COMMUNITY, role="technician", staff_id="S-0002")
            key = active_key(session) or create_signing_key(session, now=now)
            code = new_enrollment_code(session, MINIMAL_COMMUNITY, ttl_hours=enroll_ttl_hours, now=now)
            staff = session.get(Staff, "S-0001")
            return {
                "community_id": MINIMAL_COMMUNITY, "residents": ["R-000001", "R-000002", "R-000003"],
                "family_id": "F-0001", "staff_id": staff.id, "technician_id": "S-0002", "kid": key.kid,
                "enroll_code": code,
            }

        return in_transaction(make_sessionmaker(engine), seed)
    finally:
        engine.dispose()
