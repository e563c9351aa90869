"""Who may change a programme (its words, branding, people) or set up another: its programme staff."""

from __future__ import annotations

import rules

from community_insights.portal.core.permissions import is_programme_staff

can_edit_programme = is_programme_staff
#: Setting up another programme: staff of the current one (a regional body adding a partnership).
can_create_programme = is_programme_staff

rules.add_perm("programme.change_programme", can_edit_programme)
