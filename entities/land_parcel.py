"""Land parcels (토지): the cadastral land register.

Source of truth: the Ministry of Land, Infrastructure and Transport's land
register (토지대장·임야대장, in the KLIS/KRAS systems), kept by the si-gun-gu
cadastral offices. The official land price is published under the Act on
Public Announcement of Real Estate Values (부동산 가격공시에 관한 법률).
Legal basis: 공간정보의 구축 및 관리 등에 관한 법률 제67조 (지목), 제71조 (토지대장).

One record per PNU. A parcel that is split keeps its number and the new
parcels get new ones; parcels merged away are closed. The owner is the
principal owner (a resident or a corporation); co-ownership shares and
state or local-government land (which have no owner record here) are out of
scope, so the owner reference is optional.
"""

from __future__ import annotations

from entities import common_fields as cf
from entities.agencies import MOLIT
from entities.spec import (
    Cadence,
    Comparator,
    DatasetSpec,
    LinkageSpec,
    SearchKind,
    SearchSpec,
)

# Laid out by hand for reading (one field per call): keep the formatter out.
# fmt: off
SPEC = DatasetSpec(
    name="land_parcel",
    label_ko="토지",
    label_en="Land parcel",
    description="Cadastral parcels with land category, area, official price, zoning and "
    "owner.",
    owner=MOLIT,
    legal_basis="공간정보의 구축 및 관리 등에 관한 법률 제67조, 제71조",
    cadence=Cadence.WEEKLY,
    key="pnu",
    fields=(
        cf.key(
            "pnu", "pnu", "필지고유번호", "Parcel unique number",
            "19-digit PNU: legal-dong code, mountain flag, main and sub lot number.",
            validator="pnu",
        ),
        cf.identifier(
            "legal_dong_code", "legal_dong_code", "법정동코드", "Legal-dong code",
            "10-digit code of the legal dong (or ri) of the parcel.",
            validator="legal_dong_code", required=True,
        ),
        cf.text(
            "lot_number", "lot_number", "지번", "Lot number",
            "Lot number as written, e.g. '123-4' or '산12' for forest land.",
            required=True, max_length=20,
        ),
        cf.code(
            "land_category", "land_category", "지목", "Land category",
            "One of the 28 land categories of the Spatial Data Act (e.g. 대, 전, 임야).",
            required=True,
        ),
        cf.number("area_m2", "area_m2", "면적", "Area (m²)",
                  "Registered area in square metres.", required=True),
        cf.number(
            "official_price_per_m2", "official_land_price", "개별공시지가",
            "Official land price per m²", "Individual official land price, KRW per m².",
        ),
        cf.number(
            "price_base_year", "price_base_year", "가격기준연도", "Price base year",
            "Year the official land price applies to.",
            integer=True, compare=Comparator.EXACT,
        ),
        cf.code("use_zone", "use_zone", "용도지역", "Use zone",
                "Use zone under the National Land Planning Act (e.g. 제2종일반주거지역)."),
        *cf.owner_fields("parcel", required=False),
        *cf.status_fields(
            "parcel_status",
            description="Active, merged into another parcel, split, or closed (폐쇄).",
            date_description="Date of the last land movement (토지이동) changing the status.",
        ),
        cf.region_code("Si-gun-gu keeping the land register (first 5 digits of the PNU)."),
    ),
    relations=(
        cf.owner_relation(
            required=False,
            description="The parcel's principal owner: a resident or a corporation.",
        ),
    ),
    searches=(
        SearchSpec("by_legal_dong", ("legal_dong_code",), SearchKind.EXACT,
                   "Parcels in a legal dong."),
        SearchSpec("by_lot", ("legal_dong_code", "lot_number"), SearchKind.PREFIX,
                   "Parcels of a legal dong whose lot number starts with the text."),
        SearchSpec("by_owner", ("owner_id",), SearchKind.EXACT, "Parcels of an owner."),
    ),
    linkage=LinkageSpec(
        secondary_keys=(("legal_dong_code", "lot_number"),),
        blocking=(("legal_dong_code",), ("lot_number",), ("owner_id",)),
        scope_field="region_code",
    ),
    status_field="status",
)
# fmt: on
