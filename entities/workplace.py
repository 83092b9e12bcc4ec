"""Workplaces (사업장): workplaces insured for employment and industrial accidents.

Source of truth: the Ministry of Employment and Labor's insurance workplace
records, kept by the Korea Workers' Compensation and Welfare Service
(근로복지공단).
Legal basis: 고용보험법; 산업재해보상보험법;
고용보험 및 산업재해보상보험의 보험료징수 등에 관한 법률 (보험관계의 성립·소멸).

One record per workplace management number (the business registration number
and a serial digit), so a business can run several insured workplaces.
"""

from __future__ import annotations

from entities import common_fields as cf
from entities.agencies import MOEL
from entities.spec import (
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
    name="workplace",
    label_ko="사업장",
    label_en="Workplace",
    description="Workplaces insured for employment or industrial accidents, with their "
    "business, industry and employees.",
    owner=MOEL,
    legal_basis="고용보험법; 산업재해보상보험법; 고용보험 및 산업재해보상보험의 보험료징수 등에 "
    "관한 법률",
    cadence=Cadence.WEEKLY,
    key="workplace_no",
    fields=(
        cf.key("workplace_no", "workplace_no", "사업장관리번호", "Workplace number",
               "11-digit workplace management number.", validator="workplace_no"),
        cf.identifier(
            "brn", "brn", "사업자등록번호", "Business registration number",
            "The business that runs the workplace.", validator="brn", required=True,
        ),
        cf.text("name", "workplace_name", "사업장명", "Workplace name",
                "Name of the workplace.", required=True, compare=Comparator.NAME),
        cf.address_ref(label_ko="사업장 소재지", label_en="Workplace address",
                       description="Road-name address of the workplace.", required=True),
        cf.text(
            "industry_code", "industry_code", "업종코드", "Industry code",
            "Korean Standard Industrial Classification (KSIC) code of the workplace.",
            required=True, compare=Comparator.EXACT, max_length=5,
        ),
        cf.number("employees", "employee_count", "상시근로자수", "Employees",
                  "Number of regular employees insured.", integer=True),
        cf.code("insurance", "insurance_kind", "가입 보험", "Insurance",
                "Employment insurance, industrial accident insurance, or both.",
                required=True),
        cf.date("established_date", "established_date", "보험관계 성립일", "Established date",
                "Date the insurance relationship was established (성립일).", required=True),
        *cf.status_fields(
            "workplace_status",
            description="Active, or closed (소멸) when the insurance relationship ends.",
            date_description="Date the insurance relationship ended or last changed.",
        ),
        cf.region_code("Si-gun-gu of the workplace."),
    ),
    relations=(
        RelationSpec("business", "brn", {"": "business"}, required=True,
                     description="The business that runs the workplace."),
        cf.address_relation(required=True, description="The workplace's address."),
    ),
    searches=(
        SearchSpec("by_business", ("brn",), SearchKind.EXACT, "Workplaces of a business."),
        SearchSpec("by_name", ("name",), SearchKind.TRIGRAM, "Workplaces by similar name."),
        SearchSpec("by_address", ("address_id",), SearchKind.EXACT,
                   "Workplaces at an address."),
    ),
    linkage=LinkageSpec(
        secondary_keys=(("brn", "address_id"),),
        blocking=(("brn",), ("name",), ("address_id",)),
        scope_field="region_code",
    ),
    status_field="status",
)
# fmt: on
