"""What every page and email shares: the content security policy, sign-out, times and plain-text emails."""

from __future__ import annotations

import re
from datetime import datetime, time

import pytest
from django.core import mail
from django.test import Client

from community_insights.portal.core.notifications import Message, notify
from community_insights.portal.core.templatetags.insights_text import clock
from community_insights.portal.people.models import User
from tests.portal.access import World
from tests.wording import email_slips, empty_headings, text_slips

pytestmark = pytest.mark.django_db


def _nonce(response: object) -> str:
    header = response["Content-Security-Policy"]  # type: ignore[index]
    match = re.search(r"script-src [^;]*'nonce-([A-Za-z0-9+/=]+)'", header)
    assert match, header
    assert "'nonce'" not in header, "the literal 'nonce' blocks every inline script"
    return match.group(1)


def test_every_page_gets_a_fresh_nonce_that_its_inline_scripts_and_styles_carry(client: Client) -> None:
    first, second = client.get("/"), client.get("/")
    nonce = _nonce(first)
    assert nonce != _nonce(second)
    html = first.content.decode()
    inline = re.findall(r"<(script|style)(?![^>]*\bsrc=)([^>]*)>", html)
    assert inline, "the page has its inline script and style"
    for tag, attributes in inline:
        assert f'nonce="{nonce}"' in attributes, f"an inline <{tag}> without the page's nonce"
    assert f"style-src 'self' 'nonce-{nonce}'" in first["Content-Security-Policy"]


def test_sign_out_is_on_every_page_for_someone_signed_in(world: World, client_for) -> None:  # type: ignore[no-untyped-def]
    html = client_for("vcs_member_lead").get("/projects/").content.decode()
    assert re.search(r'<form method="post" action="/accounts/logout/"[^>]*>.*?Sign out</button>', html, re.S)
    assert "Sign out" not in Client().get("/").content.decode()


def test_a_new_user_with_no_project_is_told_what_to_do_next(world: World) -> None:
    newcomer = User.objects.create_user("new@vcs.example", "a-long-passphrase", organisation=world.organisations["vcs"])
    client = Client()
    client.force_login(newcomer)
    html = client.get("/projects/").content.decode()
    assert 'href="/ideas/new/">Put forward an idea</a>' in html
    assert 'href="/ideas/office-hours/"' in html


@pytest.mark.parametrize(
    ("value", "expected"),
    [(time(10, 0), "10am"), (time(18, 24), "6:24pm"), (time(12, 0), "midday"), (time(0, 0), "midnight"),
     (time(0, 5), "12:05am"), (datetime(2026, 3, 2, 9, 30), "9:30am"), (None, "")],
)  # fmt: skip
def test_times_are_written_in_the_house_style(value: time | datetime | None, expected: str) -> None:
    assert clock(value) == expected


def test_each_person_gets_their_own_email_with_plain_text_unescaped(
    world: World, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    people = ["a@example.org", "b@example.org", "a@example.org", ""]
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            Message(
                to=people,
                subject="Role on Scouts & Youth Club",
                template="projects/email/role_assigned",
                context={"name": "Ann", "role": "Facilitator", "project_title": "Northmoor Scouts & Youth Club"},
            )
        )
    assert [m.to for m in mail.outbox] == [["a@example.org"], ["b@example.org"]]
    assert '"Northmoor Scouts & Youth Club"' in mail.outbox[0].body
    assert "&amp;" not in mail.outbox[0].body


def test_the_wording_checks_catch_each_class_of_slip() -> None:
    assert email_slips("Booked", "Northmoor Scouts &amp; Youth Club")
    assert email_slips("Booked", "It starts at 10:00 a.m..")
    assert text_slips("Reminder sent 6 Dec, 6:24a.m..")
    assert text_slips("Add a Advisory panel member") and text_slips("add a information rights expert")
    assert text_slips("Choose one\n---------\nFacilitator")
    assert empty_headings('<main><h1 class="govuk-heading-l"> </h1></main>') == ["empty <h1>"]
    assert not text_slips("a user, a one-off, an Advisory panel member, at 10am. Wait...")
    assert not email_slips("Scouts & Youth Club", "Northmoor Scouts & Youth Club at 10am.", "<h1>Hello</h1>")


def test_a_data_source_form_has_no_dashes_for_an_empty_choice(world: World) -> None:
    from community_insights.portal.datasets.forms import DataSourceForm

    html = str(DataSourceForm())
    assert "---------" not in html and "Choose an organisation" in html
