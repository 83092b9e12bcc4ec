"""The agencies that own (are the source of truth for) the national master datasets.

Codes are short upper-case ASCII and are used everywhere an agency is named:
dataset owners, API keys (``mdr keys create --agency CODE``), reconciliation
runs (``mdr reconcile ... --agency CODE``) and scorecards.

Driver licences are modelled as owned by the Korean National Police Agency
(도로교통법 제80조: 시·도경찰청장 grants the licence; the Road Traffic Authority
runs the tests under delegation). HRDK, which keeps the national technical
qualifications (국가기술자격법), is listed so a qualifications dataset can be
added later; it owns no dataset today.
"""

from __future__ import annotations

from entities.spec import Agency

MOIS = Agency("MOIS", "행정안전부", "Ministry of the Interior and Safety")
MOJ = Agency("MOJ", "법무부", "Ministry of Justice")
MOLIT = Agency("MOLIT", "국토교통부", "Ministry of Land, Infrastructure and Transport")
SCOURT = Agency(
    "SCOURT", "법원행정처(대법원 등기)", "National Court Administration (Supreme Court registry)"
)
NTS = Agency("NTS", "국세청", "National Tax Service")
MOEL = Agency("MOEL", "고용노동부", "Ministry of Employment and Labor")
KNPA = Agency("KNPA", "경찰청", "Korean National Police Agency")
HRDK = Agency("HRDK", "한국산업인력공단", "Human Resources Development Service of Korea")
PPS = Agency("PPS", "조달청", "Public Procurement Service")
MFDS = Agency("MFDS", "식품의약품안전처", "Ministry of Food and Drug Safety")
ME = Agency("ME", "환경부", "Ministry of Environment")
MAFRA = Agency("MAFRA", "농림축산식품부", "Ministry of Agriculture, Food and Rural Affairs")

AGENCIES: dict[str, Agency] = {
    agency.code: agency
    for agency in (MOIS, MOJ, MOLIT, SCOURT, NTS, MOEL, KNPA, HRDK, PPS, MFDS, ME, MAFRA)
}
"""Every owning agency by code."""
