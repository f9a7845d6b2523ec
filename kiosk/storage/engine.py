"""SQLAlchemy engine for the kiosk's SQLite file with durable PRAGMAs on every connection."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event

BUSY_TIMEOUT_MS = 5000
# Execution option read by the "begin" listener: the writer asks for BEGIN IMMEDIATE.
BEGIN_MODE_OPTION = "kiosk_begin_mode"
WRITER_OPTIONS = {BEGIN_MODE_OPTION: "IMMEDIATE"}


def connection_pragmas(foreign_keys: bool = True) -> list[str]:
    """PRAGMAs run on each new connection (WAL + FULL survives power loss, see STANDARDS §10)."""
    return [
        f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}",
        "PRAGMA journal_mode = WAL",
        "PRAGMA synchronous = FULL",
        f"PRAGMA foreign_keys = {'ON' if foreign_keys else 'OFF'}",
    ]


def make_engine(path: Path, *, foreign_keys: bool = True, pool_size: int = 5) -> Engine:
    """An engine on ``path``; transactions start with BEGIN (readers) or BEGIN IMMEDIATE (writer).

    Readers run with ``PRAGMA query_only`` so that every write goes through the one writer.
    """
    engine = create_engine(
        f"sqlite+pysqlite:///{path}",
        pool_size=pool_size,
        max_overflow=10,
        pool_pre_ping=False,
    )
    pragmas = connection_pragmas(foreign_keys)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, record: Any) -> None:
        # pysqlite would otherwise issue its own deferred BEGIN lazily and hide it from us;
        # with isolation_level None we emit BEGIN ourselves in the "begin" listener.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            for pragma in pragmas:
                cursor.execute(pragma)
        finally:
            cursor.close()
        record.info["query_only"] = False

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        mode = conn.get_execution_options().get(BEGIN_MODE_OPTION, "")
        query_only = not mode
        info = conn.connection.info  # per pooled DBAPI connection: skip redundant PRAGMAs
        if info.get("query_only") is not query_only:
            conn.exec_driver_sql(f"PRAGMA query_only = {'ON' if query_only else 'OFF'}")
            info["query_only"] = query_only
        conn.exec_driver_sql(f"BEGIN {mode}".strip())

    return engine


def writer_engine(engine: Engine) -> Engine:
    """The same pool, but transactions begin IMMEDIATE and may write."""
    return engine.execution_options(**WRITER_OPTIONS)
