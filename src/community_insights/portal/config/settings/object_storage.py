"""Where the portal keeps its encrypted files: a private folder, Azure Blob Storage or S3.

Why a setting and not code: a borough runs the portal on one machine and its
files on one disk; a combined authority runs several web servers and workers,
which must all see the same files, so they go to object storage its engineers
already run. The choice is one environment variable, ``INSIGHTS_FILE_STORAGE``
(``local``, ``azure`` or ``s3``), read with the rest of the settings.

Whatever the choice, files are sealed (AES-256-GCM, ``datasets.encryption``)
on this side of the wire before the storage sees them, and the storage's URLs
are never handed out: a download always goes through a view that checks
permission. django-storages is imported only when a deployment asks for it,
so a single-machine install does not need it.
"""

from __future__ import annotations

from typing import Any

import environ
from django.core.exceptions import ImproperlyConfigured

CHOICES = ("local", "azure", "s3")


def _azure(env: environ.Env) -> dict[str, Any]:
    options: dict[str, Any] = {
        "azure_container": env("INSIGHTS_AZURE_CONTAINER", default="insights-files"),
        "overwrite_files": False,  # a new name for a new file; an old sealed file is never replaced in place
        "expiration_secs": None,
    }
    connection_string = env("INSIGHTS_AZURE_CONNECTION_STRING", default="")
    if connection_string:
        options["connection_string"] = connection_string
    else:
        options["account_name"] = env("INSIGHTS_AZURE_ACCOUNT_NAME")
        options["account_key"] = env("INSIGHTS_AZURE_ACCOUNT_KEY", default=None)
        options["sas_token"] = env("INSIGHTS_AZURE_SAS_TOKEN", default=None)
    return {"BACKEND": "storages.backends.azure_storage.AzureStorage", "OPTIONS": options}


def _s3(env: environ.Env) -> dict[str, Any]:
    options: dict[str, Any] = {
        "bucket_name": env("INSIGHTS_S3_BUCKET"),
        "file_overwrite": False,
        "default_acl": "private",
        "querystring_auth": True,  # even if a URL were ever made, it would be a short-lived signed one
    }
    for option, name in (("endpoint_url", "INSIGHTS_S3_ENDPOINT_URL"), ("region_name", "INSIGHTS_S3_REGION")):
        value = env(name, default="")
        if value:
            options[option] = value
    # Keys come from the usual AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY or the machine's role, read by boto3.
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}


def file_storage(env: environ.Env) -> dict[str, Any] | None:
    """``STORAGES["datasets"]`` for the chosen object storage, or None for the private local folder."""
    choice = env("INSIGHTS_FILE_STORAGE", default="local").strip().lower()
    if choice not in CHOICES:
        raise ImproperlyConfigured(f"INSIGHTS_FILE_STORAGE must be one of {', '.join(CHOICES)}, not {choice!r}.")
    if choice == "azure":
        return _azure(env)
    if choice == "s3":
        return _s3(env)
    return None
