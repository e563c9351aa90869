"""Keyed pseudonyms that match across organisations.

A pseudonym is ``prefix + base32(HMAC-SHA256(key, domain + normalised value))``
cut to a short length, for example ``P-7Q2MZK4XBD3LWA9F``. Three choices make
it useful and safe:

* **Keyed.** Without the key nobody can rebuild the token from a guessed NHS
  number (a plain hash of a 10-digit number is broken in seconds). With the
  key, two organisations get the same token for the same person, so they can
  join their files without either seeing the other's identifiers.
* **Normalised first.** ``ab 12 34 56 c`` and ``AB123456C`` are one person, so
  the value is put in one canonical form per type before hashing. The
  normalisation is part of the token contract (``TOKEN_VERSION``) and lives
  here, not in the detectors, so that improving a detector never silently
  changes the tokens people have already joined on.
* **Domain-separated.** The type (``NI_NUMBER``, ``NHS_NUMBER`` …) goes into
  the HMAC input, so the same string in two kinds of column gives two
  unrelated tokens, and file references of one system never collide with
  another system's.

The work is done once per *distinct* value of a batch, with a bounded table of
the tokens already made carried across batches, so a column of a million rows
costs a million HMACs at most and usually far fewer.
"""

from __future__ import annotations

import base64
import hmac
import re
import unicodedata
from collections.abc import Callable

import polars as pl

TOKEN_VERSION = 1
"""Bump when the normalisation or token layout changes (tokens would no longer join)."""

DEFAULT_LENGTH = 16
"""Token characters after the prefix: 80 bits, no collision in any realistic population."""

_VALUE, _TOKEN = "value", "token"
_WS = re.compile(r"\s+")
_NOT_DIGIT = re.compile(r"[^0-9]")
_NI_SHAPE = re.compile(r"^([A-Z]{2}\d{6})[A-D]?$")
_POSTCODE_SHAPE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$")


def _nfkc(value: str) -> str:
    return unicodedata.normalize("NFKC", value)


def _norm_nhs(value: str) -> str:
    digits = _NOT_DIGIT.sub("", _nfkc(value))
    return digits if digits else _norm_system_id(value)


def _norm_ni(value: str) -> str:
    # The suffix letter (A-D) is left off by some systems; the first eight
    # characters are unique to a person, so they alone are hashed.
    compact = "".join(_nfkc(value).split()).replace("-", "").replace(".", "").upper()
    m = _NI_SHAPE.match(compact)
    return m.group(1) if m else compact


def _norm_postcode(value: str) -> str:
    compact = "".join(_nfkc(value).split()).upper()
    m = _POSTCODE_SHAPE.match(compact)
    return f"{m.group(1)} {m.group(2)}" if m else compact


def _norm_email(value: str) -> str:
    return _nfkc(value).strip().lower()


def _norm_person(value: str) -> str:
    return _WS.sub(" ", _nfkc(value)).strip().casefold()


def _norm_phone(value: str) -> str:
    text = _nfkc(value).strip()
    digits = _NOT_DIGIT.sub("", text)
    if text.startswith("+44") or text.startswith("0044"):
        digits = digits[2:] if text.startswith("+") else digits[4:]
        digits = "0" + digits.lstrip("0")
    elif text.startswith("+"):
        digits = "+" + digits
    elif digits.startswith("44") and len(digits) == 12:
        digits = "0" + digits[2:]
    return digits or _norm_text(value)


def _norm_date(value: str) -> str:
    from community_insights.safety.detectors import parse_uk_date

    parsed = parse_uk_date(value)
    return parsed.isoformat() if parsed is not None else _norm_text(value)


def _norm_system_id(value: str) -> str:
    return "".join(_nfkc(value).split()).upper()


def _norm_text(value: str) -> str:
    return _WS.sub(" ", _nfkc(value)).strip().casefold()


def _settled(fn: Callable[[str], str]) -> Callable[[str], str]:
    """Apply *fn* until the value stops changing, so normalising twice changes nothing.

    Unicode folding can expose new spaces or combining marks (``A´`` → ``Á``);
    settling makes every normaliser idempotent, which the token contract needs.
    """

    def settle(value: str) -> str:
        current = fn(value)
        for _ in range(3):
            again = fn(current)
            if again == current:
                break
            current = again
        return current

    settle.__doc__ = fn.__doc__
    return settle


