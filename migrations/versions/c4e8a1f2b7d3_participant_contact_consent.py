"""participant consent to publish contacts

Each participant says whether the contacts (e-mail, phone) given with their initiatives may
appear in the report and its exports, and when they agreed; existing participants never
ticked it, so they did not agree (their contacts stay for staff only).

Revision ID: c4e8a1f2b7d3
Revises: 7d3f9a2c4e10
Create Date: 2026-12-06 08:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c4e8a1f2b7d3'
down_revision = '7d3f9a2c4e10'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('participant', schema=None) as batch_op:
        batch_op.add_column(sa.Column('agreed_to_publish_contact', sa.Boolean(),
                                      server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('contact_consent_at', sa.DateTime(timezone=True),
                                      nullable=True))


def downgrade():
    with op.batch_alter_table('participant', schema=None) as batch_op:
        batch_op.drop_column('contact_consent_at')
        batch_op.drop_column('agreed_to_publish_contact')
