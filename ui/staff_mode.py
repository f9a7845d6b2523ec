"""Staff help-desk mode on the kiosk window: which screens need a staff sign-in first."""

from __future__ import annotations

from typing import Any

STAFF_PREFIX = "staff_"
SIGN_IN_SCREEN = "staff_signin"
HOME_SCREEN = "staff_home"


def is_staff_screen(name: str) -> bool:
    return name.startswith(STAFF_PREFIX)


def staff_signed_in(session: Any) -> bool:
    """Whether a staff member (not a technician) is signed in on ``session`` (ctx.session)."""
    operator = getattr(session, "operator", None)
    return operator is not None and getattr(operator, "role", "") == "staff"


def guarded_staff_screen(name: str, session: Any) -> str:
    """The screen to show for ``name``: staff screens need a staff sign-in first; a signed-in
    staff member asking for the sign-in again gets the help desk home."""
    if not is_staff_screen(name):
        return name
    signed_in = staff_signed_in(session)
    if name == SIGN_IN_SCREEN:
        return HOME_SCREEN if signed_in else name
    return name if signed_in else SIGN_IN_SCREEN
