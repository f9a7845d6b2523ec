"""Alembic environment: runs on the connection handed over by kiosk.storage.migrate."""

from __future__ import annotations

from alembic import context

from kiosk.storage.models import Base
import kiosk.sync.models, kiosk.points.models  # noqa: E402,F401  (register their tables on Base)
import kiosk.health.models  # noqa: E402,F401
import kiosk.staff.models  # noqa: E402,F401  (operations: staff directory, PIN lockouts, help calls)
import kiosk.requests.models  # noqa: E402,F401
import kiosk.canteen.models  # noqa: E402,F401  (canteen bookings, holds, servings; points check-ins)

config = context.config
target_metadata = Base.metadata

if context.is_offline_mode():
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()
else:
    connection = config.attributes.get("connection")
    if connection is None:
        raise RuntimeError("run migrations through kiosk.storage.migrate, which passes a connection")
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
