"""Vehicles (자동차): the motor vehicle register.

Source of truth: the Ministry of Land, Infrastructure and Transport's vehicle
register (자동차등록원부), kept by the si-gun-gu registration offices.
Legal basis: 자동차관리법 제5조 (등록), 제7조 (자동차등록원부).

One record per VIN. The plate number is unique among registered vehicles but
is reissued after deregistration and changes on transfer between regions (old
regional plates), so it is a secondary key, not the natural key. The owner is
a resident or a corporation; the place of use (사용본거지) is an address.
Two-wheeled vehicles are reported (사용신고), not registered, and are not here.
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
    name="vehicle",
    label_ko="자동차",
    label_en="Vehicle",
    description="Registered motor vehicles, with plate, make and model, fuel, owner and "
    "place of use.",
    owner=MOLIT,
    legal_basis="자동차관리법 제5조, 제7조",
    cadence=Cadence.DAILY,
    key="vin",
    fields=(
        cf.key("vin", "vin", "차대번호", "VIN", "17-character vehicle identification number.",
               validator="vin"),
        cf.identifier(
            "plate", "plate", "자동차등록번호", "Plate number",
            "Registration plate number, unique among registered vehicles.",
            validator="plate", required=True, unique=True,
        ),
        cf.text("make", "vehicle_make", "제작사", "Make", "Manufacturer (brand).",
                required=True, max_length=60),
        cf.text("model", "vehicle_model", "차명", "Model", "Model name as registered.",
                required=True, max_length=100),
        cf.number("model_year", "model_year", "연식", "Model year", "Model year.",
                  integer=True, required=True, compare=Comparator.EXACT),
        cf.code("fuel", "fuel_type", "사용연료", "Fuel", "Fuel or power source.",
                required=True),
        cf.code("vehicle_type", "vehicle_type", "차종", "Vehicle type",
                "Passenger car, van (승합), truck (화물) or special vehicle.", required=True),
        cf.code("use_kind", "vehicle_use", "용도", "Use",
                "Private (자가용), commercial (영업용) or official (관용) use.", required=True),
        *cf.owner_fields("vehicle", required=True),
        cf.address_ref(
            "use_address_id", label_ko="사용본거지", label_en="Place of use",
            description="Road-name address of the place of use (사용본거지); the owner's "
            "address when the owner is a resident.",
            required=True, personal=True,
        ),
        cf.date("registered_date", "registered_date", "최초등록일", "First registration date",
                "Date the vehicle was first registered.", required=True),
        *cf.status_fields(
            "vehicle_status",
            description="Registered, or deregistered (말소) by scrapping, export or otherwise.",
            date_description="Date of deregistration or the last change of status.",
        ),
        cf.region_code("Si-gun-gu of the place of use (the registration office)."),
    ),
    relations=(
        cf.owner_relation(required=True,
                          description="The registered owner: a resident or a corporation."),
        cf.address_relation("use_address_id", name="place_of_use", required=True,
                            description="The place of use (사용본거지)."),
    ),
    searches=(
        SearchSpec("by_plate", ("plate",), SearchKind.EXACT, "The vehicle with a plate."),
        SearchSpec("by_owner", ("owner_id",), SearchKind.EXACT, "Vehicles of an owner."),
    ),
    linkage=LinkageSpec(
        secondary_keys=(("plate",),),
        blocking=(("plate",), ("owner_id",), ("make", "model", "model_year")),
        scope_field="region_code",
    ),
    status_field="status",
)
# fmt: on
