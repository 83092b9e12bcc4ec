"""Residents (주민): Korean nationals registered under the Resident Registration Act.

Source of truth: the Ministry of the Interior and Safety's resident registration
records (주민등록표), kept by each si-gun-gu and eup-myeon-dong office.
Legal basis: 주민등록법 제7조 (주민등록표의 작성), 제7조의2 (주민등록번호의 부여).

One record per resident registration number. Foreign nationals are in
``foreign_resident``; a resident who emigrates or dies keeps the record with
that status. The registered address is a reference to ``address``; the
household (세대) is carried as its number and the person's role in it.
"""

from __future__ import annotations

from entities import common_fields as cf
from entities.agencies import MOIS
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
    name="resident",
    label_ko="주민",
    label_en="Resident",
    description="Korean nationals on the resident register, with registered address and "
    "household.",
    owner=MOIS,
    legal_basis="주민등록법 제7조, 제7조의2",
    cadence=Cadence.DAILY,
    key="rrn",
    fields=(
        cf.key(
            "rrn", "rrn", "주민등록번호", "Resident registration number",
            "The resident's 13-digit registration number.",
            validator="rrn", pii=PII.UNIQUE_IDENTIFIER,
        ),
        cf.text(
            "name", "person_name", "성명", "Name", "Name in Hangul as registered.",
            required=True, pii=PII.PERSONAL, compare=Comparator.NAME, max_length=100,
        ),
        cf.text(
            "name_hanja", "person_name_hanja", "한자성명", "Name in Hanja",
            "Name in Chinese characters, when registered.",
            pii=PII.PERSONAL, compare=Comparator.NAME, max_length=100,
        ),
        cf.date(
            "birth_date", "birth_date", "생년월일", "Birth date", "Date of birth.",
            required=True, pii=PII.PERSONAL,
        ),
        cf.code("sex", "sex", "성별", "Sex", "Sex as registered.", required=True,
                pii=PII.PERSONAL),
        cf.address_ref(
            label_ko="주소", label_en="Registered address",
            description="The road-name address the resident is registered at.",
            required=True, personal=True,
        ),
        cf.identifier(
            "household_id", "household_id", "세대번호", "Household number",
            "Number of the household (세대) the resident belongs to.",
            validator=None, required=True, pii=PII.PERSONAL,
        ),
        cf.code(
            "household_role", "household_role", "세대주 여부", "Household role",
            "Whether the resident heads the household (세대주) or is a member (세대원).",
            required=True, pii=PII.PERSONAL,
        ),
        cf.date(
            "move_in_date", "move_in_date", "전입일자", "Move-in date",
            "Date the move to the current address was reported (전입신고).",
            pii=PII.PERSONAL,
        ),
        *cf.status_fields(
            "resident_status",
            description="Alive, deceased, emigrated (국외이주) or whereabouts unknown (거주불명).",
            date_description="Date of death, emigration or the last change of status.",
            pii=PII.PERSONAL,
        ),
        cf.region_code("Si-gun-gu of the registered address (the registering office)."),
    ),
    relations=(
        cf.address_relation(
            required=True, description="The resident's registered address (주민등록 주소)."
        ),
    ),
    searches=(
        SearchSpec("name_birth_date", ("name", "birth_date"), SearchKind.EXACT,
                   "Residents with this name and birth date."),
        SearchSpec("by_address", ("address_id",), SearchKind.EXACT,
                   "Residents registered at an address."),
        SearchSpec("by_household", ("household_id",), SearchKind.EXACT,
                   "Members of a household."),
    ),
    linkage=LinkageSpec(
        secondary_keys=(("name", "birth_date", "address_id"), ("name", "birth_date", "sex",
                                                                "household_id")),
        blocking=(("birth_date",), ("name",), ("address_id",), ("household_id",)),
        scope_field="region_code",
    ),
    status_field="status",
)
# fmt: on
