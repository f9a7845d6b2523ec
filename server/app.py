"""The community server's HTTP API (v1): health, enrollment, push, changes feed and reserves."""

from __future__ import annotations

import importlib
import logging
from contextlib import asynccontextmanager
from datetime import datetime
from importlib.metadata import PackageNotFoundError, version
from typing import Annotated, Callable

from fastapi import Depends, FastAPI, Header, Query, Request
from fastapi.responses import JSONResponse

from kiosk.protocol import (
    API_PREFIX, MAX_CHANGES_PAGE, ChangesResponse, EnrollRequest, EnrollResponse, ErrorBody, ErrorResponse,
    HealthResponse, PushRequest, PushResponse, ReserveGrant, ReserveRequest,
)
from server import kiosk_admin
from server.changes import changes_after
from server.db import make_engine, make_sessionmaker, utc_now
from server.errors import ApiError, error_response, install_error_handlers
from server.idempotent import apply_once, request_hash
from server.push import push_records
from server.txn import in_transaction

log = logging.getLogger(__name__)

# Modules that register outbox record handlers when imported (present once their issue lands).
HANDLER_MODULES = ("server.ledger.handlers", "server.requests.handlers", "server.health.handlers",
                   "server.canteen.handlers", "server.ops.handlers", "server.ops.awards")
RESERVE_KIND = "reserve.grant"
_ERRORS = {code: {"model": ErrorResponse} for code in (401, 403, 409, 422, 503)}

try:
    SERVER_VERSION = version("community-kiosk")
except PackageNotFoundError:  # running from a source tree
    SERVER_VERSION = "0.0.0"


def load_record_handlers() -> list[str]:
    """Import the optional handler modules; returns the ones that were found."""
    found = []
    for name in HANDLER_MODULES:
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name is None or not name.startswith(exc.name):
                raise
            continue
        found.append(name)
    return found


def current_kiosk(request: Request, authorization: Annotated[str | None, Header()] = None) -> str:
    """Dependency: the authenticated kiosk's id (ApiError 401 ``auth.unknown_kiosk`` / 403 ``auth.revoked``)."""
    factory, clock = request.app.state.sessionmaker, request.app.state.now
    with factory() as session:
        kiosk, stale = kiosk_admin.authenticate(session, authorization, now=clock())
    if stale:
        in_transaction(factory, lambda s: kiosk_admin.touch(s, kiosk.id, clock()))
    return kiosk.id


KioskId = Annotated[str, Depends(current_kiosk)]


def create_app(db_url: str, *, now: Callable[[], datetime] | None = None) -> FastAPI:
    """The FastAPI app over the (already migrated) database at ``db_url``.

    ``now`` replaces the clock (tests of expiry). Routes run on the server's worker threads.
    """
    engine = make_engine(db_url)
    factory = make_sessionmaker(engine)
    clock = now or utc_now
    load_record_handlers()

    @asynccontextmanager
    async def lifespan(_app: FastAPI):
        yield
        engine.dispose()

    app = FastAPI(title="Community kiosk server", version=SERVER_VERSION, lifespan=lifespan)
    app.state.engine = engine
    app.state.sessionmaker = factory
    app.state.now = clock
    install_error_handlers(app)
    from server.health.page import router as health_page_router

    app.include_router(health_page_router)  # GET /h/{check_id}: the page a health receipt's QR opens

    @app.get(API_PREFIX + "/health", response_model=HealthResponse)
    def health() -> HealthResponse:
        return HealthResponse(version=SERVER_VERSION, server_time=clock())

    @app.post(API_PREFIX + "/enroll", response_model=EnrollResponse, responses=_ERRORS)
    def enroll(body: EnrollRequest) -> EnrollResponse:
        return in_transaction(factory, lambda s: kiosk_admin.enroll(s, body, now=clock()))

    @app.post(API_PREFIX + "/sync/push", response_model=PushResponse, responses=_ERRORS)
    def push(body: PushRequest, kiosk_id: KioskId) -> PushResponse:
        return PushResponse(results=push_records(factory, kiosk_id, body.records, now=clock))

    @app.get(API_PREFIX + "/sync/changes", response_model=ChangesResponse, responses=_ERRORS)
    def changes(
        kiosk_id: KioskId,
        cursor: Annotated[int, Query(ge=0)] = 0,
        limit: Annotated[int, Query(ge=1, le=MAX_CHANGES_PAGE)] = MAX_CHANGES_PAGE,
    ) -> ChangesResponse:
        with factory() as session:
            page = changes_after(session, kiosk_id, cursor, limit)
        last = page[-1].seq if page else cursor
        return ChangesResponse(changes=page, cursor=last, more=len(page) == limit)

    @app.post(API_PREFIX + "/reserves", response_model=ReserveGrant, responses=_ERRORS)
    def reserve(body: ReserveRequest, kiosk_id: KioskId) -> JSONResponse:
        try:
            from server.ledger.reserves import grant_reserve
        except ModuleNotFoundError:
            raise ApiError(503, "reserve.unavailable") from None

        def apply(session) -> dict:
            grant = grant_reserve(
                session, kiosk_id=kiosk_id, resident_id=body.resident_id, amount=body.amount, key=body.key,
                now=clock(),
            )
            return ReserveGrant.model_validate(grant).model_dump(mode="json")

        payload = {"resident_id": body.resident_id, "amount": body.amount}
        answer = apply_once(
            factory, key=body.key, kiosk_id=kiosk_id, kind=RESERVE_KIND,
            payload_hash=request_hash(RESERVE_KIND, payload), apply=apply, now=clock,
        )
        if answer.result is not None:
            return JSONResponse(answer.result, status_code=200)
        return error_response(answer.status_code, answer.error or ErrorBody(code="server.error"))

    from server.requests.api import install_routes as install_request_routes

    install_request_routes(app)  # public receipt status and Open311 (issue #6)
    from server.canteen.routes import install_routes as install_canteen_routes

    install_canteen_routes(app)  # bookings, counters, check-ins and points views (issue #7)
    from server.ops.api import install_routes as install_ops_routes

    install_ops_routes(app)  # POST /heartbeat (issue #8)
    from server.ops.desk import install_routes as install_desk_routes

    install_desk_routes(app)  # POST /staff/lookup: the help desk finds a resident (issue #8)
    return app
