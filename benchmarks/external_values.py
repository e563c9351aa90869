"""UK values of every community for the external evaluation set (see ``make_external_set.py``).

The pools are written here, apart from the engine's own lists, so that the
set measures the lists as well as the rules: some names, streets and
organisations below are on no list the engine ships. Identifiers reuse the
format-checked makers of ``make_identifier_variants.py``.
"""

from __future__ import annotations

import random

from identifier_variant_values import DOMAINS, Cycle
from identifier_variant_values import Values as IdentifierValues

# (first name, family name): English, Welsh, Scottish, Irish, South Asian, Somali, West and East
# African, Caribbean, Polish and Eastern European, Chinese, Vietnamese, Arabic, Turkish, Kurdish,
# Gypsy and Traveller families; a few first names that are also places or words (Chelsea, Grace).
PEOPLE = [
    ("Margaret", "Holloway"), ("Gary", "Pickering"), ("Chelsea", "Okoro"), ("Grace", "Adeyemi"),
    ("Florence", "Derby"), ("Hope", "Mensah"), ("Dafydd", "ap Gwilym"), ("Siân", "Llewellyn"),
    ("Gwenllian", "Rowlands"), ("Iolo", "Pugh"), ("Ffion", "Vaughan"), ("Eilidh", "MacLeod"),
    ("Hamish", "Urquhart"), ("Morag", "Buchanan"), ("Aoife", "Ní Bhriain"), ("Seán", "Ó Briain"),
    ("Niamh", "Fitzgerald"), ("Pádraig", "Doherty"), ("Priya", "Raghunathan"), ("Harpreet", "Dhillon"),
    ("Gurdeep", "Sandhu"), ("Mohammed", "Chowdhury"), ("Rukhsana", "Begum"), ("Tanvir", "Rahman"),
    ("Shabnam", "Uddin"), ("Imran", "Qureshi"), ("Nusrat", "Javed"), ("Rajesh", "Venkataraman"),
    ("Thilini", "Wickramasinghe"), ("Abdirahman", "Farah"), ("Hodan", "Warsame"), ("Ayaan", "Guled"),
    ("Chinonso", "Okonkwo"), ("Olufemi", "Adebayo"), ("Kwabena", "Asante"), ("Abena", "Owusu"),
    ("Tendai", "Moyo"), ("Wanjiru", "Kamau"), ("Delroy", "Campbell"), ("Marcia", "Gayle"),
    ("Winston", "McKenzie"), ("Agnieszka", "Wiśniewska"), ("Paweł", "Kowalczyk"), ("Ionela", "Popescu"),
    ("Jurgita", "Kazlauskienė"), ("Oksana", "Shevchenko"), ("Wei", "Zhang"), ("Mei Ling", "Chan"),
    ("Thanh", "Nguyen"), ("Linh", "Pham"), ("Yusuf", "Al-Amin"), ("Fatima", "Haddad"),
    ("Ayşe", "Yılmaz"), ("Mehmet", "Demir"), ("Rebin", "Barzani"), ("Shlomo", "Gold"),
    ("Esther", "Rosenberg"), ("Bridget", "McDonagh"), ("Levi", "Boswell"), ("Tyson", "Smith"),
    ("Zoë", "Fairweather"), ("René", "Lefebvre"), ("Kofi", "Boateng-Williams"), ("Ama", "Nkansah-Boateng"),
    ("Lakshmi", "Subramanian"), ("Nkechi", "Eze"), ("Sinéad", "Kavanagh"), ("Rhiannon", "Tudur"),
    ("Callum", "Baird"), ("Keisha", "Thompson"), ("Jayden", "Clarke-Bennett"), ("Aleksander", "Zieliński"),
]  # fmt: skip
TITLES_MALE = ["Mr", "Dr", "Mr.", "Rev"]
TITLES_FEMALE = ["Mrs", "Ms", "Miss", "Dr", "Mrs."]

