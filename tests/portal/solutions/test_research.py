"""Qualitative research: residents' words never sit in the clear; raw notes only for the lead and information rights."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from community_insights.portal.core.exceptions import ApplicationError, NotPermitted
from community_insights.portal.core.models import AuditEntry
from community_insights.portal.solutions import services
from community_insights.portal.solutions.models import ParticipantConsent, ResearchSession
from community_insights.safety import PiiType, find_spans
from tests.portal.solutions.factories import in_phase_three, make_plan, make_session

NAME, PHONE, CONDITION = "Mary Jones", "07911 123456", "diabetes"
NOTES = f"{NAME} rang from {PHONE}. She has {CONDITION} and cannot afford the bus to the food bank."
THEMES = f"Transport: {NAME} ({PHONE}) said the bus fare is the barrier; {NAME} also has {CONDITION}."
QUOTES = f"{NAME} told us: call me on {PHONE} any time\nThe bus is the problem, not the food."
ENGINE_FINDS_HEALTH = any(s.type is PiiType.HEALTH for s in find_spans([f"She has {CONDITION}."], column="probe"))


def _database_text() -> str:
    """Every value of every table, as text (bytes decoded leniently): what a stolen database holds in the clear."""
    pieces: list[str] = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')  # table names come from the database itself
            for row in cursor.fetchall():
                for value in row:
                    if isinstance(value, bytes | memoryview):
                        pieces.append(bytes(value).decode("utf-8", "replace"))
                    elif value is not None:
                        pieces.append(str(value))
    return "\n".join(pieces)


def _secrets(with_health: bool) -> list[str]:
    found = [NAME, "Jones", PHONE, PHONE.replace(" ", ""), "123456"]
    return [*found, CONDITION] if with_health else found


def _page(world: Any, persona: str, url: str) -> Any:
    client = Client()
    client.force_login(world.user(persona))
    return client.get(url)


@pytest.mark.django_db
def test_a_note_keeps_no_name_or_phone_in_the_clear_in_the_database_or_the_page(world) -> None:
    session = make_session(world, notes=NOTES, themes=THEMES, quotes=QUOTES)
    session.refresh_from_db()
    assert "[NAME]" in session.themes and "[PHONE]" in session.themes
    assert session.quote_list == [
        "[NAME] told us: call me on [PHONE] any time",
        "The bus is the problem, not the food.",
    ]
    assert session.redactions == 5 + ENGINE_FINDS_HEALTH  # the condition in the themes, once the engine finds it
    stored = _database_text()
    for secret in _secrets(with_health=False):
        assert secret not in stored, f"{secret!r} is stored in the clear"
    html = _page(world, "vcs_member_lead", reverse("solutions:research", args=[world.project.slug])).content.decode()
    assert "[NAME] told us" in html
    for secret in _secrets(with_health=False):
        assert secret not in html
    assert reverse("solutions:session_notes", args=[world.project.slug, session.pk]) not in html


@pytest.mark.skipif(not ENGINE_FINDS_HEALTH, reason="the engine's free-text finder has no HEALTH spans yet")
@pytest.mark.django_db
def test_a_health_condition_is_not_stored_in_the_clear_either(world) -> None:
    make_session(world, notes=NOTES, themes=THEMES, quotes=QUOTES)
    stored = _database_text()
    for secret in _secrets(with_health=True):
        assert secret not in stored


@pytest.mark.django_db
def test_raw_notes_open_only_for_the_research_lead_and_information_rights_and_each_opening_is_audited(world) -> None:
    session = make_session(world, notes=NOTES)
    url = reverse("solutions:session_notes", args=[world.project.slug, session.pk])
    for persona in ("data_analyst", "information_rights"):
        response = _page(world, persona, url)
        assert response.status_code == 200 and NAME in response.content.decode()
        assert response["Cache-Control"] == "no-store"
    for persona in ("facilitator", "delivery_lead", "staff", "vcs_member_lead"):
        assert _page(world, persona, url).status_code == 403
    opened = AuditEntry.objects.filter(action="solutions.research_notes_open")
    assert sorted(e.actor.email for e in opened) == ["data.analyst@example.org", "information.rights@example.org"]
    assert all(NAME not in str(e.changes) + e.target_label for e in AuditEntry.objects.all())
    with pytest.raises(NotPermitted):
        services.research_notes_open(actor=world.user("facilitator"), session=session)


@pytest.mark.django_db
def test_changing_the_research_lead_moves_who_reads_the_notes(world) -> None:
    session = make_session(world, notes=NOTES)
    make_plan(world, lead="subject_matter_expert")
    assert services.research_notes_open(actor=world.user("subject_matter_expert"), session=session) == NOTES
    with pytest.raises(NotPermitted):
        services.research_notes_open(actor=world.user("data_analyst"), session=session)


@pytest.mark.django_db
def test_consent_is_recorded_per_participant_by_number_and_audited_as_counts(world) -> None:
    session = make_session(world, participant_count=3)
    services.consent_record(actor=world.user("data_analyst"), session=session, given=[1, 3])
    assert [(c.number, c.given) for c in ParticipantConsent.objects.filter(session=session)] == [
        (1, True),
        (2, False),
        (3, True),
    ]
    entry = AuditEntry.objects.filter(action="solutions.consent_record").get()
    assert entry.changes == {"given": 2, "not_given": 1}
    services.consent_record(actor=world.user("data_analyst"), session=session, given=[2])
    assert list(ParticipantConsent.objects.filter(given=True).values_list("number", flat=True)) == [2]
    with pytest.raises(ApplicationError, match="participants of this session"):
        services.consent_record(actor=world.user("data_analyst"), session=session, given=[4])
    html = _page(world, "vcs_member_lead", reverse("solutions:research", args=[world.project.slug])).content.decode()
    assert "participant 2 agreed" in html and "participant 1 did not agree" in html


@pytest.mark.django_db
def test_sessions_need_a_plan_a_past_date_and_the_right_people(world) -> None:
    in_phase_three(world)
    args = {"held_on": date(2026, 3, 2), "format": "group", "participant_count": 2, "notes": "n", "themes": "t"}
    with pytest.raises(ApplicationError, match="Write the research plan"):
        services.research_session_log(actor=world.user("facilitator"), project=world.project, **args)
    make_plan(world)
    with pytest.raises(NotPermitted):
        services.research_session_log(actor=world.user("vcs_member_lead"), project=world.project, **args)
    with pytest.raises(ApplicationError, match="today or in the past"):
        services.research_session_log(
            actor=world.user("data_analyst"), project=world.project, **(args | {"held_on": date.today() + timedelta(1)})
        )
    entry_count = AuditEntry.objects.filter(action="solutions.research_session_log").count()
    session = services.research_session_log(actor=world.user("data_analyst"), project=world.project, **args)
    assert AuditEntry.objects.filter(action="solutions.research_session_log").count() == entry_count + 1
    assert AuditEntry.objects.get(action="solutions.research_session_log").changes == {
        "participants": 2,
        "redactions": session.redactions,
    }


@pytest.mark.django_db
def test_the_plan_needs_a_lead_from_the_team_and_is_audited(world) -> None:
    in_phase_three(world)
    plan_args = {
        "participants": "Parents",
        "how_many": 6,
        "format": "one_to_one",
        "consent_wording": "We keep no names.",
        "questions": "What helps?",
    }
    with pytest.raises(ApplicationError, match="must be on the project's team"):
        services.research_plan_save(
            actor=world.user("facilitator"), project=world.project, research_lead=world.user("outsider"), **plan_args
        )
    with pytest.raises(NotPermitted):
        services.research_plan_save(actor=world.user("data_analyst"), project=world.project, **plan_args)
    plan = services.research_plan_save(actor=world.user("delivery_lead"), project=world.project, **plan_args)
    assert plan.research_lead is None and plan.get_format_display() == "1-1 interviews"
    entry = AuditEntry.objects.get(action="solutions.research_plan_save")
    assert entry.changes == {"created": True, "how_many": 6, "format": "one_to_one", "lead": None}


@pytest.mark.django_db
def test_notes_that_cannot_be_opened_get_one_sentence_and_no_audit_entry(world) -> None:
    session = make_session(world, notes=NOTES)
    ResearchSession.objects.filter(pk=session.pk).update(notes_sealed=bytes(session.notes_sealed)[:-3])
    response = _page(world, "data_analyst", reverse("solutions:session_notes", args=[world.project.slug, session.pk]))
    html = response.content.decode()
    assert response.status_code == 200 and "<title>Error: " in html
    assert "These notes cannot be opened: they were sealed with another key, or changed since." in html
    assert not AuditEntry.objects.filter(action="solutions.research_notes_open").exists()
