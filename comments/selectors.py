"""Reads: comments (点评) on published races, each with its responses and what the reader may do.

Every page that lists comments goes through ``comment_entries`` so the number of queries stays
the same however many comments and responses there are.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import groupby

from django.core.paginator import Page, Paginator
from django.db.models import Prefetch, QuerySet
from django.http import QueryDict

from accounts.access import may_edit_comment, may_remove_comment, may_respond
from comments.filters import CommentFilter
from comments.models import Comment
from districts.models import District, Indicator
from districts.periods import Period
from rankings.engine import parse_methodology
from rankings.models import Publication, Race
from rankings.selectors.publications import publication_current

COMMENTS_PER_PAGE = 50


@dataclass(frozen=True)
class CommentEntry:
    """One comment as a reader sees it: its responses and the actions open to that reader."""

    comment: Comment
    responses: list[CommentEntry]
    can_edit: bool
    can_remove: bool
    can_respond: bool

    @property
    def author_name(self) -> str:
        author = self.comment.author
        return author.get_full_name() or author.get_username()

    @property
    def has_actions(self) -> bool:
        return self.can_edit or self.can_remove or self.can_respond


@dataclass(frozen=True)
class SubjectComments:
    """The comments about one district or one indicator."""

    subject: District | Indicator
    entries: list[CommentEntry]


@dataclass(frozen=True)
class RaceComments:
    race: Race
    period: Period
    publication: Publication
    about_race: list[CommentEntry]
    about_districts: list[SubjectComments]
    about_indicators: list[SubjectComments]
    # What a new comment may concern: the districts ranked and the methodology's indicators.
    districts: list[District] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)

    @property
    def count(self) -> int:
        return (
            len(self.about_race)
            + sum(len(group.entries) for group in self.about_districts)
            + sum(len(group.entries) for group in self.about_indicators)
        )


def comments_visible() -> QuerySet[Comment]:
    """Comments not removed, with what displaying them needs; removed ones stay in the audit."""
    responses = (
        Comment.objects.filter(removed_at__isnull=True)
        .select_related("author")
        .order_by("created_at", "pk")
    )
    return (
        Comment.objects.filter(parent__isnull=True, removed_at__isnull=True)
        .select_related("race", "meeting", "author", "district", "indicator")
        .prefetch_related(Prefetch("responses", queryset=responses, to_attr="visible_responses"))
    )


def comment_entries(*, comments: Iterable[Comment], user) -> list[CommentEntry]:
    """Wrap comments from ``comments_visible()`` with their responses and the reader's actions."""
    return [
        CommentEntry(
            comment=comment,
            responses=[
                CommentEntry(
                    comment=response,
                    responses=[],
                    can_edit=may_edit_comment(user, response),
                    can_remove=may_remove_comment(user, response),
                    can_respond=False,
                )
                for response in comment.visible_responses
            ],
            can_edit=may_edit_comment(user, comment),
            can_remove=may_remove_comment(user, comment),
            can_respond=may_respond(user, comment),
        )
        for comment in comments
    ]


def race_comments_get(*, race: Race, period: Period, user) -> RaceComments | None:
    """The comments on a published race and period, grouped by what they concern.

    None when the race has no current publication for the period: comments are taken on
    published races only.
    """
    publication = publication_current(race=race, period=period)
    if publication is None:
        return None
    districts = list(
        District.objects.filter(standings__publication=publication).order_by("order", "code")
    )
    indicators = _methodology_indicators(publication)
    comments = comments_visible().filter(race=race, period=period.code).order_by("created_at", "pk")
    entries = comment_entries(comments=comments, user=user)

    def subject_groups(subjects: list, key: str) -> list[SubjectComments]:
        # Subjects in the race's own order (districts as ranked, indicators as in the
        # methodology); a subject no longer in the race sorts last rather than vanishing.
        order = {subject.pk: position for position, subject in enumerate(subjects)}

        def sort_key(entry: CommentEntry):
            subject = getattr(entry.comment, key)
            return (order.get(subject.pk, len(order)), subject.code)

        about = sorted((e for e in entries if getattr(e.comment, key) is not None), key=sort_key)
        return [
            SubjectComments(subject=subject, entries=list(group))
            for subject, group in groupby(about, key=lambda e: getattr(e.comment, key))
        ]

    return RaceComments(
        race=race,
        period=period,
        publication=publication,
        about_race=[
            e for e in entries if e.comment.district_id is None and e.comment.indicator_id is None
        ],
        about_districts=subject_groups(districts, "district"),
        about_indicators=subject_groups(indicators, "indicator"),
        districts=districts,
        indicators=indicators,
    )


def _methodology_indicators(publication: Publication) -> list[Indicator]:
    """The indicators the published methodology ranks on, in the order it lists them."""
    codes = parse_methodology(publication.methodology.spec).indicator_codes
    by_code = Indicator.objects.in_bulk(codes, field_name="code")
    return [by_code[code] for code in codes if code in by_code]


def comment_get(*, pk: int) -> Comment | None:
    """One comment (removed or not) with its race, subject and author."""
    return (
        Comment.objects.select_related("race", "meeting", "district", "indicator", "author")
        .filter(pk=pk)
        .first()
    )


@dataclass(frozen=True)
class CommentFeed:
    filter: CommentFilter
    page: Page
    entries: list[CommentEntry]


def comment_feed_get(*, params: QueryDict, page_number: str | int | None, user) -> CommentFeed:
    """All visible comments, newest first, filtered by ``params`` and cut into pages."""
    comments = CommentFilter(params, queryset=comments_visible().order_by("-created_at", "-pk"))
    page = Paginator(comments.qs, COMMENTS_PER_PAGE).get_page(page_number)
    return CommentFeed(
        filter=comments, page=page, entries=comment_entries(comments=page.object_list, user=user)
    )


def comments_about_district(*, district: District, race: Race) -> list[Comment]:
    """Comments about the district in this race, newest period first, with their responses."""
    responses = Comment.objects.filter(removed_at__isnull=True).select_related("author")
    comments = (
        Comment.objects.filter(
            race=race, district=district, parent__isnull=True, removed_at__isnull=True
        )
        .select_related("author")
        .prefetch_related(Prefetch("responses", queryset=responses, to_attr="visible_responses"))
    )
    ordered = sorted(comments, key=lambda c: c.created_at, reverse=True)
    ordered.sort(key=lambda c: Period.parse(c.period), reverse=True)
    return ordered
