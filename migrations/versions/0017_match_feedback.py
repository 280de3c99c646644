"""saved and dismissed matches

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-03 13:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('match_feedback',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('saved', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('hidden', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_match_feedback_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_match_feedback')),
    sa.UniqueConstraint('user_id', 'kind', 'record_id', name=op.f('uq_match_feedback_user_id'))
    )
    with op.batch_alter_table('match_feedback', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_match_feedback_user_id'), ['user_id'], unique=False)

    op.create_table('proposal_invitations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('challenge_id', sa.Integer(), nullable=False),
    sa.Column('invitee_kind', sa.String(length=20), nullable=False),
    sa.Column('invitee_id', sa.Integer(), nullable=False),
    sa.Column('invited_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['challenge_id'], ['challenges.id'], name=op.f('fk_proposal_invitations_challenge_id_challenges'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['invited_by_id'], ['users.id'], name=op.f('fk_proposal_invitations_invited_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_proposal_invitations')),
    sa.UniqueConstraint('challenge_id', 'invitee_kind', 'invitee_id', name=op.f('uq_proposal_invitations_challenge_id'))
    )
    with op.batch_alter_table('proposal_invitations', schema=None) as batch_op:
        batch_op.create_index('ix_proposal_invitations_invitee', ['invitee_kind', 'invitee_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_proposal_invitations_invited_by_id'), ['invited_by_id'], unique=False)


def downgrade():
    with op.batch_alter_table('proposal_invitations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_proposal_invitations_invited_by_id'))
        batch_op.drop_index('ix_proposal_invitations_invitee')

    op.drop_table('proposal_invitations')
    with op.batch_alter_table('match_feedback', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_match_feedback_user_id'))

    op.drop_table('match_feedback')
