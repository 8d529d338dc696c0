"""paper import

Uploaded spreadsheets of paper cards (kept between preview and import), and the upload a
contribution was imported from.

Revision ID: f1a7c2e9b3d4
Revises: e7b3c9d1a4f2
Create Date: 2026-12-07 01:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f1a7c2e9b3d4'
down_revision = 'e7b3c9d1a4f2'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'paper_import',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('workshop_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('filename', sa.String(length=200), nullable=False),
        sa.Column('content', sa.LargeBinary(), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('created_count', sa.Integer(), nullable=False),
        sa.Column('skipped_count', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('imported_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['user.id'],
                                name=op.f('fk_paper_import_user_id_user'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['workshop_id'], ['workshop.id'],
                                name=op.f('fk_paper_import_workshop_id_workshop'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_paper_import')),
    )
    with op.batch_alter_table('paper_import', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_paper_import_workshop_id'), ['workshop_id'],
                              unique=False)
    with op.batch_alter_table('contribution', schema=None) as batch_op:
        batch_op.add_column(sa.Column('paper_import_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_contribution_paper_import_id_paper_import'),
                                    'paper_import', ['paper_import_id'], ['id'],
                                    ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('contribution', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_contribution_paper_import_id_paper_import'),
                                 type_='foreignkey')
        batch_op.drop_column('paper_import_id')
    with op.batch_alter_table('paper_import', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_paper_import_workshop_id'))
    op.drop_table('paper_import')
