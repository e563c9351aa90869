"""Wording filters every template can use (loaded as a builtin, so no ``{% load %}`` is needed).

The helpers live in ``core.wording`` so Python code (selectors, services) writes the same words.
"""

from __future__ import annotations

from django import template

from community_insights.portal.core.wording import clock, lowerfirst, with_article

register = template.Library()
register.filter("clock", clock)
register.filter("lowerfirst", lowerfirst)
register.filter("with_article", with_article)
