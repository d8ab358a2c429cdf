"""staffing: remembered dismissals of derived peak proposals

Revision ID: 5a7d3c91b2e4
Revises: f474bc003889
Create Date: 2026-11-21 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5a7d3c91b2e4'
down_revision = 'f474bc003889'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('peak_proposal_dismissal',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=300), nullable=False),
    sa.Column('label', sa.String(length=300), nullable=False),
    sa.Column('dismissed_at', sa.DateTime(), nullable=False),
    sa.Column('dismissed_by', sa.String(length=254), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_peak_proposal_dismissal_organisation_id_organisation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_peak_proposal_dismissal')),
    sa.UniqueConstraint('organisation_id', 'key', name=op.f('uq_peak_proposal_dismissal_organisation_id_key'))
    )
    with op.batch_alter_table('peak_proposal_dismissal', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_peak_proposal_dismissal_organisation_id'), ['organisation_id'], unique=False)


def downgrade():
    with op.batch_alter_table('peak_proposal_dismissal', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_peak_proposal_dismissal_organisation_id'))

    op.drop_table('peak_proposal_dismissal')
