"""The registry imports only the driver package of the role asked for (start-up time)."""

from __future__ import annotations

import subprocess
import sys

import pytest


def _modules_after(code: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", code + "\nimport sys\nprint(' '.join(sorted(sys.modules)))"],
        capture_output=True, text=True, timeout=120, check=True,
    )
    return set(out.stdout.split())


def test_finding_the_speech_driver_loads_neither_scanner_decoders_nor_numpy() -> None:
    loaded = _modules_after("from devices import registry\nregistry.get('speech', 'pyttsx3')")
    assert "devices.speech" in loaded
    assert not {"numpy", "devices.scanner", "devices.microphone", "devices.vitals"} & loaded


def test_a_role_is_found_in_its_own_package_and_listing_still_loads_every_package() -> None:
    loaded = _modules_after("from devices import registry\nassert registry.get('bp', 'sim').role == 'bp'")
    assert "devices.vitals" in loaded and "devices.scanner" not in loaded
    every = _modules_after("from devices import registry\nassert {d.role for d in registry.drivers()} >= {'printer', 'camera'}")
    assert {"devices.printer", "devices.camera", "devices.microphone", "devices.scanner"} <= every


def test_an_unknown_driver_still_names_the_known_ones() -> None:
    from devices import registry

    with pytest.raises(KeyError, match="pyttsx3") as raised:
        registry.get("speech", "nonexistent")
    assert "null" in str(raised.value)
