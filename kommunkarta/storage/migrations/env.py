"""Alembic environment: the connection comes from kommunkarta.db.upgrade (or is made
from the URL Kommunkartan would use), so the CLI, the dashboard and the tests migrate
the same way on SQLite and PostgreSQL."""

from alembic import context

from kommunkarta.storage import db

config = context.config


def run_migrations(connection) -> None:
    # render_as_batch: SQLite alters tables by copying them; Alembic does that for us.
    context.configure(connection=connection, target_metadata=db.Base.metadata, render_as_batch=True, compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    run_migrations(connection)
else:
    engine = db.make_engine(config.get_main_option("sqlalchemy.url") or db.database_url())
    with engine.begin() as new_connection:
        run_migrations(new_connection)
