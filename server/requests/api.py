"""HTTP routes of the requests feature: the public status behind a receipt's QR (kiosks) and Open311."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import FastAPI, Query

from kiosk.protocol import API_PREFIX, ErrorResponse, PublicRequestStatus, RequestEventData
from server.app import KioskId
from server.errors import ApiError
from server.models import ServiceRequest
from server.requests.open311 import make_router
from server.requests.workflow import actor_kind, events_of

_ERRORS = {code: {"model": ErrorResponse} for code in (401, 403, 404)}


def public_status(session, tracking_no: str, code: str) -> PublicRequestStatus:  # noqa: ANN001
    """Status and timeline (no notes, no people) when ``code`` matches the receipt; ApiError 404 else.

    An unknown number and a wrong code answer alike, so numbers cannot be probed for requests.
    """
    request = session.get(ServiceRequest, tracking_no)
    if request is None or not request.receipt_code or not hmac.compare_digest(request.receipt_code, code.upper()):
        raise ApiError(404, "request.not_found")
    return PublicRequestStatus(
        tracking_no=request.tracking_no, category=request.category, status=request.status,
        updated_at=request.updated_at,
        events=[RequestEventData(status=e.status, at=e.at, actor=actor_kind(e.actor))
                for e in events_of(session, tracking_no)],
    )


def install_routes(app: FastAPI) -> None:
    """Add the routes to the app made by server.app.create_app (uses its sessionmaker and clock)."""
    factory, clock = app.state.sessionmaker, app.state.now

    @app.get(API_PREFIX + "/requests/{tracking_no}/public", response_model=PublicRequestStatus, responses=_ERRORS)
    def request_public_status(
        tracking_no: str, kiosk_id: KioskId, code: Annotated[str, Query(min_length=4, max_length=16)],
    ) -> PublicRequestStatus:
        with factory() as session:
            return public_status(session, tracking_no, code)

    app.include_router(make_router(factory, clock))
