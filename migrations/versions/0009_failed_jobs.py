"""failed_jobs: background jobs that failed, and dead letters curators retry or dismiss

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04 16:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('failed_jobs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('task_id', sa.String(length=64), nullable=False),
    sa.Column('task_name', sa.String(length=200), nullable=False),
    sa.Column('arguments', sa.JSON(), nullable=False),
    sa.Column('error', sa.Text(), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('exhausted', sa.Boolean(), nullable=False),
    sa.Column('first_failed_at', sa.DateTime(), nullable=False),
    sa.Column('last_failed_at', sa.DateTime(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(), nullable=True),
    sa.Column('resolved', sa.Boolean(), nullable=False),
    sa.Column('resolution', sa.String(length=20), nullable=False),
    sa.Column('resolved_at', sa.DateTime(), nullable=True),
    sa.Column('resolved_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['resolved_by_id'], ['users.id'], name=op.f('fk_failed_jobs_resolved_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_failed_jobs')),
    sa.UniqueConstraint('task_id', name=op.f('uq_failed_jobs_task_id'))
    )
    with op.batch_alter_table('failed_jobs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_failed_jobs_last_failed_at'), ['last_failed_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_failed_jobs_resolved'), ['resolved'], unique=False)
        batch_op.create_index(batch_op.f('ix_failed_jobs_resolved_by_id'), ['resolved_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_failed_jobs_task_name'), ['task_name'], unique=False)


def downgrade():
    with op.batch_alter_table('failed_jobs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_failed_jobs_task_name'))
        batch_op.drop_index(batch_op.f('ix_failed_jobs_resolved_by_id'))
        batch_op.drop_index(batch_op.f('ix_failed_jobs_resolved'))
        batch_op.drop_index(batch_op.f('ix_failed_jobs_last_failed_at'))

    op.drop_table('failed_jobs')
