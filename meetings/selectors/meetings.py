"""Reads: the meetings a user may see, one meeting's agenda, and its minutes."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from accounts.access import (
    clerk_district_ids,
    is_bureau,
    is_leader,
    may_comment_at_meeting,
    may_deploy_task,
    may_plan_meeting,
    may_read,
)
from comments.selectors import CommentEntry, comment_entries, comments_visible
from districts.models import District, Indicator
from districts.periods import Period
from meetings.models import DeploymentTask, Meeting, MeetingStatus, Speech, SpeechAttachment
from meetings.selectors.notices import Notice, list_text, notice_for_races
from meetings.selectors.rectification import rectifications_for_races
from rankings.engine import parse_methodology
from rankings.models import Race
from rankings.selectors.publications import publication_current


def meetings_visible(user) -> QuerySet[Meeting]:
    """The meetings a user may open: every one for the bureau and the leaders; held ones for
    everyone with a role; planned ones too for the clerks whose units speak or have tasks."""
    meetings = Meeting.objects.prefetch_related("races")
    if not may_read(user):
        return meetings.none()
    if is_bureau(user) or is_leader(user):
        return meetings
    own = clerk_district_ids(user)
    return meetings.filter(
        ~Q(status=MeetingStatus.PLANNED)
        | Q(speeches__district__in=own)
        | Q(tasks__responsible__in=own)
    ).distinct()


def meeting_get(*, pk: int) -> Meeting | None:
    return (
        Meeting.objects.select_related("created_by", "minutes_published_by").filter(pk=pk).first()
    )


@dataclass(frozen=True)
class RaceComments:
    race: Race
    entries: list[CommentEntry]


@dataclass(frozen=True)
class MeetingAgenda:
    """What the meeting page shows, in the order of the meeting itself."""

    meeting: Meeting
    races: list[Race]
    notice: Notice
    about_meeting: list[CommentEntry]
    about_races: list[RaceComments]
    rectifications: list
    may_plan: bool
    may_comment: bool
    may_deploy: bool

    @property
    def comment_count(self) -> int:
        return len(self.about_meeting) + sum(len(group.entries) for group in self.about_races)


def meeting_comments(*, meeting: Meeting, races: list[Race], user):
    """The leaders' comments made at the meeting: on the whole meeting, then race by race."""
    comments = comments_visible().filter(meeting=meeting).order_by("created_at", "pk")
    entries = comment_entries(comments=comments, user=user)
    about_meeting = [e for e in entries if e.comment.race_id is None]
    about_races = [
        RaceComments(race=race, entries=[e for e in entries if e.comment.race_id == race.pk])
        for race in races
    ]
    return about_meeting, [group for group in about_races if group.entries]


def meeting_races(meeting: Meeting) -> list[Race]:
    """The meeting's races in the order of their groups, as the agenda and papers list them."""
    return list(meeting.races.select_related("group").order_by("group__order", "code"))


def meeting_notice(*, meeting: Meeting, races: list[Race] | None = None) -> Notice:
    """The results notice of the meeting: one section per race, for the meeting's period."""
    races = meeting_races(meeting) if races is None else races
    return notice_for_races(title=meeting.title, races=races, period=Period.parse(meeting.period))


def meeting_agenda(*, meeting: Meeting, user) -> MeetingAgenda:
    """The agenda's generated parts: the results report, comments and rectification."""
    races = meeting_races(meeting)
    about_meeting, about_races = meeting_comments(meeting=meeting, races=races, user=user)
    return MeetingAgenda(
        meeting=meeting,
        races=races,
        notice=meeting_notice(meeting=meeting, races=races),
        about_meeting=about_meeting,
        about_races=about_races,
        rectifications=rectifications_for_races(races=races, period=meeting.period),
        may_plan=may_plan_meeting(user) and meeting.status != MeetingStatus.MINUTES_PUBLISHED,
        may_comment=may_comment_at_meeting(user, meeting),
        may_deploy=may_deploy_task(user, meeting),
    )


def comment_subjects(*, races: list[Race], period: str) -> list[tuple[Race, list, list]]:
    """What a comment at the meeting may concern: per published race, its units and indicators.

    A race not yet published for the period offers nothing: comments are on published figures.
    """
    subjects = []
    parsed = Period.parse(period)
    for race in races:
        publication = publication_current(race=race, period=parsed)
        if publication is None:
            continue
        districts = list(
            District.objects.filter(standings__publication=publication).order_by("order", "code")
        )
        codes = parse_methodology(publication.methodology.spec).indicator_codes
        by_code = Indicator.objects.in_bulk(codes, field_name="code")
        subjects.append((race, districts, [by_code[c] for c in codes if c in by_code]))
    return subjects


@dataclass(frozen=True)
class MinutesSpeech:
    unit: str
    title: str
    body: str  # the Markdown source, for the .docx
    body_html: str
    has_attachment: bool


@dataclass(frozen=True)
class MinutesComment:
    author: str
    subject: str
    body: str
    body_html: str


@dataclass(frozen=True)
class MinutesTask:
    text: str
    units: str
    due: datetime.date


@dataclass(frozen=True)
class Minutes:
    """The record of a meeting, assembled from what was entered: nothing is typed twice."""

    meeting: Meeting
    attendance: list[str]
    notice: Notice
    speeches: list[MinutesSpeech]
    comments: list[MinutesComment]
    tasks: list[MinutesTask]


def _subject_text(comment) -> str:
    if comment.race_id is None:
        return _("the whole meeting")
    if comment.district_id:
        return f"{comment.race.display_name} · {comment.district.display_name}"
    if comment.indicator_id:
        return f"{comment.race.display_name} · {comment.indicator.display_name}"
    return comment.race.display_name


def meeting_minutes(*, meeting: Meeting) -> Minutes:
    """The minutes of a held meeting, in the active language."""
    speeches = (
        Speech.objects.filter(meeting=meeting)
        .select_related("district")
        .annotate(has_file=Exists(SpeechAttachment.objects.filter(speech=OuterRef("pk"))))
        .order_by("order", "pk")
    )
    comments = comments_visible().filter(meeting=meeting).order_by("created_at", "pk")
    tasks = DeploymentTask.objects.filter(meeting=meeting).prefetch_related("responsible")
    return Minutes(
        meeting=meeting,
        attendance=[line.strip() for line in meeting.attendance.splitlines() if line.strip()],
        notice=meeting_notice(meeting=meeting),
        speeches=[
            MinutesSpeech(
                unit=s.district.display_name,
                title=s.title,
                body=s.body,
                body_html=s.body_html,
                has_attachment=s.has_file,
            )
            for s in speeches
        ],
        comments=[
            MinutesComment(
                author=c.author.get_full_name() or c.author.get_username(),
                subject=_subject_text(c),
                body=c.body,
                body_html=c.body_html,
            )
            for c in comments
        ],
        tasks=[
            MinutesTask(
                text=t.text,
                units=list_text([d.display_name for d in t.responsible.all()]),
                due=t.due_date,
            )
            for t in tasks
        ],
    )
