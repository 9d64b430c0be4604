"""Curated tables (networks, memberships, projects, places), history and login failures.

Revision ID: 0001
Revises: 
Create Date: 2026-11-23 12:43:30.540942
"""

from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('batches',
    sa.Column('batch_id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('user', sa.Text(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('problems', sa.JSON(), nullable=False),
    sa.Column('undoes', sa.Integer(), nullable=True),
    sa.Column('undone_by', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['undoes'], ['batches.batch_id'], ),
    sa.ForeignKeyConstraint(['undone_by'], ['batches.batch_id'], ),
    sa.PrimaryKeyConstraint('batch_id')
    )
    op.create_table('login_failures',
    sa.Column('user', sa.String(length=200), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('last_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('user')
    )
    op.create_table('memberships',
    sa.Column('network_id', sa.String(length=100), nullable=False),
    sa.Column('kommun_kod', sa.String(length=4), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.Column('role', sa.String(length=40), nullable=False),
    sa.Column('since', sa.String(length=10), nullable=False),
    sa.Column('until', sa.String(length=10), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('certainty', sa.String(length=20), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('row_id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('row_id'),
    sa.UniqueConstraint('network_id', 'kommun_kod', 'name', 'country', 'role', name='uq_membership')
    )
    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_memberships_network_id'), ['network_id'], unique=False)

    op.create_table('networks',
    sa.Column('id', sa.String(length=100), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('short_name', sa.Text(), nullable=False),
    sa.Column('name_en', sa.Text(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('organiser', sa.Text(), nullable=False),
    sa.Column('funder', sa.Text(), nullable=False),
    sa.Column('start', sa.String(length=10), nullable=False),
    sa.Column('end', sa.String(length=10), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('unknowns', sa.Text(), nullable=False),
    sa.Column('related_to', sa.String(length=100), nullable=False),
    sa.Column('color', sa.String(length=7), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('certainty', sa.String(length=20), nullable=False),
    sa.Column('row_id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('row_id'),
    sa.UniqueConstraint('id')
    )
    op.create_table('places',
    sa.Column('id', sa.String(length=100), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('kommun', sa.Text(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('network_id', sa.String(length=100), nullable=False),
    sa.Column('lat', sa.Float(), nullable=True),
    sa.Column('lon', sa.Float(), nullable=True),
    sa.Column('precision', sa.String(length=20), nullable=False),
    sa.Column('coord_source', sa.Text(), nullable=False),
    sa.Column('coord_certainty', sa.String(length=20), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('certainty', sa.String(length=20), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('row_id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('row_id'),
    sa.UniqueConstraint('id')
    )
    op.create_table('projects',
    sa.Column('id', sa.String(length=100), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('kommuner', sa.Text(), nullable=False),
    sa.Column('network_id', sa.String(length=100), nullable=False),
    sa.Column('start', sa.String(length=10), nullable=False),
    sa.Column('end', sa.String(length=10), nullable=False),
    sa.Column('funders', sa.Text(), nullable=False),
    sa.Column('partners', sa.Text(), nullable=False),
    sa.Column('theme', sa.Text(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('certainty', sa.String(length=20), nullable=False),
    sa.Column('row_id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('row_id'),
    sa.UniqueConstraint('id')
    )
    op.create_table('revision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('changes',
    sa.Column('change_id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('table_name', sa.String(length=20), nullable=False),
    sa.Column('row_id', sa.Integer(), nullable=False),
    sa.Column('row_key', sa.Text(), nullable=False),
    sa.Column('action', sa.String(length=10), nullable=False),
    sa.Column('before', sa.JSON(), nullable=True),
    sa.Column('after', sa.JSON(), nullable=True),
    sa.Column('version_before', sa.Integer(), nullable=True),
    sa.Column('version_after', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['batch_id'], ['batches.batch_id'], ),
    sa.PrimaryKeyConstraint('change_id')
    )
    with op.batch_alter_table('changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_changes_batch_id'), ['batch_id'], unique=False)

    # The single revision row every write increases (kommunkarta.db.lock_for_writing).
    op.bulk_insert(sa.table('revision', sa.column('id', sa.Integer), sa.column('number', sa.Integer)), [{'id': 1, 'number': 0}])



def downgrade() -> None:
    with op.batch_alter_table('changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_changes_batch_id'))

    op.drop_table('changes')
    op.drop_table('revision')
    op.drop_table('projects')
    op.drop_table('places')
    op.drop_table('networks')
    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_memberships_network_id'))

    op.drop_table('memberships')
    op.drop_table('login_failures')
    op.drop_table('batches')
