"""The export area's audit vocabulary."""

from community_insights.portal.core.audit import declare

declare(
    **{
        "export.export_request": "Asked for a complete export of the programme",
        "export.export_finished": "A complete export of the programme was made",
        "export.export_failed": "A complete export of the programme failed",
        "export.export_download": "Downloaded a complete export of the programme",
        "export.export_delete": "Deleted the file of a complete export of the programme",
    }
)
