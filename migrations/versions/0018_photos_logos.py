"""profile photos and organisation logos

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-03 13:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade():
    # The generated names of the stored images (services/media.py); the files live in
    # UPLOAD_DIR/photos and UPLOAD_DIR/logos.
    with op.batch_alter_table('profiles', schema=None) as batch_op:
        batch_op.add_column(sa.Column('photo_name', sa.String(length=80), nullable=True))
    with op.batch_alter_table('organizations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('logo_name', sa.String(length=80), nullable=True))


def downgrade():
    with op.batch_alter_table('organizations', schema=None) as batch_op:
        batch_op.drop_column('logo_name')
    with op.batch_alter_table('profiles', schema=None) as batch_op:
        batch_op.drop_column('photo_name')
