"""Placeholder: being written."""

from django.http import Http404


def review_page(request, district, period):
    raise Http404


def value_history(request, pk):
    raise Http404
