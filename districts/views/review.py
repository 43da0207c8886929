"""A district's return for a period as the bureau reviews it, and a figure's history."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.access import clerk_district_ids, may_review, reader_required
from districts.models import District, Value
from districts.selectors.review import return_review_get, value_history_get
from districts.services.review import return_approve, return_reopen, return_send_back
from pages.requests import period_or_404


class ReviewForm(forms.Form):
    action = forms.ChoiceField(
        choices=[
            ("approve", gettext_lazy("Approve")),
            ("return", gettext_lazy("Return to the clerk")),
            ("reopen", gettext_lazy("Reopen")),
        ]
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason (read by the clerk; needed to return or reopen)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _may_see_return(user, district: District) -> bool:
    return may_review(user) or district.pk in clerk_district_ids(user)


@reader_required
def review_page(request: HttpRequest, district: str, period: str) -> HttpResponse:
    district_obj = get_object_or_404(District.objects.select_related("group"), code=district)
    period_obj = period_or_404(period)
    if not _may_see_return(request.user, district_obj):
        raise PermissionDenied
    form = ReviewForm(request.POST if request.method == "POST" else None)
    if form.is_bound:
        if not may_review(request.user):
            raise PermissionDenied
        if form.is_valid():
            action = form.cleaned_data["action"]
            args = {"user": request.user, "district": district_obj, "period": period_obj}
            try:
                if action == "approve":
                    return_approve(**args)
                elif action == "return":
                    return_send_back(**args, reason=form.cleaned_data["reason"])
                else:
                    return_reopen(**args, reason=form.cleaned_data["reason"])
            except ValidationError as error:
                _show_on_form(form, error)
            else:
                done = {
                    "approve": _("The return is approved; races read its figures."),
                    "return": _("The return is sent back to the clerk with your reason."),
                    "reopen": _("The return is reopened; its figures can be corrected."),
                }[action]
                messages.success(request, done)
                return redirect("entry-review", district=district_obj.code, period=period_obj.code)
    review = return_review_get(district=district_obj, period=period_obj)
    context = {"review": review, "form": form, "may_review": may_review(request.user)}
    return render(request, "districts/review.html", context)


def _show_on_form(form: forms.Form, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for key, texts in error.message_dict.items():
        form.add_error(key if key in form.fields else None, texts)


@reader_required
def value_history(request: HttpRequest, pk: int) -> HttpResponse:
    value = get_object_or_404(Value.objects.select_related("district", "indicator"), pk=pk)
    if not _may_see_return(request.user, value.district):
        raise PermissionDenied
    context = {"value": value, "entries": value_history_get(value=value)}
    return render(request, "districts/value_history.html", context)
