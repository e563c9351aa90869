"""Value-level detectors for UK personal data.

Two faces, one set of rules:

* scalar functions (``is_nhs_number``, ``normalise_postcode`` …) for a single
  value — used by the free-text span finder, the remedies and the tests;
* vectorised functions over a Polars ``Series`` of strings (``value_matches``,
  ``person_name_share``, ``special_category_values``) used to classify whole
  columns. They run as Polars expressions over the column's *distinct*
  values, each weighted by how often it occurs (``distinct_values``; most
  columns repeat heavily), and a cheap gate per shape keeps the costlier
  patterns off the values that cannot match. Any checksum (NHS modulus 11,
  UPN check letter, Luhn) then runs on the distinct candidates only: the
  checksum is what separates a real NHS number from any ten digits.

Why the rules are UK-specific: general tools such as Presidio have no Royal
Mail postcode rule, switch NI numbers off by default and confuse NHS numbers
with phone numbers. The rules here follow the published formats: NHS Digital's
modulus 11, HMRC's National Insurance number prefixes, Royal Mail's postcode
format, Ofcom's numbering plan (through ``phonenumbers``), DfE's unique pupil
number check letter and DVLA's registration format.

The rules live in one module per kind of rule (``identifiers``, ``phones``, ``dates``,
``columns``, ``vocabularies``); this package is their front, so a caller imports
``community_insights.safety.detectors`` and never needs to know where a rule lives.
"""

from __future__ import annotations

import contextlib

from community_insights.safety.detectors.columns import (
    PHONE_VALIDATION_SAMPLE,
    distinct_person_name_share,
    distinct_value_matches,
    distinct_values,
    name_series,
    non_empty_strings,
    person_name_share,
    value_matches,
    written_phone_share,
)
from community_insights.safety.detectors.dates import MONTHS, dates_of, parse_uk_date, parse_uk_dates
from community_insights.safety.detectors.identifiers import (
    EMAIL_PATTERN,
    IPV4_PATTERN,
    NI_NOT_ALLOWED_PREFIXES,
    POSTCODE_PATTERN,
    VEHICLE_PATTERN,
    ascii_digits,
    is_bank_account,
    is_email,
    is_ip_address,
    is_nhs_number,
    is_ni_number,
    is_passport_number,
    is_payment_card,
    is_postcode,
    is_sort_code,
    is_upn,
    is_vehicle_registration,
    luhn_valid,
    nhs_check_digit,
    normalise_ni_number,
    normalise_postcode,
    postcode_district,
    postcode_sector,
    upn_check_letter,
)
from community_insights.safety.detectors.phones import is_uk_phone, normalise_phone, phone_shaped, prepare_phone_rules
from community_insights.safety.detectors.vocabularies import (
    ETHNICITY_VALUES,
    GENDER_VALUES,
    HEALTH_VALUES,
    RELIGION_VALUES,
    SEXUAL_ORIENTATION_VALUES,
    SPECIAL_CATEGORY_SETS,
    distinct_special_category_values,
    special_category_type,
    special_category_values,
    vocabulary_series,
)

__all__ = [
    "EMAIL_PATTERN",
    "ETHNICITY_VALUES",
    "GENDER_VALUES",
    "HEALTH_VALUES",
    "IPV4_PATTERN",
    "MONTHS",
    "NI_NOT_ALLOWED_PREFIXES",
    "PHONE_VALIDATION_SAMPLE",
    "POSTCODE_PATTERN",
    "RELIGION_VALUES",
    "SEXUAL_ORIENTATION_VALUES",
    "SPECIAL_CATEGORY_SETS",
    "VEHICLE_PATTERN",
    "ascii_digits",
    "dates_of",
    "distinct_person_name_share",
    "distinct_special_category_values",
    "distinct_value_matches",
    "distinct_values",
    "is_bank_account",
    "is_email",
    "is_ip_address",
    "is_nhs_number",
    "is_ni_number",
    "is_passport_number",
    "is_payment_card",
    "is_postcode",
    "is_sort_code",
    "is_uk_phone",
    "is_upn",
    "is_vehicle_registration",
    "luhn_valid",
    "nhs_check_digit",
    "non_empty_strings",
    "normalise_ni_number",
    "normalise_phone",
    "normalise_postcode",
    "parse_uk_date",
    "parse_uk_dates",
    "person_name_share",
    "phone_shaped",
    "postcode_district",
    "postcode_sector",
    "prepare",
    "prepare_phone_rules",
    "special_category_type",
    "special_category_values",
    "upn_check_letter",
    "value_matches",
    "written_phone_share",
]


def prepare() -> None:
    """Build the name lists and vocabularies the column detectors use, if they are not built yet."""

    vocabulary_series()
    with contextlib.suppress(ImportError, AttributeError):  # the name lists ship separately
        name_series()
