"""Who may open each outputs URL (format: tests/portal/access.py).

The project team sees outputs and their safety check; only the data analyst
makes outputs; only information rights sign a version off; an approved
version downloads for the team; outsiders and programme staff who are not on
the team get 404 throughout (outputs are not theirs to see before sign-off).
"""

from __future__ import annotations

from typing import Any

from tests.portal.access import LOGIN, Case, World, expect
from tests.portal.datasets.url_access import _dataset


def _team_only(*personas: str, ok: int = 200) -> dict[str, int | str]:
    if not personas:
        return expect(LOGIN, default=ok, outsider=404, staff=404)
    return expect(LOGIN, default=403, outsider=404, staff=404, **dict.fromkeys(personas, ok))


def _version(world: World, status: str = "awaiting_sign_off") -> Any:
    from community_insights.portal.datasets.encryption import seal_bytes
    from community_insights.portal.outputs.models import Output, OutputFile, OutputVersion

    copy = _dataset(world, plan_status="approved")["copy"]
    output = Output.objects.create(project=world.project, safe_copy=copy, kind="chart", title="Visits by ward")
    version = OutputVersion.objects.create(
        output=output,
        number=1,
        title=output.title,
        build_settings={"by": ["ward"], "statistic": "count"},
        status=status,
        alt_text="Bar chart of count by ward.",
        built_by=world.user("data_analyst"),
    )
    OutputFile.objects.create(version=version, format="csv", sealed=seal_bytes(b"ward,count\n"), sha256="0" * 64)
    return version


CASES = [
    Case("outputs:project_outputs", kwargs=lambda w: {"slug": w.project.slug}, expect=_team_only()),
    Case(
        "outputs:output_new",
        kwargs=lambda w: {"slug": w.project.slug, "copy_id": _dataset(w, plan_status="approved")["copy"].pk},
        expect=_team_only("data_analyst"),
    ),
    Case("outputs:dashboard_new", kwargs=lambda w: {"slug": w.project.slug}, expect=_team_only("data_analyst")),
    Case("outputs:boundary_new", kwargs=lambda w: {"slug": w.project.slug}, expect=_team_only("data_analyst")),
    Case("outputs:output_detail", kwargs=lambda w: {"output_id": _version(w).output_id}, expect=_team_only()),
    Case(
        "outputs:version_sign_off",
        kwargs=lambda w: {"version_id": _version(w).pk},
        expect=_team_only("information_rights"),
    ),
    Case(
        "outputs:version_download",
        kwargs=lambda w: {"version_id": _version(w, "approved").pk, "fmt": "csv"},
        expect=_team_only(),
        note="approved",
    ),
    Case(
        "outputs:version_download",
        kwargs=lambda w: {"version_id": _version(w).pk, "fmt": "csv"},
        expect=_team_only(ok=302),
        note="not-approved",
    ),
]
