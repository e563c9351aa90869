"""The DPIA drafted from the evidence, section by section, in the order of the ICO's DPIA template.

Every sentence carries its source (which dataset, finding or plan, with a link) and a key, so a
person's wording (``DpiaEdit``) replaces the drafted one and survives the next refresh. The draft
is made on every read: when the evidence changes, the draft changes with it, and each section's
hash shows which sections moved since the last approved version.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse

from community_insights.portal.governance.evidence import DatasetEvidence, OutputEvidence, ProjectEvidence
from community_insights.portal.governance.models import Level, Severity

#: Rows across a project's datasets from which the processing counts as "large scale". The ICO names no
#: number; ten thousand residents is more than most wards, so a team is asked to think about scale there.
LARGE_SCALE_ROWS = 10_000

SECTIONS: tuple[tuple[str, str], ...] = (
    ("need", "Step 1: Identify the need for a DPIA"),
    ("description", "Step 2: Describe the processing"),
    ("consultation", "Step 3: Consultation process"),
    ("necessity", "Step 4: Assess necessity and proportionality"),
    ("risks", "Steps 5 to 7: Risks and the measures that reduce them"),
)

ACTION_WORDS = {
    "drop": "removed",
    "keep": "kept as it is",
    "generalise": "generalised",
    "pseudonymise": "pseudonymised with the programme's key",
    "hash_file_reference": "pseudonymised with the programme's key",
    "redact_spans": "names and identifiers in it redacted",
    "suppress_small_groups": "small groups suppressed",
}


@dataclass
class Sentence:
    key: str
    text: str
    source: str
    url: str = ""
    drafted: str = ""
    edited: bool = False
    stale: bool = False

    @property
    def anchor(self) -> str:
        return self.key.replace(".", "-")

    def content(self) -> list[str]:
        return [self.key, self.text, self.source]


@dataclass
class Risk:
    key: str
    title: str
    finding: Sentence
    measure: Sentence
    likelihood: str
    severity: str
    accepted_reason: str = ""
    links: list[tuple[str, str]] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return self.key.replace(".", "-")

    @property
    def covered(self) -> bool:
        """Has a measure, or was accepted with a reason: what the ICO template asks of every risk."""
        return bool(self.measure.text.strip() or self.accepted_reason.strip())

    @property
    def likelihood_label(self) -> str:
        return str(Level(self.likelihood).label)

    @property
    def severity_label(self) -> str:
        return str(Severity(self.severity).label)

    @property
    def outcome(self) -> str:
        if self.accepted_reason.strip():
            return "Accepted"
        return "Reduced" if self.measure.text.strip() else "No measure yet"

    def content(self) -> list[str]:
        return [*self.finding.content(), *self.measure.content(), self.likelihood, self.severity, self.accepted_reason]


@dataclass
class Section:
    key: str
    title: str
    sentences: list[Sentence] = field(default_factory=list)
    risks: list[Risk] = field(default_factory=list)

    @property
    def hash(self) -> str:
        parts = [s.content() for s in self.sentences] + [r.content() for r in self.risks]
        return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()[:16]


@dataclass
class Draft:
    sections: list[Section]
    screening: dict[str, str]

    @property
    def hashes(self) -> dict[str, str]:
        return {s.key: s.hash for s in self.sections}

    @property
    def risks(self) -> list[Risk]:
        return [r for s in self.sections for r in s.risks]

    @property
    def uncovered(self) -> list[Risk]:
        return [r for r in self.risks if not r.covered]

    def sentence(self, key: str) -> Sentence | None:
        every = [s for sec in self.sections for s in sec.sentences] + [
            s for r in self.risks for s in (r.finding, r.measure)
        ]
        return next((s for s in every if s.key == key), None)

    def to_snapshot(self) -> dict[str, Any]:
        """The whole draft as plain data, frozen into a version and read back by the exports."""
        return {
            "sections": [
                {
                    "key": s.key,
                    "title": s.title,
                    "sentences": [{"text": x.text, "source": x.source} for x in s.sentences],
                    "risks": [
                        {
                            "title": r.title,
                            "finding": r.finding.text,
                            "source": r.finding.source,
                            "measure": r.measure.text,
                            "likelihood": r.likelihood_label,
                            "severity": r.severity_label,
                            "outcome": r.outcome,
                            "accepted_reason": r.accepted_reason,
                        }
                        for r in s.risks
                    ],
                }
                for s in self.sections
            ]
        }


def _names(items: list[str]) -> str:
    return ", ".join(items) if items else "none"


def screening(ev: ProjectEvidence) -> tuple[dict[str, str], list[Sentence]]:
    """The screening questions, answered from the data; each answer says where it came from."""
    special = [(d, d.columns("special_category")) for d in ev.datasets if d.columns("special_category")]
    owners = sorted({s.source.owner_organisation.name for s in ev.personal_sources})
    free_text = [d for d in ev.datasets if d.columns("free_text")]
    rows = sum(int(d.report.get("source", {}).get("rows") or 0) for d in ev.datasets)
    answers = {
        "special_category": "yes" if special else "no",
        "several_organisations": "yes" if len(owners) > 1 else "no",
        "new_technology": "yes" if free_text else "no",
        "large_scale": "yes" if rows >= LARGE_SCALE_ROWS else "no",
        "vulnerable_people": "possibly" if special else "not known from the data",
        "automated_decisions": "not known yet",
    }
    special_text = "; ".join(f"{_names(cols)} in {d.label}" for d, cols in special)
    sentences = [
        Sentence(
            "need.special_category",
            f"Special category data (UK GDPR Article 9): {answers['special_category']}"
            + (f". The data safety check found {special_text}." if special else "."),
            "Data safety check of " + (_names([d.label for d, _ in special]) if special else "every dataset"),
            special[0][0].findings_url if special else "",
        ),
        Sentence(
            "need.several_organisations",
            f"Data matched or combined from several organisations: {answers['several_organisations']}. "
            f"Personal data comes from: {_names(owners)}.",
            "Data sources and their owners",
            ev.sources[0].url if ev.sources else "",
        ),
        Sentence(
            "need.new_technology",
            f"New technology: {answers['new_technology']}. "
            + (
                f"Free text ({_names([c for d in free_text for c in d.columns('free_text')])}) is read by automated "
                "name and identifier recognition, including a language model."
                if free_text
                else "No free text is read by automated recognition."
            ),
            "Data safety check: free-text columns",
            free_text[0].findings_url if free_text else "",
        ),
        Sentence(
            "need.large_scale",
            f"Large scale processing: {answers['large_scale']}. The datasets hold {rows:,} records in all "
            f"(the portal asks from {LARGE_SCALE_ROWS:,}).",
            "Row counts of the checked datasets",
        ),
        Sentence(
            "need.vulnerable_people",
            f"Data about vulnerable people: {answers['vulnerable_people']}. "
            + (
                "Special category data often describes people in vulnerable situations; confirm who the data is about."
                if special
                else "The data does not say; the team should answer from what it knows about the people."
            ),
            "Special category columns found by the check",
        ),
        automated_decisions(ev, answers),
    ]
    return answers, sentences


def automated_decisions(ev: ProjectEvidence, answers: dict[str, str]) -> Sentence:
    """The Article 22 screening answer, from the output safety checks of the project's outputs."""
    flagging = [o for o in ev.outputs if o.check("Indicators of need").get("outcome", "pass") != "pass"]
    refused = ev.article_22_refusals
    if flagging:
        answers["automated_decisions"] = "yes"
        text = (
            f"yes. {_names([o.label for o in flagging])} rank or flag people; the output safety check asks for a "
            "person to review every case, and the risk below records the notice and the sign-off."
        )
    elif ev.outputs:
        answers["automated_decisions"] = "no"
        text = f"no. None of the project's {len(ev.outputs)} outputs ranks or flags individual people" + (
            f"; the output safety check refused {refused} version(s) that would have, and kept the refusals."
            if refused
            else "."
        )
    else:
        answers["automated_decisions"] = "not known yet"
        text = (
            "not known yet: the project has no outputs. The output safety check will refuse any that ranks or "
            "flags people; say here whether any indicator or score built from this data will be used about them."
        )
    url = reverse("outputs:project_outputs", kwargs={"slug": ev.project.slug})
    return Sentence(
        "need.automated_decisions",
        f"Automated decisions about people (UK GDPR Article 22): {text}",
        "Output safety checks of the project's outputs",
        url,
    )


