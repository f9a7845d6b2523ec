"""Rotating kiosk.log and wire.log, personal-data redaction, idempotent set-up."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path
from typing import Iterator

import pytest

from devices.base import WireLog
from kiosk.logging_setup import (
    ID_CARD_MASK,
    PERSONAL_MASK,
    PHONE_MASK,
    LogFiles,
    configure_logging,
    redact,
    shutdown_logging,
)

PHONE = "13812345678"
ID_CARD = "11010519491231002X"


@pytest.fixture
def logs(tmp_path: Path) -> Iterator[LogFiles]:
    files = configure_logging(tmp_path / "logs")
    yield files
    shutdown_logging()


def _ours(logger: logging.Logger) -> list[logging.Handler]:
    return [h for h in logger.handlers if isinstance(h, logging.handlers.RotatingFileHandler)]


def test_info_goes_to_kiosk_log_and_debug_is_dropped_at_info_level(logs: LogFiles) -> None:
    log = logging.getLogger("kiosk.test_module")
    log.info("kiosk started in %s mode", "demo")
    log.debug("not at INFO")
    text = logs.kiosk_log.read_text(encoding="utf-8")
    assert "INFO" in text and "kiosk.test_module" in text and "kiosk started in demo mode" in text
    assert "not at INFO" not in text


def test_wire_logs_go_to_wire_log_only(logs: LogFiles) -> None:
    WireLog("scanner").rx(b"\x01\x02\xff")
    logging.getLogger("kiosk.other").warning("ordinary warning")
    wire = logs.wire_log.read_text(encoding="utf-8")
    kiosk = logs.kiosk_log.read_text(encoding="utf-8")
    assert "devices.wire.scanner" in wire and "rx 01 02 ff" in wire
    assert "rx 01 02 ff" not in kiosk and "devices.wire" not in kiosk
    assert "ordinary warning" in kiosk and "ordinary warning" not in wire


def test_phone_and_id_card_numbers_are_redacted_in_the_file(logs: LogFiles) -> None:
    log = logging.getLogger("kiosk.careless")
    log.warning("lookup by phone %s failed", PHONE)
    log.warning(f"resident id {ID_CARD} and +86 139-1234-5678")
    text = logs.kiosk_log.read_text(encoding="utf-8")
    assert PHONE not in text and ID_CARD not in text and "1234-5678" not in text
    assert text.count(PHONE_MASK) == 2 and ID_CARD_MASK in text


def test_values_passed_as_personal_extra_are_redacted(logs: LogFiles) -> None:
    logging.getLogger("kiosk.careless").warning(
        "no match for 张三丰 in building 3", extra={"personal": {"name": "张三丰"}}
    )
    text = logs.kiosk_log.read_text(encoding="utf-8")
    assert "张三丰" not in text
    assert f"no match for {PERSONAL_MASK} in building 3" in text


def test_personal_data_in_exception_text_is_redacted(logs: LogFiles) -> None:
    try:
        raise LookupError(f"no resident with phone {PHONE}")
    except LookupError:
        logging.getLogger("kiosk.careless").exception("lookup failed")
    text = logs.kiosk_log.read_text(encoding="utf-8")
    assert "LookupError" in text and PHONE not in text and PHONE_MASK in text


def test_wire_log_is_redacted_too(logs: LogFiles) -> None:
    WireLog("scanner").note(f"typed {PHONE}")
    text = logs.wire_log.read_text(encoding="utf-8")
    assert PHONE not in text and PHONE_MASK in text


def test_kiosk_log_rotates_at_the_size_limit(tmp_path: Path) -> None:
    files = configure_logging(tmp_path, max_bytes=4000, backup_count=2)
    try:
        log = logging.getLogger("kiosk.chatty")
        for i in range(200):
            log.info("line %04d %s", i, "x" * 60)
    finally:
        shutdown_logging()
    rotated = sorted(p.name for p in tmp_path.glob("kiosk.log*"))
    assert rotated == ["kiosk.log", "kiosk.log.1", "kiosk.log.2"]
    assert all((tmp_path / name).stat().st_size <= 4000 for name in rotated)
    assert "line 0199" in files.kiosk_log.read_text(encoding="utf-8")
    assert "line 0000" not in "".join((tmp_path / n).read_text(encoding="utf-8") for n in rotated)


def test_configuring_twice_does_not_duplicate_handlers_or_lines(tmp_path: Path) -> None:
    configure_logging(tmp_path)
    files = configure_logging(tmp_path)
    try:
        assert len(_ours(logging.getLogger())) == 1
        assert len(_ours(logging.getLogger("devices.wire"))) == 1
        logging.getLogger("kiosk.once").info("exactly once")
        WireLog("printer").tx(b"\x1b\x40")
    finally:
        shutdown_logging()
    assert files.kiosk_log.read_text(encoding="utf-8").count("exactly once") == 1
    assert files.wire_log.read_text(encoding="utf-8").count("tx 1b 40") == 1


def test_shutdown_closes_and_removes_the_handlers(tmp_path: Path) -> None:
    configure_logging(tmp_path)
    handlers = _ours(logging.getLogger()) + _ours(logging.getLogger("devices.wire"))
    shutdown_logging()
    assert not _ours(logging.getLogger()) and not _ours(logging.getLogger("devices.wire"))
    assert all(h.stream is None for h in handlers)  # type: ignore[attr-defined]
    assert logging.getLogger("devices.wire").propagate is True
    shutdown_logging()


def test_unknown_level_name_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="LOUD"):
        configure_logging(tmp_path, level="LOUD")
    shutdown_logging()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("call 13812345678 now", f"call {PHONE_MASK} now"),
        ("tel:+8613912345678.", f"tel:{PHONE_MASK}."),
        ("0086 159 1234 5678", PHONE_MASK),
        ("id 110105194912310021", f"id {ID_CARD_MASK}"),
        ("id 11010519491231002x;", f"id {ID_CARD_MASK};"),
        ("order 12812345678 stays", "order 12812345678 stays"),
        ("serial 138123456789 stays", "serial 138123456789 stays"),
        ("ts 1700000000123 stays", "ts 1700000000123 stays"),
        ("rx 13 81 23 45 67 80", "rx 13 81 23 45 67 80"),
        ("uuid a13812345678 stays", "uuid a13812345678 stays"),
    ],
)
def test_redact_masks_mobile_and_id_numbers_but_not_other_numbers(text: str, expected: str) -> None:
    assert redact(text) == expected


def test_records_logged_before_the_files_open_are_written_redacted_when_they_open(tmp_path: Path) -> None:
    from kiosk.logging_setup import hold_early_records

    hold_early_records()
    try:
        logging.getLogger("kiosk.early").info("started before the paint, phone %s", PHONE)
        logging.getLogger("kiosk.early").debug("below INFO is not kept")
        files = configure_logging(tmp_path / "logs")
        logging.getLogger("kiosk.early").info("after the files opened")
        text = files.kiosk_log.read_text(encoding="utf-8")
    finally:
        shutdown_logging()
    assert text.index("started before the paint") < text.index("after the files opened")
    assert PHONE not in text and PHONE_MASK in text
    assert "below INFO" not in text


def test_held_records_are_let_go_by_shutdown_and_the_root_level_restored() -> None:
    from kiosk.logging_setup import hold_early_records

    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    hold_early_records()
    assert len(root.handlers) == len(handlers) + 1 and root.level == logging.INFO
    shutdown_logging()
    assert root.handlers == handlers and root.level == level
