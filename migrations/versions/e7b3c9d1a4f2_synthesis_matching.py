"""synthesis matching

A diagnostic's own thesaurus for the duplicate suggestions (NULL: the default one), and
how a pair of contributions came to be kept apart (a rejected suggestion, or a split).

Revision ID: e7b3c9d1a4f2
Revises: d5a9e2c7f4b1
Create Date: 2026-12-06 22:05:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e7b3c9d1a4f2'
down_revision = 'd5a9e2c7f4b1'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('diagnostic', schema=None) as batch_op:
        batch_op.add_column(sa.Column('thesaurus', sa.Text(), nullable=True))
    with op.batch_alter_table('rejected_pair', schema=None) as batch_op:
        batch_op.add_column(sa.Column('origin', sa.String(length=16),
                                      server_default='reject', nullable=False))


def downgrade():
    with op.batch_alter_table('rejected_pair', schema=None) as batch_op:
        batch_op.drop_column('origin')
    with op.batch_alter_table('diagnostic', schema=None) as batch_op:
        batch_op.drop_column('thesaurus')
