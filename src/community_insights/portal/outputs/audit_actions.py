"""The outputs area's audit vocabulary: every view, build, decision and download of an output."""

from __future__ import annotations

from community_insights.portal.core.audit import declare

declare(
    **{
        "outputs.list_view": "Viewed a project's outputs",
        "outputs.output_create": "Started an output from an approved safe copy",
        "outputs.output_view": "Viewed an output",
        "outputs.version_build": "Asked for a version of an output to be built",
        "outputs.version_built": "A version of an output was built and checked",
        "outputs.version_fail": "Building a version of an output failed",
        "outputs.version_refused": "An output version was refused by the output safety check",
        "outputs.version_approve": "Approved an output version for sharing",
        "outputs.version_reject": "Sent an output version back for changes",
        "outputs.version_download": "Downloaded an approved output",
        "outputs.boundary_upload": "Added a boundary file for the project's maps",
    }
)