def description(ev: ProjectEvidence) -> list[Sentence]:
    project = ev.project
    project_url = reverse("projects:project_detail", kwargs={"slug": project.slug})
    result = [
        Sentence(
            "description.purpose",
            f'Purpose: to answer the project\'s question, "{project.question}"',
            "Project question",
            project_url,
        )
    ]
    for s in ev.sources:
        src = s.source
        retention = f"raw files deleted after {src.retention_until:%d %B %Y}" if src.retention_until else "no date set"
        result.append(
            Sentence(
                f"description.source.{src.pk}",
                f"{src.name} ({src.get_category_display()}), owned by {src.owner_organisation.name}; legal basis: "
                f"{src.get_legal_basis_display()}; retention: {retention}.",
                f"Data source: {src.name}",
                s.url,
            )
        )
        for d in s.datasets:
            result.append(
                Sentence(
                    f"description.dataset.{d.dataset.pk}",
                    f"{d.dataset.title}: {d.report.get('source', {}).get('rows', 0)} records and "
                    f"{len(d.columns())} columns, checked for personal data; the check's verdict: "
                    f"{d.report.get('summary', {}).get('verdict', 'not known')}. Only a safe copy made by the "
                    "remedy plan and signed off by information rights leaves the encrypted store.",
                    f"Data safety check of {d.label}",
                    d.findings_url,
                )
            )
    result.extend(_output_sentence(o) for o in ev.outputs)
    return result


