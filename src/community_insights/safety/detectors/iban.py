"""International Bank Account Numbers (IBANs), recognised by their structure.

Why: a UK IBAN ("GB29 NWBK 6016 1331 9268 19") carries the bank's code, the
sort code and the account number in one string, so leaving it in a note
leaves the bank details the sort-code and account rules would have removed.
An IBAN is read as ``BANK_ACCOUNT``: it is the account number in its
international form, not a new kind of personal data.

The structure is ISO 13616: two country letters, two check digits, then the
country's basic bank account number (BBAN). The check digits are validated
with the ISO 7064 mod-97-10 algorithm that ISO 13616 prescribes (move the
first four characters to the end, letters to numbers A=10 … Z=35, the whole
number modulo 97 is 1), and the length must be the country's length in the
SWIFT IBAN Registry (release 101, the registry SWIFT publishes as the ISO
13616 registration authority). A random string of the right shape passes the
check one time in 97, and must also have its country's exact length.
"""

from __future__ import annotations

import re

__all__ = ["IBAN_LENGTHS", "IBAN_TEXT_PATTERN", "is_iban"]

#: Country code → IBAN length, from the SWIFT IBAN Registry, release 101.
IBAN_LENGTHS: dict[str, int] = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22, "BI": 27, "BR": 29,
    "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DJ": 27, "DK": 18, "DO": 28, "EE": 20, "EG": 29,
    "ES": 24, "FI": 18, "FK": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23, "GL": 18, "GR": 27, "GT": 28,
    "HN": 28, "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IQ": 23, "IS": 26, "IT": 27, "JO": 30, "KW": 30, "KZ": 20,
    "LB": 28, "LC": 32, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "LY": 25, "MC": 27, "MD": 24, "ME": 22, "MK": 19,
    "MN": 20, "MR": 27, "MT": 31, "MU": 30, "NI": 28, "NL": 18, "NO": 15, "OM": 23, "PK": 24, "PL": 28, "PS": 29,
    "PT": 25, "QA": 29, "RO": 24, "RS": 22, "RU": 33, "SA": 24, "SC": 31, "SD": 18, "SE": 24, "SI": 19, "SK": 24,
    "SM": 27, "SO": 23, "ST": 25, "SV": 28, "TL": 23, "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20,
    "YE": 30,
}  # fmt: skip

#: An IBAN as people write it: electronic form, or the paper form in groups of four (ISO 13616-1),
#: letters in either case. The check (:func:`is_iban`) decides; this only finds candidates.
IBAN_TEXT_PATTERN = r"(?<![\w@])[A-Za-z]{2}\d{2}(?:[ \-]?[A-Za-z0-9]){11,30}(?![\w@])"
_NOT_IBAN_CHAR = re.compile(r"[\s\-]")


def is_iban(value: str) -> bool:
    """Is ``value`` an IBAN: a registered country, its exact length, and check digits that hold?"""

    compact = _NOT_IBAN_CHAR.sub("", value).upper()
    if not compact.isascii() or not compact.isalnum():
        return False
    if IBAN_LENGTHS.get(compact[:2]) != len(compact) or not compact[2:4].isdigit():
        return False
    moved = compact[4:] + compact[:4]
    return int("".join(str(int(ch, 36)) for ch in moved)) % 97 == 1
