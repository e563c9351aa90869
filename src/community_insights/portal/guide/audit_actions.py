"""The audit actions of the guide area (imported from ``GuideConfig.ready``)."""

from community_insights.portal.core.audit import declare

declare(
    **{
        "guide.version_seed": "Recorded the national guide as version 1",
        "guide.change_propose": "Proposed a change to the guide",
        "guide.change_discard": "Discarded a proposed change to the guide",
        "guide.version_publish": "Published a new version of the guide",
    }
)
