"""Screens, one class per module, registered by name."""

from __future__ import annotations

import importlib

from ui.screens.base import Screen

SCREEN_MODULES = (
    "home", "identify", "call_staff",
    "health", "health_consent", "health_choose", "health_measure", "health_results", "health_history",
    "tech_signin", "tech_home", "tech_devices", "tech_test", "tech_camera", "tech_server", "tech_logs", "tech_diagnostics",
    "requests", "requests_category", "requests_place", "requests_details", "requests_text", "requests_photo",
    "requests_voice", "requests_confirm", "requests_receipt", "requests_mine", "requests_timeline", "requests_rate",
    "requests_reopen", "requests_check", "requests_public",
    "canteen", "canteen_book", "canteen_confirm", "canteen_ticket", "canteen_bookings", "canteen_counter",
    "points", "points_checkin",
    "staff_signin", "staff_home", "staff_lookup", "staff_award", "staff_calls", "staff_sync", "staff_reprint",
)

_REGISTRY: dict[str, type[Screen]] = {}


def register_screen(cls: type[Screen]) -> type[Screen]:
    if not cls.name:
        raise ValueError(f"{cls.__name__} has no name")
    if cls.name in _REGISTRY and _REGISTRY[cls.name] is not cls:
        raise ValueError(f"screen name {cls.name!r} registered twice")
    _REGISTRY[cls.name] = cls
    return cls


def screen_class(name: str) -> type[Screen]:
    """The class registered as ``name``, importing as little as possible (start-up time).

    A screen lives in the module of the same name (a test in tests/ui/test_shell.py checks it).
    Raises KeyError for an unknown name.
    """
    if name not in _REGISTRY and name in SCREEN_MODULES:
        importlib.import_module(f"ui.screens.{name}")
    if name not in _REGISTRY:
        registered_screens()
    if name not in _REGISTRY:
        raise KeyError(f"no screen named {name!r}")
    return _REGISTRY[name]


def registered_screens() -> dict[str, type[Screen]]:
    for module in SCREEN_MODULES:
        importlib.import_module(f"ui.screens.{module}")
    return dict(_REGISTRY)
