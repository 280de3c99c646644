"""submitted stories and who they name

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-03 08:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('success_stories', schema=None) as batch_op:
        batch_op.add_column(sa.Column('submitted_for_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('image_name', sa.String(length=80), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_success_stories_submitted_for_id_organizations'),
            'organizations', ['submitted_for_id'], ['id'], ondelete='SET NULL',
        )

    op.create_table('story_namings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('story_id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('(organization_id IS NULL) <> (user_id IS NULL)', name=op.f('ck_story_namings_one_named_party')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_story_namings_decided_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_story_namings_organization_id_organizations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['story_id'], ['success_stories.id'], name=op.f('fk_story_namings_story_id_success_stories'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_story_namings_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_story_namings')),
    sa.UniqueConstraint('story_id', 'organization_id', name='uq_story_namings_story_org'),
    sa.UniqueConstraint('story_id', 'user_id', name='uq_story_namings_story_user')
    )
    with op.batch_alter_table('story_namings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_story_namings_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_story_namings_story_id'), ['story_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_story_namings_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('story_namings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_story_namings_user_id'))
        batch_op.drop_index(batch_op.f('ix_story_namings_story_id'))
        batch_op.drop_index(batch_op.f('ix_story_namings_organization_id'))

    op.drop_table('story_namings')
    with op.batch_alter_table('success_stories', schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f('fk_success_stories_submitted_for_id_organizations'), type_='foreignkey'
        )
        batch_op.drop_column('image_name')
        batch_op.drop_column('submitted_for_id')
