"""The technician's config writes: validated (the bad key named), atomic with a .bak, crash-safe."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from kiosk.config import ConfigError, load
from kiosk.config_writer import config_path, note_loaded, set_device, to_toml, validate, validate_and_write
from kiosk.staff.pins import verify_pin
from support.kiosk_world import config_with_devices

ROOT = Path(__file__).resolve().parents[3]


def test_every_setting_round_trips_through_the_toml_text():
    config = config_with_devices({
        "printer": {"driver": "file", "path": '/dev/usb/lp0 "quoted" \\ 打印机', "paper_mm": 80},
        "bp": {"driver": "sim", "scenario": "normal", "time_scale": 0.01, "script": [1, 2.5, "三"],
               "nested": {"a b": True, "x": [{"y": 1}]}},
    })
    config.kiosk.name = '葛巷社区 "一号" 终端\tA'
    config.health.bp_grade3_systolic_mmhg = 185.5
    text = to_toml(config)
    assert validate("k.toml", config) == text
    assert load_text(text) == config


def load_text(text: str):
    import tomllib

    from kiosk.config import parse

    return parse(tomllib.loads(text))


def test_writing_replaces_the_file_and_keeps_the_previous_one_as_bak(tmp_path):
    path = tmp_path / "kiosk.toml"
    first = load(None)
    validate_and_write(path, first)
    os.chmod(path, 0o640)
    second = set_device(first, "printer", "file", {"path": str(tmp_path / "receipts.bin"), "paper_mm": 80})
    validate_and_write(path, second)
    assert load(path) == second and load(path).devices["printer"].options["paper_mm"] == 80
    assert load(path.with_name("kiosk.toml.bak")) == first
    assert path.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kiosk.toml", "kiosk.toml.bak"]


def test_an_invalid_config_is_refused_with_its_key_and_the_file_is_untouched(tmp_path):
    path = tmp_path / "kiosk.toml"
    validate_and_write(path, load(None))
    before = path.read_bytes()
    bad = load(None)
    bad.health.bp_grade2_systolic_mmhg = 130.0  # each value is fine alone, but below grade 1 (140)
    with pytest.raises(ConfigError) as caught:
        validate_and_write(path, bad)
    assert caught.value.key == "health.bp_grade2_systolic_mmhg"
    assert "must be more than health.bp_grade1_systolic_mmhg" in caught.value.problem
    assert path.read_bytes() == before and not path.with_name("kiosk.toml.bak").exists()


@pytest.mark.parametrize(("role", "driver", "options", "key"), [
    ("printer", "laser", {}, "devices.printer.driver"),
    ("printer", "file", {"paper_mm": 80, "colour": "red"}, "devices.printer"),
    ("fridge", "sim", {}, "devices.fridge"),
    ("printer", "dummy", {"driver": "file"}, "devices.printer"),
])
def test_a_device_change_the_driver_refuses_names_the_key(role, driver, options, key):
    with pytest.raises(ConfigError) as caught:
        set_device(load(None), role, driver, options)
    assert caught.value.key == key


def test_set_device_switches_the_printer_and_keeps_the_required_flag():
    base = config_with_devices({"printer": {"driver": "dummy", "required": True}})
    changed = set_device(base, "printer", "file", {"path": "/tmp/p.bin", "profile": None})
    assert (changed.devices["printer"].driver, changed.devices["printer"].required) == ("file", True)
    assert changed.devices["printer"].options == {"path": "/tmp/p.bin"}
    assert base.devices["printer"].driver == "dummy"  # the running config is not touched


_CHILD = textwrap.dedent("""
    import os, sys
    from pathlib import Path
    from kiosk.config import load
    from kiosk import config_writer

    path = Path(sys.argv[1])
    config = load(path)
    config.kiosk.name = "second"
    real_replace = os.replace
    def crash_before_replace(src, dst):
        if Path(dst) == path:
            os._exit(9)  # the machine dies between writing the new file and swapping it in
        real_replace(src, dst)
    os.replace = crash_before_replace
    config_writer.validate_and_write(path, config)
""")


def test_a_crash_between_write_and_replace_leaves_the_old_file(tmp_path):
    path = tmp_path / "kiosk.toml"
    first = load(None)
    first.kiosk.name = "first"
    validate_and_write(path, first)
    done = subprocess.run([sys.executable, "-c", _CHILD, str(path)], cwd=ROOT, timeout=60)
    assert done.returncode == 9
    assert load(path).kiosk.name == "first"
    assert [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]  # the orphan the crash left
    first.kiosk.name = "third"
    validate_and_write(path, first)  # the next write cleans it up
    assert load(path).kiosk.name == "third"
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


_WRITER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from kiosk.config import load
    from kiosk.config_writer import validate_and_write

    path = Path(sys.argv[1])
    config = load(path)
    n = 0
    while True:
        n += 1
        config.kiosk.name = f"write-{n}-" + "x" * (n % 5000)
        validate_and_write(path, config)
        print(n, flush=True)
""")


def test_killing_the_writer_at_any_moment_leaves_a_whole_valid_file(tmp_path):
    path = tmp_path / "kiosk.toml"
    validate_and_write(path, load(None))
    child = subprocess.Popen([sys.executable, "-c", _WRITER, str(path)], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        acknowledged = 0
        while acknowledged < 40:
            acknowledged = int(child.stdout.readline())
        time.sleep(0.013)
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.kill()
        child.wait(10)
        child.stdout.close()
    name = load(path).kiosk.name  # parses: never half a file
    assert int(name.split("-")[1]) >= acknowledged


def test_config_path_prefers_the_environment_then_the_file_the_kiosk_started_with(tmp_path, monkeypatch):
    monkeypatch.delenv("KIOSK_CONFIG", raising=False)
    note_loaded(None)
    assert config_path().name == "kiosk.toml" and "community-kiosk" in str(config_path())
    note_loaded(tmp_path / "started.toml")
    assert config_path() == (tmp_path / "started.toml").resolve()
    monkeypatch.setenv("KIOSK_CONFIG", str(tmp_path / "env.toml"))
    assert config_path() == (tmp_path / "env.toml").resolve()
    note_loaded(None)


def test_kiosk_technician_set_pin_hashes_the_pin_into_the_file(tmp_path, monkeypatch, capsys):
    from ui.cli import main

    path = tmp_path / "kiosk.toml"
    validate_and_write(path, load(None))
    monkeypatch.setattr(sys, "stdin", io.StringIO("730519\n"))
    assert main(["technician", "set-pin", "--config", str(path), "--pin-stdin"]) == 0
    stored = load(path).technician.pin_hash
    assert verify_pin("730519", stored) and "730519" not in path.read_text()
    monkeypatch.setattr(sys, "stdin", io.StringIO("12\n"))
    assert main(["technician", "set-pin", "--config", str(path), "--pin-stdin"]) == 1
    assert "6" in capsys.readouterr().err and load(path).technician.pin_hash == stored


def test_a_technician_pin_hash_that_is_not_a_scrypt_hash_is_refused_by_key():
    from kiosk.config import parse

    with pytest.raises(ConfigError) as caught:
        parse({"technician": {"pin_hash": "123456"}}, "kiosk.toml")
    assert (caught.value.key, caught.value.problem) == ("technician.pin_hash", "not a scrypt PIN hash")
    assert parse({"technician": {"pin_hash": ""}}).technician.pin_hash == ""
