"""Special-category answers (ethnicity, religion, health, sexual orientation, gender).

Why a module of its own: these are the answers of census-style questions (ONS categories and
their common variants), a column is special-category data when most of its answers are in one
of these vocabularies, and the vocabularies are long lists of words, not rules.
"""

from __future__ import annotations

import functools

import polars as pl

from community_insights.safety.detectors.columns import distinct_values, straight_apostrophes
from community_insights.safety.types import PiiType
from community_insights.safety.vocabularies import kind_phrases

# Special-category values (ONS census categories and common variants)
# --------------------------------------------------------------------------

_NEUTRAL = {
    "prefer not to say",
    "not known",
    "unknown",
    "not stated",
    "declined",
    "refused",
    "n/a",
    "na",
    "none given",
    "not recorded",
    "information not yet obtained",
    "other",
    "any other",
    "not specified",
}

ETHNICITY_VALUES = {
    # ONS 2021 census, England and Wales (19 categories) + 2011 wording + short forms.
    "white",
    "white british",
    "white: english, welsh, scottish, northern irish or british",
    "white - english, welsh, scottish, northern irish or british",
    "english, welsh, scottish, northern irish or british",
    "white: irish",
    "white irish",
    "white - irish",
    "irish",
    "white: gypsy or irish traveller",
    "gypsy or irish traveller",
    "white - gypsy or irish traveller",
    "gypsy/roma",
    "roma",
    "white: roma",
    "white other",
    "white: other white",
    "any other white background",
    "other white",
    "white - other",
    "white - any other white background",
    "mixed",
    "mixed: white and black caribbean",
    "white and black caribbean",
    "mixed - white and black caribbean",
    "mixed: white and black african",
    "white and black african",
    "mixed - white and black african",
    "mixed: white and asian",
    "white and asian",
    "mixed - white and asian",
    "mixed: other mixed",
    "any other mixed or multiple ethnic background",
    "any other mixed background",
    "other mixed",
    "mixed other",
    "mixed or multiple ethnic groups",
    "asian",
    "asian or asian british",
    "asian british",
    "asian: indian",
    "indian",
    "asian - indian",
    "asian or asian british: indian",
    "asian: pakistani",
    "pakistani",
    "asian - pakistani",
    "asian or asian british: pakistani",
    "asian: bangladeshi",
    "bangladeshi",
    "asian - bangladeshi",
    "asian or asian british: bangladeshi",
    "asian: chinese",
    "chinese",
    "asian - chinese",
    "asian or asian british: chinese",
    "asian: other asian",
    "any other asian background",
    "other asian",
    "asian other",
    "asian - other",
    "black",
    "black british",
    "black, black british, caribbean or african",
    "black, african, caribbean or black british",
    "black: african",
    "african",
    "black african",
    "black - african",
    "black british: african",
    "black: caribbean",
    "caribbean",
    "black caribbean",
    "black - caribbean",
    "black british: caribbean",
    "black: other black",
    "any other black, black british, or caribbean background",
    "any other black background",
    "other black",
    "black other",
    "other ethnic group",
    "other ethnic group: arab",
    "arab",
    "other: arab",
    "other ethnic group: any other ethnic group",
    "any other ethnic group",
    "white scottish",
    "white welsh",
    "white english",
    "white northern irish",
    "polish",
    "white polish",
    "kurdish",
    "somali",
    "turkish",
    "eastern european",
    "white eastern european",
    "latin american",
    "multiple ethnic groups",
}
RELIGION_VALUES = {
    "no religion",
    "none",
    "christian",
    "christianity",
    "catholic",
    "roman catholic",
    "church of england",
    "anglican",
    "methodist",
    "baptist",
    "church of scotland",
    "presbyterian",
    "orthodox",
    "pentecostal",
    "evangelical",
    "buddhist",
    "buddhism",
    "hindu",
    "hinduism",
    "jewish",
    "judaism",
    "muslim",
    "islam",
    "sikh",
    "sikhism",
    "jain",
    "bahai",
    "baha'i",
    "rastafarian",
    "pagan",
    "humanist",
    "atheist",
    "agnostic",
    "any other religion",
    "other religion",
    "religion: other",
    "spiritual",
    "zoroastrian",
}
HEALTH_VALUES = {
    "diabetes",
    "type 1 diabetes",
    "type 2 diabetes",
    "asthma",
    "copd",
    "depression",
    "anxiety",
    "anxiety and depression",
    "schizophrenia",
    "bipolar disorder",
    "bipolar",
    "psychosis",
    "ptsd",
    "dementia",
    "alzheimer's",
    "alzheimer's disease",
    "cancer",
    "hiv",
    "hiv positive",
    "hepatitis c",
    "epilepsy",
    "multiple sclerosis",
    "ms",
    "parkinson's",
    "parkinson's disease",
    "stroke",
    "heart disease",
    "coronary heart disease",
    "hypertension",
    "high blood pressure",
    "arthritis",
    "osteoarthritis",
    "rheumatoid arthritis",
    "chronic pain",
    "fibromyalgia",
    "autism",
    "autistic",
    "asd",
    "adhd",
    "learning disability",
    "learning difficulty",
    "dyslexia",
    "down syndrome",
    "down's syndrome",
    "cerebral palsy",
    "visual impairment",
    "sight loss",
    "blind",
    "hearing impairment",
    "hearing loss",
    "deaf",
    "mobility impairment",
    "wheelchair user",
    "physical disability",
    "mental health condition",
    "mental health",
    "long covid",
    "kidney disease",
    "chronic kidney disease",
    "sickle cell",
    "sickle cell disease",
    "substance misuse",
    "alcohol dependency",
    "alcohol misuse",
    "drug dependency",
    "eating disorder",
    "ocd",
    "personality disorder",
    "self-harm",
    "pregnant",
    "pregnancy",
    "disabled",
    "disability",
    "no disability",
    "not disabled",
    "long-term condition",
    "long term illness",
    "obesity",
    "cystic fibrosis",
    "motor neurone disease",
    "tuberculosis",
}
SEXUAL_ORIENTATION_VALUES = {
    "heterosexual",
    "heterosexual or straight",
    "heterosexual/straight",
    "straight",
    "straight/heterosexual",
    "gay",
    "lesbian",
    "gay or lesbian",
    "gay/lesbian",
    "gay man",
    "gay woman",
    "gay woman/lesbian",
    "bisexual",
    "bi",
    "pansexual",
    "asexual",
    "queer",
    "other sexual orientation",
    "all other sexual orientations",
    "questioning",
    "lgb+",
}
GENDER_VALUES = {
    "male",
    "female",
    "man",
    "woman",
    "m",
    "f",
    "non-binary",
    "nonbinary",
    "non binary",
    "trans man",
    "trans woman",
    "transgender",
    "genderfluid",
    "gender fluid",
    "agender",
    "boy",
    "girl",
    "other gender",
    "in another way",
    "intersex",
}

