"""Who may do what with a project's outputs.

The guide's Step 5: how data is presented can turn something safe into a
risk, so an output is shared beyond the project team only after the
information rights expert has signed off that exact version.

- the project team sees outputs, their previews and their output safety check;
- the project's analysts make outputs and build new versions;
- the information rights expert approves or rejects a version, and may not
  sign off a version they built themselves;
- only an approved version can be downloaded, by the project team, to share.
"""

from __future__ import annotations

from typing import Any

import rules

from community_insights.portal.projects.membership import holds_role, is_project_member


@rules.predicate
def is_builder(user: Any, version: Any) -> bool:
    return version is not None and getattr(user, "pk", None) is not None and version.built_by_id == user.pk


#: On the team: programme staff alone see no outputs before they are shared (they receive no data).
can_view_outputs = is_project_member
can_make_output = holds_role("data_analyst")
can_sign_off_output = holds_role("information_rights")
can_download_output = is_project_member


def can_sign_off_version(user: Any, version: Any) -> bool:
    """Information rights on the project, and not the person who built this version."""
    return bool(can_sign_off_output(user, version)) and not is_builder(user, version)


rules.add_perm("outputs.view_outputs", can_view_outputs)
rules.add_perm("outputs.make_output", can_make_output)
rules.add_perm("outputs.sign_off_output", can_sign_off_output)
rules.add_perm("outputs.download_output", can_download_output)
