"""alert settings: how often people abroad hear of ways back to Mexico

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 17:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('alert_settings', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('ways_back_frequency', sa.String(length=10), server_default='weekly',
                      nullable=False)
        )


def downgrade():
    with op.batch_alter_table('alert_settings', schema=None) as batch_op:
        batch_op.drop_column('ways_back_frequency')