# Street names with their types, English and Welsh (the Welsh word comes first), some on no list.
STREETS = [
    "Nelson Road", "Albion Parade", "Station Approach", "Paradise Row", "Canal Walk", "Prospect Wynd",
    "Jubilee Crescent", "Coronation Street", "Victoria Terrace", "Mill Lane", "Chapel Row", "Ashgrove Close",
    "Beech Grove", "Kingsway", "Ropewalk", "Castle Mews", "Ladywell Rise", "Tannery Yard", "Harbour View",
    "Orchard Gardens", "Heol y Bont", "Ffordd Pengam", "Stryd Fawr", "Heol Las", "Lôn Ceredigion",
    "Rhodfa'r Gorllewin", "Cilgant y Meillion", "Clos Tŷ Gwyn", "Heol Isaf", "Ffordd yr Eglwys",
    "Brunswick Square", "Market Place", "Chorley New Road", "Abbey Hey Lane", "Cheetham Hill Road",
    "Green Lanes", "Soho Road", "Wilmslow Road", "Whitechapel High Street", "Leith Walk",
]  # fmt: skip
STREETS_BARE = ["Nelson", "Albion", "Canal", "Bold", "Castle", "Lord", "Hope", "Duke", "Church", "Granby"]
TOWNS = [
    "Leeds", "Bradford", "Cardiff", "Swansea", "Wrexham", "Glasgow", "Dundee", "Belfast", "Derry",
    "Luton", "Slough", "Leicester", "Preston", "Reading", "Bury", "Derby", "Chelsea", "Sale", "Hull",
    "Newport", "Bangor", "Aberystwyth", "Tower Hamlets", "Rochdale", "Oldham", "Dewsbury", "Peterborough",
    "Middlesbrough", "Stoke-on-Trent", "Ely", "Whitby", "Merthyr Tydfil", "Keighley",
]  # fmt: skip
COUNTRIES = [
    "Wales", "Scotland", "Northern Ireland", "England", "Ireland", "Poland", "Romania", "Somalia",
    "Nigeria", "Ghana", "Pakistan", "Bangladesh", "India", "Jamaica", "Zimbabwe", "Eritrea", "Syria",
    "Afghanistan", "Ukraine", "Lithuania", "Sri Lanka", "Hong Kong", "Vietnam", "Turkey", "Iraq",
]  # fmt: skip
# Organisations people name in notes: retailers, charities, NHS bodies, councils, local groups.
ORGANISATIONS = [
    "Marks & Spencer", "Sainsbury's", "Morrisons", "John Lewis", "Greggs", "Timpson", "Boots",
    "Macmillan Cancer Support", "Marie Curie", "Sue Ryder", "Barnardo's", "Age UK", "Citizens Advice",
    "Leonard Cheshire", "Anthony Nolan", "Shelter Cymru", "St Mungo's", "The Trussell Trust",
    "Guy's and St Thomas'", "Alder Hey", "Addenbrooke's", "Betsi Cadwaladr University Health Board",
    "Barts Health", "Leeds Teaching Hospitals", "Bradford Council", "Cyngor Gwynedd",
    "Hackney Foodbank", "St Luke's Hospice", "Kirklees Citizens Advice", "Harrow Mencap",
    "Bevan Foundation", "Joseph Rowntree Foundation", "Hallé Orchestra", "Lloyds Banking Group",
    "Pret A Manger", "Howdens", "Wates Group", "Nationwide", "Octopus Energy", "Dŵr Cymru",
]  # fmt: skip
NATIONALITIES = ["Welsh", "Scottish", "Polish", "Somali", "Nigerian", "Pakistani", "Jamaican", "Irish", "Indian"]
NATION_PLURAL = ["Welsh", "Scots", "Poles", "Somalis", "Nigerians", "Bangladeshis", "Jamaicans", "Irish"]
JOBS = ["social worker", "housing officer", "community nurse", "care assistant", "bus driver", "teacher", "imam"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]  # fmt: skip
# Lay terms for conditions; about half are on the engine's health list, half are not.
CONDITIONS = [
    "depression", "type 2 diabetes", "epilepsy", "COPD", "schizophrenia", "sickle cell disease", "HIV",
    "long COVID", "angina", "asthma", "PTSD", "bipolar disorder", "alcohol dependency", "multiple sclerosis",
    "kidney stones", "gout", "endometriosis", "sciatica", "tinnitus", "a heart murmur", "psoriatic arthritis",
    "deep vein thrombosis", "chronic migraines", "early-onset dementia",
]  # fmt: skip
# Answers as the ONS Census 2021 and NHS monitoring questions list them (OGL v3.0).
ANSWERS = {
    "ETHNICITY": [
        "Asian, Asian British or Asian Welsh: Bangladeshi", "Asian, Asian British or Asian Welsh: Indian",
        "Asian, Asian British or Asian Welsh: Pakistani", "Asian, Asian British or Asian Welsh: Chinese",
        "Black, Black British, Black Welsh, Caribbean or African: African",
        "Black, Black British, Black Welsh, Caribbean or African: Caribbean",
        "Mixed or Multiple ethnic groups: White and Black Caribbean",
        "Mixed or Multiple ethnic groups: White and Asian", "White: Irish", "White: Gypsy or Irish Traveller",
        "White: Roma", "White: English, Welsh, Scottish, Northern Irish or British", "Other ethnic group: Arab",
        "White: Other White",
    ],
    "RELIGION": ["No religion", "Christian", "Buddhist", "Hindu", "Jewish", "Muslim", "Sikh"],
    "SEXUAL_ORIENTATION": [
        "Straight or Heterosexual", "Gay or Lesbian", "Bisexual", "Pansexual", "Asexual", "Queer",
        "Heterosexual or Straight",
    ],
    "HEALTH": CONDITIONS,
}  # fmt: skip
# Ofcom's drama ranges: reserved, never allocated, still a phone number when a caseworker types one.
DRAMA = ["07700 900{:03d}", "07700900{:03d}", "01632 960{:03d}", "+44 7700 900{:03d}", "(01632) 960{:03d}"]
DOB_FORMATS = ["{d:02d}/{m:02d}/{y}", "{d}/{m}/{y}", "{d:02d}-{m:02d}-{y}", "{d:02d}.{m:02d}.{y}",
               "{mon} {d}, {y}", "{d} {mon} {y}", "{d}{th} {mon} {y}", "{y}-{m:02d}-{d:02d}",
               "{mon3} {d} {y}", "{d} {mon3} {y}"]  # fmt: skip


