"""Special-category spans in notes (health, religion, ethnicity, sexual orientation).

The sentences here are written for these tests in the style of housing and
social-care case notes; none comes from the external evaluation set, so a
rule that passes them was not fitted to it.
"""

from __future__ import annotations

import pytest

from community_insights.safety.text.phrases import PhraseIndex, tokens
from community_insights.safety.text.special import find_special_spans, special_spans


def found(text: str) -> list[tuple[str, str]]:
    return [(text[s:e], t.value) for s, e, t in special_spans(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Tenant is a wheelchair user; low mood and depression since the fire.",
            [("wheelchair user", "HEALTH"), ("depression", "HEALTH")],
        ),
        ("Son has autism and ADHD, awaiting CAMHS.", [("autism", "HEALTH"), ("ADHD", "HEALTH")]),
        ("Mr Khan was diagnosed with MS in 2016.", [("MS", "HEALTH")]),
        (
            "She had a stroke in March and is now registered blind.",
            [("had a stroke", "HEALTH"), ("registered blind", "HEALTH")],
        ),
        ("Practising Sikh, attends the gurdwara on Sundays.", [("Sikh", "RELIGION")]),
        ("Family are Muslim; asked for a female officer.", [("Muslim", "RELIGION")]),
        ("Ethnicity recorded as White: Gypsy or Irish Traveller.", [("White: Gypsy or Irish Traveller", "ETHNICITY")]),
        ("A Somali family of six in a two-bed flat.", [("Somali", "ETHNICITY")]),
        ("Describes herself as Black British.", [("Black British", "ETHNICITY")]),
        ("He told me he is gay and his family do not know.", [("gay", "SEXUAL_ORIENTATION")]),
        ("Identifies as bisexual.", [("bisexual", "SEXUAL_ORIENTATION")]),
        ("Client identifies as straight.", [("straight", "SEXUAL_ORIENTATION")]),
    ],
)
def test_special_categories_are_found(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Went straight to the housing office after the call.",
        "Bought a Polish loaf and some Pakistani sweets at the market.",
        "The Irish Sea crossing was cancelled.",
        "Referred to Macmillan Cancer Support and Christian Aid for a grant.",
        "Christian Okafor called back about the repairs.",
        "MS BEGUM ATTENDED WITH HER SON",
        "Notice of termination of tenancy served.",
        "What a stroke of luck that the boiler was fixed.",
        "Window blind broken in the back bedroom.",
        "Referred to the mental health team for an assessment.",
        "History of rent arrears since 2021.",
        "The flat suffers from damp and mould.",
    ],
)
def test_everyday_senses_are_not_special_category_data(text: str) -> None:
    assert found(text) == []


def test_a_condition_named_after_a_clinical_cue_counts_even_when_no_list_has_it() -> None:
    assert found("Past medical history of gallstones.") == [("gallstones", "HEALTH")]
    assert found("Being treated for shingles at the moment") == [("shingles", "HEALTH")]


def test_the_answer_to_a_question_or_label_about_conditions_counts() -> None:
    assert found("Any long-term health conditions? Yes - coeliac disease") == [("coeliac disease", "HEALTH")]
    assert found("Disabilities: dyspraxia") == [("dyspraxia", "HEALTH")]
    assert found("Property condition: fair") == []


def test_the_batch_gate_gives_the_same_answers_as_one_note_at_a_time() -> None:
    notes = ["No issues today.", "Has asthma and uses an inhaler.", "", "Jewish, keeps kosher."]
    assert find_special_spans(notes) == [special_spans(n) for n in notes]
    assert find_special_spans([]) == []


def test_phrases_match_across_the_punctuation_of_census_answers_but_not_across_sentences() -> None:
    index = PhraseIndex([("White: Irish", "E"), ("Asian British", "E")])
    assert [m.label for m in index.find(tokens("white - irish"))] == ["E"]
    assert [m.label for m in index.find(tokens("WHITE IRISH"))] == ["E"]
    assert index.find(tokens("The walls are white. Irish neighbours helped.")) == []
    assert index.find(tokens("Asian Britishness")) == []
