"""The audit actions of the reflections area (imported from ``ReflectionsConfig.ready``)."""

from community_insights.portal.core.audit import declare

declare(
    **{
        "reflections.survey_answer": "Answered the project reflections survey",
        "reflections.card_add": "Added a card to the retrospective board",
    }
)