def _ordinal(day: int) -> str:
    return "th" if 10 <= day % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")


class Values:
    """Fresh values for each slot, from one seeded generator, formats in rotation."""

    def __init__(self, r: random.Random) -> None:
        self.r = r
        self.ids = IdentifierValues(r.randrange(1 << 30))
        self.person = Cycle(r, [f"{f}|{s}" for f, s in PEOPLE])
        self.street_cycle = Cycle(r, STREETS)
        self.town = Cycle(r, TOWNS)
        self.country = Cycle(r, COUNTRIES)
        self.org = Cycle(r, ORGANISATIONS)
        self.dob_fmt = Cycle(r, DOB_FORMATS)
        self.phone_kind = Cycle(r, ["valid", "valid", "drama"])
        self.case = Cycle(r, ["as-is"] * 5 + ["lower"])
        self.conditions = Cycle(r, CONDITIONS)
        self.answers = {k: Cycle(r, v) for k, v in ANSWERS.items()}

    def _name(self) -> tuple[str, str]:
        first, last = self.person.next().split("|")
        return first, last

    def slot(self, slot: str) -> str:
        """The value for any slot the template names (people, identifiers, and unscored fillers)."""

        first, last = self._name()
        r = self.r
        makers = {
            "person": lambda: f"{first} {last}",
            "name": lambda: f"{first} {last}",
            "name_male": lambda: f"{first} {last}",
            "name_female": lambda: f"{first} {last}",
            "last_name": lambda: last,
            "last_name_male": lambda: last,
            "last_name_female": lambda: last,
            "prefix_male": lambda: r.choice(TITLES_MALE),
            "prefix_female": lambda: r.choice(TITLES_FEMALE),
            "prefix": lambda: r.choice(TITLES_FEMALE + TITLES_MALE),
            "email": lambda: self.email(first, last),
            "phone_number": self.phone,
            "postcode": lambda: self.ids.postcode()[0],
            "credit_card_number": self.card,
            "ip_address": lambda: f"{r.randint(2, 223)}.{r.randint(0, 255)}.{r.randint(0, 255)}.{r.randint(1, 254)}",
            "iban": lambda: (
                f"GB{r.randint(10, 99)} NWBK {r.randint(1000, 9999)} {r.randint(1000, 9999)} "
                f"{r.randint(1000, 9999)} {r.randint(10, 99)}"
            ),
            "url": lambda: r.choice(["https://www.", "www.", "http://"]) + r.choice(["bevan.org.uk", "example.org.uk"]),
            "job": lambda: r.choice(JOBS),
            "age": lambda: str(r.randint(18, 95)),
            "year": lambda: str(r.randint(1950, 2024)),
            "day_of_week": lambda: r.choice(DAYS),
            "date_time": lambda: f"{r.randint(1, 28)} {r.choice(MONTHS)} {r.randint(2015, 2025)}",
            "secondary_address": lambda: r.choice(["Flat 3", "Apartment 12", "Unit 4", "Flat 2B"]),
            "nation_woman": lambda: r.choice(NATIONALITIES),
            "nation_plural": lambda: r.choice(NATION_PLURAL),
        }
        if slot.startswith("first_name"):
            return first
        return makers[slot]()

    def email(self, first: str, last: str) -> str:
        """An address from the person's name; accents kept before the @ when the name has them."""

        local = self.r.choice(["{f}.{s}", "{f}{s}{n}", "{f0}.{s}", "{f}_{s}"]).format(
            f=first.lower().replace(" ", ""),
            s=last.lower().replace(" ", "").replace("'", ""),
            f0=first[0].lower(),
            n=self.r.randint(1, 99),
        )
        return f"{local}@{self.r.choice(DOMAINS)}"

    def phone(self) -> str:
        if self.phone_kind.next() == "drama":
            return self.r.choice(DRAMA).format(self.r.randint(0, 999))
        return self.ids.phone()[0]

    def card(self) -> str:
        digits = [4] + [self.r.randint(0, 9) for _ in range(14)]
        total = 0
        for i, d in enumerate(reversed(digits)):  # the check digit goes on the right, so these double first
            total += d * 2 - 9 if i % 2 == 0 and d > 4 else d * 2 if i % 2 == 0 else d
        digits.append((10 - total % 10) % 10)
        text = "".join(map(str, digits))
        return " ".join(text[i : i + 4] for i in range(0, 16, 4)) if self.r.random() < 0.6 else text

    def house_number(self) -> str:
        return str(self.r.randint(1, 240)) + self.r.choice(["", "", "", "a"])

    def street(self, *, bare: bool = False) -> str:
        return self.r.choice(STREETS_BARE) if bare else self.street_cycle.next()

    def address(self, *, with_postcode: bool) -> list[tuple[str, str | None]]:
        """A street address (one ADDRESS span: flat, number, street, town) and its postcode."""

        flat = self.r.choice(["", "", "", "Flat 2, ", "Flat 14, "])
        line = f"{flat}{self.house_number()} {self.street_cycle.next()}, {self.town.next()}"
        lower = self.case.next() == "lower"
        parts: list[tuple[str, str | None]] = [(line.lower() if lower else line, "ADDRESS")]
        if with_postcode:
            postcode = self.ids.postcode()[0]
            parts += [(self.r.choice([", ", " "]), None), (postcode.lower() if lower else postcode, "POSTCODE")]
        return parts

    def date_of_birth(self) -> str:
        y, m, d = self.r.randint(1930, 2008), self.r.randint(1, 12), self.r.randint(1, 28)
        mon = MONTHS[m - 1]
        return self.dob_fmt.next().format(d=d, m=m, y=y, mon=mon, mon3=mon[:3], th=_ordinal(d))

    def negative(self, slot: str) -> str:
        if slot == "city":
            return self.town.next()
        if slot == "country":
            return self.country.next()
        if slot == "organization":
            return self.org.next()
        return self.r.choice(NATIONALITIES)

    def condition(self, *, default: str) -> str:
        """The template's own condition in one note of three, a condition from the pool otherwise."""

        return default if self.r.random() < 1 / 3 else self.conditions.next()

    def answer(self, label: str) -> str:
        return self.answers[label].next()
