"""Audit actions of the sign-in area."""

from community_insights.portal.core.audit import declare

declare(
    **{
        "signin.provider_create": "Set up a council sign-in provider",
        "signin.provider_update": "Changed a council sign-in provider",
        "signin.provider_sign_in": "Signed in through their council's provider",
        "signin.provider_link": "Linked their account to their council's provider",
        "signin.provider_join": "Joined by invitation, signing in through their council's provider",
        "signin.provider_refused": "Was refused sign-in through a council's provider",
        "signin.provider_failed": "A sign-in through a council's provider did not finish",
        "signin.two_step_added": "Set up two-step sign-in",
        "signin.two_step_removed": "Turned off a two-step sign-in method",
        "signin.recovery_codes_renewed": "Made new recovery codes",
    }
)
