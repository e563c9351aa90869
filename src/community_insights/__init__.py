"""Community Insights: run Community Insights Projects and share data safely."""

__version__ = "0.1.0"
