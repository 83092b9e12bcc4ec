"""Corporations (법인): the commercial and corporate registry.

Source of truth: the court registry (법원 등기소), administered by the National
Court Administration of the Supreme Court (인터넷등기소).
Legal basis: 상업등기법; 상법 제172조 (회사의 성립); 민법 제33조 (법인설립의 등기).

One record per corporation registration number: companies under the
Commercial Act, non-profit associations and foundations under the Civil Act,
cooperatives and registered Korean offices of foreign companies. A
corporation's tax registration (and each branch's) is in ``business``.
"""

from __future__ import annotations

from entities import common_fields as cf
from entities.agencies import SCOURT
from entities.spec import (
    PII,
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
    name="corporation",
    label_ko="법인",
    label_en="Corporation",
    description="Registered corporations with kind, representative, head office, capital "
    "and status.",
    owner=SCOURT,
    legal_basis="상업등기법; 상법 제172조; 민법 제33조",
    cadence=Cadence.DAILY,
    key="crn",
    fields=(
        cf.key("crn", "crn", "법인등록번호", "Corporation registration number",
               "13-digit corporation registration number.", validator="crn"),
        cf.text("name", "corporation_name", "법인명", "Name",
                "Registered name (상호 or 명칭).", required=True, compare=Comparator.NAME),
        cf.code("corp_kind", "corporation_kind", "법인 종류", "Corporation kind",
                "Kind of corporation, e.g. 주식회사, 사단법인.", required=True),
        cf.text(
            "representative_name", "representative_name", "대표자 성명", "Representative",
            "Name of the registered representative (대표이사, 이사장 …).",
            required=True, pii=PII.PERSONAL, compare=Comparator.NAME, max_length=100,
        ),
        cf.address_ref(
            "head_office_address_id", label_ko="본점 소재지", label_en="Head office address",
            description="Road-name address of the head office (본점 or 주사무소).",
            required=True,
        ),
        cf.date("established_date", "established_date", "설립일자", "Established date",
                "Date of the incorporation registration (설립등기).", required=True),
        cf.number("capital", "capital_amount", "자본금", "Capital",
                  "Registered capital in KRW (companies only)."),
        *cf.status_fields(
            "corporation_status",
            description="Existing, dissolved (해산), liquidated (청산종결) or merged away.",
            date_description="Date the dissolution, liquidation or merger was registered.",
        ),
        cf.region_code("Si-gun-gu of the head office."),
    ),
    relations=(
        cf.address_relation("head_office_address_id", name="head_office", required=True,
                            description="The registered head office."),
    ),
    searches=(
        SearchSpec("by_name", ("name",), SearchKind.TRIGRAM,
                   "Corporations by similar name."),
        SearchSpec("by_head_office", ("head_office_address_id",), SearchKind.EXACT,
                   "Corporations with their head office at an address."),
    ),
    linkage=LinkageSpec(
        secondary_keys=(("name", "head_office_address_id"),),
        blocking=(("name",), ("head_office_address_id",), ("representative_name",),
                  ("established_date",)),
        scope_field="region_code",
    ),
    status_field="status",
)
# fmt: on
