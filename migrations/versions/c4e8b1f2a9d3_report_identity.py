"""report identity

Each diagnostic gets its report's identity, printed on the cover of every format: the
publishing authority, a subtitle, a logo (the uploaded PNG or SVG, its MIME type and a PNG
rendering), the status (draft or validated, with the validation day), a version date
and the stem of its download names. Existing diagnostics get an empty identity: a draft
without authority or logo, named after their title.

Revision ID: c4e8b1f2a9d3
Revises: c4e8a1f2b7d3
Create Date: 2026-12-06 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c4e8b1f2a9d3'
down_revision = 'c4e8a1f2b7d3'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('diagnostic', schema=None) as batch_op:
        batch_op.add_column(sa.Column('report_authority', sa.String(length=200),
                                      server_default='', nullable=False))
        batch_op.add_column(sa.Column('report_subtitle', sa.String(length=300),
                                      server_default='', nullable=False))
        batch_op.add_column(sa.Column('report_logo', sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column('report_logo_type', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('report_logo_png', sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column(
            'report_status',
            sa.Enum('draft', 'validated', name='report_status', native_enum=False,
                    create_constraint=True, length=32),
            server_default='draft', nullable=False))
        batch_op.add_column(sa.Column('report_validated_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('report_version_date', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('download_stem', sa.String(length=60), nullable=True))


def downgrade():
    with op.batch_alter_table('diagnostic', schema=None) as batch_op:
        if op.get_bind().dialect.name == 'sqlite':
            # The batch copy would keep the CHECK of the dropped column (PostgreSQL drops
            # it with the column).
            batch_op.drop_constraint(op.f('ck_diagnostic_report_status'), type_='check')
        batch_op.drop_column('download_stem')
        batch_op.drop_column('report_version_date')
        batch_op.drop_column('report_validated_on')
        batch_op.drop_column('report_status')
        batch_op.drop_column('report_logo_png')
        batch_op.drop_column('report_logo_type')
        batch_op.drop_column('report_logo')
        batch_op.drop_column('report_subtitle')
        batch_op.drop_column('report_authority')
