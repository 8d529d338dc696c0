"""workshop times and archiving

A workshop gets a start and an end time (local wall-clock times of the diagnostic, next
to its day: no time zone needed); workshops and diagnostics get an archive time (null:
not archived).

Revision ID: 3f8d2b6a41c7
Revises: 5c1e0a7d9b21
Create Date: 2026-12-03 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '3f8d2b6a41c7'
down_revision = '5c1e0a7d9b21'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('workshop', schema=None) as batch_op:
        batch_op.add_column(sa.Column('start_time', sa.Time(), nullable=True))
        batch_op.add_column(sa.Column('end_time', sa.Time(), nullable=True))
        batch_op.add_column(sa.Column('archived_at', sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table('diagnostic', schema=None) as batch_op:
        batch_op.add_column(sa.Column('archived_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('diagnostic', schema=None) as batch_op:
        batch_op.drop_column('archived_at')
    with op.batch_alter_table('workshop', schema=None) as batch_op:
        batch_op.drop_column('archived_at')
        batch_op.drop_column('end_time')
        batch_op.drop_column('start_time')
