"""Farm businesses (농업경영체): registered farm businesses.

Source of truth: the Ministry of Agriculture, Food and Rural Affairs' farm
business register (농업경영체 등록정보), kept by the National Agricultural
Products Quality Management Service (국립농산물품질관리원).
Legal basis: 농어업경영체 육성 및 지원에 관한 법률 제4조 (농어업경영정보의 등록).

One record per farm business registration number, operated by a resident
(경영주). Farming corporations (농업법인) and fishery businesses are out of
scope. ``parcels`` lists the PNUs of the land farmed (owned or leased),
separated by ';'; livestock and mushroom farms may farm no registered parcel,
so the parcel reference is optional.
"""

from __future__ import annotations

from entities import common_fields as cf
from entities.agencies import MAFRA
from entities.spec import (
    PII,
    Cadence,
    Comparator,
    DatasetSpec,
    FieldSpec,
    FieldType,
    LinkageSpec,
    RelationSpec,
    SearchKind,
    SearchSpec,
)

# Laid out by hand for reading (one field per call): keep the formatter out.
# fmt: off
SPEC = DatasetSpec(
    name="farm_business",
    label_ko="농업경영체",
    label_en="Farm business",
    description="Registered farm businesses with operator, farmed parcels, main crop and "
    "area.",
    owner=MAFRA,
    legal_basis="농어업경영체 육성 및 지원에 관한 법률 제4조",
    cadence=Cadence.MONTHLY,
    key="farm_business_no",
    fields=(
        cf.key("farm_business_no", "farm_business_no", "농업경영체 등록번호",
               "Farm business number", "Farm business registration number.",
               validator="farm_business_no"),
        cf.identifier(
            "operator_rrn", "rrn", "경영주 주민등록번호", "Operator RRN",
            "Resident registration number of the operator (경영주).",
            validator="rrn", required=True, pii=PII.UNIQUE_IDENTIFIER,
        ),
        cf.text("operator_name", "person_name", "경영주 성명", "Operator name",
                "Name of the operator.", required=True, pii=PII.PERSONAL,
                compare=Comparator.NAME, max_length=100),
        cf.text("farm_name", "farm_name", "경영체명", "Farm name",
                "Name of the farm, when it has one.", compare=Comparator.NAME),
        FieldSpec(
            "parcels", FieldType.TEXT, "pnu_list", "경영 필지", "Farmed parcels",
            "PNUs of the parcels farmed, separated by ';' (each checked as a PNU).",
            compare=Comparator.STRING,
        ),
        cf.code("main_crop", "main_crop", "주작목", "Main crop",
                "Main product group, e.g. rice, vegetables, livestock.", required=True),
        cf.number("area_m2", "area_m2", "경영면적", "Farmed area (m²)",
                  "Total area farmed, in square metres."),
        cf.address_ref(label_ko="경영주 주소", label_en="Operator address",
                       description="Road-name address of the operator (the farm's seat).",
                       required=True, personal=True),
        cf.date("registered_date", "registered_date", "등록일자", "Registration date",
                "Date the farm business was first registered.", required=True),
        *cf.status_fields(
            "farm_business_status",
            description="Active, or cancelled (말소).",
            date_description="Date of cancellation or the last change.",
        ),
        cf.region_code("Si-gun-gu of the operator's address."),
    ),
    relations=(
        RelationSpec("operator", "operator_rrn", {"": "resident"}, required=True,
                     description="The resident who operates the farm business."),
        RelationSpec("parcels", "parcels", {"": "land_parcel"}, many=True,
                     description="The land parcels farmed."),
        cf.address_relation(required=True, description="The operator's address."),
    ),
    searches=(
        SearchSpec("by_operator", ("operator_rrn",), SearchKind.EXACT,
                   "Farm businesses of a resident."),
        SearchSpec("by_address", ("address_id",), SearchKind.EXACT,
                   "Farm businesses at an address."),
        SearchSpec("by_farm_name", ("farm_name",), SearchKind.TRIGRAM,
                   "Farm businesses by similar name."),
    ),
    linkage=LinkageSpec(
        secondary_keys=(("operator_rrn",),),
        blocking=(("operator_rrn",), ("operator_name",), ("address_id",), ("farm_name",)),
        scope_field="region_code",
    ),
    status_field="status",
)
# fmt: on
