"""The Community Insights portal: a Django project with one app per area of the guide."""
