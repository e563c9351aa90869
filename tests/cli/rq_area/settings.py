"""The portal's own local settings, with the paced export of ``tests.cli.rq_area`` added (worker test only)."""

from community_insights.portal.config.settings.local import *  # noqa: F403
from community_insights.portal.config.settings.local import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "tests.cli.rq_area"]
