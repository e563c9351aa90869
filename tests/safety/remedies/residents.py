"""Seeded synthetic residents for the remedies tests: valid identifiers, no real people."""

from __future__ import annotations

import dataclasses
import random

from community_insights.safety.detectors import nhs_check_digit

FIRST = [
    "Ayesha",
    "Siobhán",
    "Kwame",
    "Grace",
    "Oliver",
    "Mohammed",
    "Dafydd",
    "Priya",
    "Tomasz",
    "Chloe",
    "Amara",
    "Ioan",
    "Fatima",
    "Jack",
    "Zainab",
    "Rhys",
    "Precious",
    "Harpreet",
    "Bogdan",
    "Nia",
]
LAST = [
    "Begum",
    "O'Neill",
    "Mensah",
    "Smith",
    "Jones",
    "Khan",
    "Evans",
    "Patel",
    "Kowalski",
    "Williams",
    "Okafor",
    "Hughes",
    "Ahmed",
    "Taylor",
    "Hussain",
    "Davies",
    "Adeyemi",
    "Kaur",
    "Popescu",
    "Roberts",
]
POSTCODES = [
    "SW1A 1AA",
    "SW1A 2AB",
    "NW1 6XE",
    "E1 7HT",
    "E17 4PQ",
    "N1 9GU",
    "SE15 5DQ",
    "W1A 0AX",
    "CF10 1EP",
    "LS1 4AP",
    "M1 1AE",
    "B1 1BB",
]
ETHNICITY = ["White British", "Asian or Asian British", "Black or Black British", "Mixed", "Other ethnic group"]
NI_FIRST = "ABCEGHJKLMNOPRSTWXYZ"
NI_SECOND = "ABCEGHJKLMNPRSTWXYZ"


@dataclasses.dataclass(frozen=True)
class Resident:
    first: str
    last: str
    nhs: str
    ni: str
    dob: str  # dd/mm/yyyy
    postcode: str
    phone: str
    email: str
    ethnicity: str


def _nhs(rng: random.Random) -> str:
    while True:
        nine = "".join(str(rng.randint(0, 9)) for _ in range(9))
        check = nhs_check_digit(nine)
        if check is not None and nine[0] != "0":
            return nine + str(check)


def _ni(rng: random.Random) -> str:
    while True:
        prefix = rng.choice(NI_FIRST) + rng.choice(NI_SECOND)
        if prefix not in {"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"}:
            return f"{prefix}{rng.randint(0, 999_999):06d}{rng.choice('ABCD')}"


def _email(first: str, last: str, n: int) -> str:
    local = f"{first}.{last}".lower().replace("á", "a").replace("'", "")
    return f"{local}{n}@example.org"


def residents(n: int, seed: int) -> list[Resident]:
    """*n* distinct residents (distinct NHS and NI numbers), the same for the same seed."""

    rng = random.Random(seed)
    seen_nhs: set[str] = set()
    seen_ni: set[str] = set()
    out: list[Resident] = []
    while len(out) < n:
        nhs, ni = _nhs(rng), _ni(rng)
        if nhs in seen_nhs or ni in seen_ni:
            continue
        seen_nhs.add(nhs)
        seen_ni.add(ni)
        first, last = rng.choice(FIRST), rng.choice(LAST)
        out.append(
            Resident(
                first=first,
                last=last,
                nhs=nhs,
                ni=ni,
                dob=f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{rng.randint(1935, 2006)}",
                postcode=rng.choice(POSTCODES),
                phone=f"07700 9{rng.randint(0, 99_999):05d}",
                email=_email(first, last, rng.randint(1, 999)),
                ethnicity=rng.choice(ETHNICITY),
            )
        )
    return out


def spaced_ni(ni: str) -> str:
    """``AB123456C`` as a VCS spreadsheet might hold it: ``ab 12 34 56 c``."""

    return f"{ni[:2]} {ni[2:4]} {ni[4:6]} {ni[6:8]} {ni[8:]}".lower()


def spaced_nhs(nhs: str) -> str:
    return f"{nhs[:3]} {nhs[3:6]} {nhs[6:]}"
