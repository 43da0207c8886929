"""Thin views, one module per page family: parse the request, call a selector or service, render."""
