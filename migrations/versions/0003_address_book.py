"""The address book: identities across cases, contact points, consents, confirmations,
and the log of questions to telecom operators.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0003'
down_revision: str | Sequence[str] | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Applies this revision."""
    op.create_table('party_identities',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('blind_index', sa.String(length=64), nullable=False),
    sa.Column('name_sealed', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('blind_index')
    )
    op.create_table('consent_records',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('identity_id', sa.String(length=32), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('scope', sa.String(length=200), nullable=False),
    sa.Column('contact_point_ids', sa.JSON(), nullable=False),
    sa.Column('case_number', sa.String(length=100), nullable=False),
    sa.Column('evidence', sa.String(length=500), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['identity_id'], ['party_identities.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('consent_records', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consent_records_identity_id'), ['identity_id'], unique=False)

    op.create_table('contact_points',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('identity_id', sa.String(length=32), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('value_sealed', sa.Text(), nullable=False),
    sa.Column('value_index', sa.String(length=64), nullable=False),
    sa.Column('label', sa.String(length=100), nullable=False),
    sa.Column('source', sa.String(length=32), nullable=False),
    sa.Column('first_seen_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_success_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_success_case', sa.String(length=100), nullable=True),
    sa.Column('last_failure_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_failure_reason', sa.String(length=200), nullable=True),
    sa.Column('successes', sa.Integer(), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('confidence', sa.Double(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['identity_id'], ['party_identities.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('identity_id', 'kind', 'value_index', name='uq_contact_point')
    )
    with op.batch_alter_table('contact_points', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contact_points_identity_id'), ['identity_id'], unique=False)

    op.create_table('address_confirmations',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('identity_id', sa.String(length=32), nullable=False),
    sa.Column('contact_point_id', sa.String(length=32), nullable=False),
    sa.Column('case_number', sa.String(length=100), nullable=False),
    sa.Column('evidence', sa.String(length=500), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['contact_point_id'], ['contact_points.id'], ),
    sa.ForeignKeyConstraint(['identity_id'], ['party_identities.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('address_confirmations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_address_confirmations_identity_id'), ['identity_id'], unique=False)

    op.create_table('repair_queries',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('task_id', sa.String(length=32), nullable=False),
    sa.Column('operator', sa.String(length=32), nullable=False),
    sa.Column('case_number', sa.String(length=100), nullable=False),
    sa.Column('legal_basis', sa.String(length=200), nullable=False),
    sa.Column('outcome', sa.String(length=32), nullable=False),
    sa.Column('found', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['task_id'], ['service_tasks.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('repair_queries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_repair_queries_task_id'), ['task_id'], unique=False)

    with op.batch_alter_table('parties', schema=None) as batch_op:
        batch_op.add_column(sa.Column('learned', sa.JSON(), nullable=False, server_default='{}'))
        batch_op.add_column(sa.Column('identity_id', sa.String(length=32), nullable=True))
        batch_op.create_index(batch_op.f('ix_parties_identity_id'), ['identity_id'], unique=False)
        batch_op.create_foreign_key('fk_parties_identity_id', 'party_identities', ['identity_id'], ['id'])



def downgrade() -> None:
    """Reverts this revision."""
    with op.batch_alter_table('parties', schema=None) as batch_op:
        batch_op.drop_constraint('fk_parties_identity_id', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_parties_identity_id'))
        batch_op.drop_column('identity_id')
        batch_op.drop_column('learned')

    with op.batch_alter_table('repair_queries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_repair_queries_task_id'))

    op.drop_table('repair_queries')
    with op.batch_alter_table('address_confirmations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_address_confirmations_identity_id'))

    op.drop_table('address_confirmations')
    with op.batch_alter_table('contact_points', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contact_points_identity_id'))

    op.drop_table('contact_points')
    with op.batch_alter_table('consent_records', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consent_records_identity_id'))

    op.drop_table('consent_records')
    op.drop_table('party_identities')
