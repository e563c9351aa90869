"""The programme's figures: every count through the engine's disclosure control, hidden below the threshold."""

from __future__ import annotations

import pytest

from community_insights.safety.disclosure import figure_text, protect_figures


def test_a_count_below_the_threshold_is_hidden_and_one_at_it_is_shown() -> None:
    figures = protect_figures({"small": 9, "at": 10, "none": 0, "one": 1})
    assert figure_text(figures["small"]) == "[c]"
    assert figure_text(figures["one"]) == "[c]"
    assert figure_text(figures["at"]) == "10"
    assert figure_text(figures["none"]) == "0"


def test_the_programme_threshold_applies() -> None:
    assert figure_text(protect_figures({"x": 12}, threshold=20)["x"]) == "[c]"


def test_a_negative_count_is_refused() -> None:
    with pytest.raises(ValueError, match="cannot be negative"):
        protect_figures({"x": -1})
