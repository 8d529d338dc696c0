"""contribution refusal

A contribution refused in pre-moderation keeps when it was refused and the short reason
its author is told (both empty for every existing row: none was refused with a notice).

Revision ID: 7f3b2d4e6a10
Revises: a7c3e91f4d26
Create Date: 2026-12-03 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7f3b2d4e6a10'
down_revision = 'a7c3e91f4d26'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('contribution', schema=None) as batch_op:
        batch_op.add_column(sa.Column('refused_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('refusal_reason', sa.String(length=200), nullable=True))


def downgrade():
    with op.batch_alter_table('contribution', schema=None) as batch_op:
        batch_op.drop_column('refusal_reason')
        batch_op.drop_column('refused_at')
