"""diagnostic time zone

Each diagnostic names the IANA time zone its pages, documents and exports show times in;
existing diagnostics get metropolitan France's (Europe/Paris), the zone every page used.

Revision ID: 7d3f9a2c4e10
Revises: 7f3b2d4e6a10
Create Date: 2026-12-03 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7d3f9a2c4e10'
down_revision = '7f3b2d4e6a10'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('diagnostic', schema=None) as batch_op:
        batch_op.add_column(sa.Column('time_zone', sa.String(length=64),
                                      server_default='Europe/Paris', nullable=False))


def downgrade():
    with op.batch_alter_table('diagnostic', schema=None) as batch_op:
        batch_op.drop_column('time_zone')
