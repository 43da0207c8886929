"""Illustrative rectification items for the demo: some closed, some open, one returned.

Every plan's text says it is illustrative. Idempotent: items already given a plan are left.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib.auth import get_user_model

from comments.services import meeting_comment_post
from districts.models import District
from districts.periods import Period
from meetings.models import Meeting, RectificationItem, RectificationStatus
from meetings.services.meetings import meeting_create, meeting_mark_held, minutes_publish
from meetings.services.rectification import (
    plan_accept,
    plan_return,
    plan_submit,
    rectification_items_from_publication,
)
from meetings.services.speeches import speakers_set, speech_submit
from meetings.services.tasks import task_deploy, task_progress_report
from rankings.models import Publication, Race, is_monthly_review

# The demo's races, one per group (demo/races/*.toml).
DEMO_RACES = ["counties-economy", "zones-economy", "departments-tasks"]

CAUSES = "Illustrative demo text: investment projects started later than planned."
MEASURES = (
    "Illustrative demo text: a weekly project schedule, two projects brought forward, "
    "a named leader for each lagging indicator."
)


def load_demo_rectifications() -> int:
    """Items for every current demo publication's yellow flags, with illustrative plans.

    Items of the earlier quarters alternate closed and open (open ones carry over); in the
    latest quarter one plan waits for a decision and one was returned for more.
    """
    users = get_user_model().objects
    reviewer, official = users.get(username="reviewer"), users.get(username="official")
    # Monthly reviews make no items: only the quarterly races are followed up.
    publications = sorted(
        (
            publication
            for publication in Publication.objects.filter(
                superseded_at__isnull=True
            ).select_related("race")
            if not publication.is_monthly_review
        ),
        key=lambda p: (Period.parse(p.period), p.race.code),
    )
    for publication in publications:
        rectification_items_from_publication(publication=publication)
    periods = sorted({Period.parse(p.period) for p in publications})
    if not periods:
        return 0
    latest = periods[-1].code
    # Each item's fate follows from its place among all items, not among those still awaiting
    # a plan, so that loading the demo again leaves the open ones open.
    items = RectificationItem.objects.order_by("period", "race__code", "district__code")
    latest_done = sum(1 for item in items if item.period == latest and item.causes)
    for n, item in enumerate(items):
        if item.status != RectificationStatus.AWAITING_PLAN or item.causes:
            continue
        period = Period.parse(item.period)
        # A month after the quarter the flag was published in.
        deadline = date(period.year, period.end_month, 28) + timedelta(days=120)
        if item.period != latest:
            if n % 2:
                continue  # left open: it carries over
            plan_submit(
                item=item, user=reviewer, causes=CAUSES, measures=MEASURES, deadline=deadline
            )
            plan_accept(item=item, user=official, remark="Illustrative demo: accepted.")
        elif latest_done < 2:
            plan_submit(
                item=item, user=reviewer, causes=CAUSES, measures=MEASURES, deadline=deadline
            )
            if latest_done == 1:
                plan_return(
                    item=item,
                    user=official,
                    remark="Illustrative demo: name the projects and their dates.",
                )
            latest_done += 1
    return RectificationItem.objects.count()


# The units that gave exchange speeches at the meeting of the seed article: Changchun New
# Area, Dehui City, Lüyuan District, the Economic Development Zone and the Municipal Bureau
# of Industry and Information Technology (a demo department).
SEED_SPEAKERS = ["CCNA", "220183", "220106", "220171", "DEPT-IIT"]
SPEECH_TEXT = (
    "Illustrative demo text, not a real speech.\n\n"
    "- What we did this quarter: projects brought forward, enterprises visited.\n"
    "- What held us back: **land** and **funding** for two projects.\n"
    "- Next quarter: a weekly schedule for every key project."
)
HOW_TO_LOOK = (
    "Illustrative demo comment (how to look): read the order with its reasons; "
    "a rank is a signal, not a verdict."
)
HOW_TO_DO = (
    "Illustrative demo comment (how to do): the units behind the time account name a leader "
    "for each lagging indicator and report every week."
)
TASKS = [
    "Illustrative demo task: bring the lagging key projects forward and report weekly.",
    "Illustrative demo task: a plan for every indicator behind the time account.",
]
ATTENDANCE = [
    "Illustrative demo: city leaders",
    "The units of every race",
    "The statistics bureau",
]
# Meetings are held about three weeks after the quarter's figures are published.
DAYS_AFTER_QUARTER = 25


def _demo_meeting_title(period: Period) -> str:
    return f"{period.code} 赛马会 · horse-race meeting (illustrative demo)"


def load_demo_meetings(*, today: date | None = None) -> int:
    """One held meeting per published demo quarter, each with the seed's five speakers,
    leaders' comments and deployed tasks; every meeting but the latest has its minutes out.

    A meeting whose date would lie after ``today`` is not made: the demo never claims a
    meeting that has not happened. Idempotent: a quarter that has its meeting is left.
    """
    today = today or date.today()
    users = get_user_model().objects
    reviewer, official = users.get(username="reviewer"), users.get(username="official")
    races = list(Race.objects.filter(code__in=DEMO_RACES).order_by("group__order"))
    # No meeting reviews a monthly review: meetings follow the quarterly races.
    published = sorted(
        {
            Period.parse(code)
            for code in Publication.objects.filter(
                race__in=races, superseded_at__isnull=True
            ).values_list("period", flat=True)
            if not is_monthly_review(code)
        }
    )
    speakers = {d.code: d for d in District.objects.filter(code__in=SEED_SPEAKERS)}
    held = []
    for period in published:
        meeting_date = date(period.year, period.end_month, 1) + timedelta(
            days=31 + DAYS_AFTER_QUARTER
        )
        if meeting_date > today:
            continue
        title = _demo_meeting_title(period)
        if Meeting.objects.filter(title=title).exists():
            continue
        meeting = meeting_create(
            actor=reviewer, title=title, period=period.code, races=races, date=meeting_date
        )
        chosen = [
            (
                speakers[code],
                "Illustrative demo: one of the five units that spoke in the seed article.",
            )
            for code in SEED_SPEAKERS
            if code in speakers
        ]
        for speech in speakers_set(actor=reviewer, meeting=meeting, speakers=chosen):
            speech_submit(
                author=reviewer,
                speech=speech,
                title=f"{speech.district.name_en or speech.district.name}: illustrative speech",
                body=SPEECH_TEXT,
            )
        meeting_comment_post(author=official, meeting=meeting, body=HOW_TO_LOOK)
        meeting_comment_post(author=official, meeting=meeting, body=HOW_TO_DO)
        next_quarter_end = period.next()
        due = date(next_quarter_end.year, next_quarter_end.end_month, 28)
        for n, text in enumerate(TASKS):
            units = [
                speakers[code] for code in SEED_SPEAKERS[n * 2 : n * 2 + 3] if code in speakers
            ]
            task_deploy(actor=official, meeting=meeting, text=text, responsible=units, due_date=due)
        meeting = meeting_mark_held(
            actor=reviewer,
            meeting=meeting,
            attendance="\n".join(ATTENDANCE),
        )
        held.append((meeting, due))
    for index, (meeting, due) in enumerate(held):
        last = index == len(held) - 1
        for task in meeting.tasks.prefetch_related("responsible"):
            for k, unit in enumerate(task.responsible.all()):
                # Past tasks are mostly done; one unit of each stays behind (overdue).
                if due <= today and not (k == 0 and task.text == TASKS[0]):
                    task_progress_report(
                        actor=reviewer,
                        task=task,
                        district=unit,
                        text="Illustrative demo report: done.",
                        done=True,
                    )
                elif not last or k == 0:
                    task_progress_report(
                        actor=reviewer,
                        task=task,
                        district=unit,
                        text="Illustrative demo report: under way.",
                        done=False,
                    )
        if not last:
            minutes_publish(actor=reviewer, meeting=meeting)
    return Meeting.objects.count()
