"""Why a canteen or points action was refused: a message key and its parameters, never a sentence."""

from __future__ import annotations

from kiosk.i18n import N_

FULL = N_("canteen.full")
ALREADY_BOOKED = N_("canteen.already_booked")
AFTER_CUTOFF = N_("canteen.after_cutoff")
OFFLINE_LIMIT = N_("canteen.offline_limit")
CANCEL_AFTER_CUTOFF = N_("canteen.cancel_after_cutoff")
CANCEL_NEEDS_NETWORK = N_("canteen.cancel_needs_network")
CANCEL_NOT_SYNCED = N_("canteen.cancel_not_synced")
CANCEL_NOT_BOOKED = N_("canteen.cancel_not_booked")
CANCEL_NOT_YOURS = N_("canteen.cancel_not_yours")
BOOKING_UNKNOWN = N_("canteen.booking_unknown")
MENU_UNKNOWN = N_("canteen.menu_unknown")
RESIDENT_UNKNOWN = N_("canteen.resident_unknown")
PRICE_CHANGED = N_("canteen.price_changed")
PAYMENT_UNKNOWN = N_("canteen.payment_unknown")
BOOKING_ID_REUSED = N_("canteen.booking_id_reused")
NOT_ENROLLED = N_("canteen.not_enrolled")
INSUFFICIENT = N_("points.insufficient")
CHECKIN_INVALID = N_("points.checkin_invalid")
CHECKIN_EXPIRED = N_("points.checkin_expired")
CHECKIN_NEEDS_NETWORK = N_("points.checkin_needs_network")
PROFILE_NEEDS_NETWORK = N_("points.profile_needs_network")
# Server codes a kiosk may show (a refused offline record in the staff's dead-letter list, an answer).
TICKET_INVALID = N_("canteen.ticket_invalid")
HOLD_UNKNOWN = N_("canteen.hold_unknown")
HOLD_FOREIGN = N_("canteen.hold_foreign")
TICKET_KEY_TAKEN = N_("canteen.ticket_key_taken")
TICKET_KEY_INVALID = N_("canteen.ticket_key_invalid")
NO_RESERVE_FOR_BOOKING = N_("points.no_reserve")


class CanteenError(Exception):
    """A refused canteen or points action: ``key`` is a message key (``canteen.full``), ``params``
    its placeholder values (``tr(key, **params)``)."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params
