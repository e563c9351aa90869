"""Demo organisations and people: two councils, four VCS organisations, an independent facilitator.

Northmoor's council and most people work in the first programme; Riverdale's
council and its three people work only in the second (``programme.demo``).
"""

from __future__ import annotations

from typing import Any

from community_insights.portal.people.models import Organisation, User

ORGANISATIONS = {
    "council": ("Northmoor Borough Council", Organisation.Kind.COUNCIL, "The local authority for Northmoor."),
    "food": ("Northmoor Food Partnership", Organisation.Kind.VCS, "Food banks, pantries and community meals."),
    "age_well": ("Age Well Northmoor", Organisation.Kind.VCS, "Support and friendship for older residents."),
    "carers": ("Riverside Carers Network", Organisation.Kind.VCS, "Support for unpaid carers, including young carers."),
    "housing": ("Northmoor Housing Advice Centre", Organisation.Kind.VCS, "Free advice on housing and money."),
    "partner": ("Open Data Co-operative", Organisation.Kind.PARTNER, "Independent facilitation and data skills."),
    "riverdale_council": ("Riverdale Borough Council", Organisation.Kind.COUNCIL, "The local authority for Riverdale."),
}

# key: (full name, organisation key, job title, email local part, staff)
PEOPLE = {
    "programme_manager": ("Helen Okafor", "council", "Community Insights programme manager", "helen.okafor", True),
    "delivery_lead": ("Priya Shah", "council", "Service improvement lead", "priya.shah", False),
    "analyst": ("Tom Brennan", "council", "Senior data analyst", "tom.brennan", False),
    "analyst_2": ("Aisha Rahman", "council", "Data scientist", "aisha.rahman", False),
    "information_rights": ("Gareth Lewis", "council", "Information rights officer", "gareth.lewis", False),
    "communities": ("Nadia Kowalski", "council", "Community partnerships officer", "nadia.kowalski", False),
    "legal": ("Ruth Adeyemi", "council", "Information governance lawyer", "ruth.adeyemi", False),
    "facilitator": ("Sam Whitfield", "partner", "Facilitator", "sam.whitfield", False),
    "food_lead": ("Grace Mensah", "food", "Partnership coordinator", "grace.mensah", False),
    "age_well_lead": ("Colin Frost", "age_well", "Chief officer", "colin.frost", False),
    "carers_lead": ("Fatima Begum", "carers", "Young carers worker", "fatima.begum", False),
    "housing_lead": ("Declan Murphy", "housing", "Advice services manager", "declan.murphy", False),
    "advisory": ("Joanne Price", "carers", "Family support worker", "joanne.price", False),
    # Riverdale's own people (the second programme only).
    "riverdale_lead": ("Owen Hughes", "riverdale_council", "Carers' services manager", "owen.hughes", False),
    "riverdale_analyst": ("Mei Chen", "riverdale_council", "Data analyst", "mei.chen", False),
    "riverdale_rights": ("Kofi Asante", "riverdale_council", "Information rights officer", "kofi.asante", False),
}

DOMAINS = {
    "council": "northmoor-council.example",
    "food": "northmoorfood.example",
    "age_well": "agewellnorthmoor.example",
    "carers": "riversidecarers.example",
    "housing": "northmoorhousing.example",
    "partner": "opendatacoop.example",
    "riverdale_council": "riverdale-council.example",
}


def load(context: Any) -> None:
    for key, (name, kind, description) in ORGANISATIONS.items():
        org, _ = Organisation.objects.get_or_create(name=name, defaults={"kind": kind, "description": description})
        context.organisations[key] = org
    for key, (full_name, org_key, job_title, local, staff) in PEOPLE.items():
        email = f"{local}@{DOMAINS[org_key]}"
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(
                email=email,
                password=context.password,
                full_name=full_name,
                job_title=job_title,
                organisation=context.organisations[org_key],
                is_staff=staff,
            )
        context.users[key] = user
