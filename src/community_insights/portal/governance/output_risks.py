"""The DPIA's risks drafted from the output safety checks, with the measures that were applied.

The data safety check looks at what comes in; the output safety check (the outputs area, the guide's
Phase 3, Step 5) looks at what goes out. Each output's standing version raises a risk here when:

- a map had areas with fewer people than the threshold (the measure: they were merged with neighbours);
- a table or chart had figures about fewer people than the threshold (the measure: they were hidden);
- the output would rank or flag people, UK GDPR Article 22 (the measure: the build was refused);
- any check did not pass, such as personal data found in the text of the rendered files (the measure:
  information rights read the files and approved the version; until then there is none, so the team
  accepts the risk with a reason or waits for the sign-off).

Each finding and measure names its output and version and links to it; the words come from the check,
which names kinds of personal data and areas, never a value or a figure.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.text import slugify

from community_insights.portal.governance.drafting import Risk, Sentence
from community_insights.portal.governance.evidence import OutputEvidence
from community_insights.portal.governance.models import Level, Severity
from community_insights.portal.outputs.models import Output


def _signed_off(o: OutputEvidence) -> str:
    """What information rights did with the version, as the end of a measure ("" while nobody has)."""
    if o.approved:
        return f"Information rights checked version {o.version.number} and approved it for sharing."
    return ""


def _applied(words: str, o: OutputEvidence) -> str:
    """A measure the build applied itself, with the sign-off when there is one."""
    return " ".join(part for part in (words, _signed_off(o)) if part)


def _notice(o: OutputEvidence) -> str:
    """The version's caveats, which carry its Article 22 notice for an output used about people."""
    caveats = o.version.caveats.strip()
    return f"Its notice: {caveats}" if caveats else ""


@dataclass(frozen=True)
class OutputRule:
    key: str
    title: str
    raised: Callable[[OutputEvidence], bool]
    finding: Callable[[OutputEvidence], str]
    measure: Callable[[OutputEvidence], str]
    severity: str


def _merged_areas(o: OutputEvidence) -> bool:
    return o.output.kind == Output.Kind.MAP and bool(o.version.explanation)


def _hidden_figures(o: OutputEvidence) -> bool:
    return o.output.kind != Output.Kind.MAP and "are hidden" in o.check("Figures").get("words", "")


RULES: tuple[OutputRule, ...] = (
    OutputRule(
        "small_areas",
        "Small areas in a map",
        _merged_areas,
        lambda o: (
            f"{o.label}, version {o.version.number}: {len(o.version.explanation)} area(s) had fewer people than "
            "the threshold, so a person could be recognised from where they live."
        ),
        lambda o: _applied(o.check("Small areas").get("words", ""), o),
        Severity.SIGNIFICANT,
    ),
    OutputRule(
        "small_groups",
        "Small groups in published figures",
        _hidden_figures,
        lambda o: (
            f"{o.label}, version {o.version.number}: some figures count fewer people than the threshold, "
            "so a person in a small group could be recognised."
        ),
        lambda o: _applied(o.check("Figures").get("words", ""), o),
        Severity.SIGNIFICANT,
    ),
    OutputRule(
        "article_22",
        "Automated decisions about people (UK GDPR Article 22)",
        lambda o: o.refused_for_article_22,
        lambda o: (
            f"{o.label}, version {o.version.number}, would rank or flag individual people or households, "
            "which could lead to decisions about them made by software alone."
        ),
        lambda o: (
            "The output safety check refused it: no file was made, it cannot be approved or published, and the "
            "refusal is kept on the record."
        ),
        Severity.SEVERE,
    ),
)

#: Rows of the output safety check that did not pass, drafted as risks of their own (check name: severity).
RAISED_SEVERITY = {"Personal data in the files": Severity.SEVERE, "A list of people": Severity.SEVERE}


def _raised_rows(o: OutputEvidence) -> list[Risk]:
    """A risk for each row of the check that asks a person to look; the measure is their sign-off."""
    result = []
    for row in o.raised():
        name = row.get("check", "")
        measure = _signed_off(o)
        if name in ("Indicators of need", "A list of people") and measure:
            measure = " ".join(p for p in (measure, _notice(o)) if p)
        finding = f"{o.label}, version {o.version.number}: {row.get('words', '')}"
        result.append(_risk(o, slugify(name).replace("-", "_"), name, finding, measure, RAISED_SEVERITY.get(name)))
    return result


def _risk(o: OutputEvidence, rule: str, title: str, finding: str, measure: str, severity: str | None) -> Risk:
    key = f"risk.output_{rule}.{o.output.pk}"
    source = f"Output safety check of {o.label}, version {o.version.number}"
    return Risk(
        key=key,
        title=f"{title}: {o.label}",
        finding=Sentence(f"{key}.finding", finding, source, o.url),
        measure=Sentence(f"{key}.measure", measure, f"What was applied to {o.label}", o.url),
        likelihood=Level.LOW if measure else Level.HIGH,
        severity=severity or Severity.SIGNIFICANT,
        links=[(f"Output safety check, version {o.version.number}", o.url)],
    )


def output_risks(o: OutputEvidence) -> list[Risk]:
    """Every risk the output safety check of ``o`` raised, each with what was applied (empty without)."""
    result = [
        _risk(o, rule.key, rule.title, rule.finding(o), rule.measure(o), rule.severity)
        for rule in RULES
        if rule.raised(o)
    ]
    return result + _raised_rows(o)
