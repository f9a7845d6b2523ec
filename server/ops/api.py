"""HTTP route of the operations feature: POST /heartbeat (authenticated kiosks)."""

# No "from __future__ import annotations": FastAPI must see the KioskId dependency object itself.

from fastapi import FastAPI

from kiosk.protocol import API_PREFIX, ErrorResponse, Heartbeat, HeartbeatAnswer
from server.ops.heartbeat import record_heartbeat
from server.txn import in_transaction

_ERRORS = {code: {"model": ErrorResponse} for code in (401, 403, 422)}


def install_routes(app: FastAPI) -> None:
    """Add the routes to the app made by server.app.create_app (uses its sessionmaker and clock)."""
    from server.app import KioskId

    factory, clock = app.state.sessionmaker, app.state.now

    @app.post(API_PREFIX + "/heartbeat", response_model=HeartbeatAnswer, responses=_ERRORS)
    def heartbeat(body: Heartbeat, kiosk_id: KioskId) -> HeartbeatAnswer:
        return in_transaction(factory, lambda s: record_heartbeat(s, kiosk_id, body, now=clock()))
