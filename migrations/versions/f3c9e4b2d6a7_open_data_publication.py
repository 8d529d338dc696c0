"""open data publication

When staff published a diagnostic's directory of initiatives as open data (NULL: not
published; the public pages and files answer 404).

Revision ID: f3c9e4b2d6a7
Revises: f1a7c2e9b3d4
Create Date: 2026-12-07 01:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f3c9e4b2d6a7'
down_revision = 'f1a7c2e9b3d4'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('diagnostic', schema=None) as batch_op:
        batch_op.add_column(sa.Column('open_data_published_at', sa.DateTime(timezone=True),
                                      nullable=True))


def downgrade():
    with op.batch_alter_table('diagnostic', schema=None) as batch_op:
        batch_op.drop_column('open_data_published_at')
