"""WSGI entry point used by ``insights serve`` (gunicorn)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "community_insights.portal.config.settings.local")
application = get_wsgi_application()
