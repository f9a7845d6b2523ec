"""Core schema of the community server: every table except the points ledger's (0002_ledger).

Revision ID: 0001_core
Revises: 
Create Date: 2026-11-21 14:54:05.221939
"""

from __future__ import annotations

from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op


revision: str = '0001_core'
down_revision: Union[str, Sequence[str], None] = None
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('change_log',
    sa.Column('seq', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('key', sa.String(length=128), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('audience_kiosk_id', sa.String(length=64), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('seq', name=op.f('pk_change_log'))
    )
    op.create_index(op.f('ix_change_log_audience_kiosk_id'), 'change_log', ['audience_kiosk_id'], unique=False)

    op.create_table('families',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('holder_id', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_families'))
    )
    op.create_index(op.f('ix_families_holder_id'), 'families', ['holder_id'], unique=False)

    op.create_table('idempotency_keys',
    sa.Column('key', sa.Uuid(), nullable=False),
    sa.Column('kiosk_id', sa.String(length=32), nullable=False),
    sa.Column('kind', sa.String(length=64), nullable=False),
    sa.Column('payload_hash', sa.String(length=64), nullable=False),
    sa.Column('status_code', sa.Integer(), nullable=False),
    sa.Column('response', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_idempotency_keys'))
    )
    op.create_index(op.f('ix_idempotency_keys_created_at'), 'idempotency_keys', ['created_at'], unique=False)

    op.create_table('issued_tokens',
    sa.Column('token_id', sa.String(length=32), nullable=False),
    sa.Column('kid', sa.String(length=40), nullable=False),
    sa.Column('role', sa.String(length=1), nullable=False),
    sa.Column('subject', sa.String(length=40), nullable=False),
    sa.Column('issued_at', sa.Integer(), nullable=False),
    sa.Column('expires_at', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('token_id', name=op.f('pk_issued_tokens'))
    )
    op.create_index(op.f('ix_issued_tokens_subject'), 'issued_tokens', ['subject'], unique=False)

    op.create_table('kiosk_settings',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('kiosk_id', sa.String(length=32), nullable=True),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('value', sa.JSON(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kiosk_settings'))
    )
    op.create_index(op.f('ix_kiosk_settings_kiosk_id'), 'kiosk_settings', ['kiosk_id'], unique=False)

    op.create_table('revoked_tokens',
    sa.Column('token_id', sa.String(length=32), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('token_id', name=op.f('pk_revoked_tokens'))
    )
    op.create_table('service_requests',
    sa.Column('tracking_no', sa.String(length=32), nullable=False),
    sa.Column('kiosk_id', sa.String(length=32), nullable=True),
    sa.Column('resident_id', sa.String(length=32), nullable=True),
    sa.Column('category', sa.String(length=32), nullable=False),
    sa.Column('location', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('status_note', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('tracking_no', name=op.f('pk_service_requests'))
    )
    op.create_index(op.f('ix_service_requests_kiosk_id'), 'service_requests', ['kiosk_id'], unique=False)
    op.create_index(op.f('ix_service_requests_resident_id'), 'service_requests', ['resident_id'], unique=False)
    op.create_index(op.f('ix_service_requests_status'), 'service_requests', ['status'], unique=False)

    op.create_table('signing_keys',
    sa.Column('kid', sa.String(length=40), nullable=False),
    sa.Column('private_key', sa.LargeBinary(), nullable=False),
    sa.Column('public_key', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('not_after', sa.DateTime(timezone=True), nullable=True),
    sa.Column('retired', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('kid', name=op.f('pk_signing_keys'))
    )
    op.create_table('sub_districts',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sub_districts'))
    )
    op.create_table('communities',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('sub_district_id', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.ForeignKeyConstraint(['sub_district_id'], ['sub_districts.id'], name=op.f('fk_communities_sub_district_id_sub_districts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_communities'))
    )
    op.create_index(op.f('ix_communities_sub_district_id'), 'communities', ['sub_district_id'], unique=False)

    op.create_table('service_request_events',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('tracking_no', sa.String(length=32), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('actor', sa.String(length=32), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['tracking_no'], ['service_requests.tracking_no'], name=op.f('fk_service_request_events_tracking_no_service_requests')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_service_request_events'))
    )
    op.create_index(op.f('ix_service_request_events_tracking_no'), 'service_request_events', ['tracking_no'], unique=False)

    op.create_table('activities',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('community_id', sa.String(length=32), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('leader_id', sa.String(length=32), nullable=True),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('cost_points', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['community_id'], ['communities.id'], name=op.f('fk_activities_community_id_communities')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_activities'))
    )
    op.create_index(op.f('ix_activities_community_id'), 'activities', ['community_id'], unique=False)

    op.create_table('buildings',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('community_id', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.ForeignKeyConstraint(['community_id'], ['communities.id'], name=op.f('fk_buildings_community_id_communities')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_buildings'))
    )
    op.create_index(op.f('ix_buildings_community_id'), 'buildings', ['community_id'], unique=False)

    op.create_table('enrollment_codes',
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('community_id', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('kiosk_id', sa.String(length=32), nullable=True),
    sa.ForeignKeyConstraint(['community_id'], ['communities.id'], name=op.f('fk_enrollment_codes_community_id_communities')),
    sa.PrimaryKeyConstraint('code_hash', name=op.f('pk_enrollment_codes'))
    )
    op.create_table('kiosks',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('community_id', sa.String(length=32), nullable=False),
    sa.Column('secret_hash', sa.String(length=64), nullable=False),
    sa.Column('install_id', sa.String(length=64), nullable=False),
    sa.Column('version', sa.String(length=32), nullable=False),
    sa.Column('enrolled_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_seen', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['community_id'], ['communities.id'], name=op.f('fk_kiosks_community_id_communities')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kiosks'))
    )
    op.create_index(op.f('ix_kiosks_community_id'), 'kiosks', ['community_id'], unique=False)

    op.create_table('menus',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('community_id', sa.String(length=32), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('meal', sa.String(length=8), nullable=False),
    sa.Column('dishes', sa.JSON(), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('base_price_points', sa.Integer(), nullable=False),
    sa.Column('cutoff_time', sa.Time(), nullable=False),
    sa.ForeignKeyConstraint(['community_id'], ['communities.id'], name=op.f('fk_menus_community_id_communities')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_menus')),
    sa.UniqueConstraint('community_id', 'day', 'meal', name='uq_menus_community_day_meal')
    )
    op.create_index(op.f('ix_menus_community_id'), 'menus', ['community_id'], unique=False)

    op.create_table('staff',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('community_id', sa.String(length=32), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.ForeignKeyConstraint(['community_id'], ['communities.id'], name=op.f('fk_staff_community_id_communities')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff'))
    )
    op.create_index(op.f('ix_staff_community_id'), 'staff', ['community_id'], unique=False)

    op.create_table('units',
    sa.Column('id', sa.String(length=40), nullable=False),
    sa.Column('building_id', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.ForeignKeyConstraint(['building_id'], ['buildings.id'], name=op.f('fk_units_building_id_buildings')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_units'))
    )
    op.create_index(op.f('ix_units_building_id'), 'units', ['building_id'], unique=False)

    op.create_table('residents',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('phone', sa.String(length=32), nullable=True),
    sa.Column('birth_date', sa.Date(), nullable=False),
    sa.Column('community_id', sa.String(length=32), nullable=False),
    sa.Column('unit_id', sa.String(length=40), nullable=True),
    sa.Column('family_id', sa.String(length=32), nullable=True),
    sa.Column('roles', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['community_id'], ['communities.id'], name=op.f('fk_residents_community_id_communities')),
    sa.ForeignKeyConstraint(['family_id'], ['families.id'], name=op.f('fk_residents_family_id_families')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_residents_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_residents'))
    )
    op.create_index(op.f('ix_residents_community_id'), 'residents', ['community_id'], unique=False)
    op.create_index(op.f('ix_residents_family_id'), 'residents', ['family_id'], unique=False)
    op.create_index(op.f('ix_residents_unit_id'), 'residents', ['unit_id'], unique=False)



def downgrade() -> None:
    op.drop_table('residents')
    op.drop_table('units')
    op.drop_table('staff')
    op.drop_table('menus')
    op.drop_table('kiosks')
    op.drop_table('enrollment_codes')
    op.drop_table('buildings')
    op.drop_table('activities')
    op.drop_table('service_request_events')
    op.drop_table('communities')
    op.drop_table('sub_districts')
    op.drop_table('signing_keys')
    op.drop_table('service_requests')
    op.drop_table('revoked_tokens')
    op.drop_table('kiosk_settings')
    op.drop_table('issued_tokens')
    op.drop_table('idempotency_keys')
    op.drop_table('families')
    op.drop_table('change_log')
