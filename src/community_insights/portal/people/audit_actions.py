"""Audit actions of the people area."""

from community_insights.portal.core.audit import declare

declare(
    **{
        "people.organisation_create": "Added an organisation",
        "people.organisation_link": "Started working with an organisation another programme had added",
        "people.organisation_update": "Changed an organisation",
        "people.invitation_create": "Invited someone to the portal",
        "people.invitation_accept": "Accepted an invitation and set a password",
        "people.invitation_revoke": "Withdrew an invitation",
        "people.user_deactivate": "Deactivated an account",
        "people.user_reactivate": "Reactivated an account",
        "people.account_update": "Changed their account details",
        "people.admin_create": "Created an administrator account",
        "people.password_change": "Changed their password",
        "people.password_reset": "Reset their password from an emailed link",
    }
)
