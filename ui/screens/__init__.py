"""Screens, one class per module, registered by name."""

from __future__ import annotations

import importlib

from ui.screens.base import Screen

SCREEN_MODULES = (
    "home", "coming_soon", "service_menu", "identify",
)

_REGISTRY: dict[str, type[Screen]] = {}


def register_screen(cls: type[Screen]) -> type[Screen]:
    if not cls.name:
        raise ValueError(f"{cls.__name__} has no name")
    if cls.name in _REGISTRY and _REGISTRY[cls.name] is not cls:
        raise ValueError(f"screen name {cls.name!r} registered twice")
    _REGISTRY[cls.name] = cls
    return cls


def registered_screens() -> dict[str, type[Screen]]:
    for module in SCREEN_MODULES:
        importlib.import_module(f"ui.screens.{module}")
    return dict(_REGISTRY)
