"""restitution

The participant page of a diagnostic (its token, publication, closing date and who may
comment) and the comments participants leave on it, moderated by staff.

Revision ID: f2b8d3a1c5e6
Revises: f3c9e4b2d6a7
Create Date: 2026-12-07 00:55:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f2b8d3a1c5e6'
down_revision = 'f3c9e4b2d6a7'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'restitution',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('diagnostic_id', sa.Integer(), nullable=False),
        sa.Column('token', sa.String(length=64), nullable=False),
        sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('closes_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('identification', sa.Enum('participant', 'anonymous',
                                            name='identification_mode', native_enum=False,
                                            create_constraint=True, length=32),
                  nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['diagnostic_id'], ['diagnostic.id'],
                                name=op.f('fk_restitution_diagnostic_id_diagnostic'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_restitution')),
        sa.UniqueConstraint('diagnostic_id', name=op.f('uq_restitution_diagnostic_id')),
        sa.UniqueConstraint('token', name=op.f('uq_restitution_token')),
    )
    op.create_table(
        'restitution_comment',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('diagnostic_id', sa.Integer(), nullable=False),
        sa.Column('synthesis_item_id', sa.Integer(), nullable=True),
        sa.Column('contribution_id', sa.Integer(), nullable=True),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('status', sa.Enum('pending', 'approved', 'rejected', name='comment_status',
                                    native_enum=False, create_constraint=True, length=32),
                  nullable=False),
        sa.Column('participant_id', sa.Integer(), nullable=True),
        sa.Column('author_name', sa.String(length=80), nullable=True),
        sa.Column('client_id', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('moderated_by_id', sa.Integer(), nullable=True),
        sa.Column('moderated_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['contribution_id'], ['contribution.id'],
                                name=op.f('fk_restitution_comment_contribution_id_contribution'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['diagnostic_id'], ['diagnostic.id'],
                                name=op.f('fk_restitution_comment_diagnostic_id_diagnostic'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['moderated_by_id'], ['user.id'],
                                name=op.f('fk_restitution_comment_moderated_by_id_user'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['participant_id'], ['participant.id'],
                                name=op.f('fk_restitution_comment_participant_id_participant'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['synthesis_item_id'], ['synthesis_item.id'],
                                name=op.f('fk_restitution_comment_synthesis_item_id_synthesis_item'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_restitution_comment')),
        sa.UniqueConstraint('client_id', name=op.f('uq_restitution_comment_client_id')),
    )
    with op.batch_alter_table('restitution_comment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_restitution_comment_diagnostic_id'),
                              ['diagnostic_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_restitution_comment_synthesis_item_id'),
                              ['synthesis_item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_restitution_comment_contribution_id'),
                              ['contribution_id'], unique=False)


def downgrade():
    with op.batch_alter_table('restitution_comment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_restitution_comment_contribution_id'))
        batch_op.drop_index(batch_op.f('ix_restitution_comment_synthesis_item_id'))
        batch_op.drop_index(batch_op.f('ix_restitution_comment_diagnostic_id'))
    op.drop_table('restitution_comment')
    op.drop_table('restitution')
