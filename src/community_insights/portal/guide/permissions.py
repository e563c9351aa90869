"""Who may read and change the guide (named rules, django-rules).

Everyone reads the published guide and its history: it is the programme's public
method. Programme staff propose changes, read proposals and publish them, since
a new version changes the checklists every project ticks.
"""

from __future__ import annotations

import rules

from community_insights.portal.core.permissions import is_programme_staff

can_propose_change = is_programme_staff
can_publish_version = is_programme_staff
can_view_proposals = is_programme_staff

rules.add_perm("guide.propose", can_propose_change)
rules.add_perm("guide.publish", can_publish_version)
rules.add_perm("guide.view_proposals", can_view_proposals)
