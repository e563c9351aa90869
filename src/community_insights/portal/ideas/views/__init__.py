"""Thin views of the ideas app, one module per step of the guide they serve (see ``services``).

Each view checks permission, binds a form with ``posted(request)``, calls one service through
``call_service`` (which puts a refusal on the form) and redirects or renders. None writes.
"""
