"""Indicators guard: person-level rankings and flags are refused for publication."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from community_insights.safety.disclosure import IndicatorRefused, PermittedUse, check_indicator_output
from community_insights.safety.types import to_jsonable

RANKED = pl.DataFrame({"resident_id": ["R1", "R2", "R3"], "risk_score": [0.9, 0.4, 0.2]})
USE = PermittedUse(
    name="Early help case review", approved_by="Information Rights Officer", purpose="triage", human_review=True
)


def test_risk_score_per_resident_is_refused_citing_article_22() -> None:
    with pytest.raises(IndicatorRefused) as refused:
        check_indicator_output(RANKED)
    message = str(refused.value)
    assert "Article 22" in message and "guide" in message and "human" in message
    assert "R1" not in message


def test_top_families_list_is_refused_from_its_description() -> None:
    with pytest.raises(IndicatorRefused):
        check_indicator_output(["family", "address"], description="Top 50 families most at risk")


def test_aggregate_indicators_are_publishable() -> None:
    frame = pl.DataFrame({"ward": ["Abbey", "Bridge"], "age_band": ["65+", "65+"], "share_in_need": [0.12, 0.2]})
    decision = check_indicator_output(frame, description="Which demographics are most likely to need food support")
    assert decision.allowed and decision.audience == "public" and decision.audit is None


def test_named_permitted_use_is_allowed_internally_with_an_audit_record() -> None:
    decision = check_indicator_output(RANKED, permitted_use=USE, actor="analyst@council", description="risk review")
    assert decision.allowed and decision.audience == "internal"
    record = decision.audit
    assert record is not None
    assert record.permitted_use == USE.name and record.actor == "analyst@council" and record.rows == 3
    assert record.columns == ["resident_id", "risk_score"]
    assert "R1" not in str(to_jsonable(record))


def test_permitted_use_without_human_review_or_expired_is_refused() -> None:
    with pytest.raises(IndicatorRefused, match="human"):
        check_indicator_output(RANKED, permitted_use=PermittedUse("Auto triage", "IRO", "triage", human_review=False))
    expired = PermittedUse("Old review", "IRO", "triage", True, expires=dt.date(2020, 1, 1))
    with pytest.raises(IndicatorRefused, match="expired"):
        check_indicator_output(RANKED, permitted_use=expired)
