"""Settings split as in cookiecutter-django: base, local, production and test."""
