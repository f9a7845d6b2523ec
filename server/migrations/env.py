"""Alembic environment of the server: runs on the connection handed over by server.migrate."""

from __future__ import annotations

from alembic import context

from server.migrate import target_metadata

config = context.config
connection = config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run server migrations through server.migrate, which passes a connection")
context.configure(
    connection=connection,
    target_metadata=target_metadata(),
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
