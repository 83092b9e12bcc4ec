"""Foreign residents (등록외국인): foreigners registered for a stay of over 90 days.

Source of truth: the Ministry of Justice's foreigner registration records
(외국인등록표), kept by the immigration offices.
Legal basis: 출입국관리법 제31조 (외국인등록), 제34조 (외국인등록표 등의 작성 및 관리).

One record per foreigner registration number. Only long-term sojourn statuses
(시행령 별표 1의2: D, E, F, G and H) appear: diplomats and short stays are exempt
from registration. The name is the romanised passport name; a Hangul
transcription is optional.
"""

from __future__ import annotations

from entities import common_fields as cf
from entities.agencies import MOJ
from entities.spec import (
    PII,
    Cadence,
    Comparator,
    DatasetSpec,
    LinkageSpec,
    SearchKind,
    SearchSpec,
)
from entities.vocabulary import codes

# Laid out by hand for reading (one field per call): keep the formatter out.
# fmt: off
SPEC = DatasetSpec(
    name="foreign_resident",
    label_ko="등록외국인",
    label_en="Foreign resident",
    description="Foreigners registered for a long stay, with sojourn status and address.",
    owner=MOJ,
    legal_basis="출입국관리법 제31조, 제34조",
    cadence=Cadence.DAILY,
    key="frn",
    fields=(
        cf.key(
            "frn", "frn", "외국인등록번호", "Foreigner registration number",
            "The foreigner's 13-digit registration number.",
            validator="frn", pii=PII.UNIQUE_IDENTIFIER,
        ),
        cf.text(
            "name", "person_name_en", "영문성명", "Name (romanised)",
            "Name in Latin letters as in the passport.",
            required=True, pii=PII.PERSONAL, compare=Comparator.NAME, max_length=150,
        ),
        cf.text(
            "name_ko", "person_name", "한글성명", "Name in Hangul",
            "Hangul transcription of the name, when recorded.",
            pii=PII.PERSONAL, compare=Comparator.NAME, max_length=100,
        ),
        cf.code(
            "nationality", "nationality", "국적", "Nationality",
            "ISO 3166-1 alpha-3 code of the nationality (ICAO codes for the stateless).",
            required=True, pii=PII.PERSONAL,
            only=tuple(c for c in codes("nationality") if c != "KOR"),
        ),
        cf.date(
            "birth_date", "birth_date", "생년월일", "Birth date", "Date of birth.",
            required=True, pii=PII.PERSONAL,
        ),
        cf.code("sex", "sex", "성별", "Sex", "Sex as registered.", required=True,
                pii=PII.PERSONAL),
        cf.code(
            "visa_status", "visa_status", "체류자격", "Sojourn status",
            "Current sojourn status (체류자격), e.g. E-9 non-professional employment.",
            required=True, pii=PII.PERSONAL,
        ),
        cf.date(
            "stay_expiry_date", "stay_expiry_date", "체류기간 만료일", "Stay expiry date",
            "Last day of the permitted period of stay.", pii=PII.PERSONAL,
        ),
        cf.address_ref(
            label_ko="체류지", label_en="Address of stay",
            description="The road-name address reported as the place of stay (체류지).",
            required=True, personal=True,
        ),
        cf.date(
            "registered_date", "registered_date", "외국인등록일", "Registration date",
            "Date of foreigner registration.", pii=PII.PERSONAL,
        ),
        *cf.status_fields(
            "foreign_resident_status",
            description="Staying, departed, stay expired or deceased.",
            date_description="Date of departure, expiry, death or the last change of status.",
            pii=PII.PERSONAL,
        ),
        cf.region_code("Si-gun-gu of the address of stay."),
    ),
    relations=(
        cf.address_relation(
            required=True, description="The foreigner's reported place of stay (체류지)."
        ),
    ),
    searches=(
        SearchSpec("name_birth_date", ("name", "birth_date"), SearchKind.EXACT,
                   "Foreign residents with this romanised name and birth date."),
        SearchSpec("by_address", ("address_id",), SearchKind.EXACT,
                   "Foreign residents staying at an address."),
    ),
    linkage=LinkageSpec(
        secondary_keys=(("name", "birth_date", "nationality"),),
        blocking=(("birth_date",), ("name",), ("address_id",), ("nationality", "sex")),
        scope_field="region_code",
    ),
    status_field="status",
)
# fmt: on
