"""What the requests core refuses, as message keys with parameters (translated by the screens)."""

from __future__ import annotations

from kiosk.i18n import N_

NOT_FOUND = N_("requests.not_found")
OFFLINE = N_("requests.offline")
INVALID_RECEIPT = N_("requests.invalid_receipt")
REOPEN_WINDOW_PASSED = N_("requests.reopen_window_passed")
RATING_NEEDS_REASON = N_("requests.rating_needs_reason")
RATING_INVALID = N_("requests.rating_invalid")
NOT_RATEABLE = N_("requests.not_rateable")
NOT_REOPENABLE = N_("requests.not_reopenable")
REASON_REQUIRED = N_("requests.reason_required")
CATEGORY_REQUIRED = N_("requests.category_required")
URGENCY_INVALID = N_("requests.urgency_invalid")
TEXT_TOO_LONG = N_("requests.text_too_long")
TOO_MANY_PHRASES = N_("requests.too_many_phrases")
PHOTO_INVALID = N_("requests.photo_invalid")
PHOTO_TOO_LARGE = N_("requests.photo_too_large")
VOICE_INVALID = N_("requests.voice_invalid")
VOICE_TOO_LONG = N_("requests.voice_too_long")
VOICE_TOO_LARGE = N_("requests.voice_too_large")
KIOSK_CODE_INVALID = N_("requests.kiosk_code_invalid")
NOT_YOURS = N_("requests.not_yours")


class RequestError(Exception):
    """A refusal: ``key`` is a message key (``requests.not_found``), ``params`` fill its placeholders."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params
