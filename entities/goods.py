"""Goods (물품): the government goods catalogue.

Source of truth: the Public Procurement Service's goods catalogue (물품목록
정보, 목록정보시스템), where every item bought by public institutions is
classified and identified.
Legal basis: 조달사업에 관한 법률; 물품관리법 (물품의 분류와 목록 정리).

One record per goods identification number: a specific item (maker and
model) within an 8-digit classification. Foreign makers have no Korean
business registration, so the maker reference is optional and the maker's
name is always carried.
"""

from __future__ import annotations

from entities import common_fields as cf
from entities.agencies import PPS
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
    name="goods",
    label_ko="물품",
    label_en="Goods",
    description="Catalogued goods with classification, maker, model, unit and price.",
    owner=PPS,
    legal_basis="조달사업에 관한 법률; 물품관리법",
    cadence=Cadence.WEEKLY,
    key="goods_id",
    fields=(
        cf.key("goods_id", "goods_id", "물품식별번호", "Goods id",
               "8-digit goods identification number.", validator="goods_id"),
        cf.identifier(
            "classification_code", "goods_classification_code", "물품분류번호",
            "Classification number", "8-digit goods classification number (UNSPSC based).",
            validator=None, required=True,
        ),
        cf.text("name", "goods_name", "품명", "Goods name", "Catalogue name of the item.",
                required=True),
        cf.text("model_name", "model_name", "모델명", "Model name", "Maker's model name.",
                max_length=100),
        cf.text("specification", "specification", "규격", "Specification",
                "Specification text (size, capacity, material …).", max_length=500),
        cf.identifier(
            "maker_brn", "brn", "제조사 사업자등록번호", "Maker BRN",
            "Business registration number of the Korean maker.", validator="brn",
        ),
        cf.text("maker_name", "maker_name", "제조사명", "Maker name",
                "Name of the maker (or importer).", required=True, compare=Comparator.NAME),
        cf.code("unit", "goods_unit", "단위", "Unit", "Unit of purchase.", required=True),
        cf.number("unit_price", "unit_price", "단가", "Unit price",
                  "Reference price per unit in KRW, VAT included."),
        cf.date("registered_date", "registered_date", "등록일자", "Registration date",
                "Date the item was entered in the catalogue.", required=True),
        *cf.status_fields(
            "goods_status",
            description="In use, or discontinued (사용중지).",
            date_description="Date the item was discontinued or last changed status.",
        ),
    ),
    relations=(
        RelationSpec("maker", "maker_brn", {"": "business"},
                     description="The Korean maker (absent for foreign makers)."),
    ),
    searches=(
        SearchSpec("by_name", ("name",), SearchKind.TRIGRAM, "Goods by similar name."),
        SearchSpec("by_classification", ("classification_code",), SearchKind.EXACT,
                   "Goods in a classification."),
        SearchSpec("by_maker", ("maker_brn",), SearchKind.EXACT, "Goods of a maker."),
        SearchSpec("by_model", ("model_name",), SearchKind.PREFIX,
                   "Goods whose model name starts with the text."),
    ),
    linkage=LinkageSpec(
        secondary_keys=(("maker_brn", "model_name"), ("classification_code", "maker_name",
                                                      "model_name")),
        blocking=(("classification_code",), ("model_name",), ("maker_brn",), ("name",)),
        scope_field=None,  # a national catalogue
    ),
    status_field="status",
)
# fmt: on
