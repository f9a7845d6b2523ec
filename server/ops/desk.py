"""Help desk look-up (issue #8): staff at a kiosk find a resident by phone digits or family; masked names only."""

# No "from __future__ import annotations": FastAPI must see the KioskId dependency object itself.

from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.protocol import API_PREFIX, ErrorResponse, ResidentLookupAnswer, ResidentLookupRequest, ResidentMatch
from server.errors import ApiError
from server.models import Kiosk, Resident, Staff
from server.residents import mask_name

MAX_MATCHES = 8  # a help desk picks one person; more means "ask for the name too"
_ERRORS = {code: {"model": ErrorResponse} for code in (401, 403, 404, 422)}


def check_operator(session: Session, kiosk_id: str, operator_id: str) -> Kiosk:
    """The kiosk, when ``operator_id`` is a staff member of its community; ApiError 403 ``staff.not_allowed``."""
    kiosk = session.get(Kiosk, kiosk_id)
    staff = session.get(Staff, operator_id.strip().upper())
    if kiosk is None or staff is None or staff.role != "staff" or staff.community_id != kiosk.community_id:
        raise ApiError(403, "staff.not_allowed")
    return kiosk


def _match(resident: Resident) -> ResidentMatch:
    return ResidentMatch(resident_id=resident.id, masked_name=mask_name(resident.name),
                         birth_year=resident.birth_date.year if resident.birth_date else None,
                         family_id=resident.family_id, community_id=resident.community_id)


def _digits(phone: str | None) -> str:
    return "".join(ch for ch in phone or "" if ch.isdigit())


def lookup_residents(session: Session, kiosk_id: str, request: ResidentLookupRequest) -> ResidentLookupAnswer:
    """Residents of the kiosk's community that match, by id.

    By ``family_of``: that resident and their family (404 ``staff.resident_unknown`` when not in
    this community). By ``phone_last4``: phones ending in those digits, narrowed to names that
    start with ``name`` (a surname or the full name) when given. Neither: 422 ``staff.lookup_empty``.
    """
    kiosk = check_operator(session, kiosk_id, request.operator_id)
    community = kiosk.community_id
    if request.family_of:
        resident = session.get(Resident, request.family_of.strip().upper())
        if resident is None or resident.community_id != community:
            raise ApiError(404, "staff.resident_unknown")
        if not resident.family_id:
            return ResidentLookupAnswer(matches=[_match(resident)])
        rows = session.scalars(select(Resident).where(Resident.family_id == resident.family_id,
                                                      Resident.community_id == community)
                               .order_by(Resident.id).limit(MAX_MATCHES + 1)).all()
    elif request.phone_last4:
        query = select(Resident).where(Resident.community_id == community, Resident.phone.is_not(None),
                                       Resident.phone.like(f"%{request.phone_last4}"))
        name = (request.name or "").strip()
        if name:
            query = query.where(Resident.name.startswith(name, autoescape=True))
        rows = [r for r in session.scalars(query.order_by(Resident.id))
                if _digits(r.phone).endswith(request.phone_last4)][: MAX_MATCHES + 1]
    else:
        raise ApiError(422, "staff.lookup_empty")
    return ResidentLookupAnswer(matches=[_match(r) for r in rows[:MAX_MATCHES]], more=len(rows) > MAX_MATCHES)


def install_routes(app: FastAPI) -> None:
    """POST /staff/lookup on the app made by server.app.create_app (authenticated kiosks)."""
    from server.app import KioskId

    factory = app.state.sessionmaker

    @app.post(API_PREFIX + "/staff/lookup", response_model=ResidentLookupAnswer, responses=_ERRORS)
    def staff_lookup(body: ResidentLookupRequest, kiosk_id: KioskId) -> ResidentLookupAnswer:
        with factory() as session:  # read only: nothing to commit
            return lookup_residents(session, kiosk_id, body)
