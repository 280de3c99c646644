"""coalition, working groups, consultations

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-03 08:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('coalition_notices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event', sa.String(length=30), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_coalition_notices_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_coalition_notices')),
    sa.UniqueConstraint('event', 'record_id', 'user_id', name=op.f('uq_coalition_notices_event'))
    )
    op.create_index(op.f('ix_coalition_notices_user_id'), 'coalition_notices', ['user_id'], unique=False)
    op.create_table('consultations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title_es', sa.String(length=200), nullable=False),
    sa.Column('title_en', sa.String(length=200), nullable=False),
    sa.Column('context_es', sa.Text(), nullable=False),
    sa.Column('context_en', sa.Text(), nullable=False),
    sa.Column('opens_on', sa.Date(), nullable=False),
    sa.Column('closes_on', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('published_at', sa.DateTime(), nullable=True),
    sa.Column('announced_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_consultations_created_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consultations'))
    )
    op.create_index(op.f('ix_consultations_status'), 'consultations', ['status'], unique=False)
    op.create_table('working_groups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name_es', sa.String(length=200), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.Column('description_es', sa.Text(), nullable=False),
    sa.Column('description_en', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_working_groups_created_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_working_groups'))
    )
    op.create_index(op.f('ix_working_groups_status'), 'working_groups', ['status'], unique=False)
    op.create_table('coalition_members',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('tier', sa.String(length=12), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('requested_at', sa.DateTime(), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('joined_on', sa.Date(), nullable=True),
    sa.Column('ended_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_coalition_members_decided_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_coalition_members_organization_id_organizations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'], name=op.f('fk_coalition_members_requested_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_coalition_members')),
    sa.UniqueConstraint('organization_id', name=op.f('uq_coalition_members_organization_id'))
    )
    op.create_index(op.f('ix_coalition_members_status'), 'coalition_members', ['status'], unique=False)
    op.create_table('consultation_questions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('consultation_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('text_es', sa.Text(), nullable=False),
    sa.Column('text_en', sa.Text(), nullable=False),
    sa.Column('options', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultations.id'], name=op.f('fk_consultation_questions_consultation_id_consultations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consultation_questions'))
    )
    op.create_index(op.f('ix_consultation_questions_consultation_id'), 'consultation_questions', ['consultation_id'], unique=False)
    op.create_table('consultation_responses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('consultation_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultations.id'], name=op.f('fk_consultation_responses_consultation_id_consultations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_consultation_responses_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consultation_responses')),
    sa.UniqueConstraint('consultation_id', 'user_id', name=op.f('uq_consultation_responses_consultation_id'))
    )
    op.create_index(op.f('ix_consultation_responses_consultation_id'), 'consultation_responses', ['consultation_id'], unique=False)
    op.create_index(op.f('ix_consultation_responses_user_id'), 'consultation_responses', ['user_id'], unique=False)
    op.create_table('working_group_coordinators',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('named_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['working_groups.id'], name=op.f('fk_working_group_coordinators_group_id_working_groups'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['named_by_id'], ['users.id'], name=op.f('fk_working_group_coordinators_named_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_working_group_coordinators_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_working_group_coordinators')),
    sa.UniqueConstraint('group_id', 'user_id', name=op.f('uq_working_group_coordinators_group_id'))
    )
    op.create_index(op.f('ix_working_group_coordinators_group_id'), 'working_group_coordinators', ['group_id'], unique=False)
    op.create_index(op.f('ix_working_group_coordinators_user_id'), 'working_group_coordinators', ['user_id'], unique=False)
    op.create_table('working_group_meetings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('starts_at', sa.DateTime(), nullable=False),
    sa.Column('place', sa.String(length=300), nullable=False),
    sa.Column('link', sa.String(length=300), nullable=False),
    sa.Column('agenda', sa.Text(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_working_group_meetings_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['group_id'], ['working_groups.id'], name=op.f('fk_working_group_meetings_group_id_working_groups'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_working_group_meetings'))
    )
    op.create_index(op.f('ix_working_group_meetings_group_id'), 'working_group_meetings', ['group_id'], unique=False)
    op.create_index(op.f('ix_working_group_meetings_starts_at'), 'working_group_meetings', ['starts_at'], unique=False)
    op.create_table('working_group_members',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('requested_at', sa.DateTime(), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_working_group_members_decided_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['group_id'], ['working_groups.id'], name=op.f('fk_working_group_members_group_id_working_groups'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_working_group_members_organization_id_organizations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'], name=op.f('fk_working_group_members_requested_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_working_group_members_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_working_group_members')),
    sa.UniqueConstraint('group_id', 'organization_id', name='uq_working_group_members_org'),
    sa.UniqueConstraint('group_id', 'user_id', name='uq_working_group_members_user')
    )
    op.create_index(op.f('ix_working_group_members_group_id'), 'working_group_members', ['group_id'], unique=False)
    op.create_index(op.f('ix_working_group_members_organization_id'), 'working_group_members', ['organization_id'], unique=False)
    op.create_index(op.f('ix_working_group_members_status'), 'working_group_members', ['status'], unique=False)
    op.create_index(op.f('ix_working_group_members_user_id'), 'working_group_members', ['user_id'], unique=False)
    op.create_table('working_group_outputs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('url', sa.String(length=300), nullable=False),
    sa.Column('published_on', sa.Date(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_working_group_outputs_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['group_id'], ['working_groups.id'], name=op.f('fk_working_group_outputs_group_id_working_groups'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_working_group_outputs'))
    )
    op.create_index(op.f('ix_working_group_outputs_group_id'), 'working_group_outputs', ['group_id'], unique=False)
    op.create_table('consultation_answers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('response_id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('choices', sa.JSON(), nullable=False),
    sa.Column('scale', sa.Integer(), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('hidden_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['question_id'], ['consultation_questions.id'], name=op.f('fk_consultation_answers_question_id_consultation_questions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['response_id'], ['consultation_responses.id'], name=op.f('fk_consultation_answers_response_id_consultation_responses'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consultation_answers')),
    sa.UniqueConstraint('response_id', 'question_id', name=op.f('uq_consultation_answers_response_id'))
    )
    op.create_index(op.f('ix_consultation_answers_question_id'), 'consultation_answers', ['question_id'], unique=False)
    op.create_index(op.f('ix_consultation_answers_response_id'), 'consultation_answers', ['response_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_consultation_answers_response_id'), table_name='consultation_answers')
    op.drop_index(op.f('ix_consultation_answers_question_id'), table_name='consultation_answers')
    op.drop_table('consultation_answers')
    op.drop_index(op.f('ix_working_group_outputs_group_id'), table_name='working_group_outputs')
    op.drop_table('working_group_outputs')
    op.drop_index(op.f('ix_working_group_members_user_id'), table_name='working_group_members')
    op.drop_index(op.f('ix_working_group_members_status'), table_name='working_group_members')
    op.drop_index(op.f('ix_working_group_members_organization_id'), table_name='working_group_members')
    op.drop_index(op.f('ix_working_group_members_group_id'), table_name='working_group_members')
    op.drop_table('working_group_members')
    op.drop_index(op.f('ix_working_group_meetings_starts_at'), table_name='working_group_meetings')
    op.drop_index(op.f('ix_working_group_meetings_group_id'), table_name='working_group_meetings')
    op.drop_table('working_group_meetings')
    op.drop_index(op.f('ix_working_group_coordinators_user_id'), table_name='working_group_coordinators')
    op.drop_index(op.f('ix_working_group_coordinators_group_id'), table_name='working_group_coordinators')
    op.drop_table('working_group_coordinators')
    op.drop_index(op.f('ix_consultation_responses_user_id'), table_name='consultation_responses')
    op.drop_index(op.f('ix_consultation_responses_consultation_id'), table_name='consultation_responses')
    op.drop_table('consultation_responses')
    op.drop_index(op.f('ix_consultation_questions_consultation_id'), table_name='consultation_questions')
    op.drop_table('consultation_questions')
    op.drop_index(op.f('ix_coalition_members_status'), table_name='coalition_members')
    op.drop_table('coalition_members')
    op.drop_index(op.f('ix_working_groups_status'), table_name='working_groups')
    op.drop_table('working_groups')
    op.drop_index(op.f('ix_consultations_status'), table_name='consultations')
    op.drop_table('consultations')
    op.drop_index(op.f('ix_coalition_notices_user_id'), table_name='coalition_notices')
    op.drop_table('coalition_notices')
