"""Road-name addresses (도로명주소): the national address register.

Source of truth: the Ministry of the Interior and Safety's road-name address
database (도로명주소 DB, published through juso.go.kr), maintained by the
si-gun-gu that assign road names and building numbers.
Legal basis: 도로명주소법.

One record per road-name address (a building or other addressable facility).
Each address sits on a land parcel (``pnu``, its related lot 관련지번); the full
Hangul address text is carried for display and for linking agency copies that
hold only free-text addresses.
"""

from __future__ import annotations

from entities import common_fields as cf
from entities.agencies import MOIS
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
    name="address",
    label_ko="도로명주소",
    label_en="Road-name address",
    description="Road-name addresses of buildings, with road, building number, region, "
    "postal code and related land parcel.",
    owner=MOIS,
    legal_basis="도로명주소법",
    cadence=Cadence.DAILY,
    key="road_address_id",
    fields=(
        cf.key(
            "road_address_id", "road_address_id", "도로명주소 관리번호", "Road-name address id",
            "Management number of the road-name address.",
            validator="road_address_id",
        ),
        cf.text("road_name", "road_name", "도로명", "Road name", "Name of the road.",
                required=True, max_length=80),
        cf.number(
            "building_main_no", "building_main_no", "건물본번", "Building main number",
            "Main part of the building number.",
            integer=True, required=True, compare=Comparator.EXACT,
        ),
        cf.number(
            "building_sub_no", "building_sub_no", "건물부번", "Building sub number",
            "Sub part of the building number (0 when none).",
            integer=True, required=True, compare=Comparator.EXACT,
        ),
        cf.flag("underground", "underground", "지하여부", "Underground",
                "Whether the address is of an underground building.", required=True),
        cf.text("sido", "sido_name", "시도", "Province", "Province-level region name.",
                required=True, max_length=40),
        cf.text("sigungu", "sigungu_name", "시군구", "Municipality", "Si-gun-gu name.",
                required=True, max_length=40),
        cf.text("eupmyeondong", "eupmyeondong_name", "읍면동", "Eup/myeon/dong",
                "Legal eup, myeon or dong name.", required=True, max_length=40),
        cf.identifier(
            "legal_dong_code", "legal_dong_code", "법정동코드", "Legal-dong code",
            "10-digit code of the legal dong (or ri) the address lies in.",
            validator="legal_dong_code", required=True,
        ),
        cf.identifier(
            "postal_code", "postal_code", "우편번호", "Postal code",
            "5-digit postal code (basic district number).",
            validator="postal_code", required=True,
        ),
        cf.text("building_name", "building_name", "건물명", "Building name",
                "Name of the building or complex, when it has one."),
        cf.identifier(
            "pnu", "pnu", "관련지번 필지고유번호", "Parcel (PNU)",
            "PNU of the land parcel the addressed building stands on (관련지번).",
            validator="pnu", required=True,
        ),
        cf.text(
            "full_address", "road_address", "도로명주소", "Full address",
            "Full road-name address in Hangul, from province to building number.",
            required=True, compare=Comparator.ADDRESS, max_length=cf.ADDRESS_MAX,
        ),
        *cf.status_fields(
            "address_status",
            description="In use, or abolished (폐지) when the building or road is gone.",
            date_description="Date the address was assigned, changed or abolished.",
        ),
        cf.region_code("Si-gun-gu that assigned the address (first 5 digits of the "
                       "legal-dong code)."),
    ),
    relations=(
        RelationSpec(
            "parcel", "pnu", {"": "land_parcel"}, required=True,
            description="The land parcel the addressed building stands on (관련지번).",
        ),
    ),
    searches=(
        SearchSpec("full_text", ("full_address",), SearchKind.TRIGRAM,
                   "Addresses similar to a free-text address."),
        SearchSpec("by_postal_code", ("postal_code",), SearchKind.EXACT,
                   "Addresses in a postal district."),
        SearchSpec("by_road", ("region_code", "road_name"), SearchKind.PREFIX,
                   "Addresses on roads of a si-gun-gu whose name starts with the text."),
        SearchSpec("by_parcel", ("pnu",), SearchKind.EXACT,
                   "Addresses on a land parcel."),
    ),
    linkage=LinkageSpec(
        secondary_keys=(
            ("region_code", "road_name", "building_main_no", "building_sub_no", "underground"),
        ),
        blocking=(("postal_code",), ("pnu",), ("region_code", "road_name"),
                  ("legal_dong_code", "building_main_no")),
        scope_field="region_code",
    ),
    status_field="status",
)
# fmt: on