# The short forms above, joined by the published classifications shipped as data files
# (safety/data: ONS 2021 and 2011 census answers, NHS ethnic category labels, lay health terms).
SPECIAL_CATEGORY_SETS: dict[PiiType, frozenset[str]] = {
    PiiType.ETHNICITY: frozenset(ETHNICITY_VALUES) | kind_phrases("ethnicity"),
    PiiType.RELIGION: frozenset(RELIGION_VALUES) | kind_phrases("religion"),
    PiiType.HEALTH: frozenset(HEALTH_VALUES) | kind_phrases("health"),
    PiiType.SEXUAL_ORIENTATION: frozenset(SEXUAL_ORIENTATION_VALUES) | kind_phrases("sexual_orientation"),
    PiiType.GENDER: frozenset(GENDER_VALUES) | kind_phrases("gender"),
}


def _canon(expr: pl.Expr) -> pl.Expr:
    return straight_apostrophes(expr.str.to_lowercase()).str.replace_all(r"\s+", " ").str.strip_chars(" .")


def special_category_type(value: str) -> PiiType | None:
    """The special category a single value belongs to (ethnicity, religion …), if any."""

    key = " ".join(value.lower().replace("’", "'").split()).strip(" .")
    for pii, values in SPECIAL_CATEGORY_SETS.items():
        if key in values:
            return pii
    return None


def special_category_values(series: pl.Series) -> dict[PiiType, float]:
    """Share of values belonging to each special-category vocabulary.

    Neutral answers ("Prefer not to say", "Unknown", "Other") are left out of
    the denominator because they appear in every such column; a column holding
    only neutral answers scores nothing. Each cell is compared whole, as
    census-style answers are.
    """

    return distinct_special_category_values(distinct_values(series))


@functools.cache
def vocabulary_series() -> dict[PiiType | None, pl.Series]:
    """Each vocabulary as a Polars series, built once (``None``: the neutral answers)."""

    out: dict[PiiType | None, pl.Series] = {
        pii: pl.Series(sorted(v), dtype=pl.Utf8) for pii, v in SPECIAL_CATEGORY_SETS.items()
    }
    out[None] = pl.Series(sorted(_NEUTRAL), dtype=pl.Utf8)
    return out


def distinct_special_category_values(values: pl.DataFrame) -> dict[PiiType, float]:
    """:func:`special_category_values` for a column already reduced by :func:`distinct_values`."""

    if values.height == 0:
        return {}
    canon = values.select(_canon(pl.col("s")).alias("canon"), "n")
    vocabularies = vocabulary_series()
    informative = canon.filter(~pl.col("canon").is_in(vocabularies[None].implode()))
    n = int(informative.get_column("n").sum())
    if n == 0:
        return {}
    out: dict[PiiType, float] = {}
    hits_of = informative.select(
        pl.col("n").filter(pl.col("canon").is_in(vocabularies[pii].implode())).sum().alias(pii.value)
        for pii in SPECIAL_CATEGORY_SETS
    ).row(0, named=True)
    for pii in SPECIAL_CATEGORY_SETS:
        hits = int(hits_of[pii.value] or 0)
        if hits:
            out[pii] = round(hits / n, 6)
    return out
