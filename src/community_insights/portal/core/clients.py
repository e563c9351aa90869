"""Who is asking: the client's address and the sign-in name, for lockout, rate limits and the audit log.

Why one module: a lockout keyed on the wrong address locks out everybody
behind a proxy (or lets an attacker pick their own address by sending an
``X-Forwarded-For`` header), and a lockout that records no name locks out a
whole office for one person's typing. django-axes, the audit log and the
ideas form's rate limit all call these functions, so they agree.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(trusted: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(item.strip(), strict=False) for item in trusted if item.strip())


def _is_trusted(address: str, networks: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_address(request: HttpRequest) -> str | None:
    """The address the request came from, believing ``X-Forwarded-For`` only from a configured proxy.

    ``INSIGHTS_TRUSTED_PROXIES`` lists the reverse proxies' addresses (or
    networks). When the connection comes from one of them, the header is read
    from the right: the first address that is not itself a trusted proxy is
    the client (anything further left was written by the client and could be
    forged). Otherwise the connection's own address is the client.
    """
    remote = request.META.get("REMOTE_ADDR") or None
    networks = _networks(tuple(getattr(settings, "INSIGHTS_TRUSTED_PROXIES", ())))
    if remote is None or not networks or not _is_trusted(remote, networks):
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    for address in reversed([part for part in forwarded if part]):
        if _is_trusted(address, networks):
            continue
        try:
            return str(ipaddress.ip_address(address))
        except ValueError:
            return remote  # a malformed header: fall back to the proxy rather than trust it
    return remote


def sign_in_name(request: HttpRequest | None, credentials: Mapping[str, Any] | None) -> str | None:
    """``AXES_USERNAME_CALLABLE``: a keyed hash of the email address typed at sign-in.

    allauth authenticates with ``email=``, not the form's ``login`` field, so
    without this django-axes records no name and locks out by address alone.
    The address is lower-cased (the same person however they type it) and
    hashed with the secret key, because what someone types in the email box
    may be another person's address or even their password.
    """
    typed = None
    for key in ("email", "username", "login"):
        if credentials and credentials.get(key):
            typed = str(credentials[key])
            break
    if typed is None and request is not None and request.method == "POST":
        typed = request.POST.get("login") or None
    if not typed:
        return None
    return hmac.new(settings.SECRET_KEY.encode(), typed.strip().lower().encode(), hashlib.sha256).hexdigest()[:32]
