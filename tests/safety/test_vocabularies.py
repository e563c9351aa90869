"""The shipped vocabularies: each says its source and licence, and reads the way the rules expect."""

from __future__ import annotations

import pytest

from community_insights.safety import vocabularies as v


def test_every_shipped_file_says_its_source_and_licence() -> None:
    for vocab in v.vocabularies():
        assert vocab.source and vocab.licence and vocab.title, vocab.name
        assert vocab.entries, vocab.name


def test_a_file_without_a_licence_is_refused() -> None:
    text = "# title: Streets\n# kind: thoroughfare\n# source: somewhere\nRoad\n"
    with pytest.raises(ValueError, match="does not say its licence"):
        v._parse("streets", text)


def test_an_unknown_vocabulary_is_named_in_one_sentence() -> None:
    with pytest.raises(KeyError, match="There is no vocabulary called 'streets'"):
        v.vocabulary("streets")


def test_census_2021_labels_are_there_as_published() -> None:
    ethnic = v.vocabulary("ethnic_group_ons")
    assert "Black, Black British, Caribbean or African: African" in ethnic
    assert "Asian, Asian British or Asian Welsh: Bangladeshi" in ethnic
    assert "white: english, welsh, scottish, northern irish or british" in ethnic
    assert "No religion" in v.vocabulary("religion_ons")
    assert "Straight or Heterosexual" in v.vocabulary("sexual_orientation_ons")
    assert "Trans woman" in v.vocabulary("gender_identity_ons")
    assert "Disabled under the Equality Act: Day-to-day activities limited a lot" in v.vocabulary("disability_ons")


def test_comparison_ignores_case_accents_apostrophes_and_spacing() -> None:
    assert v.canonical("  Ynys   Môn. ") == "ynys mon"
    assert "GUY’S AND ST THOMAS’" in v.vocabulary("organisations_nhs")
    assert "ynys mon" in v.vocabulary("uk_places")


def test_a_coded_list_matches_its_labels_not_its_bare_codes() -> None:
    nhs = v.vocabulary("ethnic_category_nhs")
    assert nhs.coded
    assert "White - British" in nhs
    assert "A" not in nhs  # a column of letters is not ethnicity on its own
    assert nhs.codes["h"] == "Asian or Asian British - Indian"


def test_welsh_street_words_are_marked_as_coming_before_the_name() -> None:
    streets = v.vocabulary("thoroughfares")
    assert {"heol", "ffordd", "stryd", "lon"} <= streets.tagged("welsh")
    assert {"approach", "parade", "row", "walk"} <= streets.phrases
    assert "road" not in streets.tagged("welsh")


def test_kind_phrases_join_every_list_of_a_kind() -> None:
    orgs = v.kind_phrases("organisation")
    assert {"marks & spencer", "macmillan cancer support", "guy's and st thomas'"} <= orgs
    places = v.kind_phrases("place")
    assert {"derby", "chelsea", "tower hamlets", "somalia"} <= places
    assert "wheelchair user" in v.kind_phrases("health")
