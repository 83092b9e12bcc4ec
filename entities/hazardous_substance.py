"""Hazardous substances (유해화학물질): substances designated under the Chemicals Control Act.

Source of truth: the Ministry of Environment's designations (notified by the
National Institute of Environmental Research; published in the chemical
information system 화학물질정보시스템).
Legal basis: 화학물질관리법 제2조 (정의) and the designation notices.

One record per CAS registry number. A substance can fall in more than one
class (e.g. toxic and accident-preparedness); ``hazard_class`` holds the
primary one and ``threshold_kg`` is set for accident-preparedness substances.
The 2024 amendment (in force 2025-08-07) replaces 유독물질 with acute,
chronic and ecological hazard classes; both code sets are accepted.
"""

from __future__ import annotations

from entities import common_fields as cf
from entities.agencies import ME
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
    name="hazardous_substance",
    label_ko="유해화학물질",
    label_en="Hazardous substance",
    description="Designated hazardous chemicals with class, UN number and thresholds.",
    owner=ME,
    legal_basis="화학물질관리법 제2조",
    cadence=Cadence.MONTHLY,
    key="cas_no",
    fields=(
        cf.key("cas_no", "cas", "CAS 번호", "CAS number", "CAS registry number.",
               validator="cas"),
        cf.text("name_ko", "substance_name_ko", "국문명", "Korean name",
                "Korean name of the substance.", required=True, max_length=500),
        cf.text("name_en", "substance_name_en", "영문명", "English name",
                "English name of the substance.", required=True, max_length=500),
        cf.text("formula", "chemical_formula", "분자식", "Formula", "Molecular formula.",
                compare=Comparator.EXACT, max_length=100),
        cf.code("hazard_class", "hazard_class", "유해화학물질 구분", "Hazard class",
                "Primary class: toxic, permitted, restricted, prohibited, accident-"
                "preparedness …", required=True),
        cf.text("un_number", "un_number", "UN 번호", "UN number",
                "UN number for transport of dangerous goods.",
                compare=Comparator.EXACT, max_length=4),
        cf.number("threshold_kg", "accident_threshold", "수량기준", "Threshold (kg)",
                  "Handling quantity above which a risk management plan is required."),
        cf.number("content_threshold_pct", "content_threshold", "함량기준",
                  "Content threshold (%)",
                  "Minimum content at which a mixture is managed as this substance."),
        cf.text("notice_no", "notice_no", "고시번호", "Notice number",
                "Number of the designation notice.", max_length=100),
        cf.date("designated_date", "designated_date", "지정일자", "Designated date",
                "Date the designation took effect.", required=True),
        *cf.status_fields(
            "substance_status",
            description="Designated, or delisted (지정해제).",
            date_description="Date of delisting or the last change.",
        ),
    ),
    searches=(
        SearchSpec("by_name_ko", ("name_ko",), SearchKind.TRIGRAM,
                   "Substances by similar Korean name."),
        SearchSpec("by_name_en", ("name_en",), SearchKind.TRIGRAM,
                   "Substances by similar English name."),
        SearchSpec("by_un_number", ("un_number",), SearchKind.EXACT,
                   "Substances with a UN number."),
        SearchSpec("by_hazard_class", ("hazard_class",), SearchKind.EXACT,
                   "Substances of a hazard class."),
    ),
    linkage=LinkageSpec(
        secondary_keys=(("name_en", "formula"),),
        blocking=(("name_ko",), ("name_en",), ("formula",), ("un_number",)),
        scope_field=None,  # a national list
    ),
    status_field="status",
)
# fmt: on
