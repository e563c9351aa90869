"""Demo data for the governance area: the young carers project (Phase 3) and its two data flows.

The council's young carers assessments are uploaded (the data safety check runs in the worker, and
the DPIA drafts itself from it); the carers network's register is listed. The council's flow has a
sharing agreement drafted from the data and signed by the council, waiting for the carers network;
the DPIA is left as a draft for the facilitator to edit and information rights to approve. Every
row of the file is made up here.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from community_insights.portal.datasets import services as data_services
from community_insights.portal.datasets.models import DataSource
from community_insights.portal.governance import selectors, services
from community_insights.portal.governance.models import SharingAgreement

SCHOOLS = ["Castle Primary", "Abbey Academy", "Riverside High", "St Mary's", "Millfield School"]
CARED_FOR = ["Parent with depression", "Sibling with autism", "Parent with multiple sclerosis", "Grandparent"]
ETHNIC_GROUPS = ["White British", "Pakistani", "Black Caribbean", "Polish", "Mixed"]
ARTICLE9 = "Article 9(2)(g) substantial public interest; Data Protection Act 2018, Schedule 1, paragraph 6."


def young_carers_csv(rows: int = 150, seed: int = 11) -> bytes:
    """Made-up young carers assessments: a case number, age, school, ward, ethnicity and who they care for."""
    rng = random.Random(seed)
    out = ["assessment_id,age,school,ward,ethnicity,caring_for,hours_per_week"]
    out += [
        f"YC{5000 + n},{rng.randrange(8, 18)},{rng.choice(SCHOOLS)},Ward {rng.randrange(1, 6)},"
        f"{rng.choice(ETHNIC_GROUPS)},{rng.choice(CARED_FOR)},{rng.randrange(2, 30)}"
        for n in range(rows)
    ]
    return ("\n".join(out) + "\n").encode("utf-8")


# key: name, category, description, owner organisation key, legal basis, days to keep raw files
SOURCES = [
    (
        "Young carers assessments",
        DataSource.Category.INTERNAL_COUNCIL,
        "Assessments of young carers by the council's early help team.",
        "council",
        DataSource.LegalBasis.PUBLIC_TASK,
        365,
    ),
    (
        "Young carers register",
        DataSource.Category.VCS,
        "Young carers supported by the carers network's clubs and holidays.",
        "carers",
        DataSource.LegalBasis.CONSENT,
        270,
    ),
]


def _sources(context: Any, project: Any) -> list[DataSource]:
    result = []
    for name, category, description, owner, basis, days in SOURCES:
        found = DataSource.objects.filter(project=project, name=name).first()
        result.append(
            found
            or data_services.data_source_create(
                actor=context.users["delivery_lead"],
                project=project,
                name=name,
                category=category,
                description=description,
                owner_organisation=context.organisations[owner],
                legal_basis=basis,
                retention_until=dt.date.today() + dt.timedelta(days=days),
            )
        )
    return result


def load(context: Any) -> None:
    project = context.projects.get("young_carers")
    if project is None:
        return
    council = _sources(context, project)[0]
    if not council.datasets.exists():
        data_services.dataset_upload(
            actor=context.users["analyst"],
            source=council,
            title="Young carers assessments, 2025",
            uploaded_file=SimpleUploadedFile("young-carers.csv", young_carers_csv(), "text/csv"),
        )
    if not SharingAgreement.objects.filter(source=council).exists():
        drafted = {k: v for k, v in selectors.agreement_initial(council).items() if k in services.AGREEMENT_FIELDS}
        agreement = services.agreement_save(
            actor=context.users["legal"],
            source=council,
            recipients=[context.organisations["carers"]],
            **{**drafted, "article9_condition": ARTICLE9},
        )
        services.agreement_sign(
            actor=context.users["information_rights"],
            agreement=agreement,
            signer_name="Gareth Lewis",
            job_title="Information rights officer",
        )
    context.log("Governance: the young carers project's data flows, a sharing agreement waiting for one signature.")
