"""Settings for a laptop: ``make run``. Debug stays off unless asked for."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=False)
