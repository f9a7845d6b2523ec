"""Settings pushed by the server (KIOSK_CONFIG) applied to the running kiosk without a restart."""

from __future__ import annotations

import logging
from typing import Any, Callable

from kiosk import events
from kiosk.config import HealthSection, KioskConfig, OpsSection, SessionSection

log = logging.getLogger(__name__)

# Whole sections that are safe to change while running, plus single keys of other sections.
# Not live: server URL/credentials/TLS, data and log folders, devices, voice engine and the
# technician PIN (those need a technician and usually a restart).
_LIVE_SECTIONS: dict[str, type] = {"session": SessionSection, "health": HealthSection, "ops": OpsSection}
_LIVE_SINGLE = frozenset({
    "voice.enabled", "voice.rate_wpm", "voice.volume",
    "ui.language", "ui.font_scale", "ui.theme",
    "server.pull_interval_s",
})


def live_keys() -> frozenset[str]:
    """Every dotted key the server may change on a running kiosk."""
    keys = set(_LIVE_SINGLE)
    for name, section in _LIVE_SECTIONS.items():
        keys.update(f"{name}.{field}" for field in section.model_fields)
    return frozenset(keys)


def _config_key(key: str) -> bool:
    section, _, field = key.partition(".")
    sections = KioskConfig.model_fields
    return section in sections and hasattr(sections[section].annotation, "model_fields") and \
        field in sections[section].annotation.model_fields


def apply_server_settings(runtime, settings: dict[str, Any]) -> list[str]:  # noqa: ANN001
    """Apply the allowed keys of ``settings`` to ``runtime.config`` (and the voice and relay that
    copied them at start); returns the keys whose value changed, sorted.

    Each value is checked like the file (type, bounds, health thresholds still rising); a
    refused value or a key that is not live is logged and ignored, the others still apply.
    Settings of other features ("canteen.*") are left to them. Announces the applied keys
    with ``events.settings_did_change`` so the UI re-applies what it copied. Any thread.
    """
    config: KioskConfig = runtime.config
    trial = config.model_copy(deep=True)
    allowed = live_keys()
    applied: list[str] = []
    for key in sorted(settings):
        if key not in allowed:
            if _config_key(key):
                log.warning("server setting %s cannot change while running; ignored", key)
            continue
        section_name, field = key.split(".", 1)
        section = getattr(trial, section_name)
        old = getattr(section, field)
        try:
            setattr(section, field, settings[key])
        except ValueError as exc:
            log.warning("server setting %s refused: %s", key, getattr(exc, "problem", exc))
            continue
        if section_name == "health" and trial.health.order_problem():
            problem = trial.health.order_problem()
            object.__setattr__(section, field, old)
            log.warning("server setting %s refused: %s %s", key, *problem)
            continue
        if getattr(section, field) != old:
            applied.append(key)
    for key in applied:
        section_name, field = key.split(".", 1)
        setattr(getattr(config, section_name), field, getattr(getattr(trial, section_name), field))
    if applied:
        _apply_side_effects(runtime, applied)
        log.info("server settings applied: %s", ", ".join(applied))
        events.settings_did_change.emit(tuple(applied))
    return applied


def _apply_side_effects(runtime, keys: list[str]) -> None:  # noqa: ANN001
    config = runtime.config
    voice = getattr(runtime, "voice", None)
    if voice is not None:
        from devices.speech.base import clamp_rate, clamp_volume

        if "voice.volume" in keys:
            voice.default_volume = clamp_volume(config.voice.volume)
        if "voice.rate_wpm" in keys:
            voice.default_rate_wpm = clamp_rate(config.voice.rate_wpm)
        if "voice.enabled" in keys:
            voice.set_enabled(config.voice.enabled)
    sync = getattr(runtime, "sync", None)
    if sync is not None and "server.pull_interval_s" in keys:
        sync.relay.pull_interval_s = config.server.pull_interval_s


def apply_cached(runtime) -> list[str]:  # noqa: ANN001
    """Apply the settings already pulled into the database (at start-up, or after a pull)."""
    from kiosk.sync.pull import settings

    with runtime.database.session() as session:
        pulled = settings(session)
    return apply_server_settings(runtime, pulled)


def attach(runtime) -> Callable[[], None]:  # noqa: ANN001
    """Apply the pulled settings now and after every pull that brings new ones (relay thread);
    returns the function that stops listening."""

    def on_pulled(db: object) -> None:
        if db is runtime.database:
            apply_cached(runtime)

    unsubscribe = events.server_settings_did_change.subscribe(on_pulled)
    apply_cached(runtime)
    return unsubscribe
