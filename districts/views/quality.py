"""Placeholder: being written."""

from django.http import Http404


def quality_page(request, period):
    raise Http404
