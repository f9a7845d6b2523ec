"""The "sim" scanner twin: scripted payloads and images through real decoders, fault injection."""

from __future__ import annotations

import threading
import time

import cv2
import pytest

from devices import registry
from devices.scanner import synthetic as syn
from devices.scanner.sim import SimScanner
from devices.state import DeviceState

DEADLINE_S = 20.0  # only bounds a failing test


def wait_until(predicate) -> None:
    end = time.monotonic() + DEADLINE_S
    while not predicate():
        assert time.monotonic() < end, "condition not reached"
        time.sleep(0.005)


@pytest.fixture
def scanners():
    made: list[SimScanner] = []
    yield made
    for scanner in made:
        scanner.close()
    assert not any(s.running for s in made)


def started(scanners, **options):
    scanner = registry.create("scanner", "sim", **options)
    scanners.append(scanner)
    results, states = [], []
    scanner.subscribe(results.append)
    scanner.state.subscribe(lambda r: states.append((r.state, r.reason_key)))
    scanner.open()
    return scanner, results, states


def test_config_chosen_sim_plays_payloads_in_order(scanners):
    scanner, results, _ = started(scanners, payloads=["KIOSK1.a", "KIOSK1.b"], interval_s=0.01)
    wait_until(lambda: len(results) == 2)
    assert isinstance(scanner, SimScanner)
    assert [(r.payload, r.symbology, r.source) for r in results] == [
        ("KIOSK1.a", "qrcode", "sim"), ("KIOSK1.b", "qrcode", "sim")]


@pytest.mark.parametrize("backend", ["zxing", "pyzbar"])
def test_image_files_are_decoded_by_the_configured_decoder(scanners, tmp_path, backend):
    path = tmp_path / "card.png"
    cv2.imwrite(str(path), syn.on_canvas(syn.qr_image("FROM-IMAGE", 4), 640, 480))
    _, results, _ = started(scanners, images=[str(path)], interval_s=0.01, decoder=backend)
    wait_until(lambda: results)
    assert [(r.payload, r.source) for r in results] == [("FROM-IMAGE", backend)]


def test_unreadable_image_file_delivers_nothing_and_keeps_running(scanners, tmp_path):
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"not a png")
    scanner, results, _ = started(scanners, images=[str(broken)], interval_s=0.01)
    wait_until(lambda: scanner.played == 1)
    scanner.play("STILL-ALIVE")
    wait_until(lambda: results)
    assert [r.payload for r in results] == ["STILL-ALIVE"]


def test_fail_after_makes_the_camera_go_away_then_recover(scanners):
    scanner, results, states = started(
        scanners, payloads=["ONE", "TWO", "THREE"], interval_s=0.01, fail_after=1,
        recover_after_s=0.1)
    wait_until(lambda: len(results) == 3)
    assert [r.payload for r in results] == ["ONE", "TWO", "THREE"]
    lost = states.index((DeviceState.ERROR, "scanner.camera_lost"))
    assert (DeviceState.READY, "scanner.ready") in states[lost:]


def test_injected_fault_swallows_scans_until_recovered(scanners):
    scanner, results, _ = started(scanners)
    wait_until(lambda: scanner.state.state is DeviceState.READY)
    scanner.inject_fault()
    wait_until(lambda: scanner.state.state is DeviceState.ERROR)
    scanner.play("WHILE-GONE")
    wait_until(lambda: scanner.queued == 0)
    scanner.recover()
    wait_until(lambda: scanner.state.state is DeviceState.READY)
    scanner.play("AFTER")
    wait_until(lambda: results)
    assert [r.payload for r in results] == ["AFTER"]
    assert scanner.state.report.reason_key == "scanner.ready"


def test_play_image_array_goes_through_the_decoder_and_repeat_filter(scanners):
    scanner, results, _ = started(scanners, decoder="zxing")
    frame = syn.on_canvas(syn.qr_image("ARRAY-CODE", 4), 640, 480)
    scanner.play_image(frame)
    scanner.play_image(frame)
    scanner.play("LAST")
    wait_until(lambda: len(results) == 2)
    assert [(r.payload, r.source) for r in results] == [("ARRAY-CODE", "zxing"), ("LAST", "sim")]


def test_looping_schedule_repeats_once_the_window_has_passed(scanners):
    clock_lock = threading.Lock()
    now = [0.0]

    def clock() -> float:
        with clock_lock:
            now[0] += 0.05  # simulated time: every look at the clock is 50 ms later
            return now[0]

    scanner = SimScanner(payloads=["LOOP"], interval_s=2.5, loop=True, clock=clock)
    scanners.append(scanner)
    results = []
    scanner.subscribe(results.append)
    scanner.open()
    wait_until(lambda: len(results) >= 2)
    scanner.close()
    assert {r.payload for r in results} == {"LOOP"}
    assert scanner.played == len(results)  # each replay was 2.5 s after the last: none dropped
