"""The rectification (整改) follow-up: the filtered list and one item with its plan."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import reader_required
from districts.models import District
from districts.periods import Period, PeriodError, WeekNotAcceptedError
from meetings.models import RectificationItem, RectificationStatus
from meetings.selectors.rectification import rectifications_filtered
from meetings.services.rectification import (
    may_decide,
    may_submit_plan,
    plan_accept,
    plan_return,
    plan_submit,
)
from rankings.models import Race


@reader_required
def followup(request: HttpRequest) -> HttpResponse:
    """Every item, filtered by race, period, status and unit; a bad filter is named, not a 500."""
    errors = []
    race = district = None
    period = status = ""
    if code := request.GET.get("race", "").strip():
        race = Race.objects.filter(code=code).first()
        if race is None:
            errors.append(_("Race: no race with this code."))
    if code := request.GET.get("period", "").strip():
        try:
            period = Period.parse(code).code
        except WeekNotAcceptedError:
            errors.append(_("Period: weeks (such as 2026-W14) are not accepted here."))
        except PeriodError:
            errors.append(_("Period: not a period (for example 2025Q1)."))
    if code := request.GET.get("status", "").strip():
        if code in RectificationStatus.values:
            status = code
        else:
            errors.append(_("Status: not a status."))
    if code := request.GET.get("district", "").strip():
        district = District.objects.filter(code=code).first()
        if district is None:
            errors.append(_("Unit: no unit with this code."))
    items = rectifications_filtered(race=race, period=period, status=status, district=district)
    context = {
        "items": items,
        "errors": errors,
        "races": Race.objects.order_by("order", "code"),
        "districts": District.objects.filter(active=True).order_by("group__order", "order", "code"),
        "statuses": RectificationStatus.choices,
        "chosen": {
            "race": race.code if race else "",
            "period": period,
            "status": status,
            "district": district.code if district else "",
        },
    }
    return render(request, "meetings/followup.html", context, status=400 if errors else 200)


@reader_required
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(
        RectificationItem.objects.select_related("race", "district", "repeat_of"), pk=pk
    )
    return _item_page(request, item)


def _item_page(request, item, *, errors=None, status=200) -> HttpResponse:
    context = {
        "item": item,
        "errors": errors or {},
        "may_submit": may_submit_plan(request.user, item),
        "may_decide": may_decide(request.user, item),
        "form": request.POST if errors else {},
    }
    return render(request, "meetings/rectification_item.html", context, status=status)


@reader_required
@require_POST
def item_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in ("submit", "accept", "return"):
        raise Http404("no such action")
    item = get_object_or_404(RectificationItem, pk=pk)
    post = request.POST
    try:
        if action == "submit":
            plan_submit(
                item=item,
                user=request.user,
                causes=post.get("causes", ""),
                measures=post.get("measures", ""),
                deadline=post.get("deadline", ""),
            )
            messages.success(request, _("The plan was submitted."))
        elif action == "accept":
            plan_accept(item=item, user=request.user, remark=post.get("remark", ""))
            messages.success(request, _("The plan was accepted; the item is closed."))
        else:
            plan_return(item=item, user=request.user, remark=post.get("remark", ""))
            messages.success(request, _("The plan was returned for more."))
    except ValidationError as error:
        item.refresh_from_db()
        return _item_page(request, item, errors=error.message_dict, status=400)
    return redirect("meetings:rectification", pk=item.pk)


urlpatterns = [
    path("rectification/", followup, name="followup"),
    path("rectification/<int:pk>/", item_detail, name="rectification"),
    path("rectification/<int:pk>/<str:action>/", item_act, name="rectification-act"),
]
