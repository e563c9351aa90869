"""Demo projects, one in each of the guide's four phases, built through the services.

Going through the services (not bare inserts) gives the demo a believable
audit log: who started each project, who joined the team, who ticked what.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from community_insights.portal.programme.current import using
from community_insights.portal.projects import gates, services
from community_insights.portal.projects import phases as phase_data
from community_insights.portal.projects.models import Project

# key: title, question, summary, lead organisation key, phase, public, selected,
#      team [(person key, role, days)], how many items of the current phase are ticked
PROJECTS: dict[str, dict[str, Any]] = {
    "warm_spaces": {
        "title": "Warm spaces this winter",
        "question": (
            "Which neighbourhoods need a warm space most, and are the existing ones where people can reach them?"
        ),
        "summary": "Starting up: gathering the core team and telling organisations about office hours.",
        "lead": "age_well",
        "phase": 1,
        "public": False,
        "selected": False,
        "team": [
            ("delivery_lead", "delivery_lead", 16),
            ("facilitator", "facilitator", 20),
            ("age_well_lead", "vcs_member_lead", 6),
        ],
        "ticked_in_current": 2,
    },
    "food_insecurity": {
        "title": "Food insecurity among working families",
        "question": "Where are working families struggling to afford food, and who is not reaching support?",
        "summary": "Refining the question with food banks and advice services, and scoping the data.",
        "lead": "food",
        "phase": 2,
        "public": False,
        "selected": False,
        "team": [
            ("delivery_lead", "delivery_lead", 18),
            ("facilitator", "facilitator", 22),
            ("analyst", "data_analyst", 8),
            ("food_lead", "vcs_member_lead", 7),
            ("housing_lead", "vcs_member_lead", 5),
            ("information_rights", "information_rights", None),
        ],
        "ticked_in_current": 4,
    },
    "young_carers": {
        "title": "Young carers not known to services",
        "question": "How many young carers in Northmoor are not known to any service, and where are they?",
        "summary": "Selected by the core team. Exploring solutions with schools, carers' services and data analysts.",
        "lead": "carers",
        "phase": 3,
        "public": True,
        "selected": True,
        "team": [
            ("delivery_lead", "delivery_lead", 15),
            ("facilitator", "facilitator", 30),
            ("analyst", "data_analyst", 10),
            ("analyst_2", "data_analyst", 6),
            ("carers_lead", "vcs_member_lead", 9),
            ("communities", "communities_representative", 4),
            ("advisory", "advisory_panel", 3),
            ("information_rights", "information_rights", None),
            ("legal", "contracts_legal", None),
        ],
        "ticked_in_current": 3,
    },
    "digital_exclusion": {
        "title": "Older residents and digital exclusion",
        "question": "Which older residents are most likely to be cut off as services move online?",
        "summary": "Insights shared with partners; reflecting on what worked and updating the guide.",
        "lead": "age_well",
        "phase": 4,
        "public": True,
        "selected": True,
        "team": [
            ("delivery_lead", "delivery_lead", 17),
            ("facilitator", "facilitator", 24),
            ("analyst_2", "data_analyst", 12),
            ("age_well_lead", "vcs_member_lead", 8),
            ("information_rights", "information_rights", None),
        ],
        "ticked_in_current": 1,
    },
}


#: The second demo programme's one project, so switching shows something of its own; it has shared what it
#: found (``sharing.demo``), so the UK-wide hub shows both programmes.
SECOND_PROGRAMME_PROJECT: dict[str, Any] = {
    "title": "Carers' breaks in Riverdale",
    "question": "Which unpaid carers in Riverdale never get a break, and which services could reach them?",
    "summary": "Shared what it found with Riverside Carers Network, who also work with Northmoor.",
    "lead": "carers",
    "creator": "programme_manager",
    "phase": 4,
    "public": True,
    "selected": True,
    "team": [
        ("riverdale_lead", "delivery_lead", 15),
        ("facilitator", "facilitator", 20),
        ("riverdale_analyst", "data_analyst", 10),
        ("carers_lead", "vcs_member_lead", 12),
        ("riverdale_rights", "information_rights", None),
    ],
    "ticked_in_current": 1,
}


def load(context: Any) -> None:
    staff = context.staff
    for key, spec in PROJECTS.items():
        project = Project.objects.filter(title=spec["title"]).first()
        if project is None:
            project = _build(context, staff, spec)
        context.projects[key] = project
    second = context.extra.get("second_programme")
    if second is not None:
        with using(second):
            project = Project.objects.filter(title=SECOND_PROGRAMME_PROJECT["title"]).first()
            context.projects["riverdale_carers"] = project or _build(context, staff, SECOND_PROGRAMME_PROJECT)


def _build(context: Any, staff: Any, spec: dict[str, Any]) -> Project:
    creator = spec.get("creator", "delivery_lead")
    lead_user = context.users[creator]
    # The first of the team is the person who starts the project, unless staff start it for them.
    first_is_creator = spec["team"][0][0] == creator
    project = services.project_create(
        actor=lead_user,
        title=spec["title"],
        question=spec["question"],
        summary=spec["summary"],
        lead_organisation=context.organisations[spec["lead"]],
        creator_role=spec["team"][0][1] if first_is_creator else None,
        creator_days=Decimal(spec["team"][0][2]) if first_is_creator else None,
    )
    for person, role, days in spec["team"][1:] if first_is_creator else spec["team"]:
        services.project_role_assign(
            actor=lead_user,
            project=project,
            user=context.users[person],
            role=role,
            planned_days=Decimal(days) if days is not None else None,
        )
    tickers = [context.users["facilitator"], lead_user]
    for number in range(1, spec["phase"] + 1):
        items = phase_data.phase(number).items
        if number == spec["phase"]:
            items = items[: spec["ticked_in_current"]]
        for i, item in enumerate(items):
            services.checklist_item_tick(actor=tickers[i % 2], project=project, item_key=item.key)
        if number < spec["phase"] and gates.reasons_to_stay(project):
            # A demo project past Phase 3 shared its insights before the portal kept its outputs, so
            # nothing of it is here to pass the final checks: the demo sets its phase as an administrator would.
            Project.objects.filter(pk=project.pk).update(phase=number + 1)
            project.refresh_from_db()
        elif number < spec["phase"]:
            project = services.project_advance_phase(actor=lead_user, project=project)
    if spec["public"] or spec["selected"]:
        project = services.project_update(
            actor=staff,
            project=project,
            title=project.title,
            question=project.question,
            summary=project.summary,
            lead_organisation=project.lead_organisation,
            is_public=spec["public"],
            is_selected=spec["selected"],
        )
    return project
