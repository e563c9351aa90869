"""Who may open each URL of the Phase 3 area (format: tests/portal/access.py).

The project's team reads the phase; the core team adds and scores; the facilitator
and delivery lead plan research and choose. Raw research notes open only for the
plan's research lead (here the data analyst) and the information rights expert.
"""

from __future__ import annotations

from typing import Any

from tests.portal.access import CORE_ROLES, LOGIN, MEMBERS, Case, expect
from tests.portal.outputs.url_access import _version
from tests.portal.solutions.factories import in_phase_three, make_option, make_plan, make_session

CORE = {role: 200 for role in CORE_ROLES}
CORE_POST = {role: 302 for role in CORE_ROLES}
CONTRIBUTE = expect(LOGIN, default=403, outsider=404, staff=200, **CORE)
RUN = expect(LOGIN, default=403, outsider=404, staff=200, facilitator=200, delivery_lead=200)
LOG = expect(LOGIN, default=403, outsider=404, staff=200, facilitator=200, delivery_lead=200, data_analyst=200)
RAW_NOTES = expect(LOGIN, default=403, outsider=404, data_analyst=200, information_rights=200)
SCORE = expect(LOGIN, default=403, outsider=404, **CORE)
#: Final checks: outputs are the team's alone until shared (staff outside the team get 404, as in outputs).
CHECKERS = ("facilitator", "delivery_lead", "data_analyst", "information_rights")
TEAM_ONLY = expect(LOGIN, outsider=404, staff=404)
RUN_CHECKS = expect(LOGIN, default=403, outsider=404, staff=404, **dict.fromkeys(CHECKERS, 200))
TESTING_RUN = expect(LOGIN, default=403, outsider=404, staff=404, facilitator=200, delivery_lead=200)
FEEDBACK = expect(LOGIN, default=403, outsider=404, staff=404, **CORE)
ACKNOWLEDGE = expect(LOGIN, default=403, outsider=404, staff=404, information_rights=200)
RUN_CHECKS_POST = expect(LOGIN, default=403, outsider=404, staff=404, **dict.fromkeys(CHECKERS, 302))


def _project(w: Any) -> dict[str, Any]:
    return {"slug": in_phase_three(w).slug}


def _planned(w: Any) -> dict[str, Any]:
    return {"slug": make_plan(w).project.slug}


def _session(w: Any) -> dict[str, Any]:
    return {"slug": w.project.slug, "pk": make_session(w).pk}


def _checked(w: Any) -> dict[str, Any]:
    return {"slug": in_phase_three(w).slug, "version_id": _version(w).pk}


def _similar(w: Any) -> dict[str, Any]:
    from tests.portal.solutions.test_changes import _work

    return {"slug": w.project.slug, "pk": _work(w).pk}


def _sketched(w: Any) -> dict[str, Any]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from community_insights.portal.solutions import services
    from tests.portal.solutions.test_sketches import picture

    option = make_option(w)
    image = SimpleUploadedFile("sketch.png", picture("PNG"))
    services.sketch_save(actor=w.user("vcs_member_lead"), option=option, image=image, alt_text="A sketch.")
    return {"slug": w.project.slug, "pk": option.pk}


def _workshop(w: Any) -> dict[str, Any]:
    from tests.portal.solutions.test_testing import make_workshop

    return {"slug": w.project.slug, "pk": make_workshop(w).pk}


def _feedback(w: Any, used_differently: bool = False) -> dict[str, Any]:
    from community_insights.portal.solutions import services
    from tests.portal.solutions.test_testing import make_workshop

    workshop = make_workshop(w)
    item = services.feedback_record(
        actor=w.user("facilitator"), workshop=workshop, version=workshop.versions.get(), kind="substantive",
        text="Add averages.", used_differently=used_differently,
    )  # fmt: skip
    return {"slug": w.project.slug, "pk": item.pk}


def _option(w: Any) -> dict[str, Any]:
    return {"slug": w.project.slug, "pk": make_option(w).pk}


CASES = [
    Case("solutions:overview", kwargs=_project, expect=MEMBERS),
    Case("solutions:similar_work", kwargs=_project, expect=MEMBERS),
    Case("solutions:similar_work_add", kwargs=_project, expect=CONTRIBUTE),
    Case(
        "solutions:similar_work_add",
        kwargs=_project,
        method="post",
        data=lambda w: {"title": "Food index", "organisation": "Another borough"},
        expect=expect(LOGIN, default=403, outsider=404, staff=302, **CORE_POST),
        note="add",
    ),
    Case("solutions:research", kwargs=_project, expect=MEMBERS),
    Case("solutions:research_plan", kwargs=_project, expect=RUN),
    Case("solutions:session_add", kwargs=_planned, expect=LOG),
    Case("solutions:session_notes", kwargs=_session, expect=RAW_NOTES),
    Case("solutions:consent", kwargs=_session, expect=LOG),
    Case("solutions:options", kwargs=_project, expect=MEMBERS),
    Case("solutions:option_add", kwargs=_project, expect=CONTRIBUTE),
    Case("solutions:option_choose", kwargs=lambda w: {"slug": make_option(w).project.slug}, expect=RUN),
    Case("solutions:option_detail", kwargs=_option, expect=MEMBERS),
    Case("solutions:option_estimates", kwargs=_option, expect=CONTRIBUTE),
    Case("solutions:option_score", kwargs=_option, expect=SCORE),
    Case("solutions:final_checks", kwargs=_project, expect=TEAM_ONLY),
    Case("solutions:final_check_detail", kwargs=_checked, expect=TEAM_ONLY),
    Case("solutions:final_checks_run", kwargs=_checked, method="post", expect=RUN_CHECKS_POST),
    Case(
        "solutions:final_check_answer",
        kwargs=lambda w: {**_checked(w), "key": "behaves_where_shared"},
        expect=RUN_CHECKS,
    ),
    Case("solutions:option_sketch", kwargs=_option, expect=CONTRIBUTE),
    Case("solutions:option_edit", kwargs=_option, expect=CONTRIBUTE),
    Case("solutions:option_remove", kwargs=_option, expect=CONTRIBUTE),
    Case("solutions:similar_work_edit", kwargs=_similar, expect=CONTRIBUTE),
    Case("solutions:similar_work_remove", kwargs=_similar, expect=CONTRIBUTE),
    Case("solutions:session_remove", kwargs=_session, expect=LOG),
    Case("solutions:option_sketch_image", kwargs=_sketched, expect=MEMBERS),
    Case("solutions:testing", kwargs=_project, expect=TEAM_ONLY),
    Case("solutions:workshop_add", kwargs=_project, expect=TESTING_RUN),
    Case("solutions:workshop_detail", kwargs=_workshop, expect=TEAM_ONLY),
    Case("solutions:feedback_add", kwargs=_workshop, expect=FEEDBACK),
    Case("solutions:feedback_close", kwargs=_feedback, expect=RUN_CHECKS),
    Case("solutions:feedback_acknowledge", kwargs=lambda w: _feedback(w, True), expect=ACKNOWLEDGE),
]
