"""Every write of the Phase 3 area, one module per part of the guide, re-exported for other apps and the tests.

- ``explore``: Part 1, explore solutions (similar work, research, options, skills, scores, the choice);
- ``final_checks``: Part 2, Step 3, the final checks before an output is shared.
"""

from community_insights.portal.solutions.services.explore import (
    MAX_DAYS,
    consent_record,
    estimates_save,
    option_add,
    option_choose,
    option_score,
    research_notes_open,
    research_plan_save,
    research_session_log,
    similar_work_add,
)
from community_insights.portal.solutions.services.final_checks import (
    final_check_answer,
    final_checks_run,
    final_checks_view_record,
    job_run,
)

__all__ = [
    "MAX_DAYS",
    "consent_record",
    "estimates_save",
    "final_check_answer",
    "final_checks_run",
    "final_checks_view_record",
    "job_run",
    "option_add",
    "option_choose",
    "option_score",
    "research_notes_open",
    "research_plan_save",
    "research_session_log",
    "similar_work_add",
]
