"""Driver licences (운전면허): the driver licence register.

Source of truth: the Korean National Police Agency's driver licence records
(licences are granted by the provincial police agencies; the Road Traffic
Authority 도로교통공단 runs tests and issues cards under delegation).
Legal basis: 도로교통법 제80조 (운전면허), 제82조 (운전면허의 결격사유),
제87조 (운전면허증의 갱신과 정기 적성검사).

One record per driver licence number. A person holds one licence number and
every class they pass is added to it; this register keeps the principal
(highest) class in ``licence_kind``. ``expiry_date`` is the end of the current
renewal or aptitude-test period (10 years; 5 years from age 65, 3 from 75).
National technical qualifications (``qualification_no``) are a separate
register, not modelled here.
"""

from __future__ import annotations

from entities import common_fields as cf
from entities.agencies import KNPA
from entities.spec import (
    PII,
    Cadence,
    Comparator,
    DatasetSpec,
    LinkageSpec,
    RelationSpec,
    SearchKind,
    SearchSpec,
)

MINIMUM_AGE: dict[str, int] = {
    "class1_large": 19,
    "class1_ordinary": 18,
    "class1_small": 18,
    "class1_special_large_tractor": 19,
    "class1_special_small_tractor": 19,
    "class1_special_wrecker": 19,
    "class2_ordinary": 18,
    "class2_small": 18,
    "class2_moped": 16,
    "learner_class1_ordinary": 18,
    "learner_class2_ordinary": 18,
}
"""Minimum age in full years to be granted each licence kind (도로교통법 제82조 제1항).

Class 1 large and special licences also need one year of driving experience
(제82조 제1항 제6호), which the integrity rule does not check.
"""

# Laid out by hand for reading (one field per call): keep the formatter out.
# fmt: off
SPEC = DatasetSpec(
    name="licence",
    label_ko="운전면허",
    label_en="Driver licence",
    description="Driver licences with holder, class, validity period and status.",
    owner=KNPA,
    legal_basis="도로교통법 제80조, 제82조, 제87조",
    cadence=Cadence.DAILY,
    key="licence_no",
    fields=(
        cf.key("licence_no", "driver_licence_no", "운전면허번호", "Licence number",
               "12-digit driver licence number.",
               validator="driver_licence_no", pii=PII.UNIQUE_IDENTIFIER),
        cf.identifier(
            "holder_rrn", "rrn", "소지자 주민등록번호", "Holder RRN",
            "Resident registration number of the licence holder.",
            validator="rrn", required=True, pii=PII.UNIQUE_IDENTIFIER,
        ),
        cf.text("holder_name", "person_name", "성명", "Holder name",
                "Name of the holder as on the licence.",
                required=True, pii=PII.PERSONAL, compare=Comparator.NAME, max_length=100),
        cf.date("holder_birth_date", "birth_date", "생년월일", "Holder birth date",
                "Holder's date of birth.", required=True, pii=PII.PERSONAL),
        cf.code("licence_kind", "licence_kind", "면허 종별", "Licence kind",
                "Principal licence class, e.g. 제1종 보통, 제2종 보통.",
                required=True, pii=PII.PERSONAL),
        cf.flag("automatic_only", "automatic_only", "자동변속기 한정", "Automatic only",
                "Whether the licence is restricted to automatic transmission.",
                pii=PII.PERSONAL),
        cf.date("issued_date", "issued_date", "면허일자", "Issued date",
                "Date the licence was first granted.", required=True, pii=PII.PERSONAL),
        cf.date("expiry_date", "expiry_date", "갱신기간 만료일", "Expiry date",
                "Last day of the renewal or aptitude-test period.",
                required=True, pii=PII.PERSONAL),
        *cf.status_fields(
            "licence_status",
            description="Valid, suspended (정지), revoked (취소) or lapsed (실효).",
            date_description="Date of suspension, revocation, lapse or the last change.",
            pii=PII.PERSONAL,
        ),
    ),
    relations=(
        RelationSpec("holder", "holder_rrn", {"": "resident"}, required=True,
                     description="The resident who holds the licence."),
    ),
    searches=(
        SearchSpec("by_holder", ("holder_rrn",), SearchKind.EXACT,
                   "The licence of a resident."),
    ),
    linkage=LinkageSpec(
        secondary_keys=(("holder_rrn",),),
        blocking=(("holder_rrn",), ("holder_name", "holder_birth_date"),
                  ("holder_birth_date",)),
        scope_field=None,  # licences are national; agencies are not scoped by region
    ),
    status_field="status",
)
# fmt: on
