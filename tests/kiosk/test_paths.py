"""Data and log folders: environment beats configuration beats the platformdirs default."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk import paths
from kiosk.config import KioskConfig


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No overrides, and platformdirs pointed at a temporary home (Linux XDG variables)."""
    monkeypatch.delenv(paths.DATA_DIR_ENV, raising=False)
    monkeypatch.delenv(paths.LOG_DIR_ENV, raising=False)
    monkeypatch.delenv(paths.CACHE_DIR_ENV, raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "xdg-state"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    return tmp_path


def _config(data_dir: str = "", log_dir: str = "") -> KioskConfig:
    cfg = KioskConfig()
    cfg.kiosk.data_dir = data_dir
    cfg.kiosk.log_dir = log_dir
    return cfg


def test_data_dir_defaults_to_platformdirs_user_data_dir_and_is_created(clean_env: Path) -> None:
    import platformdirs

    expected = Path(platformdirs.user_data_dir(paths.APP_NAME, appauthor=False))
    assert not expected.exists()
    assert paths.data_dir() == expected.resolve()
    assert expected.is_dir()
    assert expected.is_relative_to(clean_env)


def test_log_dir_defaults_to_platformdirs_user_log_dir_and_is_created(clean_env: Path) -> None:
    import platformdirs

    expected = Path(platformdirs.user_log_dir(paths.APP_NAME, appauthor=False))
    assert paths.log_dir() == expected.resolve()
    assert expected.is_dir()
    assert expected.is_relative_to(clean_env)


def test_config_folders_win_over_platform_defaults(clean_env: Path) -> None:
    cfg = _config(str(clean_env / "cfg-data"), str(clean_env / "cfg-logs"))
    assert paths.data_dir(cfg) == clean_env / "cfg-data"
    assert paths.log_dir(cfg) == clean_env / "cfg-logs"
    assert (clean_env / "cfg-data").is_dir() and (clean_env / "cfg-logs").is_dir()


def test_empty_config_folders_fall_back_to_platform_defaults(clean_env: Path) -> None:
    assert paths.data_dir(_config("", "")) == paths.data_dir(None)
    assert paths.log_dir(_config("  ", "")) == paths.log_dir(None)


def test_environment_wins_over_config(clean_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(paths.DATA_DIR_ENV, str(clean_env / "env-data"))
    monkeypatch.setenv(paths.LOG_DIR_ENV, str(clean_env / "env-logs" / "nested"))
    cfg = _config(str(clean_env / "cfg-data"), str(clean_env / "cfg-logs"))
    assert paths.data_dir(cfg) == clean_env / "env-data"
    assert paths.log_dir(cfg) == clean_env / "env-logs" / "nested"
    assert not (clean_env / "cfg-data").exists()


def test_blank_environment_variable_is_ignored(clean_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(paths.DATA_DIR_ENV, "   ")
    assert paths.data_dir(_config(str(clean_env / "cfg-data"))) == clean_env / "cfg-data"


def test_home_shorthand_in_config_is_expanded(clean_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(clean_env / "home"))
    assert paths.data_dir(_config("~/kiosk-data")) == clean_env / "home" / "kiosk-data"


def test_database_path_is_kiosk_sqlite3_inside_data_dir(
    clean_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(paths.DATA_DIR_ENV, str(clean_env / "d"))
    assert paths.database_path() == clean_env / "d" / "kiosk.sqlite3"
    assert paths.database_path().parent.is_dir()


def test_the_start_up_cache_folder_is_the_environment_s_else_the_platform_s(clean_env, monkeypatch):
    default = paths.cache_dir()
    assert default.is_dir() and default.is_relative_to(clean_env / "xdg-cache")
    monkeypatch.setenv(paths.CACHE_DIR_ENV, str(clean_env / "kiosk-cache"))
    assert paths.cache_dir() == (clean_env / "kiosk-cache").resolve() and paths.cache_dir().is_dir()
