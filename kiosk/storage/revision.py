"""Developer tool: autogenerate the next migration (`python -m kiosk.storage.revision "add outbox"`)."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from alembic import command
from alembic.script import ScriptDirectory

from kiosk.storage import migrate
from kiosk.storage.engine import make_engine, writer_engine


def next_revision_id(script_location: Path = migrate.MIGRATIONS_DIR) -> str:
    """Sequential ids ("0002", "0003") keep the versions folder readable in order."""
    script = ScriptDirectory.from_config(migrate.alembic_config(script_location=script_location))
    numbers = [int(rev.revision) for rev in script.walk_revisions() if rev.revision.isdigit()]
    return f"{max(numbers, default=0) + 1:04d}"


def make_revision(message: str, script_location: Path = migrate.MIGRATIONS_DIR) -> Path:
    """Autogenerate a batch-mode migration for what the models add beyond head; returns its file.

    Compares against a scratch database migrated to head, so no real kiosk data is touched.
    Review the generated file before committing it.
    """
    with tempfile.TemporaryDirectory(prefix="kiosk-revision-") as tmp:
        engine = writer_engine(make_engine(Path(tmp) / "scratch.sqlite3", foreign_keys=False))
        try:
            with engine.begin() as conn:
                cfg = migrate.alembic_config(conn, script_location=script_location)
                command.upgrade(cfg, "head")
                script = command.revision(
                    cfg, message, autogenerate=True, rev_id=next_revision_id(script_location)
                )
        finally:
            engine.dispose()
    if script is None or isinstance(script, list):
        raise RuntimeError("alembic did not produce exactly one revision")
    return Path(script.path)


def main(argv: list[str]) -> int:
    if len(argv) != 1 or not argv[0].strip():
        print('usage: python -m kiosk.storage.revision "what the migration does"', file=sys.stderr)
        return 2
    print(make_revision(argv[0]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
