"""API errors as message keys: every error body the server sends is a kiosk.protocol.ErrorResponse."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from kiosk.protocol import ErrorBody, ErrorResponse

log = logging.getLogger(__name__)

_HTTP_CODES = {
    401: "auth.unknown_kiosk", 403: "auth.forbidden", 404: "http.not_found",
    405: "http.method_not_allowed", 413: "request.too_large",
}


class ApiError(Exception):
    """Raise in a route to answer ``status_code`` with ErrorResponse(code, params)."""

    def __init__(self, status_code: int, code: str, detail: str = "", **params: Any) -> None:
        super().__init__(code)
        self.status_code = status_code
        self.body = ErrorBody(code=code, detail=detail, params=params)


def error_response(status_code: int, body: ErrorBody, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(ErrorResponse(error=body).model_dump(mode="json"), status_code=status_code, headers=headers)


def install_error_handlers(app: FastAPI) -> None:
    """Map ApiError, HTTP errors, validation errors and crashes to ErrorResponse bodies."""

    @app.exception_handler(ApiError)
    async def _api_error(_request: Request, exc: ApiError) -> JSONResponse:
        return error_response(exc.status_code, exc.body)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = _HTTP_CODES.get(exc.status_code, f"http.{exc.status_code}")
        return error_response(exc.status_code, ErrorBody(code=code), getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        # Only where and what kind: the rejected values may be personal data.
        errors = [{"loc": [str(p) for p in e.get("loc", ())], "type": e.get("type", "")} for e in exc.errors()]
        return error_response(422, ErrorBody(code="request.invalid", params={"errors": errors}))

    @app.exception_handler(Exception)
    async def _crash(_request: Request, exc: Exception) -> JSONResponse:
        log.error("unhandled %s in a request", type(exc).__name__, exc_info=exc)
        return error_response(500, ErrorBody(code="server.error"))
