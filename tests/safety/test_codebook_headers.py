"""Health columns under codebook abbreviations, and HIV exposure categories, from sources the sets never used.

The third external set (statsmodels' RAND Health Insurance Experiment:
``physlm``, ``disea``, ``hlthg``, ``hlthf``, ``hlthp``) and the second
(``MASS::Aids2``'s ``T.categ``) revealed these gaps. The rules are tested here
with the headers and categories of OTHER published codebooks, named in each
test, over values made up here (no row of any dataset is copied):

* the CDC's Behavioral Risk Factor Surveillance System codebook (public
  domain): ``GENHLTH``, ``PHYSHLTH``, ``MENTHLTH``, ``POORHLTH``;
* AHRQ's Medical Expenditure Panel Survey codebooks (public domain):
  ``ACTLIM31``, ``WLKLIM31``, ``COGLIM31``, ``SOCLIM31``, ``ANYLMT17``;
* NHS Digital's Health Survey for England documentation (OGL): ``genhelf``,
  ``limitill``, ``longill``;
* R datasets other than the sets' tables: ``AER::DoctorVisits``
  (``nchronic``, ``lchronic``), ``Ecdat::OFP`` (``numchron``),
  ``Ecdat::DoctorAUS`` (``chcond``), ``wooldridge::beauty`` (``goodhlth``),
  ``wooldridge::wagepan`` (``poorhlth``), ``plm::LaborSupply`` (``disab``),
  ``openintro::gss2010`` (``mntlhlth``);
* HIV exposure categories as the CDC's HIV Surveillance Report and the UK
  Health Security Agency's HIV tables publish them.

What must not change comes from the same places: the other columns of those
tables (``DAAG::codling``'s ``numcm``, the GSS's ``childs``, MEPS's
``INSCOV``) and everyday headers.
"""

from __future__ import annotations

import random

import polars as pl
import pytest

from community_insights.safety.classify import classify_column
from community_insights.safety.column_rules import special_header
from community_insights.safety.header_abbreviations import health_abbreviation
from community_insights.safety.types import ColumnKind, PiiType

R = random.Random(1984)
N = 400
HEALTH = (ColumnKind.SPECIAL_CATEGORY, [PiiType.HEALTH])


def classify(name: str, values: list[str]) -> tuple[ColumnKind, list[PiiType]]:
    finding = classify_column(name, pl.Series(name, values))
    return finding.kind, finding.pii_types


def codes(*choices: str) -> list[str]:
    return [R.choice(choices) for _ in range(N)]


@pytest.mark.parametrize(
    ("header", "values"),
    [
        ("GENHLTH", ("1", "2", "3", "4", "5", "7", "9")),  # BRFSS: general health, excellent … poor
        ("ACTLIM31", ("1", "2", "-1", "-8")),  # MEPS: limitation in activities (1 yes, 2 no)
        ("WLKLIM31", ("1", "2", "-1")),  # MEPS: limitation in walking
        ("COGLIM31", ("1", "2", "-1")),  # MEPS: cognitive limitation
        ("SOCLIM31", ("1", "2", "-1")),  # MEPS: social limitation
        ("ANYLMT17", ("1", "2", "-1", "-8")),  # MEPS: any limitation
        ("genhelf", ("1", "2", "3", "4", "5")),  # HSE: self-assessed general health
        ("limitill", ("1", "2", "3")),  # HSE: limiting longstanding illness
        ("longill", ("1", "2")),  # HSE: longstanding illness
        ("nchronic", ("yes", "no")),  # AER::DoctorVisits: chronic condition, not limiting
        ("lchronic", ("yes", "no")),  # AER::DoctorVisits: chronic condition, limiting activity
        ("chcond", ("np", "la", "nla")),  # Ecdat::DoctorAUS: chronic condition
        ("goodhlth", ("0", "1")),  # wooldridge::beauty: good health
        ("poorhlth", ("0", "1")),  # wooldridge::wagepan: poor health
        ("disab", ("0", "1")),  # plm::LaborSupply: disabled
    ],
)
def test_coded_columns_under_codebook_abbreviations_are_health(header: str, values: tuple[str, ...]) -> None:
    assert classify(header, codes(*values)) == HEALTH


