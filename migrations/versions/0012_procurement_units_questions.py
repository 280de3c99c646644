"""procurement: innovation units, questions and answers, followers, stages, outcomes

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03 08:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('innovation_units',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('mandate', sa.Text(), nullable=False),
    sa.Column('contact', sa.String(length=300), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_innovation_units_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_innovation_units_organization_id_organizations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_innovation_units'))
    )
    with op.batch_alter_table('innovation_units', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_innovation_units_organization_id'), ['organization_id'], unique=False)

    op.create_table('unit_members',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('invited_by_id', sa.Integer(), nullable=True),
    sa.Column('invited_at', sa.DateTime(), nullable=False),
    sa.Column('accepted_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['invited_by_id'], ['users.id'], name=op.f('fk_unit_members_invited_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['unit_id'], ['innovation_units.id'], name=op.f('fk_unit_members_unit_id_innovation_units'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_unit_members_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_unit_members')),
    sa.UniqueConstraint('unit_id', 'user_id', name=op.f('uq_unit_members_unit_id'))
    )
    with op.batch_alter_table('unit_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_unit_members_unit_id'), ['unit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_unit_members_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('challenges', schema=None) as batch_op:
        batch_op.add_column(sa.Column('unit_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('clarification_deadline', sa.Date(), nullable=True))
        batch_op.add_column(
            sa.Column('decides_about_people', sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.create_index(batch_op.f('ix_challenges_unit_id'), ['unit_id'], unique=False)
        batch_op.create_foreign_key(
            batch_op.f('fk_challenges_unit_id_innovation_units'), 'innovation_units',
            ['unit_id'], ['id'], ondelete='SET NULL',
        )

    op.create_table('challenge_questions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('challenge_id', sa.Integer(), nullable=False),
    sa.Column('asker_id', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('public', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('answer', sa.Text(), nullable=False),
    sa.Column('answered_at', sa.DateTime(), nullable=True),
    sa.Column('answered_by_id', sa.Integer(), nullable=True),
    sa.Column('hidden_at', sa.DateTime(), nullable=True),
    sa.Column('hidden_by_id', sa.Integer(), nullable=True),
    sa.Column('hidden_reason', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['answered_by_id'], ['users.id'], name=op.f('fk_challenge_questions_answered_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['asker_id'], ['users.id'], name=op.f('fk_challenge_questions_asker_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['challenge_id'], ['challenges.id'], name=op.f('fk_challenge_questions_challenge_id_challenges'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['hidden_by_id'], ['users.id'], name=op.f('fk_challenge_questions_hidden_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_challenge_questions'))
    )
    with op.batch_alter_table('challenge_questions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_challenge_questions_asker_id'), ['asker_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_challenge_questions_challenge_id'), ['challenge_id'], unique=False)

    op.create_table('challenge_followers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('challenge_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['challenge_id'], ['challenges.id'], name=op.f('fk_challenge_followers_challenge_id_challenges'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_challenge_followers_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_challenge_followers')),
    sa.UniqueConstraint('challenge_id', 'user_id', name=op.f('uq_challenge_followers_challenge_id'))
    )
    with op.batch_alter_table('challenge_followers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_challenge_followers_challenge_id'), ['challenge_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_challenge_followers_user_id'), ['user_id'], unique=False)

    op.create_table('challenge_stage_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('challenge_id', sa.Integer(), nullable=False),
    sa.Column('from_stage', sa.String(length=20), nullable=False),
    sa.Column('to_stage', sa.String(length=20), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_challenge_stage_changes_actor_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['challenge_id'], ['challenges.id'], name=op.f('fk_challenge_stage_changes_challenge_id_challenges'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_challenge_stage_changes'))
    )
    with op.batch_alter_table('challenge_stage_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_challenge_stage_changes_challenge_id'), ['challenge_id'], unique=False)

    op.create_table('challenge_outcomes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('challenge_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('story_id', sa.Integer(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['challenge_id'], ['challenges.id'], name=op.f('fk_challenge_outcomes_challenge_id_challenges'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_challenge_outcomes_decided_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['story_id'], ['success_stories.id'], name=op.f('fk_challenge_outcomes_story_id_success_stories'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_challenge_outcomes')),
    sa.UniqueConstraint('challenge_id', name=op.f('uq_challenge_outcomes_challenge_id'))
    )

    op.create_table('challenge_outcome_awardees',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('outcome_id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=True),
    sa.Column('profile_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_challenge_outcome_awardees_organization_id_organizations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['outcome_id'], ['challenge_outcomes.id'], name=op.f('fk_challenge_outcome_awardees_outcome_id_challenge_outcomes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['profile_id'], ['profiles.id'], name=op.f('fk_challenge_outcome_awardees_profile_id_profiles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_challenge_outcome_awardees'))
    )
    with op.batch_alter_table('challenge_outcome_awardees', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_challenge_outcome_awardees_outcome_id'), ['outcome_id'], unique=False)


def downgrade():
    with op.batch_alter_table('challenge_outcome_awardees', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_challenge_outcome_awardees_outcome_id'))
    op.drop_table('challenge_outcome_awardees')
    op.drop_table('challenge_outcomes')
    with op.batch_alter_table('challenge_stage_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_challenge_stage_changes_challenge_id'))
    op.drop_table('challenge_stage_changes')
    with op.batch_alter_table('challenge_followers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_challenge_followers_user_id'))
        batch_op.drop_index(batch_op.f('ix_challenge_followers_challenge_id'))
    op.drop_table('challenge_followers')
    with op.batch_alter_table('challenge_questions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_challenge_questions_challenge_id'))
        batch_op.drop_index(batch_op.f('ix_challenge_questions_asker_id'))
    op.drop_table('challenge_questions')
    with op.batch_alter_table('challenges', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_challenges_unit_id_innovation_units'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_challenges_unit_id'))
        batch_op.drop_column('decides_about_people')
        batch_op.drop_column('clarification_deadline')
        batch_op.drop_column('unit_id')
    with op.batch_alter_table('unit_members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_unit_members_user_id'))
        batch_op.drop_index(batch_op.f('ix_unit_members_unit_id'))
    op.drop_table('unit_members')
    with op.batch_alter_table('innovation_units', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_innovation_units_organization_id'))
    op.drop_table('innovation_units')