NORMALISERS: dict[str, Callable[[str], str]] = {
    name: _settled(fn)
    for name, fn in {
        "NHS_NUMBER": _norm_nhs,
        "NI_NUMBER": _norm_ni,
        "POSTCODE": _norm_postcode,
        "EMAIL": _norm_email,
        "PERSON": _norm_person,
        "PHONE": _norm_phone,
        "DATE_OF_BIRTH": _norm_date,
        "SYSTEM_ID": _norm_system_id,
        "UPN": _norm_system_id,
        "TEXT": _norm_text,
    }.items()
}


def normalise_for_pseudonym(value: str, type_: str = "TEXT") -> str:
    """The canonical form of *value* that is hashed for pseudonym type *type_*."""

    return NORMALISERS[type_](value)


class Pseudonymiser:
    """Turns the values of one column into keyed tokens, batch by batch.

    ``domain`` separates kinds of value (``pseudonym:NI_NUMBER``,
    ``file-reference:case-id``); ``prefix`` and ``length`` shape the token.
    """

    def __init__(
        self,
        key: bytes,
        *,
        domain: str,
        normaliser: Callable[[str], str],
        prefix: str = "P-",
        length: int = DEFAULT_LENGTH,
        cache_size: int = 200_000,
    ) -> None:
        self._key = key
        self._domain = f"community-insights/v{TOKEN_VERSION}/{domain}\x1f".encode()
        self._normaliser = normaliser
        self._prefix = prefix
        self._length = length
        self._cache: dict[str, str] = {}
        self._cache_size = cache_size
        self._known = pl.DataFrame(schema={_VALUE: pl.Utf8, _TOKEN: pl.Utf8})

    def __repr__(self) -> str:  # never show the key
        return f"Pseudonymiser(prefix={self._prefix!r}, length={self._length})"

    def token(self, value: str) -> str:
        """The token for one raw value."""

        cached = self._cache.get(value)
        if cached is not None:
            return cached
        token = self._make(value)
        if len(self._cache) >= self._cache_size:
            self._cache.clear()  # bounded memory; a miss only costs one HMAC
        self._cache[value] = token
        return token

    def _make(self, value: str) -> str:
        message = self._domain + self._normaliser(value).encode("utf-8")
        digest = hmac.digest(self._key, message, "sha256")
        return self._prefix + base64.b32encode(digest).decode("ascii")[: self._length]

    def series(self, values: pl.Series) -> pl.Series:
        """Tokens for a whole column batch; nulls and blank cells stay empty."""

        text = values.cast(pl.Utf8, strict=False)
        blank = text.str.strip_chars().str.len_chars() == 0
        text = pl.select(pl.when(blank).then(pl.lit(None, dtype=pl.Utf8)).otherwise(text)).to_series()
        distinct = text.drop_nulls().unique()
        if distinct.len() == 0:
            return pl.Series(values.name, [None] * values.len(), dtype=pl.Utf8)
        table = self._tokens_for(distinct)
        mapped = text.replace_strict(table[_VALUE], table[_TOKEN], default=None, return_dtype=pl.Utf8)
        return mapped.alias(values.name)

    def _tokens_for(self, distinct: pl.Series) -> pl.DataFrame:
        """Each of a batch's distinct values beside its token: those made for earlier batches, then the rest.

        Why a Polars table rather than the dictionary :meth:`token` keeps: a column of
        identifiers, different in every record, filled the dictionary to its 200,000 entries
        at about 180 bytes each (36 MiB a column); the same entries here take about 5 MiB.
        """

        asked = distinct.alias(_VALUE).to_frame()
        known = asked.join(self._known, on=_VALUE, how="inner")
        missing = asked.join(self._known, on=_VALUE, how="anti").get_column(_VALUE).to_list()
        made = pl.DataFrame(
            {_VALUE: missing, _TOKEN: [self._make(v) for v in missing]}, schema={_VALUE: pl.Utf8, _TOKEN: pl.Utf8}
        )
        if self._known.height + made.height > self._cache_size:
            self._known = self._known.clear()  # bounded memory; a miss only costs one HMAC
        if made.height <= self._cache_size:
            # Only tokens made here are kept: their text is their own, not a view of the batch's.
            self._known = pl.concat([self._known, made]).rechunk()
        return pl.concat([known, made])
