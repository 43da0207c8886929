"""Placeholder: being written."""

from django.http import Http404


def value_import_view(request, model_admin):
    raise Http404
