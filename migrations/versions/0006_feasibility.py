"""feasibility: how a person can work, what an opening requires, free-text skills on posts

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 15:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

EMPTY_LIST = sa.text("'[]'")


def upgrade():
    with op.batch_alter_table('profiles', schema=None) as batch_op:
        batch_op.add_column(sa.Column('work_modes', sa.JSON(), server_default=EMPTY_LIST, nullable=False))
        batch_op.add_column(sa.Column('relocate', sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column('degree', sa.String(length=20), nullable=True))
        batch_op.add_column(
            sa.Column('needs_work_permit', sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    with op.batch_alter_table('openings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('free_skills', sa.JSON(), server_default=EMPTY_LIST, nullable=False))
        batch_op.add_column(sa.Column('min_degree', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('residence', sa.String(length=10), server_default='any', nullable=False))
        batch_op.add_column(
            sa.Column('required_languages', sa.JSON(), server_default=EMPTY_LIST, nullable=False)
        )
        batch_op.add_column(
            sa.Column('sponsors_work_permit', sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    with op.batch_alter_table('challenges', schema=None) as batch_op:
        batch_op.add_column(sa.Column('free_skills', sa.JSON(), server_default=EMPTY_LIST, nullable=False))


def downgrade():
    with op.batch_alter_table('challenges', schema=None) as batch_op:
        batch_op.drop_column('free_skills')
    with op.batch_alter_table('openings', schema=None) as batch_op:
        for column in ('sponsors_work_permit', 'required_languages', 'residence', 'min_degree', 'free_skills'):
            batch_op.drop_column(column)
    with op.batch_alter_table('profiles', schema=None) as batch_op:
        for column in ('needs_work_permit', 'degree', 'relocate', 'work_modes'):
            batch_op.drop_column(column)