def _output_sentence(o: OutputEvidence) -> Sentence:
    """What one output shares and who sees it: its standing version, its status and where it comes from."""
    copy = o.output.safe_copy
    made_from = f"the approved safe copy of {copy.dataset.title}" if copy else "the project's approved outputs"
    seen_by = (
        "approved for sharing beyond the project team"
        if o.approved
        else "seen only by the project team until information rights approve it"
    )
    shows = o.check("A list of people").get("words", "").strip().rstrip(".") or "It shows protected figures only"
    return Sentence(
        f"description.output.{o.output.pk}",
        f"{o.label}, version {o.version.number} ({o.version.get_status_display().lower()}), made from {made_from}. "
        f"{shows}; {seen_by}.",
        f"Output safety check of {o.label}",
        o.url,
    )


def consultation(ev: ProjectEvidence) -> list[Sentence]:
    project = ev.project
    roles = sorted({r.get_role_display() for r in project.roles.all()})
    url = reverse("projects:project_team", kwargs={"slug": project.slug})
    return [
        Sentence(
            "consultation.team",
            f"The project team was consulted through its roles: {_names(roles)}.",
            "Project team",
            url,
        ),
        Sentence(
            "consultation.people",
            "Community representatives on the team speak for the people in the data; say here how their views "
            "were sought and what changed because of them.",
            "The guide: communities representative role",
            url,
        ),
    ]


def necessity(ev: ProjectEvidence) -> list[Sentence]:
    result = []
    for d in ev.datasets:
        dropped = [c.get("column", "") for c in d.plan_data.get("columns", []) if c.get("action") == "drop"]
        if not d.plan_data:
            text = f"{d.dataset.title}: no remedy plan yet, so no column has been removed for data minimisation."
        else:
            text = (
                f"{d.dataset.title}: data minimisation by remedy plan version {d.plan.number if d.plan else ''}: "
                f"columns removed: {_names(dropped)}; every other column is reduced to what the question needs."
            )
        result.append(Sentence(f"necessity.minimisation.{d.dataset.pk}", text, f"Remedy plan of {d.label}", d.plan_url))
    bases = sorted({s.source.get_legal_basis_display() for s in ev.personal_sources})
    result.append(
        Sentence(
            "necessity.legal_basis",
            f"Lawful bases recorded for the personal data: {_names(bases)}. Sources still marked "
            '"To be agreed" need a basis before their data is used.',
            "Data sources: legal basis",
            ev.sources[0].url if ev.sources else "",
        )
    )
    return result


def measure_words(d: DatasetEvidence, columns: list[str]) -> str:
    """What the current remedy plan does to ``columns``, in plain words, with the plan's status."""
    if not d.plan_data:
        return ""
    steps = []
    for name in columns:
        step = d.action_for(name) or {}
        action = str(step.get("action", "keep"))
        words = ACTION_WORDS.get(action, action.replace("_", " "))
        target = (step.get("params") or {}).get("to")
        steps.append(f"{name} {words}" + (f" to {str(target).replace('_', ' ')}" if target else ""))
    status = "signed off" if d.plan_approved else "not yet signed off"
    return f"Remedy plan version {d.plan.number if d.plan else ''} ({status}): " + "; ".join(steps) + "."
