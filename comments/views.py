"""Comment pages (点评): a race's comments, the list of all comments, and edit/remove/respond."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.access import (
    may_comment,
    may_edit_comment,
    may_remove_comment,
    may_respond,
    reader_required,
)
from comments import services as comment_services
from comments.forms import CommentForm, EditForm, RemoveForm, ResponseForm
from comments.models import Comment
from comments.selectors import comment_feed_get, comment_get, race_comments_get
from pages.requests import period_or_404
from rankings.models import Race


def _posted(request: HttpRequest):
    """The submitted data on a POST (even an empty one, so it is validated), else None."""
    return request.POST if request.method == "POST" else None


def _comment_or_404(pk: int) -> Comment:
    comment = comment_get(pk=pk)
    if comment is None:
        raise Http404
    return comment


def _race_comments_url(comment: Comment) -> str:
    """Where a comment is read: its race's comments, or its meeting for a meeting-wide one."""
    if comment.race_id is None:
        url = reverse("meetings:meeting", args=[comment.meeting_id])
        return f"{url}#comment-{comment.pk}" if not comment.is_removed else url
    url = reverse("race-comments", args=[comment.race.code, comment.period])
    return f"{url}#comment-{comment.pk}" if not comment.is_removed else url


@reader_required
def race_comments(request: HttpRequest, race: str, period: str) -> HttpResponse:
    page = race_comments_get(
        race=get_object_or_404(Race.objects.select_related("group"), code=race),
        period=period_or_404(period),
        user=request.user,
    )
    if page is None:
        raise Http404(_("This race is not published for this period."))
    may_post = may_comment(request.user)
    if request.method == "POST" and not may_post:
        raise PermissionDenied
    form = CommentForm(
        _posted(request),
        districts=page.districts,
        indicators=page.indicators,
        initial={
            "concerning": CommentForm.initial_concerning(
                district=request.GET.get("district"), indicator=request.GET.get("indicator")
            )
        },
    )
    if form.is_bound and form.is_valid():
        try:
            comment = comment_services.comment_post(
                author=request.user,
                race=page.race,
                period=page.period,
                body=form.cleaned_data["body"],
                **form.subject(),
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Your comment is posted."))
            return redirect(_race_comments_url(comment))
    context = {"page": page, "form": form if may_post else None}
    return render(request, "comments/race_comments.html", context)


@reader_required
def comment_list(request: HttpRequest) -> HttpResponse:
    feed = comment_feed_get(
        params=request.GET, page_number=request.GET.get("page"), user=request.user
    )
    # Page links keep the filters.
    params = request.GET.copy()
    params.pop("page", None)
    context = {"feed": feed, "filter_query": params.urlencode()}
    return render(request, "comments/comment_list.html", context)


@reader_required
def comment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    comment = _comment_or_404(pk)
    if not may_edit_comment(request.user, comment):
        raise PermissionDenied(_("Only the author can edit a comment, within 15 minutes."))
    form = EditForm(_posted(request), initial={"body": comment.body})
    if form.is_bound and form.is_valid():
        try:
            comment_services.comment_edit(
                editor=request.user, comment=comment, body=form.cleaned_data["body"]
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Your changes are saved."))
            return redirect(_race_comments_url(comment))
    return _comment_form(request, comment, form, action="edit")


@reader_required
def comment_remove(request: HttpRequest, pk: int) -> HttpResponse:
    comment = _comment_or_404(pk)
    if not may_remove_comment(request.user, comment):
        raise PermissionDenied(_("Only administrators can remove comments."))
    form = RemoveForm(_posted(request))
    if form.is_bound and form.is_valid():
        try:
            comment_services.comment_remove(
                actor=request.user, comment=comment, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("The comment is removed; its text stays in the audit."))
            return redirect(_race_comments_url(comment))
    return _comment_form(request, comment, form, action="remove")


@reader_required
def comment_respond(request: HttpRequest, pk: int) -> HttpResponse:
    comment = _comment_or_404(pk)
    if not may_respond(request.user, comment):
        raise PermissionDenied(_("Only the clerks of this district can respond to this comment."))
    form = ResponseForm(_posted(request))
    if form.is_bound and form.is_valid():
        try:
            response = comment_services.comment_respond(
                author=request.user, comment=comment, body=form.cleaned_data["body"]
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Your response is posted."))
            return redirect(_race_comments_url(response))
    return _comment_form(request, comment, form, action="respond")


def _comment_form(request: HttpRequest, comment: Comment, form, *, action: str) -> HttpResponse:
    context = {
        "comment": comment,
        "form": form,
        "action": action,
        "back_url": _race_comments_url(comment),
    }
    return render(request, "comments/comment_form.html", context)
