"""Buildings (건축물): the building register.

Source of truth: the Ministry of Land, Infrastructure and Transport's building
register (건축물대장, in the Seumteo 세움터 system), kept by the si-gun-gu.
Legal basis: 건축법 제38조 (건축물대장), 제22조 (사용승인).

One record per building register number: a general register (일반건축물대장)
or one block (동) of a collective register (집합건축물대장 표제부). Every building
stands on a land parcel; most have a road-name address (apartment blocks of one
complex usually share it, told apart by ``dong_name``).
"""

from __future__ import annotations

from entities import common_fields as cf
from entities.agencies import MOLIT
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
    name="building",
    label_ko="건축물",
    label_en="Building",
    description="Buildings on the building register, with use, structure, size and "
    "approval date.",
    owner=MOLIT,
    legal_basis="건축법 제38조, 제22조",
    cadence=Cadence.WEEKLY,
    key="building_register_no",
    fields=(
        cf.key(
            "building_register_no", "building_register_no", "건축물대장 관리번호",
            "Building register number", "Management number of the building register entry.",
            validator="building_register_no",
        ),
        cf.identifier(
            "pnu", "pnu", "대지 필지고유번호", "Site parcel (PNU)",
            "PNU of the (main) parcel the building stands on (대지위치).",
            validator="pnu", required=True,
        ),
        cf.address_ref(
            "road_address_id", label_ko="도로명주소 관리번호", label_en="Road-name address id",
            description="The building's road-name address, when one is assigned.",
        ),
        cf.text("name", "building_name", "건물명", "Building name",
                "Name of the building or complex, when it has one.", compare=Comparator.NAME),
        cf.text("dong_name", "building_dong_name", "동명칭", "Block name",
                "Name of the block within a complex, e.g. '101동'.", max_length=50),
        cf.code("main_use", "main_use", "주용도", "Main use",
                "Main use under the Building Act (e.g. 공동주택, 업무시설).", required=True),
        cf.code("structure", "building_structure", "주구조", "Main structure",
                "Main structural system (e.g. 철근콘크리트구조)."),
        cf.number("floors_above", "floors_above", "지상층수", "Floors above ground",
                  "Number of floors above ground.", integer=True),
        cf.number("floors_below", "floors_below", "지하층수", "Floors below ground",
                  "Number of basement floors.", integer=True),
        cf.number("building_area_m2", "building_area", "건축면적", "Building area (m²)",
                  "Footprint area in square metres."),
        cf.number("total_floor_area_m2", "total_floor_area", "연면적", "Total floor area (m²)",
                  "Sum of the floor areas of all floors, in square metres."),
        cf.date("approval_date", "use_approval_date", "사용승인일", "Use approval date",
                "Date the use of the completed building was approved (준공)."),
        *cf.status_fields(
            "building_status",
            description="Standing, or demolished (멸실).",
            date_description="Date of demolition or the last change of status.",
        ),
        cf.region_code("Si-gun-gu keeping the building register."),
    ),
    relations=(
        RelationSpec("site", "pnu", {"": "land_parcel"}, required=True,
                     description="The land parcel the building stands on."),
        cf.address_relation("road_address_id",
                            description="The building's road-name address."),
    ),
    searches=(
        SearchSpec("by_parcel", ("pnu",), SearchKind.EXACT, "Buildings on a land parcel."),
        SearchSpec("by_address", ("road_address_id",), SearchKind.EXACT,
                   "Buildings at a road-name address."),
        SearchSpec("by_name", ("name",), SearchKind.TRIGRAM, "Buildings by similar name."),
    ),
    linkage=LinkageSpec(
        secondary_keys=(("pnu", "name", "dong_name"),),
        blocking=(("pnu",), ("road_address_id",), ("name",)),
        scope_field="region_code",
    ),
    status_field="status",
)
# fmt: on
