"""Placeholder: being written."""

from django.http import Http404


def completeness_page(request, period):
    raise Http404
