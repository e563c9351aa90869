"""Demo data for the datasets area: an inventory in each of the guide's categories, and one upload.

The food insecurity project (Phase 2, Part 1, scoping its data) lists a source of each
kind; the council's referrals export is uploaded by the analyst, so the demo
shows the data safety check running in the background worker. The uploaded
file is made up here, row by row: no real person is in it.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from community_insights.portal.datasets import services
from community_insights.portal.datasets.models import DataSource

SOURCES: list[dict[str, Any]] = [
    {
        "name": "Welfare assistance referrals",
        "category": DataSource.Category.INTERNAL_COUNCIL,
        "owner": "council",
        "description": "Referrals to the council's local welfare assistance scheme, exported from the case system.",
        "legal_basis": DataSource.LegalBasis.PUBLIC_TASK,
        "retention_days": 365,
        "upload": True,
    },
    {
        "name": "Food partnership visit log",
        "category": DataSource.Category.VCS,
        "owner": "food",
        "description": "Visits to food banks and pantries, recorded by volunteers at each session.",
        "legal_basis": DataSource.LegalBasis.LEGITIMATE_INTERESTS,
        "retention_days": 270,
    },
    {
        "name": "Advice line call sheet",
        "category": DataSource.Category.SHADOW_IT,
        "owner": "food",
        "description": "A shared spreadsheet where advice line volunteers note each call.",
        "legal_basis": DataSource.LegalBasis.TO_BE_AGREED,
    },
    {
        "name": "English Indices of Deprivation 2019",
        "category": DataSource.Category.OPEN_PUBLIC,
        "owner": "council",
        "description": "Published by government for every small area (LSOA); no personal data.",
        "legal_basis": DataSource.LegalBasis.NOT_PERSONAL,
    },
    {
        "name": "Two-week survey at community meals",
        "category": DataSource.Category.NEW_COLLECTION,
        "owner": "food",
        "description": "Count how often people mention the cost of food at community meals over two weeks.",
        "legal_basis": DataSource.LegalBasis.CONSENT,
    },
]

FIRST = ["Ayesha", "Siobhan", "Kwame", "Gareth", "Priya", "Tomasz", "Mei", "Oluwaseun", "Dafydd", "Fatima"]
LAST = ["Begum", "O'Neill", "Mensah", "Llewellyn", "Sharma", "Nowak", "Chen", "Adeyemi", "Evans", "Khan"]
WARDS = ["Castle", "Abbey", "Riverside", "Northgate", "Millfield"]
ETHNICITY = ["White British", "Bangladeshi", "Black African", "Polish", "Indian", "Irish", "Chinese", "Pakistani"]


def messy_referrals_csv(rows: int = 240, seed: int = 7) -> bytes:
    """A made-up referrals export with the usual problems: names, NHS numbers, notes that mention people."""
    rng = random.Random(seed)
    lines = ["case_ref,client_name,dob,postcode,nhs_no,tel,ward,ethnicity,household_size,referral_date,notes"]
    for i in range(rows):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        dob = dt.date(1940, 1, 1) + dt.timedelta(days=rng.randrange(0, 29_000))
        nhs = _nhs_number(rng)
        letters = "ABDEFGHJLNPQRSTUWXYZ"
        postcode = f"NM{rng.randrange(1, 9)} {rng.randrange(1, 9)}{rng.choice(letters)}{rng.choice(letters)}"
        tel = f"07{rng.randrange(100, 999)} {rng.randrange(100000, 999999)}"
        helper = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        note = f"Spoke to {first} about the food bank voucher; {helper} from the school called too."
        referral = dt.date(2025, 4, 1) + dt.timedelta(days=rng.randrange(0, 90))
        lines.append(
            f"WA{20000 + i},{first} {last},{dob:%d/%m/%Y},{postcode},{nhs},{tel},{rng.choice(WARDS)},"
            f'{rng.choice(ETHNICITY)},{rng.randrange(1, 7)},{referral:%d/%m/%Y},"{note}"'
        )
    return ("\n".join(lines) + "\n").encode("utf-8")


def _nhs_number(rng: random.Random) -> str:
    while True:
        digits = [rng.randrange(10) for _ in range(9)]
        check = 11 - sum(d * w for d, w in zip(digits, range(10, 1, -1), strict=True)) % 11
        if check == 11:
            check = 0
        if check != 10:
            return "".join(map(str, digits)) + str(check)


def load(context: Any) -> None:
    project = context.projects.get("food_insecurity")
    if project is None:
        return
    editor = context.users["delivery_lead"]
    analyst = context.users["analyst"]
    today = dt.date.today()
    for spec in SOURCES:
        source = DataSource.objects.filter(project=project, name=spec["name"]).first()
        if source is None:
            days = spec.get("retention_days")
            source = services.data_source_create(
                actor=editor,
                project=project,
                name=spec["name"],
                category=spec["category"],
                description=spec["description"],
                owner_organisation=context.organisations[spec["owner"]],
                legal_basis=spec["legal_basis"],
                retention_until=today + dt.timedelta(days=days) if days else None,
            )
        if spec.get("upload") and not source.datasets.exists():
            services.dataset_upload(
                actor=analyst,
                source=source,
                title="Welfare referrals, April to June",
                uploaded_file=SimpleUploadedFile("welfare-referrals.csv", messy_referrals_csv(), "text/csv"),
            )
    context.log("Datasets: an inventory for the food insecurity project and one upload queued for checking.")
