"""English notes (memberships.note_en, places.note_en) and the networks' new default colours.

A database seeded before the hue families (issue 15) keeps the old seed colours. A
network whose colour is still the old seed default (nobody edited it) gets the new
default; a colour someone chose stays. Each moved row's version increases, and so does
the data revision, so that no open editor form or cache keeps the old colour.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-07 11:40:00
"""

import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# network id -> (the seed colour before the hue families, the seed colour after), from
# the git history of kommunkarta/data/networks.csv (43b8f3b … e82cd78, then 1e019ec).
COLOURS = {
    "industrikommuner": ("#0072B2", "#D55E00"),
    "serviceutveckling_2024": ("#56B4E9", "#B8E6D6"),
    "serviceutveckling_pilot_2012": ("#999933", "#00563F"),
    "service_i_samverkan": ("#44AA99", "#5CC3A5"),
    "tornedalsradet": ("#D55E00", "#2171B5"),
    "filmpool_nord": ("#882255", "#C6DBEF"),
    "leader_tornedalen": ("#332288", "#08306B"),
    "fiskeomrade_tornedalen": ("#117733", "#6BAED6"),
}

networks = sa.table(
    "networks",
    sa.column("id", sa.String),
    sa.column("color", sa.String),
    sa.column("version", sa.Integer),
)
revision_table = sa.table(
    "revision", sa.column("id", sa.Integer), sa.column("number", sa.Integer), sa.column("changed_at", sa.DateTime)
)


def _move(colours: dict[str, tuple[str, str]]) -> int:
    """Moves each network whose colour is ``old`` to ``new``; returns how many moved."""
    connection = op.get_bind()
    moved = 0
    for network_id, (old, new) in colours.items():
        result = connection.execute(
            networks.update()
            .where(networks.c.id == network_id, sa.func.upper(networks.c.color) == old.upper())
            .values(color=new, version=networks.c.version + 1)
        )
        moved += result.rowcount or 0
    if moved:
        connection.execute(
            revision_table.update()
            .where(revision_table.c.id == 1)
            .values(number=revision_table.c.number + 1, changed_at=dt.datetime.now(dt.timezone.utc))
        )
    return moved


def upgrade() -> None:
    # Existing rows get an empty English note: the English interface then shows the Swedish one.
    for table in ("memberships", "places"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("note_en", sa.Text(), nullable=False, server_default=""))
    _move(COLOURS)


def downgrade() -> None:
    # The colours stay: the new defaults are valid under 0002 too, and a database seeded
    # with them would otherwise be moved to colours it never had.
    for table in ("memberships", "places"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("note_en")
