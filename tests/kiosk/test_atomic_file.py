"""A file is replaced whole or not at all, and a failed write leaves no temporary file behind."""

from __future__ import annotations

import pytest

from kiosk.atomic_file import write_atomically


@pytest.mark.parametrize("durable", [True, False])
def test_the_new_content_replaces_the_old_in_one_step(tmp_path, durable):
    target = tmp_path / "bundle.zip"
    target.write_bytes(b"old")
    write_atomically(target, b"new content", durable=durable)
    assert target.read_bytes() == b"new content"
    assert [p.name for p in tmp_path.iterdir()] == ["bundle.zip"]


def test_a_failed_write_keeps_the_old_file_and_removes_the_temporary_one(tmp_path):
    target = tmp_path / "bundle.zip"
    target.write_bytes(b"old")
    with pytest.raises(TypeError):
        write_atomically(target, "text is not bytes", durable=True)  # type: ignore[arg-type]
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["bundle.zip"]


def test_a_missing_folder_is_an_os_error_not_a_silent_success(tmp_path):
    with pytest.raises(OSError):
        write_atomically(tmp_path / "absent" / "bundle.zip", b"x", durable=False)
