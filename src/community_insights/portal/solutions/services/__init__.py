"""Every write of the Phase 3 area, one module per part of the guide, re-exported for other apps and the tests.

- ``changes``: changing and removing Part 1's records;
- ``explore``: Part 1, explore solutions (similar work, research, options, skills, scores, the choice);
- ``testing``: Part 2, Steps 1 and 2, testing workshops, their feedback and the safety check;
- ``final_checks``: Part 2, Step 3, the final checks before an output is shared.
"""

from community_insights.portal.solutions.services.changes import (
    option_edit,
    option_remove,
    session_remove,
    similar_work_edit,
    similar_work_remove,
)
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
    sketch_picture,
    sketch_save,
)
from community_insights.portal.solutions.services.final_checks import (
    final_check_answer,
    final_checks_run,
    final_checks_view_record,
    job_run,
)
from community_insights.portal.solutions.services.testing import (
    feedback_acknowledge,
    feedback_close,
    feedback_record,
    workshop_schedule,
)

__all__ = [
    "MAX_DAYS",
    "consent_record",
    "estimates_save",
    "feedback_acknowledge",
    "feedback_close",
    "feedback_record",
    "final_check_answer",
    "final_checks_run",
    "final_checks_view_record",
    "job_run",
    "option_add",
    "option_choose",
    "option_edit",
    "option_remove",
    "option_score",
    "research_notes_open",
    "research_plan_save",
    "research_session_log",
    "session_remove",
    "similar_work_add",
    "similar_work_edit",
    "similar_work_remove",
    "sketch_picture",
    "sketch_save",
    "workshop_schedule",
]
