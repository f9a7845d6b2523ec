"""The API's frame: version, limits, the base model, error bodies, health, enrollment and auth."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


API_PREFIX = "/api/v1"
PROTOCOL_VERSION = 1
MAX_PUSH_RECORDS = 500
MAX_CHANGES_PAGE = 1000
POINTS_PER_YUAN = 10


class WireModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ErrorBody(WireModel):
    """A failure the kiosk can translate: ``code`` is a message key (``points.insufficient``)."""

    code: str
    detail: str = ""
    params: dict[str, Any] = Field(default_factory=dict)


class ErrorResponse(WireModel):
    error: ErrorBody


class HealthResponse(WireModel):
    status: str = "ok"
    version: str
    protocol: int = PROTOCOL_VERSION
    server_time: datetime


class EnrollRequest(WireModel):
    code: str = Field(min_length=4, max_length=64)
    kiosk_name: str = Field(max_length=100)
    install_id: str = Field(max_length=64)
    version: str = Field(max_length=32)


class EnrollResponse(WireModel):
    kiosk_id: str
    secret: str
    community_id: str
    server_time: datetime


AUTH_SCHEME = "Bearer"


def auth_header(kiosk_id: str, secret: str) -> dict[str, str]:
    """The header every authenticated request carries (over verified TLS in production)."""
    return {"Authorization": f"{AUTH_SCHEME} {kiosk_id}:{secret}"}
