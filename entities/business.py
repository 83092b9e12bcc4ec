"""Business registrations (사업자): the National Tax Service's business register.

Source of truth: the National Tax Service (사업자등록 정보, served by the tax
offices and the NTS business status service).
Legal basis: 부가가치세법 제8조 (사업자등록).

One record per business registration number. A corporate business refers to
its corporation (a corporation's branches have their own numbers, so many
businesses may share one ``crn``); an individual business has none. The
representative is referred to by resident registration number when the
representative is a resident (foreign representatives carry only the name).
"""

from __future__ import annotations

from entities import common_fields as cf
from entities.agencies import NTS
from entities.spec import (
    PII,
    Cadence,
    Comparator,
    DatasetSpec,
    LinkageSpec,
    RelationSpec,
    SearchKind,
    SearchSpec,
)

# Laid out by hand for reading (one field per call): keep the formatter out.
# fmt: off
SPEC = DatasetSpec(
    name="business",
    label_ko="사업자",
    label_en="Business",
    description="Registered businesses with trade name, representative, industry, tax "
    "type and status.",
    owner=NTS,
    legal_basis="부가가치세법 제8조",
    cadence=Cadence.DAILY,
    key="brn",
    fields=(
        cf.key("brn", "brn", "사업자등록번호", "Business registration number",
               "10-digit business registration number.", validator="brn"),
        cf.text("trade_name", "trade_name", "상호", "Trade name",
                "Registered trade name.", required=True, compare=Comparator.NAME),
        cf.text(
            "representative_name", "representative_name", "대표자 성명", "Representative",
            "Name of the representative (대표자).",
            required=True, pii=PII.PERSONAL, compare=Comparator.NAME, max_length=100,
        ),
        cf.identifier(
            "representative_rrn", "rrn", "대표자 주민등록번호", "Representative RRN",
            "Resident registration number of the representative, when a resident.",
            validator="rrn", pii=PII.UNIQUE_IDENTIFIER,
        ),
        cf.code("business_type", "business_kind", "사업자 구분", "Business kind",
                "Individual (개인) or corporate (법인) business.", required=True),
        cf.identifier(
            "crn", "crn", "법인등록번호", "Corporation registration number",
            "The corporation this business belongs to (corporate businesses only).",
            validator="crn",
        ),
        cf.text(
            "industry_code", "industry_code", "주업종코드", "Main industry code",
            "Korean Standard Industrial Classification (KSIC) code of the main business.",
            required=True, compare=Comparator.EXACT, max_length=5,
        ),
        cf.address_ref(description="Road-name address of the place of business (사업장).",
                       label_ko="사업장 소재지", label_en="Place of business",
                       required=True),
        cf.date("opened_date", "opened_date", "개업일자", "Opening date",
                "Date business started, as registered.", required=True),
        cf.code("tax_type", "tax_type", "과세유형", "Tax type",
                "VAT type: general, simplified, exempt or non-profit.", required=True),
        *cf.status_fields(
            "business_status",
            description="Operating (계속), suspended (휴업) or closed (폐업).",
            date_description="Date of suspension, closure or the last change of status.",
        ),
        cf.region_code("Si-gun-gu of the place of business."),
    ),
    relations=(
        RelationSpec(
            "corporation", "crn", {"": "corporation"},
            description="The corporation of a corporate business (absent for individuals).",
        ),
        RelationSpec(
            "representative", "representative_rrn", {"": "resident"},
            description="The representative, when a resident.",
        ),
        cf.address_relation(required=True, description="The place of business."),
    ),
    searches=(
        SearchSpec("by_trade_name", ("trade_name",), SearchKind.TRIGRAM,
                   "Businesses by similar trade name."),
        SearchSpec("by_corporation", ("crn",), SearchKind.EXACT,
                   "Businesses (head office and branches) of a corporation."),
        SearchSpec("by_representative", ("representative_rrn",), SearchKind.EXACT,
                   "Businesses a resident represents."),
        SearchSpec("by_address", ("address_id",), SearchKind.EXACT,
                   "Businesses at an address."),
    ),
    linkage=LinkageSpec(
        secondary_keys=(("trade_name", "representative_name", "address_id"),),
        blocking=(("trade_name",), ("address_id",), ("representative_name",), ("crn",)),
        scope_field="region_code",
    ),
    status_field="status",
)
# fmt: on
