"""Reads: who might give an exchange speech (交流发言) at a meeting, and the speeches given.

The suggestions follow the practice the meeting serves: the leader of each race speaks on
what worked, the biggest riser on how it climbed, and a unit at the bottom (flagged yellow)
on what it will change. Each suggestion carries the sentence saying why, in the active
language, which the bureau may keep as the speech's stated reason.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.access import may_write_speech
from districts.models import District
from districts.periods import Period, PeriodError
from meetings.models import Meeting, Speech
from rankings.models import Race, Standing
from rankings.selectors.publications import publication_current, publication_standings_cached

YELLOW = "yellow"


@dataclass
class SpeakerSuggestion:
    district: District
    reasons: list[str]  # one sentence per reason, in the order the races come

    @property
    def reason(self) -> str:
        return _("; ").join(self.reasons)


@dataclass(frozen=True)
class SpeechRow:
    speech: Speech
    submitted: bool
    may_write: bool
    attachment_name: str  # "" when the speech has no attachment
    attachment_size: int | None


def meeting_races(meeting: Meeting) -> list[Race]:
    return list(meeting.races.select_related("group").order_by("order", "code"))


def _race_label(race: Race, races: list[Race]) -> str:
    # A group raced once at the meeting is named by its group ("First in Development zones");
    # a group with several races needs the race's own name to say which.
    if sum(1 for other in races if other.group_id == race.group_id) == 1:
        return race.group.display_name
    return race.display_name


def _leader(standings: list[Standing]) -> Standing | None:
    first = standings[0] if standings else None
    return first if first is not None and first.rank == 1 else None


def _riser(standings: list[Standing]) -> Standing | None:
    risers = [s for s in standings if s.rank_change is not None and s.rank_change > 0]
    # Ties go to the better place now (standings come best first).
    return max(risers, key=lambda s: s.rank_change, default=None)


def _bottom(standings: list[Standing]) -> tuple[Standing | None, bool]:
    """The lowest-placed unit flagged yellow, else the last ranked; and whether it is flagged."""
    ranked = [s for s in standings if s.rank is not None]
    flagged = [s for s in ranked if YELLOW in (s.flags or [])]
    if flagged:
        return flagged[-1], True
    return (ranked[-1], False) if len(ranked) > 1 else (None, False)


def speaker_suggestions(meeting: Meeting) -> list[SpeakerSuggestion]:
    """Per race of the meeting with a current publication for its period: the leader, the
    biggest riser since the previous period and a bottom (yellow-flag) unit, each once."""
    try:
        period = Period.parse(meeting.period)
    except PeriodError:
        return []
    races = meeting_races(meeting)
    suggestions: dict[int, SpeakerSuggestion] = {}

    def suggest(standing: Standing | None, sentence: str) -> None:
        if standing is None:
            return
        suggestion = suggestions.setdefault(
            standing.district.pk, SpeakerSuggestion(district=standing.district, reasons=[])
        )
        suggestion.reasons.append(sentence)

    for race in races:
        publication = publication_current(race=race, period=period)
        if publication is None:
            continue
        standings = publication_standings_cached(publication=publication)
        label = _race_label(race, races)
        suggest(_leader(standings), _("First in %(race)s") % {"race": label})
        riser = _riser(standings)
        if riser is not None:
            suggest(
                riser,
                ngettext(
                    "Up %(places)d place in %(race)s",
                    "Up %(places)d places in %(race)s",
                    riser.rank_change,
                )
                % {"places": riser.rank_change, "race": label},
            )
        bottom, flagged = _bottom(standings)
        if flagged:
            suggest(bottom, _("Yellow flag in %(race)s") % {"race": label})
        else:
            suggest(bottom, _("Last in %(race)s") % {"race": label})
    return list(suggestions.values())


def speaker_units(meeting: Meeting) -> list[District]:
    """Every active unit that runs in one of the meeting's races: those the bureau may pick."""
    group_ids = meeting.races.values_list("group_id", flat=True)
    return list(
        District.objects.filter(group_id__in=group_ids, active=True).order_by(
            "group__order", "order", "code"
        )
    )


def meeting_speeches(meeting: Meeting, user) -> list[SpeechRow]:
    """The meeting's speeches in speaking order, with their attachments' names and sizes.

    One query: the attachment comes by a join with its bytes deferred, so a list of speeches
    never reads the files.
    """
    speeches = (
        Speech.objects.filter(meeting=meeting)
        .select_related("district", "attachment")
        .defer("attachment__content")
        .order_by("order", "pk")
    )
    rows = []
    for speech in speeches:
        speech.meeting = meeting
        attachment = getattr(speech, "attachment", None)
        rows.append(
            SpeechRow(
                speech=speech,
                submitted=speech.is_submitted,
                may_write=may_write_speech(user, speech),
                attachment_name=attachment.name if attachment else "",
                attachment_size=attachment.size if attachment else None,
            )
        )
    return rows
