"""structured proposals, consortia, risk questionnaire and assessments

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03 08:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None

EMPTY_LIST = sa.text("'[]'")
EMPTY_OBJECT = sa.text("'{}'")


def upgrade():
    op.create_table('risk_questionnaires',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('content', sa.JSON(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_risk_questionnaires_created_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_risk_questionnaires')),
    sa.UniqueConstraint('version', name=op.f('uq_risk_questionnaires_version'))
    )
    op.create_table('risk_assessments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('challenge_id', sa.Integer(), nullable=False),
    sa.Column('questionnaire_version', sa.Integer(), nullable=False),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.Column('level', sa.String(length=10), nullable=False),
    sa.Column('assessed_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['assessed_by_id'], ['users.id'], name=op.f('fk_risk_assessments_assessed_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['challenge_id'], ['challenges.id'], name=op.f('fk_risk_assessments_challenge_id_challenges'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_risk_assessments')),
    sa.UniqueConstraint('challenge_id', name=op.f('uq_risk_assessments_challenge_id'))
    )
    with op.batch_alter_table('risk_assessments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_risk_assessments_level'), ['level'], unique=False)

    op.create_table('proposal_members',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=10), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('organization_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_proposal_members_decided_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_proposal_members_organization_id_organizations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposals.id'], name=op.f('fk_proposal_members_proposal_id_proposals'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_proposal_members_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_proposal_members'))
    )
    with op.batch_alter_table('proposal_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_proposal_members_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_proposal_members_proposal_id'), ['proposal_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_proposal_members_user_id'), ['user_id'], unique=False)

    # Proposals sent before structured proposals keep their message as the approach summary.
    with op.batch_alter_table('proposals', schema=None) as batch_op:
        batch_op.add_column(sa.Column('budget_amount', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('budget_currency', sa.String(length=3), server_default='MXN', nullable=False))
        batch_op.add_column(sa.Column('timeline_weeks', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('links', sa.JSON(), server_default=EMPTY_LIST, nullable=False))
        batch_op.add_column(sa.Column('safeguards', sa.JSON(), server_default=EMPTY_OBJECT, nullable=False))
        batch_op.add_column(sa.Column('consortium', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('withdrawn_at', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('proposals', schema=None) as batch_op:
        for column in ('withdrawn_at', 'consortium', 'safeguards', 'links', 'timeline_weeks',
                       'budget_currency', 'budget_amount'):
            batch_op.drop_column(column)

    with op.batch_alter_table('proposal_members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_proposal_members_user_id'))
        batch_op.drop_index(batch_op.f('ix_proposal_members_proposal_id'))
        batch_op.drop_index(batch_op.f('ix_proposal_members_organization_id'))
    op.drop_table('proposal_members')

    with op.batch_alter_table('risk_assessments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_risk_assessments_level'))
    op.drop_table('risk_assessments')
    op.drop_table('risk_questionnaires')
