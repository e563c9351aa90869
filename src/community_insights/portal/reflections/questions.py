"""The survey's questions: the guide's Phase 4, Step 4 questions, in the guide's own words.

Kept in one list so the form, the summary and the PDF-free summary page ask and show the same
questions in the same order; ``field`` is the column of :class:`~.models.SurveyAnswer` that holds it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Question:
    field: str
    text: str


QUESTIONS: tuple[Question, ...] = (
    Question("sharing_mechanisms", "What mechanisms were used to share data?"),
    Question("new_relationships", "What new relationships were formed, and why did this work?"),
    Question("data_sources", "What data sources did we use? Did we find any unexpected sources of useful data?"),
    Question(
        "dpia_surprises",
        "When completing the Data Privacy Impact Assessment for the solution, did anything surprising come up? "
        "How did we address it?",
    ),
    Question(
        "effective_relationships", "Which new relationships were most effective and can be an example for others?"
    ),
    Question("selection_worked", "Did the process of selecting a project work?"),
)

SAFETY_CHECKS_QUESTION = "Would we do more or less of the Data Safety Checks up front?"
