"""Placeholder: being written."""

from django.http import Http404


def period_grid_view(request, model_admin):
    raise Http404