@pytest.mark.parametrize(
    ("header", "word"),
    [
        ("PHYSHLTH", "health"),  # BRFSS: days physical health not good
        ("MENTHLTH", "health"),  # BRFSS: days mental health not good
        ("POORHLTH", "health"),  # BRFSS: days poor health kept from usual activities
        ("mntlhlth", "health"),  # openintro::gss2010 (GSS): days of poor mental health
        ("numchron", "chronic"),  # Ecdat::OFP: number of chronic conditions
        ("WLKLIM31", "limitation"),
    ],
)
def test_the_header_names_health_through_its_abbreviation(header: str, word: str) -> None:
    assert special_header(header) is PiiType.HEALTH
    assert health_abbreviation(header.lower()) == word


def test_a_count_of_chronic_conditions_is_health_however_many_values_it_takes() -> None:
    # Ecdat::OFP's numchron (Deb and Trivedi's NMES extract), over counts wider than a handful of codes.
    counts = [str(R.randint(0, 20)) for _ in range(N)]
    assert classify("numchron", counts) == HEALTH
    # A number of visits is not a count of conditions: the same header rule does not reach it.
    assert classify("ofnp", counts)[0] is ColumnKind.OTHER


@pytest.mark.parametrize(
    "header",
    [
        "numcm",  # DAAG::codling: number of codling moths ("num" + "cm" is not "comorbidity")
        "childs",  # GSS: number of children
        "INSCOV",  # MEPS: insurance coverage
        "idp",  # an individual deductible plan
        "dist",  # distance
        "cond",  # a cut this short says nothing alone
        "selfemp",
        "hs",  # high school
        "surge",  # an English word is never an abbreviation (surgery)
        "film",
    ],
)
def test_zero_one_flags_under_unrelated_short_headers_stay_other(header: str) -> None:
    assert special_header(header) is None
    assert classify(header, codes("0", "1"))[0] is ColumnKind.OTHER


def test_unrelated_counts_stay_other() -> None:
    moths = [str(R.randint(0, 1500)) for _ in range(N)]
    assert classify("numcm", moths)[0] is ColumnKind.OTHER


def test_cdc_transmission_categories_are_health_and_sexual_orientation() -> None:
    # CDC HIV Surveillance Report, "transmission category" (adults and adolescents).
    cdc = codes(
        "Male-to-male sexual contact",
        "Injection drug use",
        "Male-to-male sexual contact and injection drug use",
        "Heterosexual contact",
        "Perinatal",
        "Other",
    )
    assert classify("transmission_category", cdc) == (
        ColumnKind.SPECIAL_CATEGORY,
        [PiiType.HEALTH, PiiType.SEXUAL_ORIENTATION],
    )
    # The short forms the same reports and research tables use, under a header that says nothing.
    short = codes("MSM", "IDU", "MSM/IDU", "Het", "Perinatal", "Other")
    assert classify("grp", short)[0] is ColumnKind.SPECIAL_CATEGORY


def test_ukhsa_exposure_categories_are_health() -> None:
    # UK Health Security Agency HIV tables, "probable route of exposure"; without sex between men it is health only.
    ukhsa = codes(
        "Heterosexual contact", "Injecting drug use", "Mother-to-child", "Blood/tissue products", "Other/not known"
    )
    assert classify("exposure", ukhsa) == HEALTH


def test_everyday_words_of_the_exposure_list_alone_are_not_exposure_categories() -> None:
    assert classify("relation", codes("mother", "other", "blood", "unknown"))[0] is ColumnKind.OTHER
    # A column of sexual orientations is sexual orientation, not a route of HIV exposure.
    orientation = codes("Heterosexual", "Bisexual", "Gay or Lesbian", "Other")
    assert classify("orientation", orientation) == (ColumnKind.SPECIAL_CATEGORY, [PiiType.SEXUAL_ORIENTATION])
