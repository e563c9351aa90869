"""Settings for the test suite: fast hashing, in-memory email, tasks run at once."""

from .base import *  # noqa: F403
from .base import env

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}}
AXES_ENABLED = env.bool("AXES_ENABLED", default=False)
# The personas of the other areas' tests have no authenticator app; the sign-in tests turn this on.
INSIGHTS_REQUIRE_TWO_STEP = env.bool("INSIGHTS_REQUIRE_TWO_STEP", default=False)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405 - WhiteNoise warns when it is missing
