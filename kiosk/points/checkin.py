"""Earn points by scanning an activity's check-in QR (server-signed; once per person per activity).

Online the server awards the points and says whether the person had checked in already. Offline
the kiosk verifies the code with the server keys it pulled, refuses a second check-in it knows
of, and queues a ``points.check_in`` record; the server still awards at most once (its ledger
key is per person and activity), so a check-in made at two kiosks offline counts once.
"""

from __future__ import annotations

import base64
import time
import uuid
from dataclasses import dataclass
from datetime import datetime

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy.orm import Session

from kiosk.canteen import errors as e
from kiosk.canteen import remote
from kiosk.canteen.errors import CanteenError
from kiosk.canteen.link import as_link
from kiosk.points.models import CheckInRow
from kiosk.protocol import ActivityClaims, ChangeKind, CheckInRecord, CheckInRequest, RecordKind, parse_activity_code
from kiosk.residents import Resident
from kiosk.sync import outbox
from kiosk.sync.errors import Offline, ServerBusy, ServerFault, SyncError
from kiosk.sync.models import BalanceCache, ServerCache, TrustedKey


@dataclass(frozen=True)
class CheckIn:
    activity_title: str
    points: int
    already: bool  # this person had checked in to this activity before: nothing added
    pending: bool = False  # checked in offline: the points are added when the kiosk is back online
    activity_id: str = ""


def verify_code(session: Session, payload: str, now: int | None = None) -> ActivityClaims:
    """The claims of a check-in code signed by a pulled server key; CanteenError points.checkin_invalid
    or points.checkin_expired."""
    try:
        claims, signing_input, signature = parse_activity_code(payload)
    except ValueError:
        raise CanteenError(e.CHECKIN_INVALID) from None
    key = session.get(TrustedKey, claims.key_id)
    try:
        if key is None:
            raise InvalidSignature()
        Ed25519PublicKey.from_public_bytes(base64.b64decode(key.data["public_key"])).verify(signature, signing_input)
    except (InvalidSignature, ValueError, KeyError):
        raise CanteenError(e.CHECKIN_INVALID) from None
    if (now if now is not None else int(time.time())) >= claims.expires_at:
        raise CanteenError(e.CHECKIN_EXPIRED)
    return claims


def _title(session: Session, activity_id: str) -> str:
    row = session.get(ServerCache, (ChangeKind.ACTIVITY.value, activity_id))
    return str(row.data.get("name", "")) if row is not None else ""


def check_in(source: object, payload: str, resident: Resident, now: datetime | None = None) -> CheckIn:
    """Check ``resident`` in to the activity of the scanned ``payload``. Worker thread.

    Raises CanteenError points.checkin_invalid (not a code the server signed), points.checkin_expired,
    canteen.resident_unknown.
    """
    link = as_link(source)
    at = int((now or link.clock()).timestamp())
    payload = payload.strip()
    rid = resident.resident_id
    if link.client is not None and link.credentials() is not None:
        try:
            answer = remote.check_in(link.client, CheckInRequest(key=uuid.uuid4(), payload=payload[:400],
                                                                 resident_id=rid))
        except (Offline, ServerBusy, ServerFault):
            pass  # the offline rules below
        except SyncError as exc:
            raise CanteenError(exc.key) from None
        else:
            if answer.error is not None:
                raise CanteenError(answer.error.code, **answer.error.params)

            def store(session: Session) -> None:
                row = session.get(CheckInRow, (rid, answer.activity_id))
                status = "already" if answer.already else "awarded"
                if row is None:
                    session.add(CheckInRow(resident_id=rid, activity_id=answer.activity_id, points=answer.points,
                                           status=status))
                if answer.balance is not None:
                    cached = session.get(BalanceCache, rid)
                    if cached is None:
                        session.add(BalanceCache(resident_id=rid, balance=answer.balance))
                    else:
                        cached.balance = answer.balance

            link.db.write(store)
            return CheckIn(answer.title, answer.points, answer.already, False, answer.activity_id)

    def offline(session: Session) -> CheckIn:
        claims = verify_code(session, payload, at)
        title = _title(session, claims.activity_id)
        known = session.get(CheckInRow, (rid, claims.activity_id))
        if known is not None and known.status != "refused":
            return CheckIn(title, known.points, True, known.status == "pending", claims.activity_id)
        key = outbox.enqueue(session, RecordKind.POINTS_CHECK_IN.value,
                             CheckInRecord(payload=payload, resident_id=rid).model_dump(mode="json"))
        if known is None:
            session.add(CheckInRow(resident_id=rid, activity_id=claims.activity_id, points=claims.points,
                                   status="pending", outbox_key=str(key)))
        else:
            known.status, known.outbox_key, known.error = "pending", str(key), None
        return CheckIn(title, claims.points, False, True, claims.activity_id)

    result = link.db.write(offline)
    if result.pending and not result.already:
        link.committed()
    return result
