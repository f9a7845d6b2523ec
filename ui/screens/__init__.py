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


def screen_class(name: str) -> type[Screen]:
    """The class registered as ``name``, importing as little as possible (start-up time).

    A screen lives in the module of the same name; the coming-soon placeholders are the only
    screens registered under other names. Raises KeyError for an unknown name.
    """
    for module in (name, "coming_soon"):
        if name in _REGISTRY:
            break
        if module in SCREEN_MODULES:
            importlib.import_module(f"ui.screens.{module}")
    if name not in _REGISTRY:
        registered_screens()
    if name not in _REGISTRY:
        raise KeyError(f"no screen named {name!r}")
    return _REGISTRY[name]


def registered_screens() -> dict[str, type[Screen]]:
    for module in SCREEN_MODULES:
        importlib.import_module(f"ui.screens.{module}")
    return dict(_REGISTRY)
