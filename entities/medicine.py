"""Medicines (의약품): approved and notified medicinal products.

Source of truth: the Ministry of Food and Drug Safety's product approval
records (의약품 품목허가·신고, published as 의약품 제품 허가정보).
Legal basis: 약사법 제31조 (제조업 허가 등), 제42조 (의약품등의 수입허가 등).

One record per product code (품목기준코드). The standard code (표준코드) is the
GTIN-13 on the package; a product sold in several pack sizes has several, and
this register keeps the representative one. The manufacturer is the
manufacturing or importing company, referred to by its business registration
number.
"""

from __future__ import annotations

from entities import common_fields as cf
from entities.agencies import MFDS
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
    name="medicine",
    label_ko="의약품",
    label_en="Medicine",
    description="Approved medicinal products with standard code, manufacturer, ingredient, "
    "dosage form and status.",
    owner=MFDS,
    legal_basis="약사법 제31조, 제42조",
    cadence=Cadence.WEEKLY,
    key="product_code",
    fields=(
        cf.key("product_code", "medicine_code", "품목기준코드", "Product code",
               "9-digit product code assigned at approval.", validator="medicine_code"),
        cf.identifier(
            "standard_code", "gtin13", "표준코드", "Standard code",
            "Representative GTIN-13 standard code (880…) on the package.",
            validator="gtin13", required=True, unique=True,
        ),
        cf.text("name", "medicine_name", "제품명", "Product name", "Approved product name.",
                required=True),
        cf.identifier(
            "manufacturer_brn", "brn", "업체 사업자등록번호", "Manufacturer BRN",
            "Business registration number of the manufacturer or importer.",
            validator="brn", required=True,
        ),
        cf.text("manufacturer_name", "maker_name", "업체명", "Manufacturer name",
                "Name of the manufacturer or importer.", required=True,
                compare=Comparator.NAME),
        cf.text("ingredient", "main_ingredient", "주성분", "Main ingredient",
                "Main active ingredients and strengths.", required=True, max_length=1000),
        cf.code("dosage_form", "dosage_form", "제형", "Dosage form",
                "Dosage form, e.g. tablet, injection.", required=True),
        cf.code("otc_kind", "otc_kind", "전문일반 구분", "Prescription or OTC",
                "Prescription-only (전문) or over-the-counter (일반).", required=True),
        cf.text("atc_code", "atc_code", "ATC 코드", "ATC code",
                "WHO ATC classification code.", compare=Comparator.EXACT, max_length=7),
        cf.date("approval_date", "approval_date", "품목허가일자", "Approval date",
                "Date of product approval or notification.", required=True),
        *cf.status_fields(
            "medicine_status",
            description="Approved (정상), cancelled (취소) or withdrawn (취하).",
            date_description="Date of cancellation or withdrawal.",
        ),
    ),
    relations=(
        RelationSpec("manufacturer", "manufacturer_brn", {"": "business"}, required=True,
                     description="The manufacturing or importing company."),
    ),
    searches=(
        SearchSpec("by_standard_code", ("standard_code",), SearchKind.EXACT,
                   "The product with a standard code (barcode)."),
        SearchSpec("by_name", ("name",), SearchKind.TRIGRAM, "Products by similar name."),
        SearchSpec("by_ingredient", ("ingredient",), SearchKind.TRIGRAM,
                   "Products by similar ingredient text."),
        SearchSpec("by_manufacturer", ("manufacturer_brn",), SearchKind.EXACT,
                   "Products of a manufacturer."),
    ),
    linkage=LinkageSpec(
        secondary_keys=(("standard_code",),),
        blocking=(("standard_code",), ("name",), ("manufacturer_brn",)),
        scope_field=None,  # a national register
    ),
    status_field="status",
)
# fmt: on
