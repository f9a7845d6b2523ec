"""Open311 GeoReport v2 (STANDARDS s8) over the request workflow, JSON only, under /open311/v2.

- ``GET services.json`` / ``GET services/{code}.json``: the active categories; a category's
  common phrases are its one attribute (``phrases``, multivaluelist). ``lang=en`` names in English.
- ``POST requests.json`` (form-encoded): needs ``api_key`` (issued by ``kiosk-server request
  open311-key``; 403 without a valid one); ``service_code``; a location as ``lat`` + ``long``,
  ``address_string`` or ``address_id`` (a place code of the map); ``description`` <= 4000
  characters; optional ``media_url``, ``device_id``, ``account_id``, ``attribute[phrases][]``.
  Personal contact fields (email, names, phone) are not kept. Answers 201 with
  ``[{service_request_id, service_notice, account_id}]``.
- ``GET requests.json`` (filters ``service_request_id`` (comma list), ``service_code``,
  ``start_date``, ``end_date``, ``status`` open/closed; default the last 90 days, at most 1000)
  and ``GET requests/{id}.json``: public without a key; ``description`` only with a valid
  ``api_key`` (residents' free text may name people). Never a resident id or kiosk media.

Status: ``closed`` for resolved, closed and returned requests, else ``open``; ``status_notes`` is
the latest note; ``expected_datetime`` the resolve deadline. Errors are ``[{code, description}]``
with 400, 403 or 404.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from kiosk.protocol import MAX_REQUEST_TEXT, tracking_number
from server.models import ServiceRequest, SubDistrict
from server.models.service_requests import Open311Client, RequestCategory, RequestPlace
from server.requests import workflow
from server.requests.catalog import categories, place_path
from server.txn import in_transaction

PREFIX = "/open311/v2"
OPEN311_CODE = "OS"  # tracking numbers of requests filed through Open311: OS-<yymmdd>-<seq><check>
LOCAL_TZ = ZoneInfo("Asia/Shanghai")
DEFAULT_DAYS = 90
MAX_RESULTS = 1000
CLOSED = {s.value for s in workflow.FINISHED}
FORM = "application/x-www-form-urlencoded"
_NUMBERING_LOCK_ID = 0x4F50454E333131  # "OPEN311"


class Open311Error(Exception):
    def __init__(self, status: int, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.description = description


def _error(status: int, description: str) -> JSONResponse:
    return JSONResponse([{"code": status, "description": description}], status_code=status)


def _iso(when: datetime | None) -> str | None:
    return when.astimezone(UTC).isoformat(timespec="seconds") if when else None


def _client(session: Session, api_key: str | None) -> Open311Client | None:
    """The client of a valid key; None without a key; Open311Error 403 for a wrong or revoked one."""
    if api_key is None or api_key == "":
        return None
    client = session.scalar(select(Open311Client).where(
        Open311Client.key_hash == hashlib.sha256(api_key.encode()).hexdigest()))
    if client is None or client.revoked_at is not None:
        raise Open311Error(403, "api_key is not valid")
    return client


def _check_jurisdiction(session: Session, jurisdiction_id: str | None) -> None:
    if jurisdiction_id and session.get(SubDistrict, jurisdiction_id) is None:
        raise Open311Error(404, f"jurisdiction_id {jurisdiction_id} not found")


def _name(cat: RequestCategory | None, code: str, lang: str) -> str:
    if cat is None:
        return code
    return cat.en if lang == "en" else cat.zh


def _service(cat: RequestCategory, lang: str) -> dict[str, Any]:
    return {
        "service_code": cat.code, "service_name": _name(cat, cat.code, lang),
        "description": " / ".join(p["en" if lang == "en" else "zh"] for p in cat.phrases),
        "metadata": bool(cat.phrases), "type": "realtime",
        "keywords": ",".join(p["en" if lang == "en" else "zh"] for p in cat.phrases),
        "group": "Requests" if lang == "en" else "报事报修",
    }


def _definition(cat: RequestCategory, lang: str) -> dict[str, Any]:
    key = "en" if lang == "en" else "zh"
    return {"service_code": cat.code, "attributes": [{
        "variable": True, "code": "phrases", "datatype": "multivaluelist", "required": False,
        "datatype_description": "Common phrases of this category" if lang == "en" else "该类别的常用语",
        "order": 1, "description": "What is wrong" if lang == "en" else "问题描述",
        "values": [{"key": p["code"], "name": p[key]} for p in cat.phrases],
    }] if cat.phrases else []}


def _item(session: Session, req: ServiceRequest, lang: str, with_description: bool) -> dict[str, Any]:
    cat = session.get(RequestCategory, req.category)
    item = {
        "service_request_id": req.tracking_no,
        "status": "closed" if req.status in CLOSED else "open",
        "status_notes": req.status_note or "",
        "service_name": _name(cat, req.category, lang),
        "service_code": req.category,
        "agency_responsible": cat.agency if cat is not None else "",
        "service_notice": "",
        "requested_datetime": _iso(req.created_at),
        "updated_datetime": _iso(req.updated_at),
        "expected_datetime": _iso(req.resolve_due),
        "address": req.location or "",
        "address_id": req.place_code or None,
        "zipcode": None,
        "lat": req.lat,
        "long": req.long,
        "media_url": req.media_url,
    }
    if with_description:
        item["description"] = req.description
    return item


def _date(params: dict[str, str], name: str) -> datetime | None:
    text = params.get(name)
    if not text:
        return None
    try:
        when = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise Open311Error(400, f"{name} is not a W3C date-time") from None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def list_requests(session: Session, params: dict[str, str], now: datetime) -> list[dict[str, Any]]:
    _check_jurisdiction(session, params.get("jurisdiction_id"))
    client = _client(session, params.get("api_key"))
    lang = params.get("lang", "zh")
    query = select(ServiceRequest)
    ids = [i.strip() for i in params.get("service_request_id", "").split(",") if i.strip()]
    if ids:
        query = query.where(ServiceRequest.tracking_no.in_(ids))
    else:
        start, end = _date(params, "start_date"), _date(params, "end_date")
        if start is None and end is None:
            start = now - timedelta(days=DEFAULT_DAYS)
        if start is not None:
            query = query.where(ServiceRequest.created_at >= start)
        if end is not None:
            query = query.where(ServiceRequest.created_at <= end)
        if codes := [c.strip() for c in params.get("service_code", "").split(",") if c.strip()]:
            query = query.where(ServiceRequest.category.in_(codes))
        if statuses := [s.strip() for s in params.get("status", "").split(",") if s.strip()]:
            if not set(statuses) <= {"open", "closed"}:
                raise Open311Error(400, "status must be open or closed")
            if statuses == ["open"]:
                query = query.where(ServiceRequest.status.not_in(CLOSED))
            elif statuses == ["closed"]:
                query = query.where(ServiceRequest.status.in_(CLOSED))
    rows = session.scalars(query.order_by(ServiceRequest.created_at.desc()).limit(MAX_RESULTS)).all()
    return [_item(session, r, lang, client is not None) for r in rows]


def _one(form: dict[str, list[str]], name: str) -> str | None:
    values = form.get(name)
    return values[0].strip() if values else None


def _float(text: str | None, name: str, low: float, high: float) -> float | None:
    if text is None or text == "":
        return None
    try:
        value = float(text)
    except ValueError:
        raise Open311Error(400, f"{name} is not a number") from None
    if not low <= value <= high:
        raise Open311Error(400, f"{name} is out of range")
    return value


def _new_tracking_no(session: Session, now: datetime) -> str:
    """The next OS-<day>-<seq> number; on PostgreSQL numbering is serialised by an advisory lock
    held until commit (SQLite's BEGIN IMMEDIATE already serialises writers)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": _NUMBERING_LOCK_ID})
    day = now.astimezone(LOCAL_TZ).strftime("%y%m%d")
    prefix = f"{OPEN311_CODE}-{day}-"
    taken = session.scalars(select(ServiceRequest.tracking_no).where(ServiceRequest.tracking_no.like(prefix + "%"))).all()
    seq = max((int(t[len(prefix):-1]) for t in taken), default=0) + 1
    return tracking_number(OPEN311_CODE, day, seq)


def create_request(session: Session, form: dict[str, list[str]], now: datetime) -> dict[str, Any]:
    """Validate an Open311 POST and file it; Open311Error 400/403/404 when it cannot be."""
    _check_jurisdiction(session, _one(form, "jurisdiction_id"))
    client = _client(session, _one(form, "api_key"))
    if client is None:
        raise Open311Error(403, "api_key is required to file a request")
    code = _one(form, "service_code")
    if not code:
        raise Open311Error(400, "service_code is required")
    cat = session.get(RequestCategory, code)
    if cat is None or not cat.active:
        raise Open311Error(404, f"service_code {code} not found")
    lat, long = _float(_one(form, "lat"), "lat", -90, 90), _float(_one(form, "long"), "long", -180, 180)
    if (lat is None) != (long is None):
        raise Open311Error(400, "lat and long must be given together")
    address = _one(form, "address_string") or ""
    address_id = _one(form, "address_id") or ""
    if address_id and session.get(RequestPlace, address_id) is None:
        raise Open311Error(400, f"address_id {address_id} is not a known place")
    if lat is None and not address and not address_id:
        raise Open311Error(400, "a location is required: lat and long, address_string or address_id")
    description = _one(form, "description") or ""
    if len(description) > MAX_REQUEST_TEXT:
        raise Open311Error(400, f"description is longer than {MAX_REQUEST_TEXT} characters")
    known = {p["code"] for p in cat.phrases}
    phrases = [p for p in form.get("attribute[phrases][]", []) + form.get("attribute[phrases]", []) if p]
    if unknown := [p for p in phrases if p not in known]:
        raise Open311Error(400, f"attribute phrases has unknown values: {','.join(unknown)}")
    media_url = _one(form, "media_url") or None
    if media_url and not media_url.startswith(("http://", "https://")):
        raise Open311Error(400, "media_url must be an http(s) URL")
    location = place_path(session, address_id) if address_id else address
    if not location:
        location = f"{lat:.6f},{long:.6f}"
    for _attempt in range(5):  # two posts on the same day may pick the same number: take the next
        tracking_no = _new_tracking_no(session, now)
        try:
            with session.begin_nested():
                workflow.new_request(
                    session, tracking_no=tracking_no, category=code, location=location, description=description,
                    place_code=address_id, phrases=phrases, source="open311", created_at=now, now=now,
                    actor="system", lat=lat, long=long, media_url=media_url,
                    device_id=(_one(form, "device_id") or None), account_id=(_one(form, "account_id") or None),
                    open311_client=client.id,
                )
            break
        except IntegrityError:
            continue
    else:
        raise Open311Error(400, "could not number the request; try again")
    return {"service_request_id": tracking_no, "service_notice": "", "account_id": _one(form, "account_id")}


def make_router(factory, clock) -> APIRouter:  # noqa: ANN001
    """The Open311 routes over the server's sessionmaker and clock."""
    router = APIRouter(prefix=PREFIX)

    def run(fn) -> Any:  # noqa: ANN001
        try:
            return in_transaction(factory, fn)
        except Open311Error as exc:
            return _error(exc.status, exc.description)

    @router.get("/services.json")
    def services(request: Request) -> Any:
        params = dict(request.query_params)

        def read(session: Session) -> JSONResponse:
            _check_jurisdiction(session, params.get("jurisdiction_id"))
            lang = params.get("lang", "zh")
            return JSONResponse([_service(c, lang) for c in categories(session)])

        return run(read)

    @router.get("/services/{service_code}.json")
    def service(service_code: str, request: Request) -> Any:
        params = dict(request.query_params)

        def read(session: Session) -> JSONResponse:
            _check_jurisdiction(session, params.get("jurisdiction_id"))
            cat = session.get(RequestCategory, service_code)
            if cat is None or not cat.active:
                raise Open311Error(404, f"service_code {service_code} not found")
            return JSONResponse(_definition(cat, params.get("lang", "zh")))

        return run(read)

    @router.get("/requests.json")
    def requests_list(request: Request) -> Any:
        params = dict(request.query_params)
        return run(lambda s: JSONResponse(list_requests(s, params, clock())))

    @router.get("/requests/{request_id}.json")
    def request_one(request_id: str, request: Request) -> Any:
        params = dict(request.query_params) | {"service_request_id": request_id}

        def read(session: Session) -> JSONResponse:
            items = list_requests(session, params, clock())
            if not items or "," in request_id:
                raise Open311Error(404, f"service_request_id {request_id} not found")
            return JSONResponse(items)

        return run(read)

    @router.post("/requests.json")
    async def requests_post(request: Request) -> Any:
        if not request.headers.get("content-type", "").startswith(FORM):
            return _error(400, f"the body must be {FORM}")
        raw = await request.body()
        try:
            form = parse_qs(raw.decode("utf-8"), keep_blank_values=True, strict_parsing=False)
        except (UnicodeDecodeError, ValueError):
            return _error(400, "the body is not valid form data")

        def create(session: Session) -> JSONResponse:
            return JSONResponse([create_request(session, form, clock())], status_code=201)

        return await run_in_threadpool(run, create)

    @router.api_route("/{rest:path}", methods=["GET", "POST", "PUT", "DELETE", "PATCH"], include_in_schema=False)
    def not_found(rest: str) -> JSONResponse:
        if rest.endswith(".xml"):
            return _error(400, "only the JSON format is supported")
        return _error(404, f"{PREFIX}/{rest} not found")

    return router
