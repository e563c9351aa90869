"""Who may change the programme's public words: programme staff."""

from __future__ import annotations

import rules

from community_insights.portal.core.permissions import is_programme_staff

can_edit_programme = is_programme_staff

rules.add_perm("programme.change_programme", can_edit_programme)
