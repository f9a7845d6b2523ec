"""The `kiosk` command: help, config errors, doctor, screenshot, and an offscreen demo that stays up."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from ui.cli import main

KIOSK = [sys.executable, "-m", "ui.cli"]


def test_help_lists_every_command(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    for command in ("demo", "run", "screenshot", "audit", "doctor"):
        assert command in out


def test_a_bad_config_file_stops_start_up_naming_the_key(tmp_path, capsys):
    bad = tmp_path / "kiosk.toml"
    bad.write_text('version = 1\n[ui]\nfont_scale = 3.0\n', encoding="utf-8")
    assert main(["doctor", "--config", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "ui.font_scale" in err and str(bad) in err


def test_a_config_file_with_a_syntax_error_is_reported_not_raised(tmp_path, capsys):
    bad = tmp_path / "kiosk.toml"
    bad.write_text('[ui\nlanguage = "en"\n', encoding="utf-8")
    assert main(["run", "--config", str(bad)]) == 2
    assert "(syntax)" in capsys.readouterr().err


def test_doctor_reports_each_subsystem_and_passes_on_defaults(capsys):
    assert main(["doctor"]) == 0
    out = capsys.readouterr().out
    for subsystem in ("数据库", "语音", "中文字体", "设备", "服务器连接"):
        assert subsystem in out


def test_doctor_fails_when_a_required_subsystem_is_broken(tmp_path, capsys):
    cfg = tmp_path / "kiosk.toml"
    cfg.write_text('version = 1\n[server]\nurl = "http://127.0.0.1:9"\nrequired = true\n', encoding="utf-8")
    assert main(["doctor", "--config", str(cfg)]) == 1
    assert "127.0.0.1:9" in capsys.readouterr().out


def test_screenshot_writes_one_png_per_screen_and_state(tmp_path, capsys):
    assert main(["screenshot", "--out", str(tmp_path), "--lang", "en", "--scale", "1.5"]) == 0
    pngs = sorted(p.name for p in tmp_path.glob("*.png"))
    assert "home-default.png" in pngs and "home-idle_countdown.png" in pngs and "health-default.png" in pngs
    assert all((tmp_path / p).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for p in pngs)


@pytest.mark.slow
def test_offscreen_demo_stays_up_until_stopped(tmp_path):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    proc = subprocess.Popen([*KIOSK, "demo"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        time.sleep(5)
        assert proc.poll() is None, proc.stderr.read().decode(errors="replace")[-2000:]
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=20) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_devices_list_shows_every_configured_role(capsys):
    assert main(["devices", "list"]) == 0
    out = capsys.readouterr().out
    for role in ("bp", "spo2", "thermometer", "scale", "glucose", "scanner", "printer", "speech"):
        assert role in out


def test_devices_test_bp_takes_a_simulated_reading(tmp_path, capsys):
    cfg = tmp_path / "kiosk.toml"
    cfg.write_text('version = 1\n[devices.bp]\ndriver = "sim"\ntime_scale = 0.01\n', encoding="utf-8")
    assert main(["devices", "test", "bp", "--config", str(cfg)]) == 0
    out = capsys.readouterr().out
    assert "systolic_mmhg=" in out and "袖带压力" in out


def test_devices_test_printer_reports_paper_out(tmp_path, capsys):
    cfg = tmp_path / "kiosk.toml"
    cfg.write_text('version = 1\n[devices.printer]\ndriver = "sim"\nfault = "paper_out"\n', encoding="utf-8")
    assert main(["devices", "test", "printer", "--config", str(cfg)]) == 1
    assert "纸" in capsys.readouterr().out
