"""Final checks before sharing (Phase 3, Part 2, Step 3): run on the real files of a built output version."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from community_insights.portal.core.exceptions import ApplicationError, NotPermitted
from community_insights.portal.core.models import AuditEntry
from community_insights.portal.outputs import services as outputs
from community_insights.portal.outputs.models import OutputFile, OutputVersion
from community_insights.portal.solutions import final_checks, selectors, services
from tests.portal.access import World
from tests.portal.forms import assert_error_summary, post_as
from tests.portal.outputs.conftest import approved_copy, build  # noqa: F401 - fixtures
from tests.portal.solutions.factories import in_phase_three

pytestmark = pytest.mark.django_db

CHART = {"by": ["ward"], "statistic": "count", "chart_kind": "bar", "preset": "ons"}


class _Site(BaseHTTPRequestHandler):
    """A small real web server: /ok answers 200, anything else 404."""

    def do_HEAD(self) -> None:
        self.send_response(200 if self.path == "/ok" else 404)
        self.end_headers()

    do_GET = do_HEAD

    def log_message(self, *args: Any) -> None:
        return


@pytest.fixture
def site() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Site)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def _chart(world: World, copy: Any, build: Any, narrative: str = "Most visits are in Castle.") -> OutputVersion:  # noqa: F811
    in_phase_three(world)
    output = outputs.output_create(
        actor=world.user("data_analyst"), safe_copy=copy, kind="chart", title="Visits by ward"
    )
    return build(actor=world.user("data_analyst"), output=output, settings=CHART, narrative=narrative)


def _approve(world: World, version: OutputVersion) -> OutputVersion:
    outputs.version_sign_off(actor=world.user("information_rights"), version=version, approve=True, comment="Checked")
    return OutputVersion.objects.get(pk=version.pk)


def _run(world: World, version: OutputVersion, capture: Any, persona: str = "data_analyst") -> dict[str, dict]:
    with capture(execute=True):
        run = services.final_checks_run(actor=world.user(persona), version=version)
    run.refresh_from_db()
    assert run.status == run.Status.SUCCEEDED, run.error_message
    return {r["key"]: r for r in run.results}


def _answer_all(world: World, version: OutputVersion, answer: str = "yes") -> None:
    for question in final_checks.QUESTIONS:
        services.final_check_answer(
            actor=world.user("delivery_lead"), version=version, key=question.key, answer=answer, note="Tried it."
        )


def test_a_version_passes_only_once_approved_checked_and_answered(
    world: World,
    approved_copy: Any,  # noqa: F811
    build: Any,  # noqa: F811
    django_capture_on_commit_callbacks: Any,
    mailoutbox: list[Any],
) -> None:
    version = _chart(world, approved_copy, build)
    rows = _run(world, version, django_capture_on_commit_callbacks)
    assert [r["outcome"] for r in rows.values()] == ["pass", "pass", "pass", "pass", "fail"]
    assert "not approved" in rows["sign_off"]["words"] and "have not approved" in rows["sign_off"]["words"]
    assert "PDF" in rows["renders"]["words"] and "refuse anyone not signed in" in rows["security"]["words"]
    assert not selectors.final_checks_passed(version)
    assert "something to fix" in mailoutbox[-1].subject

    version = _approve(world, version)
    rows = _run(world, version, django_capture_on_commit_callbacks)
    assert all(r["outcome"] == "pass" for r in rows.values()), rows
    assert "Approved by Information Rights" in rows["sign_off"]["words"]
    assert not selectors.final_checks_passed(version)  # a person has not answered yet

    _answer_all(world, version)
    assert selectors.final_checks_passed(version)
    services.final_check_answer(
        actor=world.user("facilitator"), version=version, key="protected_where_shared", answer="no", note="It opened."
    )
    assert not selectors.final_checks_passed(version)  # the newest answer counts

    actions = set(AuditEntry.objects.filter(project_id=world.project.pk).values_list("action", flat=True))
    assert {"solutions.final_checks_run", "solutions.final_checks_done", "solutions.final_check_answer"} <= actions
    done = AuditEntry.objects.filter(action="solutions.final_checks_done").latest("pk")
    assert done.changes["passed"] is True and done.changes["links"] == "pass"


def test_a_link_that_does_not_open_fails_and_a_working_one_passes(
    world: World,
    approved_copy: Any,  # noqa: F811
    build: Any,  # noqa: F811
    django_capture_on_commit_callbacks: Any,
    site: str,
) -> None:
    broken = _chart(world, approved_copy, build, narrative=f"Method: {site}/ok and {site}/gone")
    rows = _run(world, broken, django_capture_on_commit_callbacks)
    assert rows["links"]["outcome"] == "fail"
    assert f"{site}/gone (answered 404)" in rows["links"]["words"] and "1 of 2" in rows["links"]["words"]
    fixed = build(
        actor=world.user("data_analyst"), output=broken.output, settings=CHART, narrative=f"Method: {site}/ok"
    )
    rows = _run(world, fixed, django_capture_on_commit_callbacks)
    assert rows["links"] == {**rows["links"], "outcome": "pass", "words": "All 1 links open."}
    assert final_checks.link_problem("/no/such/portal/page/") == "not a page of the portal"
    assert final_checks.link_problem(reverse("solutions:final_checks", args=["any"])) == ""


def test_personal_data_in_the_words_fails_without_repeating_it(
    world: World,
    approved_copy: Any,  # noqa: F811
    build: Any,  # noqa: F811
    django_capture_on_commit_callbacks: Any,
) -> None:
    version = _chart(world, approved_copy, build, narrative="Call Jane on 07911 123456 or jane.doe@example.org.")
    rows = _run(world, version, django_capture_on_commit_callbacks)
    assert rows["personal_data"]["outcome"] == "fail"
    words = rows["personal_data"]["words"]
    assert "07911" not in words and "jane" not in words.lower()


def test_a_file_that_does_not_open_or_is_not_sealed_fails(
    world: World,
    approved_copy: Any,  # noqa: F811
    build: Any,  # noqa: F811
    django_capture_on_commit_callbacks: Any,
) -> None:
    from community_insights.portal.datasets.encryption import seal_bytes

    version = _chart(world, approved_copy, build)
    OutputFile.objects.filter(version=version, format="pdf").update(sealed=seal_bytes(b"not a pdf"))
    OutputFile.objects.filter(version=version, format="csv").update(sealed=b"ward,count\nCastle,48\n")
    OutputVersion.objects.filter(pk=version.pk).update(alt_text="")
    version.refresh_from_db()
    rows = _run(world, version, django_capture_on_commit_callbacks)
    assert rows["renders"]["outcome"] == "fail"
    assert "The PDF does not open" in rows["renders"]["words"]
    assert "no alternative text" in rows["renders"]["words"]
    assert rows["security"]["outcome"] == "fail"
    assert "The stored CSV is not sealed; the stored PDF has changed since it was built" in rows["security"]["words"]


def test_who_may_run_and_answer(world: World, approved_copy: Any, build: Any) -> None:  # noqa: F811
    version = _chart(world, approved_copy, build)
    with pytest.raises(NotPermitted):
        services.final_checks_run(actor=world.user("advisory_panel"), version=version)
    with pytest.raises(NotPermitted):
        services.final_check_answer(
            actor=world.user("advisory_panel"), version=version, key="behaves_where_shared", answer="yes", note="x"
        )
    with pytest.raises(ApplicationError, match="what you tried"):
        services.final_check_answer(
            actor=world.user("facilitator"), version=version, key="behaves_where_shared", answer="yes", note=" "
        )


def test_the_pages_show_each_check_and_ready_to_share(
    world: World,
    approved_copy: Any,  # noqa: F811
    build: Any,  # noqa: F811
    django_capture_on_commit_callbacks: Any,
) -> None:
    version = _approve(world, _chart(world, approved_copy, build))
    client = Client()
    client.force_login(world.user("data_analyst"))
    detail = reverse("solutions:final_check_detail", args=[world.project.slug, version.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("solutions:final_checks_run", args=[world.project.slug, version.pk]))
    assert response.status_code == 302 and response["Location"] == detail
    _answer_all(world, version)
    page = client.get(detail).content.decode()
    assert "Ready to share" in page and "Does the link open?" in page and "Tried it." in page
    listing = client.get(reverse("solutions:final_checks", args=[world.project.slug])).content.decode()
    assert "Visits by ward, version 1" in listing and "Ready to share" in listing
    assert AuditEntry.objects.filter(action="solutions.final_checks_view", project_id=world.project.pk).exists()


def test_an_answer_without_a_note_gets_an_error_summary(world: World, approved_copy: Any, build: Any) -> None:  # noqa: F811
    version = _chart(world, approved_copy, build)
    url = reverse("solutions:final_check_answer", args=[world.project.slug, version.pk, "behaves_where_shared"])
    response = post_as(world, "facilitator", url, {"answer": "yes", "note": ""})
    assert_error_summary(response, "Say what you tried and what happened", "id_note")
    response = post_as(world, "facilitator", url, {"note": "x"})
    assert_error_summary(response, "Answer yes or no", "id_answer")


def test_phase_four_waits_for_every_approved_output_to_pass(
    world: World,
    approved_copy: Any,  # noqa: F811
    build: Any,  # noqa: F811
    django_capture_on_commit_callbacks: Any,
) -> None:
    from community_insights.portal.projects import services as projects

    lead = world.user("delivery_lead")
    version = _chart(world, approved_copy, build)
    with pytest.raises(ApplicationError, match="No output has been approved"):
        projects.project_advance_phase(actor=lead, project=world.project, confirm_incomplete=True)
    version = _approve(world, version)
    with pytest.raises(ApplicationError, match="“Visits by ward”"):
        projects.project_advance_phase(actor=lead, project=world.project, confirm_incomplete=True)
    client = Client()
    client.force_login(lead)
    page = client.get(reverse("projects:phase_advance", args=[world.project.slug])).content.decode()
    assert "cannot move on yet" in page and "have not passed their final checks" in page
    steps = lambda: [s.status for _, part in selectors.phase_steps(world.project) for s in part]  # noqa: E731
    assert steps()[4] == "done" and steps()[-1] == "todo"  # the output is approved; its final checks are not run
    _run(world, version, django_capture_on_commit_callbacks)
    assert steps()[-1] == "started"
    _answer_all(world, version)
    assert steps()[-1] == "done"
    project = projects.project_advance_phase(actor=lead, project=world.project, confirm_incomplete=True)
    assert project.phase == 4
