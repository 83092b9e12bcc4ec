"""datasets: bitemporal version and current tables of the 14 datasets, catalogue, ledger, outbox

Generated from the dataset specs (entities/tables.py) with `alembic revision
--autogenerate` and reviewed; tests/test_migrations.py checks it still matches.

Revision ID: 0002_datasets
Revises: 0001_foundation
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002_datasets"
down_revision: str | None = "0001_foundation"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "dataset_catalogue",
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("label_ko", sa.Text(), nullable=False),
        sa.Column("label_en", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("owner_code", sa.Text(), nullable=False),
        sa.Column("owner_name_ko", sa.Text(), nullable=False),
        sa.Column("owner_name_en", sa.Text(), nullable=False),
        sa.Column("legal_basis", sa.Text(), nullable=False),
        sa.Column("cadence", sa.Text(), nullable=False),
        sa.Column("natural_key", sa.Text(), nullable=False),
        sa.Column(
            "spec",
            postgresql.JSONB(astext_type=sa.Text()),
            nullable=False,
            comment="fields, relations, searches, linkage",
        ),
        sa.Column("row_count", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("last_sync_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_dataset_catalogue")),
    )
    op.create_table(
        "sync_batch",
        sa.Column("batch_id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("dataset", sa.Text(), nullable=False),
        sa.Column("mode", sa.Text(), nullable=False),
        sa.Column(
            "source", sa.Text(), nullable=False, comment="file path, drop folder or source URL"
        ),
        sa.Column("sha256", sa.Text(), nullable=True, comment="checksum of the original file"),
        sa.Column("archive_path", sa.Text(), nullable=True),
        sa.Column("as_of", sa.Date(), nullable=True, comment="valid-from date of the changes"),
        sa.Column("status", sa.Text(), server_default="running", nullable=False),
        sa.Column("rows_read", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("rows_created", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("rows_changed", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("rows_ended", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("rows_unchanged", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("rows_quarantined", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column(
            "timings",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default=sa.text("'{}'::jsonb"),
            nullable=False,
        ),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column(
            "started_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("mode IN ('full', 'delta')", name=op.f("ck_sync_batch_mode")),
        sa.CheckConstraint(
            "status IN ('running', 'applied', 'failed', 'duplicate')",
            name=op.f("ck_sync_batch_status"),
        ),
        sa.PrimaryKeyConstraint("batch_id", name=op.f("pk_sync_batch")),
    )
    op.create_index(
        "ix_sync_batch_dataset_sha256", "sync_batch", ["dataset", "sha256"], unique=False
    )
    op.create_index(
        "ix_sync_batch_dataset_started", "sync_batch", ["dataset", "started_at"], unique=False
    )
    op.create_table(
        "vocabulary_term",
        sa.Column("code", sa.Text(), nullable=False),
        sa.Column("name_ko", sa.Text(), nullable=False),
        sa.Column("name_en", sa.Text(), nullable=False),
        sa.Column("definition", sa.Text(), nullable=False),
        sa.Column("type", sa.Text(), nullable=False),
        sa.Column("format", sa.Text(), nullable=False),
        sa.Column("synonyms", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_vocabulary_term")),
    )
    op.create_table(
        "address_version",
        sa.Column("version_id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column(
            "road_address_id",
            sa.Text(),
            nullable=False,
            comment="도로명주소 관리번호 / Road-name address id",
        ),
        sa.Column("road_name", sa.Text(), nullable=False, comment="도로명 / Road name"),
        sa.Column(
            "building_main_no",
            sa.BigInteger(),
            nullable=False,
            comment="건물본번 / Building main number",
        ),
        sa.Column(
            "building_sub_no",
            sa.BigInteger(),
            nullable=False,
            comment="건물부번 / Building sub number",
        ),
        sa.Column("underground", sa.Boolean(), nullable=False, comment="지하여부 / Underground"),
        sa.Column("sido", sa.Text(), nullable=False, comment="시도 / Province"),
        sa.Column("sigungu", sa.Text(), nullable=False, comment="시군구 / Municipality"),
        sa.Column("eupmyeondong", sa.Text(), nullable=False, comment="읍면동 / Eup/myeon/dong"),
        sa.Column(
            "legal_dong_code", sa.Text(), nullable=False, comment="법정동코드 / Legal-dong code"
        ),
        sa.Column("postal_code", sa.Text(), nullable=False, comment="우편번호 / Postal code"),
        sa.Column("building_name", sa.Text(), nullable=True, comment="건물명 / Building name"),
        sa.Column("pnu", sa.Text(), nullable=False, comment="관련지번 필지고유번호 / Parcel (PNU)"),
        sa.Column("full_address", sa.Text(), nullable=False, comment="도로명주소 / Full address"),
        sa.Column("status", sa.Text(), nullable=False, comment="상태 / Status"),
        sa.Column("status_date", sa.Date(), nullable=True, comment="상태변경일자 / Status date"),
        sa.Column(
            "region_code", sa.Text(), nullable=False, comment="시군구코드 / Region (si-gun-gu) code"
        ),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column(
            "valid_to", sa.Date(), nullable=True, comment="exclusive; NULL while still valid"
        ),
        sa.Column(
            "valid_period",
            postgresql.DATERANGE(),
            sa.Computed("daterange(valid_from, valid_to, '[)')", persisted=True),
            nullable=True,
        ),
        sa.Column(
            "key_hash",
            sa.BigInteger(),
            sa.Computed("hashtextextended(road_address_id, 0)", persisted=True),
            nullable=True,
        ),
        sa.Column(
            "recorded_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("superseded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("batch_id", sa.BigInteger(), nullable=True),
        sa.Column(
            "source_row", sa.Integer(), nullable=True, comment="0-based data row in the source"
        ),
        sa.Column("row_hash", sa.UUID(as_uuid=False), nullable=False),
        postgresql.ExcludeConstraint(
            (sa.column("key_hash"), "="),
            (sa.column("valid_period"), "&&"),
            where=sa.text("superseded_at IS NULL"),
            using="gist",
            name="ex_address_version_current_validity",
        ),
        sa.CheckConstraint(
            "status IN ('active', 'abolished')", name=op.f("ck_address_version_status_code")
        ),
        sa.CheckConstraint(
            "superseded_at IS NULL OR superseded_at >= recorded_at",
            name=op.f("ck_address_version_recorded_order"),
        ),
        sa.CheckConstraint(
            "valid_to IS NULL OR valid_to >= valid_from",
            name=op.f("ck_address_version_valid_order"),
        ),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["sync_batch.batch_id"],
            name=op.f("fk_address_version_batch_id_sync_batch"),
        ),
        sa.PrimaryKeyConstraint("version_id", name=op.f("pk_address_version")),
        comment="도로명주소 (Road-name address): every recorded version",
    )
    op.create_index("ix_address_version_batch_id", "address_version", ["batch_id"], unique=False)
    op.create_index(
        "ix_address_version_road_address_id_valid_from",
        "address_version",
        ["road_address_id", "valid_from"],
        unique=False,
    )
    op.create_table(
        "building_version",
        sa.Column("version_id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column(
            "building_register_no",
            sa.Text(),
            nullable=False,
            comment="건축물대장 관리번호 / Building register number",
        ),
        sa.Column(
            "pnu", sa.Text(), nullable=False, comment="대지 필지고유번호 / Site parcel (PNU)"
        ),
        sa.Column(
            "road_address_id",
            sa.Text(),
            nullable=True,
            comment="도로명주소 관리번호 / Road-name address id",
        ),
        sa.Column("name", sa.Text(), nullable=True, comment="건물명 / Building name"),
        sa.Column("dong_name", sa.Text(), nullable=True, comment="동명칭 / Block name"),
        sa.Column("main_use", sa.Text(), nullable=False, comment="주용도 / Main use"),
        sa.Column("structure", sa.Text(), nullable=True, comment="주구조 / Main structure"),
        sa.Column(
            "floors_above", sa.BigInteger(), nullable=True, comment="지상층수 / Floors above ground"
        ),
        sa.Column(
            "floors_below", sa.BigInteger(), nullable=True, comment="지하층수 / Floors below ground"
        ),
        sa.Column(
            "building_area_m2", sa.Numeric(), nullable=True, comment="건축면적 / Building area (m²)"
        ),
        sa.Column(
            "total_floor_area_m2",
            sa.Numeric(),
            nullable=True,
            comment="연면적 / Total floor area (m²)",
        ),
        sa.Column(
            "approval_date", sa.Date(), nullable=True, comment="사용승인일 / Use approval date"
        ),
        sa.Column("status", sa.Text(), nullable=False, comment="상태 / Status"),
        sa.Column("status_date", sa.Date(), nullable=True, comment="상태변경일자 / Status date"),
        sa.Column(
            "region_code", sa.Text(), nullable=False, comment="시군구코드 / Region (si-gun-gu) code"
        ),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column(
            "valid_to", sa.Date(), nullable=True, comment="exclusive; NULL while still valid"
        ),
        sa.Column(
            "valid_period",
            postgresql.DATERANGE(),
            sa.Computed("daterange(valid_from, valid_to, '[)')", persisted=True),
            nullable=True,
        ),
        sa.Column(
            "key_hash",
            sa.BigInteger(),
            sa.Computed("hashtextextended(building_register_no, 0)", persisted=True),
            nullable=True,
        ),
        sa.Column(
            "recorded_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("superseded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("batch_id", sa.BigInteger(), nullable=True),
        sa.Column(
            "source_row", sa.Integer(), nullable=True, comment="0-based data row in the source"
        ),
        sa.Column("row_hash", sa.UUID(as_uuid=False), nullable=False),
        postgresql.ExcludeConstraint(
            (sa.column("key_hash"), "="),
            (sa.column("valid_period"), "&&"),
            where=sa.text("superseded_at IS NULL"),
            using="gist",
            name="ex_building_version_current_validity",
        ),
        sa.CheckConstraint(
            "main_use IN ('detached_house', 'multi_unit_house', 'neighbourhood_facility_1', 'neighbourhood_facility_2', 'culture_assembly', 'religious', 'sales', 'transport', 'medical', 'education_research', 'elderly_children', 'youth_training', 'sports', 'office', 'lodging', 'amusement', 'factory', 'warehouse', 'hazardous_storage', 'vehicle_related', 'animal_plant', 'resource_recycling', 'correctional', 'military', 'broadcasting_telecom', 'power_generation', 'cemetery_related', 'tourist_rest', 'funeral', 'camping')",
            name=op.f("ck_building_version_main_use_code"),
        ),
        sa.CheckConstraint(
            "status IN ('active', 'demolished')", name=op.f("ck_building_version_status_code")
        ),
        sa.CheckConstraint(
            "structure IN ('reinforced_concrete', 'steel_reinforced_concrete', 'steel', 'light_steel', 'precast_concrete', 'masonry', 'wood', 'other')",
            name=op.f("ck_building_version_structure_code"),
        ),
        sa.CheckConstraint(
            "superseded_at IS NULL OR superseded_at >= recorded_at",
            name=op.f("ck_building_version_recorded_order"),
        ),
        sa.CheckConstraint(
            "valid_to IS NULL OR valid_to >= valid_from",
            name=op.f("ck_building_version_valid_order"),
        ),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["sync_batch.batch_id"],
            name=op.f("fk_building_version_batch_id_sync_batch"),
        ),
        sa.PrimaryKeyConstraint("version_id", name=op.f("pk_building_version")),
        comment="건축물 (Building): every recorded version",
    )
    op.create_index("ix_building_version_batch_id", "building_version", ["batch_id"], unique=False)
    op.create_index(
        "ix_building_version_building_register_no_valid_from",
        "building_version",
        ["building_register_no", "valid_from"],
        unique=False,
    )
    op.create_table(
        "business_version",
        sa.Column("version_id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column(
            "brn",
            sa.Text(),
            nullable=False,
            comment="사업자등록번호 / Business registration number",
        ),
        sa.Column("trade_name", sa.Text(), nullable=False, comment="상호 / Trade name"),
        sa.Column(
            "representative_name", sa.Text(), nullable=False, comment="대표자 성명 / Representative"
        ),
        sa.Column(
            "representative_rrn",
            sa.Text(),
            nullable=True,
            comment="대표자 주민등록번호 / Representative RRN",
        ),
        sa.Column(
            "business_type", sa.Text(), nullable=False, comment="사업자 구분 / Business kind"
        ),
        sa.Column(
            "crn",
            sa.Text(),
            nullable=True,
            comment="법인등록번호 / Corporation registration number",
        ),
        sa.Column(
            "industry_code", sa.Text(), nullable=False, comment="주업종코드 / Main industry code"
        ),
        sa.Column(
            "address_id", sa.Text(), nullable=False, comment="사업장 소재지 / Place of business"
        ),
        sa.Column("opened_date", sa.Date(), nullable=False, comment="개업일자 / Opening date"),
        sa.Column("tax_type", sa.Text(), nullable=False, comment="과세유형 / Tax type"),
        sa.Column("status", sa.Text(), nullable=False, comment="상태 / Status"),
        sa.Column("status_date", sa.Date(), nullable=True, comment="상태변경일자 / Status date"),
        sa.Column(
            "region_code", sa.Text(), nullable=False, comment="시군구코드 / Region (si-gun-gu) code"
        ),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column(
            "valid_to", sa.Date(), nullable=True, comment="exclusive; NULL while still valid"
        ),
        sa.Column(
            "valid_period",
            postgresql.DATERANGE(),
            sa.Computed("daterange(valid_from, valid_to, '[)')", persisted=True),
            nullable=True,
        ),
        sa.Column(
            "key_hash",
            sa.BigInteger(),
            sa.Computed("hashtextextended(brn, 0)", persisted=True),
            nullable=True,
        ),
        sa.Column(
            "recorded_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("superseded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("batch_id", sa.BigInteger(), nullable=True),
        sa.Column(
            "source_row", sa.Integer(), nullable=True, comment="0-based data row in the source"
        ),
        sa.Column("row_hash", sa.UUID(as_uuid=False), nullable=False),
        postgresql.ExcludeConstraint(
            (sa.column("key_hash"), "="),
            (sa.column("valid_period"), "&&"),
            where=sa.text("superseded_at IS NULL"),
            using="gist",
            name="ex_business_version_current_validity",
        ),
        sa.CheckConstraint(
            "business_type IN ('individual', 'corporate')",
            name=op.f("ck_business_version_business_type_code"),
        ),
        sa.CheckConstraint(
            "status IN ('active', 'suspended', 'closed')",
            name=op.f("ck_business_version_status_code"),
        ),
        sa.CheckConstraint(
            "tax_type IN ('general', 'simplified', 'exempt', 'non_profit')",
            name=op.f("ck_business_version_tax_type_code"),
        ),
        sa.CheckConstraint(
            "superseded_at IS NULL OR superseded_at >= recorded_at",
            name=op.f("ck_business_version_recorded_order"),
        ),
        sa.CheckConstraint(
            "valid_to IS NULL OR valid_to >= valid_from",
            name=op.f("ck_business_version_valid_order"),
        ),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["sync_batch.batch_id"],
            name=op.f("fk_business_version_batch_id_sync_batch"),
        ),
        sa.PrimaryKeyConstraint("version_id", name=op.f("pk_business_version")),
        comment="사업자 (Business): every recorded version",
    )
    op.create_index("ix_business_version_batch_id", "business_version", ["batch_id"], unique=False)
    op.create_index(
        "ix_business_version_brn_valid_from",
        "business_version",
        ["brn", "valid_from"],
        unique=False,
    )
    op.create_table(
        "change_event",
        sa.Column("event_id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("dataset", sa.Text(), nullable=False),
        sa.Column("record_key", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("version_id", sa.BigInteger(), nullable=True),
        sa.Column("previous_version_id", sa.BigInteger(), nullable=True),
        sa.Column("batch_id", sa.BigInteger(), nullable=True),
        sa.Column(
            "txid",
            sa.BigInteger(),
            server_default=sa.text("(pg_current_xact_id()::text)::bigint"),
            nullable=False,
        ),
        sa.Column(
            "occurred_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "kind IN ('created', 'changed', 'corrected', 'ended')",
            name=op.f("ck_change_event_kind"),
        ),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["sync_batch.batch_id"], name=op.f("fk_change_event_batch_id_sync_batch")
        ),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_change_event")),
    )
    op.create_index("ix_change_event_batch_id", "change_event", ["batch_id"], unique=False)
    op.create_index(
        "ix_change_event_dataset_event", "change_event", ["dataset", "event_id"], unique=False
    )
    op.create_table(
        "corporation_version",
        sa.Column("version_id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column(
            "crn",
            sa.Text(),
            nullable=False,
            comment="법인등록번호 / Corporation registration number",
        ),
        sa.Column("name", sa.Text(), nullable=False, comment="법인명 / Name"),
        sa.Column("corp_kind", sa.Text(), nullable=False, comment="법인 종류 / Corporation kind"),
        sa.Column(
            "representative_name", sa.Text(), nullable=False, comment="대표자 성명 / Representative"
        ),
        sa.Column(
            "head_office_address_id",
            sa.Text(),
            nullable=False,
            comment="본점 소재지 / Head office address",
        ),
        sa.Column(
            "established_date", sa.Date(), nullable=False, comment="설립일자 / Established date"
        ),
        sa.Column("capital", sa.Numeric(), nullable=True, comment="자본금 / Capital"),
        sa.Column("status", sa.Text(), nullable=False, comment="상태 / Status"),
        sa.Column("status_date", sa.Date(), nullable=True, comment="상태변경일자 / Status date"),
        sa.Column(
            "region_code", sa.Text(), nullable=False, comment="시군구코드 / Region (si-gun-gu) code"
        ),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column(
            "valid_to", sa.Date(), nullable=True, comment="exclusive; NULL while still valid"
        ),
        sa.Column(
            "valid_period",
            postgresql.DATERANGE(),
            sa.Computed("daterange(valid_from, valid_to, '[)')", persisted=True),
            nullable=True,
        ),
        sa.Column(
            "key_hash",
            sa.BigInteger(),
            sa.Computed("hashtextextended(crn, 0)", persisted=True),
            nullable=True,
        ),
        sa.Column(
            "recorded_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("superseded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("batch_id", sa.BigInteger(), nullable=True),
        sa.Column(
            "source_row", sa.Integer(), nullable=True, comment="0-based data row in the source"
        ),
        sa.Column("row_hash", sa.UUID(as_uuid=False), nullable=False),
        postgresql.ExcludeConstraint(
            (sa.column("key_hash"), "="),
            (sa.column("valid_period"), "&&"),
            where=sa.text("superseded_at IS NULL"),
            using="gist",
            name="ex_corporation_version_current_validity",
        ),
        sa.CheckConstraint(
            "corp_kind IN ('stock_company', 'limited_company', 'limited_liability_company', 'limited_partnership', 'general_partnership', 'incorporated_association', 'incorporated_foundation', 'cooperative', 'foreign_company')",
            name=op.f("ck_corporation_version_corp_kind_code"),
        ),
        sa.CheckConstraint(
            "status IN ('active', 'dissolved', 'liquidated', 'merged')",
            name=op.f("ck_corporation_version_status_code"),
        ),
        sa.CheckConstraint(
            "superseded_at IS NULL OR superseded_at >= recorded_at",
            name=op.f("ck_corporation_version_recorded_order"),
        ),
        sa.CheckConstraint(
            "valid_to IS NULL OR valid_to >= valid_from",
            name=op.f("ck_corporation_version_valid_order"),
        ),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["sync_batch.batch_id"],
            name=op.f("fk_corporation_version_batch_id_sync_batch"),
        ),
        sa.PrimaryKeyConstraint("version_id", name=op.f("pk_corporation_version")),
        comment="법인 (Corporation): every recorded version",
    )
    op.create_index(
        "ix_corporation_version_batch_id", "corporation_version", ["batch_id"], unique=False
    )
    op.create_index(
        "ix_corporation_version_crn_valid_from",
        "corporation_version",
        ["crn", "valid_from"],
        unique=False,
    )
    op.create_table(
        "farm_business_version",
        sa.Column("version_id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column(
            "farm_business_no",
            sa.Text(),
            nullable=False,
            comment="농업경영체 등록번호 / Farm business number",
        ),
        sa.Column(
            "operator_rrn", sa.Text(), nullable=False, comment="경영주 주민등록번호 / Operator RRN"
        ),
        sa.Column(
            "operator_name", sa.Text(), nullable=False, comment="경영주 성명 / Operator name"
        ),
        sa.Column("farm_name", sa.Text(), nullable=True, comment="경영체명 / Farm name"),
        sa.Column("parcels", sa.Text(), nullable=True, comment="경영 필지 / Farmed parcels"),
        sa.Column("main_crop", sa.Text(), nullable=False, comment="주작목 / Main crop"),
        sa.Column("area_m2", sa.Numeric(), nullable=True, comment="경영면적 / Farmed area (m²)"),
        sa.Column(
            "address_id", sa.Text(), nullable=False, comment="경영주 주소 / Operator address"
        ),
        sa.Column(
            "registered_date", sa.Date(), nullable=False, comment="등록일자 / Registration date"
        ),
        sa.Column("status", sa.Text(), nullable=False, comment="상태 / Status"),
        sa.Column("status_date", sa.Date(), nullable=True, comment="상태변경일자 / Status date"),
        sa.Column(
            "region_code", sa.Text(), nullable=False, comment="시군구코드 / Region (si-gun-gu) code"
        ),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column(
            "valid_to", sa.Date(), nullable=True, comment="exclusive; NULL while still valid"
        ),
        sa.Column(
            "valid_period",
            postgresql.DATERANGE(),
            sa.Computed("daterange(valid_from, valid_to, '[)')", persisted=True),
            nullable=True,
        ),
        sa.Column(
            "key_hash",
            sa.BigInteger(),
            sa.Computed("hashtextextended(farm_business_no, 0)", persisted=True),
            nullable=True,
        ),
        sa.Column(
            "recorded_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("superseded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("batch_id", sa.BigInteger(), nullable=True),
        sa.Column(
            "source_row", sa.Integer(), nullable=True, comment="0-based data row in the source"
        ),
        sa.Column("row_hash", sa.UUID(as_uuid=False), nullable=False),
        postgresql.ExcludeConstraint(
            (sa.column("key_hash"), "="),
            (sa.column("valid_period"), "&&"),
            where=sa.text("superseded_at IS NULL"),
            using="gist",
            name="ex_farm_business_version_current_validity",
        ),
        sa.CheckConstraint(
            "main_crop IN ('rice', 'food_crops', 'vegetables', 'fruit', 'special_crops', 'flowers', 'mushrooms', 'forest_products', 'livestock', 'other')",
            name=op.f("ck_farm_business_version_main_crop_code"),
        ),
        sa.CheckConstraint(
            "status IN ('active', 'cancelled')", name=op.f("ck_farm_business_version_status_code")
        ),
        sa.CheckConstraint(
            "superseded_at IS NULL OR superseded_at >= recorded_at",
            name=op.f("ck_farm_business_version_recorded_order"),
        ),
        sa.CheckConstraint(
            "valid_to IS NULL OR valid_to >= valid_from",
            name=op.f("ck_farm_business_version_valid_order"),
        ),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["sync_batch.batch_id"],
            name=op.f("fk_farm_business_version_batch_id_sync_batch"),
        ),
        sa.PrimaryKeyConstraint("version_id", name=op.f("pk_farm_business_version")),
        comment="농업경영체 (Farm business): every recorded version",
    )
    op.create_index(
        "ix_farm_business_version_batch_id", "farm_business_version", ["batch_id"], unique=False
    )
    op.create_index(
        "ix_farm_business_version_farm_business_no_valid_from",
        "farm_business_version",
        ["farm_business_no", "valid_from"],
        unique=False,
    )
    op.create_table(
        "foreign_resident_version",
        sa.Column("version_id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column(
            "frn",
            sa.Text(),
            nullable=False,
            comment="외국인등록번호 / Foreigner registration number",
        ),
        sa.Column("name", sa.Text(), nullable=False, comment="영문성명 / Name (romanised)"),
        sa.Column("name_ko", sa.Text(), nullable=True, comment="한글성명 / Name in Hangul"),
        sa.Column("nationality", sa.Text(), nullable=False, comment="국적 / Nationality"),
        sa.Column("birth_date", sa.Date(), nullable=False, comment="생년월일 / Birth date"),
        sa.Column("sex", sa.Text(), nullable=False, comment="성별 / Sex"),
        sa.Column("visa_status", sa.Text(), nullable=False, comment="체류자격 / Sojourn status"),
        sa.Column(
            "stay_expiry_date",
            sa.Date(),
            nullable=True,
            comment="체류기간 만료일 / Stay expiry date",
        ),
        sa.Column("address_id", sa.Text(), nullable=False, comment="체류지 / Address of stay"),
        sa.Column(
            "registered_date", sa.Date(), nullable=True, comment="외국인등록일 / Registration date"
        ),
        sa.Column("status", sa.Text(), nullable=False, comment="상태 / Status"),
        sa.Column("status_date", sa.Date(), nullable=True, comment="상태변경일자 / Status date"),
        sa.Column(
            "region_code", sa.Text(), nullable=False, comment="시군구코드 / Region (si-gun-gu) code"
        ),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column(
            "valid_to", sa.Date(), nullable=True, comment="exclusive; NULL while still valid"
        ),
        sa.Column(
            "valid_period",
            postgresql.DATERANGE(),
            sa.Computed("daterange(valid_from, valid_to, '[)')", persisted=True),
            nullable=True,
        ),
        sa.Column(
            "key_hash",
            sa.BigInteger(),
            sa.Computed("hashtextextended(frn, 0)", persisted=True),
            nullable=True,
        ),
        sa.Column(
            "recorded_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("superseded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("batch_id", sa.BigInteger(), nullable=True),
        sa.Column(
            "source_row", sa.Integer(), nullable=True, comment="0-based data row in the source"
        ),
        sa.Column("row_hash", sa.UUID(as_uuid=False), nullable=False),
        postgresql.ExcludeConstraint(
            (sa.column("key_hash"), "="),
            (sa.column("valid_period"), "&&"),
            where=sa.text("superseded_at IS NULL"),
            using="gist",
            name="ex_foreign_resident_version_current_validity",
        ),
        sa.CheckConstraint(
            "nationality IN ('ABW', 'AFG', 'AGO', 'AIA', 'ALA', 'ALB', 'AND', 'ARE', 'ARG', 'ARM', 'ASM', 'ATA', 'ATF', 'ATG', 'AUS', 'AUT', 'AZE', 'BDI', 'BEL', 'BEN', 'BES', 'BFA', 'BGD', 'BGR', 'BHR', 'BHS', 'BIH', 'BLM', 'BLR', 'BLZ', 'BMU', 'BOL', 'BRA', 'BRB', 'BRN', 'BTN', 'BVT', 'BWA', 'CAF', 'CAN', 'CCK', 'CHE', 'CHL', 'CHN', 'CIV', 'CMR', 'COD', 'COG', 'COK', 'COL', 'COM', 'CPV', 'CRI', 'CUB', 'CUW', 'CXR', 'CYM', 'CYP', 'CZE', 'DEU', 'DJI', 'DMA', 'DNK', 'DOM', 'DZA', 'ECU', 'EGY', 'ERI', 'ESH', 'ESP', 'EST', 'ETH', 'FIN', 'FJI', 'FLK', 'FRA', 'FRO', 'FSM', 'GAB', 'GBR', 'GEO', 'GGY', 'GHA', 'GIB', 'GIN', 'GLP', 'GMB', 'GNB', 'GNQ', 'GRC', 'GRD', 'GRL', 'GTM', 'GUF', 'GUM', 'GUY', 'HKG', 'HMD', 'HND', 'HRV', 'HTI', 'HUN', 'IDN', 'IMN', 'IND', 'IOT', 'IRL', 'IRN', 'IRQ', 'ISL', 'ISR', 'ITA', 'JAM', 'JEY', 'JOR', 'JPN', 'KAZ', 'KEN', 'KGZ', 'KHM', 'KIR', 'KNA', 'KWT', 'LAO', 'LBN', 'LBR', 'LBY', 'LCA', 'LIE', 'LKA', 'LSO', 'LTU', 'LUX', 'LVA', 'MAC', 'MAF', 'MAR', 'MCO', 'MDA', 'MDG', 'MDV', 'MEX', 'MHL', 'MKD', 'MLI', 'MLT', 'MMR', 'MNE', 'MNG', 'MNP', 'MOZ', 'MRT', 'MSR', 'MTQ', 'MUS', 'MWI', 'MYS', 'MYT', 'NAM', 'NCL', 'NER', 'NFK', 'NGA', 'NIC', 'NIU', 'NLD', 'NOR', 'NPL', 'NRU', 'NZL', 'OMN', 'PAK', 'PAN', 'PCN', 'PER', 'PHL', 'PLW', 'PNG', 'POL', 'PRI', 'PRK', 'PRT', 'PRY', 'PSE', 'PYF', 'QAT', 'REU', 'ROU', 'RUS', 'RWA', 'SAU', 'SDN', 'SEN', 'SGP', 'SGS', 'SHN', 'SJM', 'SLB', 'SLE', 'SLV', 'SMR', 'SOM', 'SPM', 'SRB', 'SSD', 'STP', 'SUR', 'SVK', 'SVN', 'SWE', 'SWZ', 'SXM', 'SYC', 'SYR', 'TCA', 'TCD', 'TGO', 'THA', 'TJK', 'TKL', 'TKM', 'TLS', 'TON', 'TTO', 'TUN', 'TUR', 'TUV', 'TWN', 'TZA', 'UGA', 'UKR', 'UMI', 'URY', 'USA', 'UZB', 'VAT', 'VCT', 'VEN', 'VGB', 'VIR', 'VNM', 'VUT', 'WLF', 'WSM', 'YEM', 'ZAF', 'ZMB', 'ZWE', 'XXA', 'XXB', 'XXC', 'XXX')",
            name=op.f("ck_foreign_resident_version_nationality_code"),
        ),
        sa.CheckConstraint("sex IN ('M', 'F')", name=op.f("ck_foreign_resident_version_sex_code")),
        sa.CheckConstraint(
            "status IN ('active', 'departed', 'expired', 'deceased')",
            name=op.f("ck_foreign_resident_version_status_code"),
        ),
        sa.CheckConstraint(
            "visa_status IN ('D-1', 'D-2', 'D-3', 'D-4', 'D-5', 'D-6', 'D-7', 'D-8', 'D-9', 'D-10', 'E-1', 'E-2', 'E-3', 'E-4', 'E-5', 'E-6', 'E-7', 'E-8', 'E-9', 'E-10', 'F-1', 'F-2', 'F-3', 'F-4', 'F-5', 'F-6', 'G-1', 'H-1', 'H-2')",
            name=op.f("ck_foreign_resident_version_visa_status_code"),
        ),
        sa.CheckConstraint(
            "superseded_at IS NULL OR superseded_at >= recorded_at",
            name=op.f("ck_foreign_resident_version_recorded_order"),
        ),
        sa.CheckConstraint(
            "valid_to IS NULL OR valid_to >= valid_from",
            name=op.f("ck_foreign_resident_version_valid_order"),
        ),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["sync_batch.batch_id"],
            name=op.f("fk_foreign_resident_version_batch_id_sync_batch"),
        ),
        sa.PrimaryKeyConstraint("version_id", name=op.f("pk_foreign_resident_version")),
        comment="등록외국인 (Foreign resident): every recorded version",
    )
    op.create_index(
        "ix_foreign_resident_version_batch_id",
        "foreign_resident_version",
        ["batch_id"],
        unique=False,
    )
    op.create_index(
        "ix_foreign_resident_version_frn_valid_from",
        "foreign_resident_version",
        ["frn", "valid_from"],
        unique=False,
    )
    op.create_table(
        "goods_version",
        sa.Column("version_id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("goods_id", sa.Text(), nullable=False, comment="물품식별번호 / Goods id"),
        sa.Column(
            "classification_code",
            sa.Text(),
            nullable=False,
            comment="물품분류번호 / Classification number",
        ),
        sa.Column("name", sa.Text(), nullable=False, comment="품명 / Goods name"),
        sa.Column("model_name", sa.Text(), nullable=True, comment="모델명 / Model name"),
        sa.Column("specification", sa.Text(), nullable=True, comment="규격 / Specification"),
        sa.Column(
            "maker_brn", sa.Text(), nullable=True, comment="제조사 사업자등록번호 / Maker BRN"
        ),
        sa.Column("maker_name", sa.Text(), nullable=False, comment="제조사명 / Maker name"),
        sa.Column("unit", sa.Text(), nullable=False, comment="단위 / Unit"),
        sa.Column("unit_price", sa.Numeric(), nullable=True, comment="단가 / Unit price"),
        sa.Column(
            "registered_date", sa.Date(), nullable=False, comment="등록일자 / Registration date"
        ),
        sa.Column("status", sa.Text(), nullable=False, comment="상태 / Status"),
        sa.Column("status_date", sa.Date(), nullable=True, comment="상태변경일자 / Status date"),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column(
            "valid_to", sa.Date(), nullable=True, comment="exclusive; NULL while still valid"
        ),
        sa.Column(
            "valid_period",
            postgresql.DATERANGE(),
            sa.Computed("daterange(valid_from, valid_to, '[)')", persisted=True),
            nullable=True,
        ),
        sa.Column(
            "key_hash",
            sa.BigInteger(),
            sa.Computed("hashtextextended(goods_id, 0)", persisted=True),
            nullable=True,
        ),
        sa.Column(
            "recorded_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("superseded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("batch_id", sa.BigInteger(), nullable=True),
        sa.Column(
            "source_row", sa.Integer(), nullable=True, comment="0-based data row in the source"
        ),
        sa.Column("row_hash", sa.UUID(as_uuid=False), nullable=False),
        postgresql.ExcludeConstraint(
            (sa.column("key_hash"), "="),
            (sa.column("valid_period"), "&&"),
            where=sa.text("superseded_at IS NULL"),
            using="gist",
            name="ex_goods_version_current_validity",
        ),
        sa.CheckConstraint(
            "status IN ('active', 'discontinued')", name=op.f("ck_goods_version_status_code")
        ),
        sa.CheckConstraint(
            "unit IN ('each', 'set', 'box', 'pack', 'pair', 'sheet', 'roll', 'g', 'kg', 'ton', 'ml', 'l', 'm', 'm2', 'm3')",
            name=op.f("ck_goods_version_unit_code"),
        ),
        sa.CheckConstraint(
            "superseded_at IS NULL OR superseded_at >= recorded_at",
            name=op.f("ck_goods_version_recorded_order"),
        ),
        sa.CheckConstraint(
            "valid_to IS NULL OR valid_to >= valid_from", name=op.f("ck_goods_version_valid_order")
        ),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["sync_batch.batch_id"], name=op.f("fk_goods_version_batch_id_sync_batch")
        ),
        sa.PrimaryKeyConstraint("version_id", name=op.f("pk_goods_version")),
        comment="물품 (Goods): every recorded version",
    )
    op.create_index("ix_goods_version_batch_id", "goods_version", ["batch_id"], unique=False)
    op.create_index(
        "ix_goods_version_goods_id_valid_from",
        "goods_version",
        ["goods_id", "valid_from"],
        unique=False,
    )
    op.create_table(
        "hazardous_substance_version",
        sa.Column("version_id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("cas_no", sa.Text(), nullable=False, comment="CAS 번호 / CAS number"),
        sa.Column("name_ko", sa.Text(), nullable=False, comment="국문명 / Korean name"),
        sa.Column("name_en", sa.Text(), nullable=False, comment="영문명 / English name"),
        sa.Column("formula", sa.Text(), nullable=True, comment="분자식 / Formula"),
        sa.Column(
            "hazard_class", sa.Text(), nullable=False, comment="유해화학물질 구분 / Hazard class"
        ),
        sa.Column("un_number", sa.Text(), nullable=True, comment="UN 번호 / UN number"),
        sa.Column("threshold_kg", sa.Numeric(), nullable=True, comment="수량기준 / Threshold (kg)"),
        sa.Column(
            "content_threshold_pct",
            sa.Numeric(),
            nullable=True,
            comment="함량기준 / Content threshold (%)",
        ),
        sa.Column("notice_no", sa.Text(), nullable=True, comment="고시번호 / Notice number"),
        sa.Column(
            "designated_date", sa.Date(), nullable=False, comment="지정일자 / Designated date"
        ),
        sa.Column("status", sa.Text(), nullable=False, comment="상태 / Status"),
        sa.Column("status_date", sa.Date(), nullable=True, comment="상태변경일자 / Status date"),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column(
            "valid_to", sa.Date(), nullable=True, comment="exclusive; NULL while still valid"
        ),
        sa.Column(
            "valid_period",
            postgresql.DATERANGE(),
            sa.Computed("daterange(valid_from, valid_to, '[)')", persisted=True),
            nullable=True,
        ),
        sa.Column(
            "key_hash",
            sa.BigInteger(),
            sa.Computed("hashtextextended(cas_no, 0)", persisted=True),
            nullable=True,
        ),
        sa.Column(
            "recorded_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("superseded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("batch_id", sa.BigInteger(), nullable=True),
        sa.Column(
            "source_row", sa.Integer(), nullable=True, comment="0-based data row in the source"
        ),
        sa.Column("row_hash", sa.UUID(as_uuid=False), nullable=False),
        postgresql.ExcludeConstraint(
            (sa.column("key_hash"), "="),
            (sa.column("valid_period"), "&&"),
            where=sa.text("superseded_at IS NULL"),
            using="gist",
            name="ex_hazardous_substance_version_current_validity",
        ),
        sa.CheckConstraint(
            "hazard_class IN ('toxic', 'acute_human_toxic', 'chronic_human_toxic', 'ecotoxic', 'permitted', 'restricted', 'prohibited', 'accident_precaution')",
            name=op.f("ck_hazardous_substance_version_hazard_class_code"),
        ),
        sa.CheckConstraint(
            "status IN ('designated', 'delisted')",
            name=op.f("ck_hazardous_substance_version_status_code"),
        ),
        sa.CheckConstraint(
            "superseded_at IS NULL OR superseded_at >= recorded_at",
            name=op.f("ck_hazardous_substance_version_recorded_order"),
        ),
        sa.CheckConstraint(
            "valid_to IS NULL OR valid_to >= valid_from",
            name=op.f("ck_hazardous_substance_version_valid_order"),
        ),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["sync_batch.batch_id"],
            name=op.f("fk_hazardous_substance_version_batch_id_sync_batch"),
        ),
        sa.PrimaryKeyConstraint("version_id", name=op.f("pk_hazardous_substance_version")),
        comment="유해화학물질 (Hazardous substance): every recorded version",
    )
    op.create_index(
        "ix_hazardous_substance_version_batch_id",
        "hazardous_substance_version",
        ["batch_id"],
        unique=False,
    )
    op.create_index(
        "ix_hazardous_substance_version_cas_no_valid_from",
        "hazardous_substance_version",
        ["cas_no", "valid_from"],
        unique=False,
    )
    op.create_table(
        "land_parcel_version",
        sa.Column("version_id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("pnu", sa.Text(), nullable=False, comment="필지고유번호 / Parcel unique number"),
        sa.Column(
            "legal_dong_code", sa.Text(), nullable=False, comment="법정동코드 / Legal-dong code"
        ),
        sa.Column("lot_number", sa.Text(), nullable=False, comment="지번 / Lot number"),
        sa.Column("land_category", sa.Text(), nullable=False, comment="지목 / Land category"),
        sa.Column("area_m2", sa.Numeric(), nullable=False, comment="면적 / Area (m²)"),
        sa.Column(
            "official_price_per_m2",
            sa.Numeric(),
            nullable=True,
            comment="개별공시지가 / Official land price per m²",
        ),
        sa.Column(
            "price_base_year",
            sa.BigInteger(),
            nullable=True,
            comment="가격기준연도 / Price base year",
        ),
        sa.Column("use_zone", sa.Text(), nullable=True, comment="용도지역 / Use zone"),
        sa.Column("owner_kind", sa.Text(), nullable=True, comment="소유자 구분 / Owner kind"),
        sa.Column("owner_id", sa.Text(), nullable=True, comment="소유자 식별번호 / Owner id"),
        sa.Column("status", sa.Text(), nullable=False, comment="상태 / Status"),
        sa.Column("status_date", sa.Date(), nullable=True, comment="상태변경일자 / Status date"),
        sa.Column(
            "region_code", sa.Text(), nullable=False, comment="시군구코드 / Region (si-gun-gu) code"
        ),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column(
            "valid_to", sa.Date(), nullable=True, comment="exclusive; NULL while still valid"
        ),
        sa.Column(
            "valid_period",
            postgresql.DATERANGE(),
            sa.Computed("daterange(valid_from, valid_to, '[)')", persisted=True),
            nullable=True,
        ),
        sa.Column(
            "key_hash",
            sa.BigInteger(),
            sa.Computed("hashtextextended(pnu, 0)", persisted=True),
            nullable=True,
        ),
        sa.Column(
            "recorded_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("superseded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("batch_id", sa.BigInteger(), nullable=True),
        sa.Column(
            "source_row", sa.Integer(), nullable=True, comment="0-based data row in the source"
        ),
        sa.Column("row_hash", sa.UUID(as_uuid=False), nullable=False),
        postgresql.ExcludeConstraint(
            (sa.column("key_hash"), "="),
            (sa.column("valid_period"), "&&"),
            where=sa.text("superseded_at IS NULL"),
            using="gist",
            name="ex_land_parcel_version_current_validity",
        ),
        sa.CheckConstraint(
            "land_category IN ('dry_field', 'paddy', 'orchard', 'pasture', 'forest', 'mineral_spring', 'salt_field', 'building_site', 'factory_site', 'school_site', 'parking_lot', 'gas_station_site', 'warehouse_site', 'road', 'railway_site', 'embankment', 'river', 'ditch', 'reservoir', 'fish_farm', 'waterworks_site', 'park', 'sports_site', 'recreation_site', 'religious_site', 'historic_site', 'cemetery', 'miscellaneous')",
            name=op.f("ck_land_parcel_version_land_category_code"),
        ),
        sa.CheckConstraint(
            "owner_kind IN ('resident', 'corporation')",
            name=op.f("ck_land_parcel_version_owner_kind_code"),
        ),
        sa.CheckConstraint(
            "status IN ('active', 'merged', 'split', 'closed')",
            name=op.f("ck_land_parcel_version_status_code"),
        ),
        sa.CheckConstraint(
            "use_zone IN ('residential_exclusive_1', 'residential_exclusive_2', 'residential_general_1', 'residential_general_2', 'residential_general_3', 'residential_semi', 'commercial_central', 'commercial_general', 'commercial_neighbourhood', 'commercial_distribution', 'industrial_exclusive', 'industrial_general', 'industrial_semi', 'green_conservation', 'green_production', 'green_natural', 'management_conservation', 'management_production', 'management_planned', 'agricultural_forest', 'nature_conservation')",
            name=op.f("ck_land_parcel_version_use_zone_code"),
        ),
        sa.CheckConstraint(
            "superseded_at IS NULL OR superseded_at >= recorded_at",
            name=op.f("ck_land_parcel_version_recorded_order"),
        ),
        sa.CheckConstraint(
            "valid_to IS NULL OR valid_to >= valid_from",
            name=op.f("ck_land_parcel_version_valid_order"),
        ),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["sync_batch.batch_id"],
            name=op.f("fk_land_parcel_version_batch_id_sync_batch"),
        ),
        sa.PrimaryKeyConstraint("version_id", name=op.f("pk_land_parcel_version")),
        comment="토지 (Land parcel): every recorded version",
    )
    op.create_index(
        "ix_land_parcel_version_batch_id", "land_parcel_version", ["batch_id"], unique=False
    )
    op.create_index(
        "ix_land_parcel_version_pnu_valid_from",
        "land_parcel_version",
        ["pnu", "valid_from"],
        unique=False,
    )
    op.create_table(
        "licence_version",
        sa.Column("version_id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("licence_no", sa.Text(), nullable=False, comment="운전면허번호 / Licence number"),
        sa.Column(
            "holder_rrn", sa.Text(), nullable=False, comment="소지자 주민등록번호 / Holder RRN"
        ),
        sa.Column("holder_name", sa.Text(), nullable=False, comment="성명 / Holder name"),
        sa.Column(
            "holder_birth_date", sa.Date(), nullable=False, comment="생년월일 / Holder birth date"
        ),
        sa.Column("licence_kind", sa.Text(), nullable=False, comment="면허 종별 / Licence kind"),
        sa.Column(
            "automatic_only",
            sa.Boolean(),
            nullable=True,
            comment="자동변속기 한정 / Automatic only",
        ),
        sa.Column("issued_date", sa.Date(), nullable=False, comment="면허일자 / Issued date"),
        sa.Column(
            "expiry_date", sa.Date(), nullable=False, comment="갱신기간 만료일 / Expiry date"
        ),
        sa.Column("status", sa.Text(), nullable=False, comment="상태 / Status"),
        sa.Column("status_date", sa.Date(), nullable=True, comment="상태변경일자 / Status date"),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column(
            "valid_to", sa.Date(), nullable=True, comment="exclusive; NULL while still valid"
        ),
        sa.Column(
            "valid_period",
            postgresql.DATERANGE(),
            sa.Computed("daterange(valid_from, valid_to, '[)')", persisted=True),
            nullable=True,
        ),
        sa.Column(
            "key_hash",
            sa.BigInteger(),
            sa.Computed("hashtextextended(licence_no, 0)", persisted=True),
            nullable=True,
        ),
        sa.Column(
            "recorded_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("superseded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("batch_id", sa.BigInteger(), nullable=True),
        sa.Column(
            "source_row", sa.Integer(), nullable=True, comment="0-based data row in the source"
        ),
        sa.Column("row_hash", sa.UUID(as_uuid=False), nullable=False),
        postgresql.ExcludeConstraint(
            (sa.column("key_hash"), "="),
            (sa.column("valid_period"), "&&"),
            where=sa.text("superseded_at IS NULL"),
            using="gist",
            name="ex_licence_version_current_validity",
        ),
        sa.CheckConstraint(
            "licence_kind IN ('class1_large', 'class1_ordinary', 'class1_small', 'class1_special_large_tractor', 'class1_special_small_tractor', 'class1_special_wrecker', 'class2_ordinary', 'class2_small', 'class2_moped', 'learner_class1_ordinary', 'learner_class2_ordinary')",
            name=op.f("ck_licence_version_licence_kind_code"),
        ),
        sa.CheckConstraint(
            "status IN ('valid', 'suspended', 'revoked', 'expired')",
            name=op.f("ck_licence_version_status_code"),
        ),
        sa.CheckConstraint(
            "superseded_at IS NULL OR superseded_at >= recorded_at",
            name=op.f("ck_licence_version_recorded_order"),
        ),
        sa.CheckConstraint(
            "valid_to IS NULL OR valid_to >= valid_from",
            name=op.f("ck_licence_version_valid_order"),
        ),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["sync_batch.batch_id"],
            name=op.f("fk_licence_version_batch_id_sync_batch"),
        ),
        sa.PrimaryKeyConstraint("version_id", name=op.f("pk_licence_version")),
        comment="운전면허 (Driver licence): every recorded version",
    )
    op.create_index("ix_licence_version_batch_id", "licence_version", ["batch_id"], unique=False)
    op.create_index(
        "ix_licence_version_licence_no_valid_from",
        "licence_version",
        ["licence_no", "valid_from"],
        unique=False,
    )
    op.create_table(
        "medicine_version",
        sa.Column("version_id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("product_code", sa.Text(), nullable=False, comment="품목기준코드 / Product code"),
        sa.Column("standard_code", sa.Text(), nullable=False, comment="표준코드 / Standard code"),
        sa.Column("name", sa.Text(), nullable=False, comment="제품명 / Product name"),
        sa.Column(
            "manufacturer_brn",
            sa.Text(),
            nullable=False,
            comment="업체 사업자등록번호 / Manufacturer BRN",
        ),
        sa.Column(
            "manufacturer_name", sa.Text(), nullable=False, comment="업체명 / Manufacturer name"
        ),
        sa.Column("ingredient", sa.Text(), nullable=False, comment="주성분 / Main ingredient"),
        sa.Column("dosage_form", sa.Text(), nullable=False, comment="제형 / Dosage form"),
        sa.Column(
            "otc_kind", sa.Text(), nullable=False, comment="전문일반 구분 / Prescription or OTC"
        ),
        sa.Column("atc_code", sa.Text(), nullable=True, comment="ATC 코드 / ATC code"),
        sa.Column(
            "approval_date", sa.Date(), nullable=False, comment="품목허가일자 / Approval date"
        ),
        sa.Column("status", sa.Text(), nullable=False, comment="상태 / Status"),
        sa.Column("status_date", sa.Date(), nullable=True, comment="상태변경일자 / Status date"),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column(
            "valid_to", sa.Date(), nullable=True, comment="exclusive; NULL while still valid"
        ),
        sa.Column(
            "valid_period",
            postgresql.DATERANGE(),
            sa.Computed("daterange(valid_from, valid_to, '[)')", persisted=True),
            nullable=True,
        ),
        sa.Column(
            "key_hash",
            sa.BigInteger(),
            sa.Computed("hashtextextended(product_code, 0)", persisted=True),
            nullable=True,
        ),
        sa.Column(
            "recorded_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("superseded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("batch_id", sa.BigInteger(), nullable=True),
        sa.Column(
            "source_row", sa.Integer(), nullable=True, comment="0-based data row in the source"
        ),
        sa.Column("row_hash", sa.UUID(as_uuid=False), nullable=False),
        postgresql.ExcludeConstraint(
            (sa.column("key_hash"), "="),
            (sa.column("valid_period"), "&&"),
            where=sa.text("superseded_at IS NULL"),
            using="gist",
            name="ex_medicine_version_current_validity",
        ),
        sa.CheckConstraint(
            "dosage_form IN ('tablet', 'capsule', 'granule', 'powder', 'syrup', 'liquid', 'injection', 'ointment', 'cream', 'gel', 'patch', 'suppository', 'eye_drops', 'inhalant', 'other')",
            name=op.f("ck_medicine_version_dosage_form_code"),
        ),
        sa.CheckConstraint(
            "otc_kind IN ('prescription', 'otc')", name=op.f("ck_medicine_version_otc_kind_code")
        ),
        sa.CheckConstraint(
            "status IN ('approved', 'cancelled', 'withdrawn')",
            name=op.f("ck_medicine_version_status_code"),
        ),
        sa.CheckConstraint(
            "superseded_at IS NULL OR superseded_at >= recorded_at",
            name=op.f("ck_medicine_version_recorded_order"),
        ),
        sa.CheckConstraint(
            "valid_to IS NULL OR valid_to >= valid_from",
            name=op.f("ck_medicine_version_valid_order"),
        ),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["sync_batch.batch_id"],
            name=op.f("fk_medicine_version_batch_id_sync_batch"),
        ),
        sa.PrimaryKeyConstraint("version_id", name=op.f("pk_medicine_version")),
        comment="의약품 (Medicine): every recorded version",
    )
    op.create_index("ix_medicine_version_batch_id", "medicine_version", ["batch_id"], unique=False)
    op.create_index(
        "ix_medicine_version_product_code_valid_from",
        "medicine_version",
        ["product_code", "valid_from"],
        unique=False,
    )
    op.create_table(
        "resident_version",
        sa.Column("version_id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column(
            "rrn", sa.Text(), nullable=False, comment="주민등록번호 / Resident registration number"
        ),
        sa.Column("name", sa.Text(), nullable=False, comment="성명 / Name"),
        sa.Column("name_hanja", sa.Text(), nullable=True, comment="한자성명 / Name in Hanja"),
        sa.Column("birth_date", sa.Date(), nullable=False, comment="생년월일 / Birth date"),
        sa.Column("sex", sa.Text(), nullable=False, comment="성별 / Sex"),
        sa.Column("address_id", sa.Text(), nullable=False, comment="주소 / Registered address"),
        sa.Column("household_id", sa.Text(), nullable=False, comment="세대번호 / Household number"),
        sa.Column(
            "household_role", sa.Text(), nullable=False, comment="세대주 여부 / Household role"
        ),
        sa.Column("move_in_date", sa.Date(), nullable=True, comment="전입일자 / Move-in date"),
        sa.Column("status", sa.Text(), nullable=False, comment="상태 / Status"),
        sa.Column("status_date", sa.Date(), nullable=True, comment="상태변경일자 / Status date"),
        sa.Column(
            "region_code", sa.Text(), nullable=False, comment="시군구코드 / Region (si-gun-gu) code"
        ),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column(
            "valid_to", sa.Date(), nullable=True, comment="exclusive; NULL while still valid"
        ),
        sa.Column(
            "valid_period",
            postgresql.DATERANGE(),
            sa.Computed("daterange(valid_from, valid_to, '[)')", persisted=True),
            nullable=True,
        ),
        sa.Column(
            "key_hash",
            sa.BigInteger(),
            sa.Computed("hashtextextended(rrn, 0)", persisted=True),
            nullable=True,
        ),
        sa.Column(
            "recorded_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("superseded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("batch_id", sa.BigInteger(), nullable=True),
        sa.Column(
            "source_row", sa.Integer(), nullable=True, comment="0-based data row in the source"
        ),
        sa.Column("row_hash", sa.UUID(as_uuid=False), nullable=False),
        postgresql.ExcludeConstraint(
            (sa.column("key_hash"), "="),
            (sa.column("valid_period"), "&&"),
            where=sa.text("superseded_at IS NULL"),
            using="gist",
            name="ex_resident_version_current_validity",
        ),
        sa.CheckConstraint(
            "household_role IN ('head', 'member')",
            name=op.f("ck_resident_version_household_role_code"),
        ),
        sa.CheckConstraint("sex IN ('M', 'F')", name=op.f("ck_resident_version_sex_code")),
        sa.CheckConstraint(
            "status IN ('alive', 'deceased', 'emigrated', 'residence_unknown')",
            name=op.f("ck_resident_version_status_code"),
        ),
        sa.CheckConstraint(
            "superseded_at IS NULL OR superseded_at >= recorded_at",
            name=op.f("ck_resident_version_recorded_order"),
        ),
        sa.CheckConstraint(
            "valid_to IS NULL OR valid_to >= valid_from",
            name=op.f("ck_resident_version_valid_order"),
        ),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["sync_batch.batch_id"],
            name=op.f("fk_resident_version_batch_id_sync_batch"),
        ),
        sa.PrimaryKeyConstraint("version_id", name=op.f("pk_resident_version")),
        comment="주민 (Resident): every recorded version",
    )
    op.create_index("ix_resident_version_batch_id", "resident_version", ["batch_id"], unique=False)
    op.create_index(
        "ix_resident_version_rrn_valid_from",
        "resident_version",
        ["rrn", "valid_from"],
        unique=False,
    )
    op.create_table(
        "sync_quarantine",
        sa.Column("quarantine_id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("batch_id", sa.BigInteger(), nullable=False),
        sa.Column(
            "row_number", sa.Integer(), nullable=False, comment="0-based data row of the source"
        ),
        sa.Column("field", sa.Text(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column(
            "raw",
            postgresql.JSONB(astext_type=sa.Text()),
            nullable=False,
            comment="the row as received",
        ),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["sync_batch.batch_id"],
            name=op.f("fk_sync_quarantine_batch_id_sync_batch"),
        ),
        sa.PrimaryKeyConstraint("quarantine_id", name=op.f("pk_sync_quarantine")),
    )
    op.create_index(
        "ix_sync_quarantine_batch_row", "sync_quarantine", ["batch_id", "row_number"], unique=False
    )
    op.create_table(
        "vehicle_version",
        sa.Column("version_id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("vin", sa.Text(), nullable=False, comment="차대번호 / VIN"),
        sa.Column("plate", sa.Text(), nullable=False, comment="자동차등록번호 / Plate number"),
        sa.Column("make", sa.Text(), nullable=False, comment="제작사 / Make"),
        sa.Column("model", sa.Text(), nullable=False, comment="차명 / Model"),
        sa.Column("model_year", sa.BigInteger(), nullable=False, comment="연식 / Model year"),
        sa.Column("fuel", sa.Text(), nullable=False, comment="사용연료 / Fuel"),
        sa.Column("vehicle_type", sa.Text(), nullable=False, comment="차종 / Vehicle type"),
        sa.Column("use_kind", sa.Text(), nullable=False, comment="용도 / Use"),
        sa.Column("owner_kind", sa.Text(), nullable=False, comment="소유자 구분 / Owner kind"),
        sa.Column("owner_id", sa.Text(), nullable=False, comment="소유자 식별번호 / Owner id"),
        sa.Column("use_address_id", sa.Text(), nullable=False, comment="사용본거지 / Place of use"),
        sa.Column(
            "registered_date",
            sa.Date(),
            nullable=False,
            comment="최초등록일 / First registration date",
        ),
        sa.Column("status", sa.Text(), nullable=False, comment="상태 / Status"),
        sa.Column("status_date", sa.Date(), nullable=True, comment="상태변경일자 / Status date"),
        sa.Column(
            "region_code", sa.Text(), nullable=False, comment="시군구코드 / Region (si-gun-gu) code"
        ),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column(
            "valid_to", sa.Date(), nullable=True, comment="exclusive; NULL while still valid"
        ),
        sa.Column(
            "valid_period",
            postgresql.DATERANGE(),
            sa.Computed("daterange(valid_from, valid_to, '[)')", persisted=True),
            nullable=True,
        ),
        sa.Column(
            "key_hash",
            sa.BigInteger(),
            sa.Computed("hashtextextended(vin, 0)", persisted=True),
            nullable=True,
        ),
        sa.Column(
            "recorded_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("superseded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("batch_id", sa.BigInteger(), nullable=True),
        sa.Column(
            "source_row", sa.Integer(), nullable=True, comment="0-based data row in the source"
        ),
        sa.Column("row_hash", sa.UUID(as_uuid=False), nullable=False),
        postgresql.ExcludeConstraint(
            (sa.column("key_hash"), "="),
            (sa.column("valid_period"), "&&"),
            where=sa.text("superseded_at IS NULL"),
            using="gist",
            name="ex_vehicle_version_current_validity",
        ),
        sa.CheckConstraint(
            "fuel IN ('gasoline', 'diesel', 'lpg', 'cng', 'hybrid', 'electric', 'hydrogen', 'other')",
            name=op.f("ck_vehicle_version_fuel_code"),
        ),
        sa.CheckConstraint(
            "owner_kind IN ('resident', 'corporation')",
            name=op.f("ck_vehicle_version_owner_kind_code"),
        ),
        sa.CheckConstraint(
            "status IN ('registered', 'scrapped', 'exported', 'deregistered')",
            name=op.f("ck_vehicle_version_status_code"),
        ),
        sa.CheckConstraint(
            "use_kind IN ('private', 'commercial', 'official')",
            name=op.f("ck_vehicle_version_use_kind_code"),
        ),
        sa.CheckConstraint(
            "vehicle_type IN ('passenger', 'van', 'truck', 'special')",
            name=op.f("ck_vehicle_version_vehicle_type_code"),
        ),
        sa.CheckConstraint(
            "superseded_at IS NULL OR superseded_at >= recorded_at",
            name=op.f("ck_vehicle_version_recorded_order"),
        ),
        sa.CheckConstraint(
            "valid_to IS NULL OR valid_to >= valid_from",
            name=op.f("ck_vehicle_version_valid_order"),
        ),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["sync_batch.batch_id"],
            name=op.f("fk_vehicle_version_batch_id_sync_batch"),
        ),
        sa.PrimaryKeyConstraint("version_id", name=op.f("pk_vehicle_version")),
        comment="자동차 (Vehicle): every recorded version",
    )
    op.create_index("ix_vehicle_version_batch_id", "vehicle_version", ["batch_id"], unique=False)
    op.create_index(
        "ix_vehicle_version_vin_valid_from", "vehicle_version", ["vin", "valid_from"], unique=False
    )
    op.create_table(
        "workplace_version",
        sa.Column("version_id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column(
            "workplace_no", sa.Text(), nullable=False, comment="사업장관리번호 / Workplace number"
        ),
        sa.Column(
            "brn",
            sa.Text(),
            nullable=False,
            comment="사업자등록번호 / Business registration number",
        ),
        sa.Column("name", sa.Text(), nullable=False, comment="사업장명 / Workplace name"),
        sa.Column(
            "address_id", sa.Text(), nullable=False, comment="사업장 소재지 / Workplace address"
        ),
        sa.Column("industry_code", sa.Text(), nullable=False, comment="업종코드 / Industry code"),
        sa.Column("employees", sa.BigInteger(), nullable=True, comment="상시근로자수 / Employees"),
        sa.Column("insurance", sa.Text(), nullable=False, comment="가입 보험 / Insurance"),
        sa.Column(
            "established_date",
            sa.Date(),
            nullable=False,
            comment="보험관계 성립일 / Established date",
        ),
        sa.Column("status", sa.Text(), nullable=False, comment="상태 / Status"),
        sa.Column("status_date", sa.Date(), nullable=True, comment="상태변경일자 / Status date"),
        sa.Column(
            "region_code", sa.Text(), nullable=False, comment="시군구코드 / Region (si-gun-gu) code"
        ),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column(
            "valid_to", sa.Date(), nullable=True, comment="exclusive; NULL while still valid"
        ),
        sa.Column(
            "valid_period",
            postgresql.DATERANGE(),
            sa.Computed("daterange(valid_from, valid_to, '[)')", persisted=True),
            nullable=True,
        ),
        sa.Column(
            "key_hash",
            sa.BigInteger(),
            sa.Computed("hashtextextended(workplace_no, 0)", persisted=True),
            nullable=True,
        ),
        sa.Column(
            "recorded_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("superseded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("batch_id", sa.BigInteger(), nullable=True),
        sa.Column(
            "source_row", sa.Integer(), nullable=True, comment="0-based data row in the source"
        ),
        sa.Column("row_hash", sa.UUID(as_uuid=False), nullable=False),
        postgresql.ExcludeConstraint(
            (sa.column("key_hash"), "="),
            (sa.column("valid_period"), "&&"),
            where=sa.text("superseded_at IS NULL"),
            using="gist",
            name="ex_workplace_version_current_validity",
        ),
        sa.CheckConstraint(
            "insurance IN ('employment', 'industrial_accident', 'both')",
            name=op.f("ck_workplace_version_insurance_code"),
        ),
        sa.CheckConstraint(
            "status IN ('active', 'closed')", name=op.f("ck_workplace_version_status_code")
        ),
        sa.CheckConstraint(
            "superseded_at IS NULL OR superseded_at >= recorded_at",
            name=op.f("ck_workplace_version_recorded_order"),
        ),
        sa.CheckConstraint(
            "valid_to IS NULL OR valid_to >= valid_from",
            name=op.f("ck_workplace_version_valid_order"),
        ),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["sync_batch.batch_id"],
            name=op.f("fk_workplace_version_batch_id_sync_batch"),
        ),
        sa.PrimaryKeyConstraint("version_id", name=op.f("pk_workplace_version")),
        comment="사업장 (Workplace): every recorded version",
    )
    op.create_index(
        "ix_workplace_version_batch_id", "workplace_version", ["batch_id"], unique=False
    )
    op.create_index(
        "ix_workplace_version_workplace_no_valid_from",
        "workplace_version",
        ["workplace_no", "valid_from"],
        unique=False,
    )
    op.create_table(
        "address",
        sa.Column(
            "road_address_id",
            sa.Text(),
            nullable=False,
            comment="도로명주소 관리번호 / Road-name address id",
        ),
        sa.Column("road_name", sa.Text(), nullable=False, comment="도로명 / Road name"),
        sa.Column(
            "building_main_no",
            sa.BigInteger(),
            nullable=False,
            comment="건물본번 / Building main number",
        ),
        sa.Column(
            "building_sub_no",
            sa.BigInteger(),
            nullable=False,
            comment="건물부번 / Building sub number",
        ),
        sa.Column("underground", sa.Boolean(), nullable=False, comment="지하여부 / Underground"),
        sa.Column("sido", sa.Text(), nullable=False, comment="시도 / Province"),
        sa.Column("sigungu", sa.Text(), nullable=False, comment="시군구 / Municipality"),
        sa.Column("eupmyeondong", sa.Text(), nullable=False, comment="읍면동 / Eup/myeon/dong"),
        sa.Column(
            "legal_dong_code", sa.Text(), nullable=False, comment="법정동코드 / Legal-dong code"
        ),
        sa.Column("postal_code", sa.Text(), nullable=False, comment="우편번호 / Postal code"),
        sa.Column("building_name", sa.Text(), nullable=True, comment="건물명 / Building name"),
        sa.Column("pnu", sa.Text(), nullable=False, comment="관련지번 필지고유번호 / Parcel (PNU)"),
        sa.Column("full_address", sa.Text(), nullable=False, comment="도로명주소 / Full address"),
        sa.Column("status", sa.Text(), nullable=False, comment="상태 / Status"),
        sa.Column("status_date", sa.Date(), nullable=True, comment="상태변경일자 / Status date"),
        sa.Column(
            "region_code", sa.Text(), nullable=False, comment="시군구코드 / Region (si-gun-gu) code"
        ),
        sa.Column("version_id", sa.BigInteger(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("batch_id", sa.BigInteger(), nullable=True),
        sa.Column("row_hash", sa.UUID(as_uuid=False), nullable=False),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["sync_batch.batch_id"], name=op.f("fk_address_batch_id_sync_batch")
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["address_version.version_id"],
            name=op.f("fk_address_version_id_address_version"),
        ),
        sa.PrimaryKeyConstraint("road_address_id", name=op.f("pk_address")),
        sa.UniqueConstraint("version_id", name=op.f("uq_address_version_id")),
        comment="도로명주소 (Road-name address): live records",
    )
    op.create_index("ix_address_search_by_parcel", "address", ["pnu"], unique=False)
    op.create_index("ix_address_search_by_postal_code", "address", ["postal_code"], unique=False)
    op.create_index(
        "ix_address_search_by_road",
        "address",
        ["region_code", "road_name"],
        unique=False,
        postgresql_ops={"road_name": "text_pattern_ops"},
    )
    op.create_index(
        "ix_address_search_full_text",
        "address",
        ["full_address"],
        unique=False,
        postgresql_using="gin",
        postgresql_ops={"full_address": "gin_trgm_ops"},
    )
    op.create_table(
        "building",
        sa.Column(
            "building_register_no",
            sa.Text(),
            nullable=False,
            comment="건축물대장 관리번호 / Building register number",
        ),
        sa.Column(
            "pnu", sa.Text(), nullable=False, comment="대지 필지고유번호 / Site parcel (PNU)"
        ),
        sa.Column(
            "road_address_id",
            sa.Text(),
            nullable=True,
            comment="도로명주소 관리번호 / Road-name address id",
        ),
        sa.Column("name", sa.Text(), nullable=True, comment="건물명 / Building name"),
        sa.Column("dong_name", sa.Text(), nullable=True, comment="동명칭 / Block name"),
        sa.Column("main_use", sa.Text(), nullable=False, comment="주용도 / Main use"),
        sa.Column("structure", sa.Text(), nullable=True, comment="주구조 / Main structure"),
        sa.Column(
            "floors_above", sa.BigInteger(), nullable=True, comment="지상층수 / Floors above ground"
        ),
        sa.Column(
            "floors_below", sa.BigInteger(), nullable=True, comment="지하층수 / Floors below ground"
        ),
        sa.Column(
            "building_area_m2", sa.Numeric(), nullable=True, comment="건축면적 / Building area (m²)"
        ),
        sa.Column(
            "total_floor_area_m2",
            sa.Numeric(),
            nullable=True,
            comment="연면적 / Total floor area (m²)",
        ),
        sa.Column(
            "approval_date", sa.Date(), nullable=True, comment="사용승인일 / Use approval date"
        ),
        sa.Column("status", sa.Text(), nullable=False, comment="상태 / Status"),
        sa.Column("status_date", sa.Date(), nullable=True, comment="상태변경일자 / Status date"),
        sa.Column(
            "region_code", sa.Text(), nullable=False, comment="시군구코드 / Region (si-gun-gu) code"
        ),
        sa.Column("version_id", sa.BigInteger(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("batch_id", sa.BigInteger(), nullable=True),
        sa.Column("row_hash", sa.UUID(as_uuid=False), nullable=False),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["sync_batch.batch_id"], name=op.f("fk_building_batch_id_sync_batch")
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["building_version.version_id"],
            name=op.f("fk_building_version_id_building_version"),
        ),
        sa.PrimaryKeyConstraint("building_register_no", name=op.f("pk_building")),
        sa.UniqueConstraint("version_id", name=op.f("uq_building_version_id")),
        comment="건축물 (Building): live records",
    )
    op.create_index("ix_building_search_by_address", "building", ["road_address_id"], unique=False)
    op.create_index(
        "ix_building_search_by_name",
        "building",
        ["name"],
        unique=False,
        postgresql_using="gin",
        postgresql_ops={"name": "gin_trgm_ops"},
    )
    op.create_index("ix_building_search_by_parcel", "building", ["pnu"], unique=False)
    op.create_table(
        "business",
        sa.Column(
            "brn",
            sa.Text(),
            nullable=False,
            comment="사업자등록번호 / Business registration number",
        ),
        sa.Column("trade_name", sa.Text(), nullable=False, comment="상호 / Trade name"),
        sa.Column(
            "representative_name", sa.Text(), nullable=False, comment="대표자 성명 / Representative"
        ),
        sa.Column(
            "representative_rrn",
            sa.Text(),
            nullable=True,
            comment="대표자 주민등록번호 / Representative RRN",
        ),
        sa.Column(
            "business_type", sa.Text(), nullable=False, comment="사업자 구분 / Business kind"
        ),
        sa.Column(
            "crn",
            sa.Text(),
            nullable=True,
            comment="법인등록번호 / Corporation registration number",
        ),
        sa.Column(
            "industry_code", sa.Text(), nullable=False, comment="주업종코드 / Main industry code"
        ),
        sa.Column(
            "address_id", sa.Text(), nullable=False, comment="사업장 소재지 / Place of business"
        ),
        sa.Column("opened_date", sa.Date(), nullable=False, comment="개업일자 / Opening date"),
        sa.Column("tax_type", sa.Text(), nullable=False, comment="과세유형 / Tax type"),
        sa.Column("status", sa.Text(), nullable=False, comment="상태 / Status"),
        sa.Column("status_date", sa.Date(), nullable=True, comment="상태변경일자 / Status date"),
        sa.Column(
            "region_code", sa.Text(), nullable=False, comment="시군구코드 / Region (si-gun-gu) code"
        ),
        sa.Column("version_id", sa.BigInteger(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("batch_id", sa.BigInteger(), nullable=True),
        sa.Column("row_hash", sa.UUID(as_uuid=False), nullable=False),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["sync_batch.batch_id"], name=op.f("fk_business_batch_id_sync_batch")
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["business_version.version_id"],
            name=op.f("fk_business_version_id_business_version"),
        ),
        sa.PrimaryKeyConstraint("brn", name=op.f("pk_business")),
        sa.UniqueConstraint("version_id", name=op.f("uq_business_version_id")),
        comment="사업자 (Business): live records",
    )
    op.create_index("ix_business_search_by_address", "business", ["address_id"], unique=False)
    op.create_index("ix_business_search_by_corporation", "business", ["crn"], unique=False)
    op.create_index(
        "ix_business_search_by_representative", "business", ["representative_rrn"], unique=False
    )
    op.create_index(
        "ix_business_search_by_trade_name",
        "business",
        ["trade_name"],
        unique=False,
        postgresql_using="gin",
        postgresql_ops={"trade_name": "gin_trgm_ops"},
    )
    op.create_table(
        "corporation",
        sa.Column(
            "crn",
            sa.Text(),
            nullable=False,
            comment="법인등록번호 / Corporation registration number",
        ),
        sa.Column("name", sa.Text(), nullable=False, comment="법인명 / Name"),
        sa.Column("corp_kind", sa.Text(), nullable=False, comment="법인 종류 / Corporation kind"),
        sa.Column(
            "representative_name", sa.Text(), nullable=False, comment="대표자 성명 / Representative"
        ),
        sa.Column(
            "head_office_address_id",
            sa.Text(),
            nullable=False,
            comment="본점 소재지 / Head office address",
        ),
        sa.Column(
            "established_date", sa.Date(), nullable=False, comment="설립일자 / Established date"
        ),
        sa.Column("capital", sa.Numeric(), nullable=True, comment="자본금 / Capital"),
        sa.Column("status", sa.Text(), nullable=False, comment="상태 / Status"),
        sa.Column("status_date", sa.Date(), nullable=True, comment="상태변경일자 / Status date"),
        sa.Column(
            "region_code", sa.Text(), nullable=False, comment="시군구코드 / Region (si-gun-gu) code"
        ),
        sa.Column("version_id", sa.BigInteger(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("batch_id", sa.BigInteger(), nullable=True),
        sa.Column("row_hash", sa.UUID(as_uuid=False), nullable=False),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["sync_batch.batch_id"], name=op.f("fk_corporation_batch_id_sync_batch")
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["corporation_version.version_id"],
            name=op.f("fk_corporation_version_id_corporation_version"),
        ),
        sa.PrimaryKeyConstraint("crn", name=op.f("pk_corporation")),
        sa.UniqueConstraint("version_id", name=op.f("uq_corporation_version_id")),
        comment="법인 (Corporation): live records",
    )
    op.create_index(
        "ix_corporation_search_by_head_office",
        "corporation",
        ["head_office_address_id"],
        unique=False,
    )
    op.create_index(
        "ix_corporation_search_by_name",
        "corporation",
        ["name"],
        unique=False,
        postgresql_using="gin",
        postgresql_ops={"name": "gin_trgm_ops"},
    )
    op.create_table(
        "farm_business",
        sa.Column(
            "farm_business_no",
            sa.Text(),
            nullable=False,
            comment="농업경영체 등록번호 / Farm business number",
        ),
        sa.Column(
            "operator_rrn", sa.Text(), nullable=False, comment="경영주 주민등록번호 / Operator RRN"
        ),
        sa.Column(
            "operator_name", sa.Text(), nullable=False, comment="경영주 성명 / Operator name"
        ),
        sa.Column("farm_name", sa.Text(), nullable=True, comment="경영체명 / Farm name"),
        sa.Column("parcels", sa.Text(), nullable=True, comment="경영 필지 / Farmed parcels"),
        sa.Column("main_crop", sa.Text(), nullable=False, comment="주작목 / Main crop"),
        sa.Column("area_m2", sa.Numeric(), nullable=True, comment="경영면적 / Farmed area (m²)"),
        sa.Column(
            "address_id", sa.Text(), nullable=False, comment="경영주 주소 / Operator address"
        ),
        sa.Column(
            "registered_date", sa.Date(), nullable=False, comment="등록일자 / Registration date"
        ),
        sa.Column("status", sa.Text(), nullable=False, comment="상태 / Status"),
        sa.Column("status_date", sa.Date(), nullable=True, comment="상태변경일자 / Status date"),
        sa.Column(
            "region_code", sa.Text(), nullable=False, comment="시군구코드 / Region (si-gun-gu) code"
        ),
        sa.Column("version_id", sa.BigInteger(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("batch_id", sa.BigInteger(), nullable=True),
        sa.Column("row_hash", sa.UUID(as_uuid=False), nullable=False),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["sync_batch.batch_id"], name=op.f("fk_farm_business_batch_id_sync_batch")
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["farm_business_version.version_id"],
            name=op.f("fk_farm_business_version_id_farm_business_version"),
        ),
        sa.PrimaryKeyConstraint("farm_business_no", name=op.f("pk_farm_business")),
        sa.UniqueConstraint("version_id", name=op.f("uq_farm_business_version_id")),
        comment="농업경영체 (Farm business): live records",
    )
    op.create_index(
        "ix_farm_business_search_by_address", "farm_business", ["address_id"], unique=False
    )
    op.create_index(
        "ix_farm_business_search_by_farm_name",
        "farm_business",
        ["farm_name"],
        unique=False,
        postgresql_using="gin",
        postgresql_ops={"farm_name": "gin_trgm_ops"},
    )
    op.create_index(
        "ix_farm_business_search_by_operator", "farm_business", ["operator_rrn"], unique=False
    )
    op.create_table(
        "foreign_resident",
        sa.Column(
            "frn",
            sa.Text(),
            nullable=False,
            comment="외국인등록번호 / Foreigner registration number",
        ),
        sa.Column("name", sa.Text(), nullable=False, comment="영문성명 / Name (romanised)"),
        sa.Column("name_ko", sa.Text(), nullable=True, comment="한글성명 / Name in Hangul"),
        sa.Column("nationality", sa.Text(), nullable=False, comment="국적 / Nationality"),
        sa.Column("birth_date", sa.Date(), nullable=False, comment="생년월일 / Birth date"),
        sa.Column("sex", sa.Text(), nullable=False, comment="성별 / Sex"),
        sa.Column("visa_status", sa.Text(), nullable=False, comment="체류자격 / Sojourn status"),
        sa.Column(
            "stay_expiry_date",
            sa.Date(),
            nullable=True,
            comment="체류기간 만료일 / Stay expiry date",
        ),
        sa.Column("address_id", sa.Text(), nullable=False, comment="체류지 / Address of stay"),
        sa.Column(
            "registered_date", sa.Date(), nullable=True, comment="외국인등록일 / Registration date"
        ),
        sa.Column("status", sa.Text(), nullable=False, comment="상태 / Status"),
        sa.Column("status_date", sa.Date(), nullable=True, comment="상태변경일자 / Status date"),
        sa.Column(
            "region_code", sa.Text(), nullable=False, comment="시군구코드 / Region (si-gun-gu) code"
        ),
        sa.Column("version_id", sa.BigInteger(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("batch_id", sa.BigInteger(), nullable=True),
        sa.Column("row_hash", sa.UUID(as_uuid=False), nullable=False),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["sync_batch.batch_id"],
            name=op.f("fk_foreign_resident_batch_id_sync_batch"),
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["foreign_resident_version.version_id"],
            name=op.f("fk_foreign_resident_version_id_foreign_resident_version"),
        ),
        sa.PrimaryKeyConstraint("frn", name=op.f("pk_foreign_resident")),
        sa.UniqueConstraint("version_id", name=op.f("uq_foreign_resident_version_id")),
        comment="등록외국인 (Foreign resident): live records",
    )
    op.create_index(
        "ix_foreign_resident_search_by_address", "foreign_resident", ["address_id"], unique=False
    )
    op.create_index(
        "ix_foreign_resident_search_name_birth_date",
        "foreign_resident",
        ["name", "birth_date"],
        unique=False,
    )
    op.create_table(
        "goods",
        sa.Column("goods_id", sa.Text(), nullable=False, comment="물품식별번호 / Goods id"),
        sa.Column(
            "classification_code",
            sa.Text(),
            nullable=False,
            comment="물품분류번호 / Classification number",
        ),
        sa.Column("name", sa.Text(), nullable=False, comment="품명 / Goods name"),
        sa.Column("model_name", sa.Text(), nullable=True, comment="모델명 / Model name"),
        sa.Column("specification", sa.Text(), nullable=True, comment="규격 / Specification"),
        sa.Column(
            "maker_brn", sa.Text(), nullable=True, comment="제조사 사업자등록번호 / Maker BRN"
        ),
        sa.Column("maker_name", sa.Text(), nullable=False, comment="제조사명 / Maker name"),
        sa.Column("unit", sa.Text(), nullable=False, comment="단위 / Unit"),
        sa.Column("unit_price", sa.Numeric(), nullable=True, comment="단가 / Unit price"),
        sa.Column(
            "registered_date", sa.Date(), nullable=False, comment="등록일자 / Registration date"
        ),
        sa.Column("status", sa.Text(), nullable=False, comment="상태 / Status"),
        sa.Column("status_date", sa.Date(), nullable=True, comment="상태변경일자 / Status date"),
        sa.Column("version_id", sa.BigInteger(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("batch_id", sa.BigInteger(), nullable=True),
        sa.Column("row_hash", sa.UUID(as_uuid=False), nullable=False),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["sync_batch.batch_id"], name=op.f("fk_goods_batch_id_sync_batch")
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["goods_version.version_id"],
            name=op.f("fk_goods_version_id_goods_version"),
        ),
        sa.PrimaryKeyConstraint("goods_id", name=op.f("pk_goods")),
        sa.UniqueConstraint("version_id", name=op.f("uq_goods_version_id")),
        comment="물품 (Goods): live records",
    )
    op.create_index(
        "ix_goods_search_by_classification", "goods", ["classification_code"], unique=False
    )
    op.create_index("ix_goods_search_by_maker", "goods", ["maker_brn"], unique=False)
    op.create_index(
        "ix_goods_search_by_model",
        "goods",
        ["model_name"],
        unique=False,
        postgresql_ops={"model_name": "text_pattern_ops"},
    )
    op.create_index(
        "ix_goods_search_by_name",
        "goods",
        ["name"],
        unique=False,
        postgresql_using="gin",
        postgresql_ops={"name": "gin_trgm_ops"},
    )
    op.create_table(
        "hazardous_substance",
        sa.Column("cas_no", sa.Text(), nullable=False, comment="CAS 번호 / CAS number"),
        sa.Column("name_ko", sa.Text(), nullable=False, comment="국문명 / Korean name"),
        sa.Column("name_en", sa.Text(), nullable=False, comment="영문명 / English name"),
        sa.Column("formula", sa.Text(), nullable=True, comment="분자식 / Formula"),
        sa.Column(
            "hazard_class", sa.Text(), nullable=False, comment="유해화학물질 구분 / Hazard class"
        ),
        sa.Column("un_number", sa.Text(), nullable=True, comment="UN 번호 / UN number"),
        sa.Column("threshold_kg", sa.Numeric(), nullable=True, comment="수량기준 / Threshold (kg)"),
        sa.Column(
            "content_threshold_pct",
            sa.Numeric(),
            nullable=True,
            comment="함량기준 / Content threshold (%)",
        ),
        sa.Column("notice_no", sa.Text(), nullable=True, comment="고시번호 / Notice number"),
        sa.Column(
            "designated_date", sa.Date(), nullable=False, comment="지정일자 / Designated date"
        ),
        sa.Column("status", sa.Text(), nullable=False, comment="상태 / Status"),
        sa.Column("status_date", sa.Date(), nullable=True, comment="상태변경일자 / Status date"),
        sa.Column("version_id", sa.BigInteger(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("batch_id", sa.BigInteger(), nullable=True),
        sa.Column("row_hash", sa.UUID(as_uuid=False), nullable=False),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["sync_batch.batch_id"],
            name=op.f("fk_hazardous_substance_batch_id_sync_batch"),
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["hazardous_substance_version.version_id"],
            name=op.f("fk_hazardous_substance_version_id_hazardous_substance_version"),
        ),
        sa.PrimaryKeyConstraint("cas_no", name=op.f("pk_hazardous_substance")),
        sa.UniqueConstraint("version_id", name=op.f("uq_hazardous_substance_version_id")),
        comment="유해화학물질 (Hazardous substance): live records",
    )
    op.create_index(
        "ix_hazardous_substance_search_by_hazard_class",
        "hazardous_substance",
        ["hazard_class"],
        unique=False,
    )
    op.create_index(
        "ix_hazardous_substance_search_by_name_en",
        "hazardous_substance",
        ["name_en"],
        unique=False,
        postgresql_using="gin",
        postgresql_ops={"name_en": "gin_trgm_ops"},
    )
    op.create_index(
        "ix_hazardous_substance_search_by_name_ko",
        "hazardous_substance",
        ["name_ko"],
        unique=False,
        postgresql_using="gin",
        postgresql_ops={"name_ko": "gin_trgm_ops"},
    )
    op.create_index(
        "ix_hazardous_substance_search_by_un_number",
        "hazardous_substance",
        ["un_number"],
        unique=False,
    )
    op.create_table(
        "land_parcel",
        sa.Column("pnu", sa.Text(), nullable=False, comment="필지고유번호 / Parcel unique number"),
        sa.Column(
            "legal_dong_code", sa.Text(), nullable=False, comment="법정동코드 / Legal-dong code"
        ),
        sa.Column("lot_number", sa.Text(), nullable=False, comment="지번 / Lot number"),
        sa.Column("land_category", sa.Text(), nullable=False, comment="지목 / Land category"),
        sa.Column("area_m2", sa.Numeric(), nullable=False, comment="면적 / Area (m²)"),
        sa.Column(
            "official_price_per_m2",
            sa.Numeric(),
            nullable=True,
            comment="개별공시지가 / Official land price per m²",
        ),
        sa.Column(
            "price_base_year",
            sa.BigInteger(),
            nullable=True,
            comment="가격기준연도 / Price base year",
        ),
        sa.Column("use_zone", sa.Text(), nullable=True, comment="용도지역 / Use zone"),
        sa.Column("owner_kind", sa.Text(), nullable=True, comment="소유자 구분 / Owner kind"),
        sa.Column("owner_id", sa.Text(), nullable=True, comment="소유자 식별번호 / Owner id"),
        sa.Column("status", sa.Text(), nullable=False, comment="상태 / Status"),
        sa.Column("status_date", sa.Date(), nullable=True, comment="상태변경일자 / Status date"),
        sa.Column(
            "region_code", sa.Text(), nullable=False, comment="시군구코드 / Region (si-gun-gu) code"
        ),
        sa.Column("version_id", sa.BigInteger(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("batch_id", sa.BigInteger(), nullable=True),
        sa.Column("row_hash", sa.UUID(as_uuid=False), nullable=False),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["sync_batch.batch_id"], name=op.f("fk_land_parcel_batch_id_sync_batch")
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["land_parcel_version.version_id"],
            name=op.f("fk_land_parcel_version_id_land_parcel_version"),
        ),
        sa.PrimaryKeyConstraint("pnu", name=op.f("pk_land_parcel")),
        sa.UniqueConstraint("version_id", name=op.f("uq_land_parcel_version_id")),
        comment="토지 (Land parcel): live records",
    )
    op.create_index(
        "ix_land_parcel_search_by_legal_dong", "land_parcel", ["legal_dong_code"], unique=False
    )
    op.create_index(
        "ix_land_parcel_search_by_lot",
        "land_parcel",
        ["legal_dong_code", "lot_number"],
        unique=False,
        postgresql_ops={"lot_number": "text_pattern_ops"},
    )
    op.create_index("ix_land_parcel_search_by_owner", "land_parcel", ["owner_id"], unique=False)
    op.create_table(
        "licence",
        sa.Column("licence_no", sa.Text(), nullable=False, comment="운전면허번호 / Licence number"),
        sa.Column(
            "holder_rrn", sa.Text(), nullable=False, comment="소지자 주민등록번호 / Holder RRN"
        ),
        sa.Column("holder_name", sa.Text(), nullable=False, comment="성명 / Holder name"),
        sa.Column(
            "holder_birth_date", sa.Date(), nullable=False, comment="생년월일 / Holder birth date"
        ),
        sa.Column("licence_kind", sa.Text(), nullable=False, comment="면허 종별 / Licence kind"),
        sa.Column(
            "automatic_only",
            sa.Boolean(),
            nullable=True,
            comment="자동변속기 한정 / Automatic only",
        ),
        sa.Column("issued_date", sa.Date(), nullable=False, comment="면허일자 / Issued date"),
        sa.Column(
            "expiry_date", sa.Date(), nullable=False, comment="갱신기간 만료일 / Expiry date"
        ),
        sa.Column("status", sa.Text(), nullable=False, comment="상태 / Status"),
        sa.Column("status_date", sa.Date(), nullable=True, comment="상태변경일자 / Status date"),
        sa.Column("version_id", sa.BigInteger(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("batch_id", sa.BigInteger(), nullable=True),
        sa.Column("row_hash", sa.UUID(as_uuid=False), nullable=False),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["sync_batch.batch_id"], name=op.f("fk_licence_batch_id_sync_batch")
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["licence_version.version_id"],
            name=op.f("fk_licence_version_id_licence_version"),
        ),
        sa.PrimaryKeyConstraint("licence_no", name=op.f("pk_licence")),
        sa.UniqueConstraint("version_id", name=op.f("uq_licence_version_id")),
        comment="운전면허 (Driver licence): live records",
    )
    op.create_index("ix_licence_search_by_holder", "licence", ["holder_rrn"], unique=False)
    op.create_table(
        "medicine",
        sa.Column("product_code", sa.Text(), nullable=False, comment="품목기준코드 / Product code"),
        sa.Column("standard_code", sa.Text(), nullable=False, comment="표준코드 / Standard code"),
        sa.Column("name", sa.Text(), nullable=False, comment="제품명 / Product name"),
        sa.Column(
            "manufacturer_brn",
            sa.Text(),
            nullable=False,
            comment="업체 사업자등록번호 / Manufacturer BRN",
        ),
        sa.Column(
            "manufacturer_name", sa.Text(), nullable=False, comment="업체명 / Manufacturer name"
        ),
        sa.Column("ingredient", sa.Text(), nullable=False, comment="주성분 / Main ingredient"),
        sa.Column("dosage_form", sa.Text(), nullable=False, comment="제형 / Dosage form"),
        sa.Column(
            "otc_kind", sa.Text(), nullable=False, comment="전문일반 구분 / Prescription or OTC"
        ),
        sa.Column("atc_code", sa.Text(), nullable=True, comment="ATC 코드 / ATC code"),
        sa.Column(
            "approval_date", sa.Date(), nullable=False, comment="품목허가일자 / Approval date"
        ),
        sa.Column("status", sa.Text(), nullable=False, comment="상태 / Status"),
        sa.Column("status_date", sa.Date(), nullable=True, comment="상태변경일자 / Status date"),
        sa.Column("version_id", sa.BigInteger(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("batch_id", sa.BigInteger(), nullable=True),
        sa.Column("row_hash", sa.UUID(as_uuid=False), nullable=False),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["sync_batch.batch_id"], name=op.f("fk_medicine_batch_id_sync_batch")
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["medicine_version.version_id"],
            name=op.f("fk_medicine_version_id_medicine_version"),
        ),
        sa.PrimaryKeyConstraint("product_code", name=op.f("pk_medicine")),
        sa.UniqueConstraint("version_id", name=op.f("uq_medicine_version_id")),
        comment="의약품 (Medicine): live records",
    )
    op.create_index(
        "ix_medicine_search_by_ingredient",
        "medicine",
        ["ingredient"],
        unique=False,
        postgresql_using="gin",
        postgresql_ops={"ingredient": "gin_trgm_ops"},
    )
    op.create_index(
        "ix_medicine_search_by_manufacturer", "medicine", ["manufacturer_brn"], unique=False
    )
    op.create_index(
        "ix_medicine_search_by_name",
        "medicine",
        ["name"],
        unique=False,
        postgresql_using="gin",
        postgresql_ops={"name": "gin_trgm_ops"},
    )
    op.create_index(
        "ix_medicine_search_by_standard_code", "medicine", ["standard_code"], unique=False
    )
    op.create_table(
        "resident",
        sa.Column(
            "rrn", sa.Text(), nullable=False, comment="주민등록번호 / Resident registration number"
        ),
        sa.Column("name", sa.Text(), nullable=False, comment="성명 / Name"),
        sa.Column("name_hanja", sa.Text(), nullable=True, comment="한자성명 / Name in Hanja"),
        sa.Column("birth_date", sa.Date(), nullable=False, comment="생년월일 / Birth date"),
        sa.Column("sex", sa.Text(), nullable=False, comment="성별 / Sex"),
        sa.Column("address_id", sa.Text(), nullable=False, comment="주소 / Registered address"),
        sa.Column("household_id", sa.Text(), nullable=False, comment="세대번호 / Household number"),
        sa.Column(
            "household_role", sa.Text(), nullable=False, comment="세대주 여부 / Household role"
        ),
        sa.Column("move_in_date", sa.Date(), nullable=True, comment="전입일자 / Move-in date"),
        sa.Column("status", sa.Text(), nullable=False, comment="상태 / Status"),
        sa.Column("status_date", sa.Date(), nullable=True, comment="상태변경일자 / Status date"),
        sa.Column(
            "region_code", sa.Text(), nullable=False, comment="시군구코드 / Region (si-gun-gu) code"
        ),
        sa.Column("version_id", sa.BigInteger(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("batch_id", sa.BigInteger(), nullable=True),
        sa.Column("row_hash", sa.UUID(as_uuid=False), nullable=False),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["sync_batch.batch_id"], name=op.f("fk_resident_batch_id_sync_batch")
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["resident_version.version_id"],
            name=op.f("fk_resident_version_id_resident_version"),
        ),
        sa.PrimaryKeyConstraint("rrn", name=op.f("pk_resident")),
        sa.UniqueConstraint("version_id", name=op.f("uq_resident_version_id")),
        comment="주민 (Resident): live records",
    )
    op.create_index("ix_resident_search_by_address", "resident", ["address_id"], unique=False)
    op.create_index("ix_resident_search_by_household", "resident", ["household_id"], unique=False)
    op.create_index(
        "ix_resident_search_name_birth_date", "resident", ["name", "birth_date"], unique=False
    )
    op.create_table(
        "vehicle",
        sa.Column("vin", sa.Text(), nullable=False, comment="차대번호 / VIN"),
        sa.Column("plate", sa.Text(), nullable=False, comment="자동차등록번호 / Plate number"),
        sa.Column("make", sa.Text(), nullable=False, comment="제작사 / Make"),
        sa.Column("model", sa.Text(), nullable=False, comment="차명 / Model"),
        sa.Column("model_year", sa.BigInteger(), nullable=False, comment="연식 / Model year"),
        sa.Column("fuel", sa.Text(), nullable=False, comment="사용연료 / Fuel"),
        sa.Column("vehicle_type", sa.Text(), nullable=False, comment="차종 / Vehicle type"),
        sa.Column("use_kind", sa.Text(), nullable=False, comment="용도 / Use"),
        sa.Column("owner_kind", sa.Text(), nullable=False, comment="소유자 구분 / Owner kind"),
        sa.Column("owner_id", sa.Text(), nullable=False, comment="소유자 식별번호 / Owner id"),
        sa.Column("use_address_id", sa.Text(), nullable=False, comment="사용본거지 / Place of use"),
        sa.Column(
            "registered_date",
            sa.Date(),
            nullable=False,
            comment="최초등록일 / First registration date",
        ),
        sa.Column("status", sa.Text(), nullable=False, comment="상태 / Status"),
        sa.Column("status_date", sa.Date(), nullable=True, comment="상태변경일자 / Status date"),
        sa.Column(
            "region_code", sa.Text(), nullable=False, comment="시군구코드 / Region (si-gun-gu) code"
        ),
        sa.Column("version_id", sa.BigInteger(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("batch_id", sa.BigInteger(), nullable=True),
        sa.Column("row_hash", sa.UUID(as_uuid=False), nullable=False),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["sync_batch.batch_id"], name=op.f("fk_vehicle_batch_id_sync_batch")
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["vehicle_version.version_id"],
            name=op.f("fk_vehicle_version_id_vehicle_version"),
        ),
        sa.PrimaryKeyConstraint("vin", name=op.f("pk_vehicle")),
        sa.UniqueConstraint("version_id", name=op.f("uq_vehicle_version_id")),
        comment="자동차 (Vehicle): live records",
    )
    op.create_index("ix_vehicle_ref_use_address_id", "vehicle", ["use_address_id"], unique=False)
    op.create_index("ix_vehicle_search_by_owner", "vehicle", ["owner_id"], unique=False)
    op.create_index("ix_vehicle_search_by_plate", "vehicle", ["plate"], unique=False)
    op.create_table(
        "workplace",
        sa.Column(
            "workplace_no", sa.Text(), nullable=False, comment="사업장관리번호 / Workplace number"
        ),
        sa.Column(
            "brn",
            sa.Text(),
            nullable=False,
            comment="사업자등록번호 / Business registration number",
        ),
        sa.Column("name", sa.Text(), nullable=False, comment="사업장명 / Workplace name"),
        sa.Column(
            "address_id", sa.Text(), nullable=False, comment="사업장 소재지 / Workplace address"
        ),
        sa.Column("industry_code", sa.Text(), nullable=False, comment="업종코드 / Industry code"),
        sa.Column("employees", sa.BigInteger(), nullable=True, comment="상시근로자수 / Employees"),
        sa.Column("insurance", sa.Text(), nullable=False, comment="가입 보험 / Insurance"),
        sa.Column(
            "established_date",
            sa.Date(),
            nullable=False,
            comment="보험관계 성립일 / Established date",
        ),
        sa.Column("status", sa.Text(), nullable=False, comment="상태 / Status"),
        sa.Column("status_date", sa.Date(), nullable=True, comment="상태변경일자 / Status date"),
        sa.Column(
            "region_code", sa.Text(), nullable=False, comment="시군구코드 / Region (si-gun-gu) code"
        ),
        sa.Column("version_id", sa.BigInteger(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("batch_id", sa.BigInteger(), nullable=True),
        sa.Column("row_hash", sa.UUID(as_uuid=False), nullable=False),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["sync_batch.batch_id"], name=op.f("fk_workplace_batch_id_sync_batch")
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["workplace_version.version_id"],
            name=op.f("fk_workplace_version_id_workplace_version"),
        ),
        sa.PrimaryKeyConstraint("workplace_no", name=op.f("pk_workplace")),
        sa.UniqueConstraint("version_id", name=op.f("uq_workplace_version_id")),
        comment="사업장 (Workplace): live records",
    )
    op.create_index("ix_workplace_search_by_address", "workplace", ["address_id"], unique=False)
    op.create_index("ix_workplace_search_by_business", "workplace", ["brn"], unique=False)
    op.create_index(
        "ix_workplace_search_by_name",
        "workplace",
        ["name"],
        unique=False,
        postgresql_using="gin",
        postgresql_ops={"name": "gin_trgm_ops"},
    )


def downgrade() -> None:
    op.drop_index(
        "ix_workplace_search_by_name",
        table_name="workplace",
        postgresql_using="gin",
        postgresql_ops={"name": "gin_trgm_ops"},
    )
    op.drop_index("ix_workplace_search_by_business", table_name="workplace")
    op.drop_index("ix_workplace_search_by_address", table_name="workplace")
    op.drop_table("workplace")
    op.drop_index("ix_vehicle_search_by_plate", table_name="vehicle")
    op.drop_index("ix_vehicle_search_by_owner", table_name="vehicle")
    op.drop_index("ix_vehicle_ref_use_address_id", table_name="vehicle")
    op.drop_table("vehicle")
    op.drop_index("ix_resident_search_name_birth_date", table_name="resident")
    op.drop_index("ix_resident_search_by_household", table_name="resident")
    op.drop_index("ix_resident_search_by_address", table_name="resident")
    op.drop_table("resident")
    op.drop_index("ix_medicine_search_by_standard_code", table_name="medicine")
    op.drop_index(
        "ix_medicine_search_by_name",
        table_name="medicine",
        postgresql_using="gin",
        postgresql_ops={"name": "gin_trgm_ops"},
    )
    op.drop_index("ix_medicine_search_by_manufacturer", table_name="medicine")
    op.drop_index(
        "ix_medicine_search_by_ingredient",
        table_name="medicine",
        postgresql_using="gin",
        postgresql_ops={"ingredient": "gin_trgm_ops"},
    )
    op.drop_table("medicine")
    op.drop_index("ix_licence_search_by_holder", table_name="licence")
    op.drop_table("licence")
    op.drop_index("ix_land_parcel_search_by_owner", table_name="land_parcel")
    op.drop_index(
        "ix_land_parcel_search_by_lot",
        table_name="land_parcel",
        postgresql_ops={"lot_number": "text_pattern_ops"},
    )
    op.drop_index("ix_land_parcel_search_by_legal_dong", table_name="land_parcel")
    op.drop_table("land_parcel")
    op.drop_index("ix_hazardous_substance_search_by_un_number", table_name="hazardous_substance")
    op.drop_index(
        "ix_hazardous_substance_search_by_name_ko",
        table_name="hazardous_substance",
        postgresql_using="gin",
        postgresql_ops={"name_ko": "gin_trgm_ops"},
    )
    op.drop_index(
        "ix_hazardous_substance_search_by_name_en",
        table_name="hazardous_substance",
        postgresql_using="gin",
        postgresql_ops={"name_en": "gin_trgm_ops"},
    )
    op.drop_index("ix_hazardous_substance_search_by_hazard_class", table_name="hazardous_substance")
    op.drop_table("hazardous_substance")
    op.drop_index(
        "ix_goods_search_by_name",
        table_name="goods",
        postgresql_using="gin",
        postgresql_ops={"name": "gin_trgm_ops"},
    )
    op.drop_index(
        "ix_goods_search_by_model",
        table_name="goods",
        postgresql_ops={"model_name": "text_pattern_ops"},
    )
    op.drop_index("ix_goods_search_by_maker", table_name="goods")
    op.drop_index("ix_goods_search_by_classification", table_name="goods")
    op.drop_table("goods")
    op.drop_index("ix_foreign_resident_search_name_birth_date", table_name="foreign_resident")
    op.drop_index("ix_foreign_resident_search_by_address", table_name="foreign_resident")
    op.drop_table("foreign_resident")
    op.drop_index("ix_farm_business_search_by_operator", table_name="farm_business")
    op.drop_index(
        "ix_farm_business_search_by_farm_name",
        table_name="farm_business",
        postgresql_using="gin",
        postgresql_ops={"farm_name": "gin_trgm_ops"},
    )
    op.drop_index("ix_farm_business_search_by_address", table_name="farm_business")
    op.drop_table("farm_business")
    op.drop_index(
        "ix_corporation_search_by_name",
        table_name="corporation",
        postgresql_using="gin",
        postgresql_ops={"name": "gin_trgm_ops"},
    )
    op.drop_index("ix_corporation_search_by_head_office", table_name="corporation")
    op.drop_table("corporation")
    op.drop_index(
        "ix_business_search_by_trade_name",
        table_name="business",
        postgresql_using="gin",
        postgresql_ops={"trade_name": "gin_trgm_ops"},
    )
    op.drop_index("ix_business_search_by_representative", table_name="business")
    op.drop_index("ix_business_search_by_corporation", table_name="business")
    op.drop_index("ix_business_search_by_address", table_name="business")
    op.drop_table("business")
    op.drop_index("ix_building_search_by_parcel", table_name="building")
    op.drop_index(
        "ix_building_search_by_name",
        table_name="building",
        postgresql_using="gin",
        postgresql_ops={"name": "gin_trgm_ops"},
    )
    op.drop_index("ix_building_search_by_address", table_name="building")
    op.drop_table("building")
    op.drop_index(
        "ix_address_search_full_text",
        table_name="address",
        postgresql_using="gin",
        postgresql_ops={"full_address": "gin_trgm_ops"},
    )
    op.drop_index(
        "ix_address_search_by_road",
        table_name="address",
        postgresql_ops={"road_name": "text_pattern_ops"},
    )
    op.drop_index("ix_address_search_by_postal_code", table_name="address")
    op.drop_index("ix_address_search_by_parcel", table_name="address")
    op.drop_table("address")
    op.drop_index("ix_workplace_version_workplace_no_valid_from", table_name="workplace_version")
    op.drop_index("ix_workplace_version_batch_id", table_name="workplace_version")
    op.drop_table("workplace_version")
    op.drop_index("ix_vehicle_version_vin_valid_from", table_name="vehicle_version")
    op.drop_index("ix_vehicle_version_batch_id", table_name="vehicle_version")
    op.drop_table("vehicle_version")
    op.drop_index("ix_sync_quarantine_batch_row", table_name="sync_quarantine")
    op.drop_table("sync_quarantine")
    op.drop_index("ix_resident_version_rrn_valid_from", table_name="resident_version")
    op.drop_index("ix_resident_version_batch_id", table_name="resident_version")
    op.drop_table("resident_version")
    op.drop_index("ix_medicine_version_product_code_valid_from", table_name="medicine_version")
    op.drop_index("ix_medicine_version_batch_id", table_name="medicine_version")
    op.drop_table("medicine_version")
    op.drop_index("ix_licence_version_licence_no_valid_from", table_name="licence_version")
    op.drop_index("ix_licence_version_batch_id", table_name="licence_version")
    op.drop_table("licence_version")
    op.drop_index("ix_land_parcel_version_pnu_valid_from", table_name="land_parcel_version")
    op.drop_index("ix_land_parcel_version_batch_id", table_name="land_parcel_version")
    op.drop_table("land_parcel_version")
    op.drop_index(
        "ix_hazardous_substance_version_cas_no_valid_from", table_name="hazardous_substance_version"
    )
    op.drop_index(
        "ix_hazardous_substance_version_batch_id", table_name="hazardous_substance_version"
    )
    op.drop_table("hazardous_substance_version")
    op.drop_index("ix_goods_version_goods_id_valid_from", table_name="goods_version")
    op.drop_index("ix_goods_version_batch_id", table_name="goods_version")
    op.drop_table("goods_version")
    op.drop_index(
        "ix_foreign_resident_version_frn_valid_from", table_name="foreign_resident_version"
    )
    op.drop_index("ix_foreign_resident_version_batch_id", table_name="foreign_resident_version")
    op.drop_table("foreign_resident_version")
    op.drop_index(
        "ix_farm_business_version_farm_business_no_valid_from", table_name="farm_business_version"
    )
    op.drop_index("ix_farm_business_version_batch_id", table_name="farm_business_version")
    op.drop_table("farm_business_version")
    op.drop_index("ix_corporation_version_crn_valid_from", table_name="corporation_version")
    op.drop_index("ix_corporation_version_batch_id", table_name="corporation_version")
    op.drop_table("corporation_version")
    op.drop_index("ix_change_event_dataset_event", table_name="change_event")
    op.drop_index("ix_change_event_batch_id", table_name="change_event")
    op.drop_table("change_event")
    op.drop_index("ix_business_version_brn_valid_from", table_name="business_version")
    op.drop_index("ix_business_version_batch_id", table_name="business_version")
    op.drop_table("business_version")
    op.drop_index(
        "ix_building_version_building_register_no_valid_from", table_name="building_version"
    )
    op.drop_index("ix_building_version_batch_id", table_name="building_version")
    op.drop_table("building_version")
    op.drop_index("ix_address_version_road_address_id_valid_from", table_name="address_version")
    op.drop_index("ix_address_version_batch_id", table_name="address_version")
    op.drop_table("address_version")
    op.drop_table("vocabulary_term")
    op.drop_index("ix_sync_batch_dataset_started", table_name="sync_batch")
    op.drop_index("ix_sync_batch_dataset_sha256", table_name="sync_batch")
    op.drop_table("sync_batch")
    op.drop_table("dataset_catalogue")
