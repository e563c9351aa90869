"""The portal answers its public pages with GOV.UK Frontend markup in the council's branding."""

import pytest
from django.test import Client


@pytest.mark.django_db
def test_landing_page_is_public_and_branded(client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-template" in html
    assert "govuk-service-navigation" in html
    assert "Ways of working" in html
    assert "Purpose around a common goal" in html
    assert "govuk-header__logotype-crown" not in html


@pytest.mark.django_db
def test_health_answers(client: Client) -> None:
    assert client.get("/health/").json() == {"status": "ok"}
