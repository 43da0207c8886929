"""Writes: officials' comments (点评), clerks' responses, edits and removals, with an audit trail.

Each write asks accounts.access whether the user may make it, the same rule the pages use
to offer it, so a rule holds whatever page or command calls these functions.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import (
    may_comment,
    may_comment_at_meeting,
    may_edit_comment,
    may_remove_comment,
    may_respond,
)
from accounts.roles import Role, roles_of
from comments.markdown_subset import render_markdown
from comments.models import Comment, CommentEvent
from districts.models import District, Indicator
from districts.periods import Period
from pages.text import visible_text
from rankings.engine import parse_methodology
from rankings.models import Publication, Race
from rankings.selectors.publications import publication_current

MAX_COMMENT_LENGTH = 5000


def _clean_body(body: str) -> str:
    body = visible_text(body)
    if not body:
        raise ValidationError({"body": _("Write something before posting.")})
    if len(body) > MAX_COMMENT_LENGTH:
        raise ValidationError(
            {
                "body": _("A comment holds at most %(limit)d characters.")
                % {"limit": MAX_COMMENT_LENGTH}
            }
        )
    return body


def _primary_role(user) -> str:
    roles = roles_of(user)
    for role in (Role.ADMINISTRATOR, Role.OFFICIAL, Role.REVIEWER, Role.CLERK, Role.VIEWER):
        if role in roles:
            return role.value
    return ""


@transaction.atomic
def comment_post(
    *,
    author,
    race: Race,
    period: Period,
    body: str,
    district: District | None = None,
    indicator: Indicator | None = None,
) -> Comment:
    """Comment on a published race and period, its whole, one district or one indicator."""
    if not may_comment(author):
        raise PermissionDenied(_("Only officials and administrators can write comments."))
    _check_subject(race=race, period=period, district=district, indicator=indicator)
    return _comment_create(
        author=author, race=race, period=period, body=body, district=district, indicator=indicator
    )


@transaction.atomic
def meeting_comment_post(
    *,
    author,
    meeting,
    body: str,
    race: Race | None = None,
    district: District | None = None,
    indicator: Indicator | None = None,
) -> Comment:
    """A leader's comment (点评) made at a meeting: on the whole meeting, or on one of its races,
    a unit or an indicator of that race (then it also shows among the race's comments)."""
    if not may_comment_at_meeting(author, meeting):
        raise PermissionDenied(
            _("Only officials and administrators comment at a meeting, until its minutes.")
        )
    period = Period.parse(meeting.period)
    if race is None and (district is not None or indicator is not None):
        raise ValidationError(_("A comment on a unit or an indicator names its race."))
    if race is not None:
        if not meeting.races.filter(pk=race.pk).exists():
            raise ValidationError({"race": _("This race is not on the meeting's agenda.")})
        _check_subject(race=race, period=period, district=district, indicator=indicator)
    return _comment_create(
        author=author,
        race=race,
        period=period,
        body=body,
        district=district,
        indicator=indicator,
        meeting=meeting,
    )


def _check_subject(*, race: Race, period: Period, district, indicator) -> None:
    publication = publication_current(race=race, period=period)
    if publication is None:
        raise ValidationError(_("Comments are taken on published races only."))
    if district is not None and indicator is not None:
        raise ValidationError(_("A comment concerns one district or one indicator, not both."))
    if district is not None and district.group_id != race.group_id:
        raise ValidationError({"district": _("This district does not run in this race.")})
    if indicator is not None and indicator.code not in _indicator_codes(publication):
        raise ValidationError({"indicator": _("This indicator is not part of this race.")})


def _comment_create(*, author, race, period: Period, body: str, district, indicator, meeting=None):
    text = _clean_body(body)
    comment = Comment.objects.create(
        race=race,
        meeting=meeting,
        period=period.code,
        district=district,
        indicator=indicator,
        author=author,
        author_role=_primary_role(author),
        body=text,
        body_html=render_markdown(text),
    )
    CommentEvent.objects.create(comment=comment, action="created", actor=author, body=text)
    return comment


def _indicator_codes(publication: Publication) -> tuple[str, ...]:
    """The indicators the published methodology ranks on (its leaves)."""
    return parse_methodology(publication.methodology.spec).indicator_codes


@transaction.atomic
def comment_respond(*, author, comment: Comment, body: str) -> Comment:
    """A unit's statement or rectification plan in answer to a comment about it."""
    if not may_respond(author, comment):
        raise PermissionDenied(_("Only the clerks of this district can respond to this comment."))
    text = _clean_body(body)
    response = Comment.objects.create(
        race=comment.race,
        meeting=comment.meeting,
        period=comment.period,
        district=comment.district,
        parent=comment,
        author=author,
        author_role=_primary_role(author),
        body=text,
        body_html=render_markdown(text),
    )
    CommentEvent.objects.create(comment=response, action="created", actor=author, body=text)
    return response


@transaction.atomic
def comment_edit(*, editor, comment: Comment, body: str) -> Comment:
    if not may_edit_comment(editor, comment):
        raise PermissionDenied(_("Only the author can edit a comment, within 15 minutes."))
    text = _clean_body(body)
    comment.body, comment.body_html = text, render_markdown(text)
    comment.edited_at = timezone.now()
    comment.save(update_fields=["body", "body_html", "edited_at"])
    CommentEvent.objects.create(comment=comment, action="edited", actor=editor, body=text)
    return comment


@transaction.atomic
def comment_remove(*, actor, comment: Comment, reason: str = "") -> Comment:
    """Hide a comment from the pages; its text stays in the audit trail."""
    if not may_remove_comment(actor, comment):
        raise PermissionDenied(_("Only administrators can remove comments."))
    comment.removed_at, comment.removed_by = timezone.now(), actor
    comment.save(update_fields=["removed_at", "removed_by"])
    CommentEvent.objects.create(
        comment=comment, action="removed", actor=actor, body=comment.body, reason=reason[:300]
    )
    return comment
