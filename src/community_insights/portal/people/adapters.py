"""Accounts are created by invitation only: nobody can sign up on their own."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from community_insights.portal.core.clients import client_address


class InvitationOnlyAccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def get_client_ip(self, request: HttpRequest) -> str:
        """The client's address as lockout and the audit log see it (a proxy's header only if configured)."""
        address = client_address(request)
        if not address:
            raise PermissionDenied("The client's address is unknown.")
        return address
