"""Who may do what: every access rule of Saima, in one place.

These are reads. Views call them to decide what to show and whether to answer 403;
services call the same functions before they write, so a rule holds whatever page,
command or request reaches it.
"""

from __future__ import annotations

from datetime import timedelta
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from accounts.roles import Role, roles_of

# How long the author of a comment may still correct it.
COMMENT_EDIT_WINDOW = timedelta(minutes=15)


def may_read(user) -> bool:
    """Every role reads published races; a signed-in user without a role reads nothing."""
    return user.is_authenticated and user.has_perm("rankings.view_standing")


def is_bureau(user) -> bool:
    """The statistics bureau (reviewers) and administrators: they preview and publish."""
    return user.is_authenticated and user.has_perm("rankings.add_publication")


def may_preview(user) -> bool:
    """Unpublished standings are for those who publish them."""
    return is_bureau(user)


def may_publish(user) -> bool:
    return is_bureau(user)


def may_enter_values(user, district) -> bool:
    """Clerks enter their own districts' figures; the bureau enters and corrects any."""
    if not user.is_authenticated or not user.has_perm("districts.change_value"):
        return False
    return is_bureau(user) or district.pk in clerk_district_ids(user)


def may_submit_return(user, district) -> bool:
    """A district's clerk submits its return (the bureau may, for a district without one)."""
    return may_enter_values(user, district)


def may_review(user) -> bool:
    """Approving, returning and reopening returns is the bureau's: never a clerk's."""
    return is_bureau(user)


def may_see_unpublished(user) -> bool:
    """Figures nobody has published yet are shown to the bureau only, marked as such."""
    return is_bureau(user)


def clerk_district_ids(user) -> frozenset[int]:
    """The districts a clerk looks after (none for anyone else)."""
    if not user.is_authenticated:
        return frozenset()
    # Cached on the user object like Django's permission cache, so a page asking this for
    # every comment it lists runs one query, not one per comment.
    if not hasattr(user, "_saima_clerk_district_ids"):
        user._saima_clerk_district_ids = frozenset(
            user.clerk_districts.values_list("pk", flat=True)
        )
    return user._saima_clerk_district_ids


def may_comment(user) -> bool:
    """Officials and administrators write comments (点评) on published races."""
    return user.is_authenticated and user.has_perm("comments.post_comment")


def may_respond(user, comment) -> bool:
    """Clerks answer comments about their own districts (and administrators may too)."""
    if not user.is_authenticated or comment.district_id is None or comment.is_removed:
        return False
    if comment.parent_id is not None:
        return False
    if user.has_perm("comments.remove_comment"):
        return True
    if not user.has_perm("comments.respond_comment"):
        return False
    return comment.district_id in clerk_district_ids(user)


def may_edit_comment(user, comment, *, now=None) -> bool:
    """The author, within the edit window, of a comment still shown."""
    now = now or timezone.now()
    return (
        user.is_authenticated
        and comment.author_id == user.pk
        and not comment.is_removed
        and now - comment.created_at <= COMMENT_EDIT_WINDOW
    )


def may_remove_comment(user, comment) -> bool:
    return (
        user.is_authenticated
        and user.has_perm("comments.remove_comment")
        and not comment.is_removed
    )


def reader_required(view):
    """A page for signed-in users with a Saima role (every role reads)."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not may_read(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


# Meetings (赛马会). The bureau plans a meeting, picks its speakers and publishes its minutes;
# leaders (officials) comment and deploy tasks at it; units' clerks write their speeches and
# report progress on their tasks; everyone with a role reads a meeting once it is held.


def may_plan_meeting(user) -> bool:
    """Creating and editing meetings, choosing speakers, publishing minutes: the bureau's."""
    return is_bureau(user)


def is_leader(user) -> bool:
    """Officials, and administrators, who speak for the leadership at a meeting."""
    return user.is_authenticated and bool(roles_of(user) & {Role.OFFICIAL, Role.ADMINISTRATOR})


def may_read_meeting(user, meeting) -> bool:
    """A held meeting is read by every role; a planned one by the bureau, the leaders and
    the clerks of the units asked to speak or charged with its tasks (they prepare for it)."""
    if not may_read(user):
        return False
    if meeting.is_held or is_bureau(user) or is_leader(user):
        return True
    own = clerk_district_ids(user)
    if not own:
        return False
    return (
        meeting.speeches.filter(district_id__in=own).exists()
        or meeting.tasks.filter(responsible__in=own).exists()
    )


def may_write_speech(user, speech) -> bool:
    """The speaking unit's clerk (or the bureau) until the minutes are published."""
    from meetings.models import MeetingStatus

    if not user.is_authenticated or speech.meeting.status == MeetingStatus.MINUTES_PUBLISHED:
        return False
    return is_bureau(user) or speech.district_id in clerk_district_ids(user)


def may_deploy_task(user, meeting) -> bool:
    """Leaders deploy tasks, and the bureau records them, until the minutes are published."""
    from meetings.models import MeetingStatus

    if meeting.status == MeetingStatus.MINUTES_PUBLISHED:
        return False
    return is_leader(user) or is_bureau(user)


def may_report_for_unit(user, district_id: int) -> bool:
    """Who reports a unit's progress: its clerk, or the bureau for them (no query: the clerk's
    units and the permissions are cached on the user)."""
    if not user.is_authenticated:
        return False
    return is_bureau(user) or district_id in clerk_district_ids(user)


def may_report_progress(user, task, district) -> bool:
    """A responsible unit's clerk reports its progress (the bureau may record it for them)."""
    if not may_report_for_unit(user, district.pk):
        return False
    return task.responsible.filter(pk=district.pk).exists()


def may_comment_at_meeting(user, meeting) -> bool:
    """Leaders' comments (点评) at a meeting: officials and administrators, until the minutes."""
    from meetings.models import MeetingStatus

    return may_comment(user) and meeting.status != MeetingStatus.MINUTES_PUBLISHED


# Key projects and their weekly scheduling (周调度). A unit's clerk reports its own projects
# each week; the bureau records projects, reports for any unit, escalates problems and
# records their resolution; every role with read access reads the board and project pages.


def may_read_projects(user) -> bool:
    return may_read(user)


def may_manage_projects(user) -> bool:
    """Adding and changing projects and their plans, escalating and resolving problems."""
    return is_bureau(user)


def may_report_project(user, project) -> bool:
    """A project's weekly report: its unit's clerk, or the bureau for them."""
    return may_report_for_unit(user, project.unit_id)
