"""The Phase 3 area's pages, one module per part of the guide, re-exported for ``urls.py``."""

from community_insights.portal.solutions.views.explore import (
    consent,
    option_add,
    option_choose,
    option_detail,
    option_estimates,
    option_score,
    options,
    overview,
    research,
    research_plan,
    session_add,
    session_notes,
    similar_work,
    similar_work_add,
)
from community_insights.portal.solutions.views.final_checks import (
    final_check_answer,
    final_check_detail,
    final_checks_list,
    final_checks_run,
)
from community_insights.portal.solutions.views.testing import (
    feedback_acknowledge,
    feedback_add,
    feedback_close,
    testing,
    workshop_add,
    workshop_detail,
)

__all__ = [
    "consent",
    "feedback_acknowledge",
    "feedback_add",
    "feedback_close",
    "final_check_answer",
    "final_check_detail",
    "final_checks_list",
    "final_checks_run",
    "option_add",
    "option_choose",
    "option_detail",
    "option_estimates",
    "option_score",
    "options",
    "overview",
    "research",
    "research_plan",
    "session_add",
    "session_notes",
    "similar_work",
    "similar_work_add",
    "testing",
    "workshop_add",
    "workshop_detail",
]
