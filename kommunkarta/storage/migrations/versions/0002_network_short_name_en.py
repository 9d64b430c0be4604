"""The English short name of a network (networks.short_name_en).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24 16:50:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Existing rows get an empty name: the dashboard then uses name_en, or the Swedish name.
    with op.batch_alter_table("networks") as batch:
        batch.add_column(sa.Column("short_name_en", sa.Text(), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("networks") as batch:
        batch.drop_column("short_name_en")
