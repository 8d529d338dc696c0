"""personal data

What the RGPD asks of a diagnostic: a versioned privacy notice per diagnostic and a
register of the consents participants give (purpose, granted, notice version, time); the
retention period of personal data (12 months after the report's validation by default);
anonymous workshops; participants' consent to be contacted for the restitution and its
address; erased participants; contributions withdrawn by their author. The consents
given before this revision (to be named, to publish one's contact) enter the register
with no notice version, at the time they were given (or joined).

Revision ID: d5a9e2c7f4b1
Revises: c4e8b1f2a9d3
Create Date: 2026-12-06 11:24:53.328897

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd5a9e2c7f4b1'
down_revision = 'c4e8b1f2a9d3'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('privacy_notice',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('diagnostic_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('controller', sa.Text(), nullable=False),
    sa.Column('purpose', sa.Text(), nullable=False),
    sa.Column('legal_basis', sa.Text(), nullable=False),
    sa.Column('dpo_contact', sa.Text(), nullable=False),
    sa.Column('rights', sa.Text(), nullable=False),
    sa.Column('retention_months', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_privacy_notice_created_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['diagnostic_id'], ['diagnostic.id'], name=op.f('fk_privacy_notice_diagnostic_id_diagnostic'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_privacy_notice')),
    sa.UniqueConstraint('diagnostic_id', 'version', name=op.f('uq_privacy_notice_diagnostic_id'))
    )
    with op.batch_alter_table('privacy_notice', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_privacy_notice_diagnostic_id'), ['diagnostic_id'], unique=False)

    op.create_table('consent_record',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('purpose', sa.Enum('name', 'contact', 'restitution', name='consent_purpose', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('granted', sa.Boolean(), nullable=False),
    sa.Column('notice_version', sa.Integer(), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('source', sa.String(length=16), server_default='join', nullable=False),
    sa.ForeignKeyConstraint(['participant_id'], ['participant.id'], name=op.f('fk_consent_record_participant_id_participant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consent_record'))
    )
    with op.batch_alter_table('consent_record', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consent_record_participant_id'), ['participant_id'], unique=False)

    with op.batch_alter_table('contribution', schema=None) as batch_op:
        batch_op.add_column(sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True))

    with op.batch_alter_table('diagnostic', schema=None) as batch_op:
        batch_op.add_column(sa.Column('retention_months', sa.Integer(), server_default='12', nullable=False))

    with op.batch_alter_table('participant', schema=None) as batch_op:
        batch_op.add_column(sa.Column('agreed_to_be_contacted', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('restitution_contact', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('notice_version', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('erased_at', sa.DateTime(timezone=True), nullable=True))

    with op.batch_alter_table('workshop', schema=None) as batch_op:
        batch_op.add_column(sa.Column('anonymous', sa.Boolean(), server_default=sa.false(), nullable=False))

    consent = sa.table('consent_record', sa.column('participant_id', sa.Integer),
                       sa.column('purpose', sa.String), sa.column('granted', sa.Boolean),
                       sa.column('at', sa.DateTime(timezone=True)),
                       sa.column('source', sa.String))
    participant = sa.table('participant', sa.column('id', sa.Integer),
                           sa.column('created_at', sa.DateTime(timezone=True)),
                           sa.column('agreed_to_be_named', sa.Boolean),
                           sa.column('agreed_to_publish_contact', sa.Boolean),
                           sa.column('contact_consent_at', sa.DateTime(timezone=True)))
    columns = ['participant_id', 'purpose', 'granted', 'at', 'source']
    op.execute(consent.insert().from_select(columns, sa.select(
        participant.c.id, sa.literal('name'), sa.true(), participant.c.created_at,
        sa.literal('join')).where(participant.c.agreed_to_be_named == sa.true())))
    op.execute(consent.insert().from_select(columns, sa.select(
        participant.c.id, sa.literal('contact'), sa.true(),
        sa.func.coalesce(participant.c.contact_consent_at, participant.c.created_at),
        sa.literal('join')).where(participant.c.agreed_to_publish_contact == sa.true())))


def downgrade():
    with op.batch_alter_table('workshop', schema=None) as batch_op:
        batch_op.drop_column('anonymous')

    with op.batch_alter_table('participant', schema=None) as batch_op:
        batch_op.drop_column('erased_at')
        batch_op.drop_column('notice_version')
        batch_op.drop_column('restitution_contact')
        batch_op.drop_column('agreed_to_be_contacted')

    with op.batch_alter_table('diagnostic', schema=None) as batch_op:
        batch_op.drop_column('retention_months')

    with op.batch_alter_table('contribution', schema=None) as batch_op:
        batch_op.drop_column('withdrawn_at')

    with op.batch_alter_table('consent_record', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consent_record_participant_id'))

    op.drop_table('consent_record')
    with op.batch_alter_table('privacy_notice', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_privacy_notice_diagnostic_id'))

    op.drop_table('privacy_notice')
