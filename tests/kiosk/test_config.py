"""The typed configuration: defaults, every kind of bad value named by key, checked assignment, copies."""

from __future__ import annotations

import pytest

from kiosk.config import CONFIG_VERSION, ConfigError, KioskConfig, documented_settings, load, parse


def test_the_default_file_loads_with_documented_defaults():
    config = load(None)
    assert config.version == CONFIG_VERSION
    assert (config.ui.language, config.ui.font_scale, config.voice.rate_wpm) == ("zh_CN", 1.0, 140)
    assert config == KioskConfig.model_validate(config.as_dict())


@pytest.mark.parametrize(
    ("raw", "key", "problem"),
    [
        ({"ui": {"width_px": 100}}, "ui.width_px", "must be at least 800"),
        ({"ui": {"language": "fr"}}, "ui.language", "must be one of 'zh_CN', 'en'"),
        ({"ui": {"font_scale": 1.3}}, "ui.font_scale", "must be one of 1.0, 1.25, 1.5"),
        ({"ui": {"fullscreen": "yes"}}, "ui.fullscreen", "must be true or false"),
        ({"voice": {"volume": "loud"}}, "voice.volume", "must be a number"),
        ({"voice": {"rate_wpm": 140.5}}, "voice.rate_wpm", "must be a whole number"),
        ({"session": {"idle_timeout_s": 5}}, "session.idle_timeout_s", "must be more than 5"),
        ({"colour": "red"}, "colour", "is not a known setting"),
        ({"ui": {"colour": "red"}}, "ui.colour", "is not a known setting"),
        ({"ui": 3}, "ui", "must be a table of settings"),
        ({"devices": {"bp": {"port": "/dev/ttyUSB0"}}}, "devices.bp.driver", "is required"),
        ({"devices": {"bp": {"driver": 7}}}, "devices.bp.driver", "must be text"),
        ({"version": 99}, "version", "file is version 99; this kiosk understands up to 1"),
    ],
)
def test_a_bad_value_names_its_key_and_the_problem(raw, key, problem):
    with pytest.raises(ConfigError) as caught:
        parse(raw, "kiosk.toml")
    assert (caught.value.key, caught.value.problem) == (key, problem)
    assert str(caught.value) == f"kiosk.toml: {key}: {problem}"


def test_integers_are_accepted_where_a_number_is_declared():
    assert parse({"voice": {"volume": 1}}).voice.volume == 1.0


def test_device_roles_keep_their_driver_options():
    config = parse({"devices": {"bp": {"driver": "sim", "scenario": "normal", "time_scale": 0.1}}})
    assert config.devices["bp"].driver == "sim"
    assert config.devices["bp"].options == {"scenario": "normal", "time_scale": 0.1}


def test_assignment_is_checked_like_the_file():
    config = load(None)
    config.ui.font_scale = 1.5
    with pytest.raises(ValueError, match="must be one of"):
        config.ui.font_scale = 2.0
    with pytest.raises(AttributeError):
        config.ui.colour = "red"
    assert config.ui.font_scale == 1.5


def test_copies_are_independent_and_updates_are_checked():
    config = load(None)
    deep = config.model_copy(deep=True)
    deep.ui.language = "en"
    assert config.ui.language == "zh_CN"
    quiet = config.voice.model_copy(update={"backend": "null"})
    assert (quiet.backend, config.voice.backend) == ("null", "pyttsx3")
    with pytest.raises(ValueError):
        config.voice.model_copy(update={"backend": "festival"})


def test_two_configs_do_not_share_mutable_defaults():
    a, b = KioskConfig(), KioskConfig()
    a.devices["bp"] = parse({"devices": {"bp": {"driver": "sim"}}}).devices["bp"]
    assert b.devices == {}


def test_every_setting_is_documented():
    rows = documented_settings()
    assert {key for key, _, _ in rows} >= {"ui.language", "voice.rate_wpm", "server.url", "session.idle_timeout_s"}
    assert all(description for _, description, _ in rows)
