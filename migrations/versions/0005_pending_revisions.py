"""edits of published records wait for a curator: pending revisions

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03 10:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('pending_revisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('values', sa.JSON(), nullable=False),
    sa.Column('submitted_by_id', sa.Integer(), nullable=True),
    sa.Column('submitted_at', sa.DateTime(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_pending_revisions_decided_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['submitted_by_id'], ['users.id'], name=op.f('fk_pending_revisions_submitted_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pending_revisions'))
    )
    with op.batch_alter_table('pending_revisions', schema=None) as batch_op:
        batch_op.create_index('ix_pending_revisions_record', ['kind', 'record_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_pending_revisions_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_pending_revisions_submitted_by_id'), ['submitted_by_id'], unique=False)


def downgrade():
    with op.batch_alter_table('pending_revisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pending_revisions_submitted_by_id'))
        batch_op.drop_index(batch_op.f('ix_pending_revisions_status'))
        batch_op.drop_index('ix_pending_revisions_record')

    op.drop_table('pending_revisions')
