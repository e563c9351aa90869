"""The audit actions of the selection area (imported from ``SelectionConfig.ready``)."""

from community_insights.portal.core.audit import declare

declare(
    **{
        "selection.panel_member_add": "Added someone to the selection panel",
        "selection.panel_member_remove": "Removed someone from the selection panel",
        "selection.data_types_set": "Recorded the types of data a candidate project would use",
        "selection.skill_cover_add": "Named who brings a skill to a candidate project",
        "selection.skill_cover_remove": "Removed who brings a skill",
        "selection.evaluation_save": "Wrote or shared an evaluation summary",
        "selection.scores_save": "Scored a candidate project",
        "selection.decision_record": "Recorded the selection decision",
        "selection.next_step_set": "Updated the mobilise and communicate checklist",
    }
)
