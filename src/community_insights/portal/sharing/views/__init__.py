"""Pages of the sharing area: the team's pages (``team``) and what everyone sees (``public``)."""
