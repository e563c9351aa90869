"""Demo data for Phase 3: the young carers project explores solutions.

Similar work from two other organisations, a research plan led by the VCS member
lead with two logged sessions (their notes sealed, their themes and quotes
redacted: the demo notes name a made-up resident and a phone number on purpose),
and a workshop with three options, scored by the core team, one chosen. Then
Part 2 (``demo_testing``): a testing workshop and a chart through its final
checks. Safe to run again: nothing is added twice.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from community_insights.portal.solutions import demo_testing, services
from community_insights.portal.solutions.models import ResearchPlan, SimilarWork, SolutionOption

SIMILAR = [
    (
        "Hidden young carers estimate",
        "Another London borough",
        "https://www.example.org/young-carers-estimate",
        "Estimated hidden young carers from census and school data.",
        "Their method of combining census and school data.",
    ),
    (
        "Young carers identification in schools",
        "A national carers charity",
        "",
        "A toolkit schools use to spot young carers.",
        "The questions schools ask; a contact who ran it.",
    ),
]

SESSIONS = [
    (
        40,
        "group",
        5,
        "Five young carers at the youth club. Jamie Clarke said school never asked. His mum's number is 07911 123456.",
        "Nobody at school asks about caring.\nYoung carers do not call themselves carers.",
        "Jamie Clarke said: nobody at school ever asked me\nI just thought I was helping my mum",
    ),
    (
        25,
        "one_to_one",
        1,
        "A parent who cares for her partner; her daughter helps every evening. Asked us not to contact the school.",
        "Families fear that telling the school brings social services.",
        "If I tell them, will they take her away?",
    ),
]

OPTIONS = [
    ("Ward map of hidden young carers", ("visualisations",), "Estimated young carers not known to services, by ward."),
    ("Briefing for head teachers", ("infographic",), "One page: how many pupils may be caring, and what to ask."),
    ("Statistic for a funding bid", ("statistical_claims",), "A county estimate the carers network can quote."),
]


def load(context: Any) -> None:
    project = context.projects.get("young_carers")
    if project is None:
        return
    project.refresh_from_db()
    if not SolutionOption.objects.filter(project=project).exists():
        _explore(context, project)
    demo_testing.load(context, project)


def _explore(context: Any, project: Any) -> None:
    users, facilitator = context.users, context.users["facilitator"]
    for title, organisation, url, notes, reusable in SIMILAR:
        if not SimilarWork.objects.filter(project=project, title=title).exists():
            services.similar_work_add(
                actor=facilitator,
                project=project,
                title=title,
                organisation=organisation,
                url=url,
                notes=notes,
                reusable=reusable,
            )
    _research(project, facilitator, users["carers_lead"])
    _workshop(project, facilitator, users)


def _research(project: Any, facilitator: Any, lead: Any) -> None:
    if ResearchPlan.objects.filter(project=project).exists():
        return
    services.research_plan_save(
        actor=facilitator,
        project=project,
        participants="Young carers aged 11 to 17 at the youth club, and parents who are cared for.",
        how_many=10,
        format="both",
        consent_wording="We will write down what you say without your name. You can stop at any time.",
        questions="Does anyone at school know you help at home?\nWhat would make it easier to tell someone?",
        research_lead=lead,
    )
    for days_ago, kind, count, notes, themes, quotes in SESSIONS:
        session = services.research_session_log(
            actor=lead,
            project=project,
            held_on=date.today() - timedelta(days=days_ago),
            format=kind,
            participant_count=count,
            notes=notes,
            themes=themes,
            quotes=quotes,
        )
        services.consent_record(actor=lead, session=session, given=range(1, count + 1))


def _workshop(project: Any, facilitator: Any, users: dict[str, Any]) -> None:
    options = []
    for title, kinds, action in OPTIONS:
        options.append(
            services.option_add(
                actor=facilitator,
                project=project,
                title=title,
                kinds=kinds,
                action=action,
                audience="Schools, the carers network and the council's young carers service.",
                narrative="Many young carers are not known to any service, and schools can help find them.",
                datasets_used="School census (pupil counts by ward), carers network register, 2021 Census.",
                gaps="No data on carers under 11.",
                caveats="Counts under 10 are hidden, so small wards are merged with their neighbours.",
            )
        )
    services.estimates_save(actor=facilitator, option=options[0], days={"data_visualisation": Decimal(12)})
    for voter, scores in (("carers_lead", (5, 4, 2)), ("analyst", (4, 3, 3)), ("advisory", (5, 5, 2))):
        for option, score in zip(options, scores, strict=True):
            services.option_score(actor=users[voter], option=option, score=score)
    services.option_choose(
        actor=facilitator,
        project=project,
        option=options[0],
        reasons="The highest score; schools and the network both act on a map; the data engineer has the days.",
    )
