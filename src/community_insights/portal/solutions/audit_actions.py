"""The audit actions of the Phase 3 area (imported from ``SolutionsConfig.ready``)."""

from community_insights.portal.core.audit import declare

declare(
    **{
        "solutions.similar_work_add": "Added similar work by another organisation",
        "solutions.similar_work_edit": "Changed a note of similar work",
        "solutions.similar_work_remove": "Removed a note of similar work",
        "solutions.option_edit": "Changed a solution option",
        "solutions.option_remove": "Removed a solution option",
        "solutions.research_session_remove": "Removed a research session and its sealed notes",
        "solutions.research_plan_save": "Wrote or changed the qualitative research plan",
        "solutions.research_session_log": "Logged a qualitative research session",
        "solutions.research_notes_open": "Opened the raw notes of a research session",
        "solutions.consent_record": "Recorded participants' consent for a research session",
        "solutions.option_add": "Added a solution option from the workshop",
        "solutions.estimates_save": "Estimated the days a solution option needs of each skill",
        "solutions.option_score": "Scored a solution option",
        "solutions.sketch_save": "Added or replaced the sketch of a solution option",
        "solutions.option_choose": "Chose the solution option to take forward",
        "solutions.final_checks_run": "Asked for the final checks of an output version",
        "solutions.final_checks_done": "The final checks of an output version finished",
        "solutions.final_checks_fail": "The final checks of an output version could not finish",
        "solutions.final_check_answer": "Answered a final check of an output version",
        "solutions.final_checks_view": "Viewed the final checks of an output version",
        "solutions.workshop_schedule": "Scheduled a testing workshop and sent the invitations",
        "solutions.feedback_record": "Recorded feedback from a testing workshop",
        "solutions.feedback_close": "Closed an item of testing feedback",
        "solutions.feedback_acknowledge": "Acknowledged that an output may be used differently than planned",
    }
)
