"""Reads: the results notice (通报) of a race and period, built from the published standings.

The notice is never typed: every rank, score and flag is read from the current publication's
stored standings and written as the leaderboard writes it, so the two cannot disagree. The
structure is plain data (dataclasses of strings and numbers) so that the page, the .docx and
the command render the same thing. Sentences are made in the active language: build the
notice inside ``translation.override`` for the language wanted.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from districts.models import Indicator
from districts.periods import Period
from districts.selectors.completeness import Timeliness, period_completeness
from pages.formatting import flag_label, format_number, format_signed, rank_text, unranked_text
from rankings.methodology_text import spec_leaves
from rankings.models import Publication, Race, StandingExplanation
from rankings.reasons_text import ReasonRenderer
from rankings.selectors.publications import publication_current, publication_standings_cached

# How many units at each end of the order have their cited reasons quoted.
ENDS_CITED = 3
# Input kinds measured against the annual target, hence against the time account.
TARGET_INPUTS = ("target_completion", "progress")


@dataclass(frozen=True)
class NoticeRow:
    district_code: str
    district: str
    rank: int | None
    rank_text: str
    score: float | None
    score_text: str
    flags: list[str]  # as stored: "red", "yellow", ...
    flags_text: str
    change_text: str  # against the previous period ("up 2", "new", ...)


@dataclass(frozen=True)
class NoticeMove:
    district: str
    change_text: str
    headline: str  # "District 3: down 3 places."
    drivers: list[str]  # sentences: why the rank changed


@dataclass(frozen=True)
class NoticeCited:
    district: str
    rank_text: str
    headline: str  # "No. 1, District 1:"
    reasons: list[str]


@dataclass(frozen=True)
class NoticeLag:
    indicator: str
    share_text: str  # the best unit's share of its annual target done
    elapsed_text: str  # the share of the year elapsed


@dataclass(frozen=True)
class RaceNotice:
    race_code: str
    race: str
    period: str
    published: bool
    revision: int | None = None
    published_on: str = ""
    rows: list[NoticeRow] = field(default_factory=list)
    red: list[str] = field(default_factory=list)
    yellow: list[str] = field(default_factory=list)
    red_text: str = ""  # the names joined as the language lists them
    yellow_text: str = ""
    moves: list[NoticeMove] = field(default_factory=list)
    top: list[NoticeCited] = field(default_factory=list)
    bottom: list[NoticeCited] = field(default_factory=list)
    lagging: list[NoticeLag] = field(default_factory=list)
    data_notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Notice:
    title: str
    period: str
    races: list[RaceNotice]


def score_decimals(publication: Publication) -> int:
    """The decimals the race rounds its score to (two when its methodology does not say)."""
    score = (publication.methodology.spec or {}).get("score") or {}
    rounded = score.get("round")
    return rounded if isinstance(rounded, int) and 0 <= rounded <= 10 else 2


def change_text(movement: str, rank_change: int | None) -> str:
    if movement == "up" and rank_change:
        return ngettext("up %(n)d place", "up %(n)d places", rank_change) % {"n": rank_change}
    if movement == "down" and rank_change:
        n = abs(rank_change)
        return ngettext("down %(n)d place", "down %(n)d places", n) % {"n": n}
    if movement == "same":
        return _("no change")
    if movement == "new":
        return _("new")
    return "—"


def race_notice(*, race: Race, period: Period) -> RaceNotice:
    """The notice section of one race for one period (``published`` False when there is none)."""
    name = race.display_name
    publication = publication_current(race=race, period=period)
    # A monthly review is lighter than the race: no results notice reports it.
    if publication is None or publication.is_monthly_review:
        return RaceNotice(race_code=race.code, race=name, period=period.code, published=False)
    standings = publication_standings_cached(publication=publication)
    decimals = score_decimals(publication)
    spec = publication.methodology.spec
    codes = [leaf["indicator"] for leaf in spec_leaves(spec.get("nodes", []))]
    indicators = Indicator.objects.in_bulk(codes, field_name="code")
    words = ReasonRenderer(indicators, period.code)
    rows = [
        NoticeRow(
            district_code=s.district.code,
            district=s.district.display_name,
            rank=s.rank,
            rank_text=rank_text(s.rank, s.tied) or unranked_text(),
            score=s.score,
            score_text=format_number(s.score, decimals),
            flags=list(s.flags or []),
            flags_text=list_text([flag_label(f) for f in s.flags or []]),
            change_text=change_text(s.movement, s.rank_change),
        )
        for s in standings
    ]
    ranked = [s for s in standings if s.rank is not None]
    moved = sorted(
        (s for s in ranked if s.rank_change),
        key=lambda s: (-abs(s.rank_change), s.rank),
    )
    parts = _stored_rank_change_parts(publication)
    moves = [
        NoticeMove(
            district=s.district.display_name,
            change_text=change_text(s.movement, s.rank_change),
            headline=_("%(unit)s: %(change)s.")
            % {"unit": s.district.display_name, "change": change_text(s.movement, s.rank_change)},
            drivers=[words.render(r) for r in s.reasons or [] if r.get("kind") == "rank_change"]
            + _stored_parts(parts.get(s.district_id), indicators),
        )
        for s in moved
    ]
    top = ranked[:ENDS_CITED]
    bottom = [s for s in ranked[-ENDS_CITED:] if s not in top]
    red = [s.district.display_name for s in standings if "red" in (s.flags or [])]
    yellow = [s.district.display_name for s in standings if "yellow" in (s.flags or [])]
    return RaceNotice(
        race_code=race.code,
        race=name,
        period=period.code,
        published=True,
        revision=publication.revision,
        published_on=publication.published_at.date().isoformat(),
        rows=rows,
        red=red,
        yellow=yellow,
        red_text=list_text(red),
        yellow_text=list_text(yellow),
        moves=moves,
        top=[_cited(s, words) for s in top],
        bottom=[_cited(s, words) for s in bottom],
        lagging=_lagging(standings, _input_kinds(publication.methodology.spec), indicators, period),
        data_notes=_data_notes(race, period, standings),
    )


def list_text(names: list[str]) -> str:
    """Names listed as the language lists them: 甲、乙 in Chinese, "A, B" in English."""
    return ("、" if (get_language() or "").startswith("zh") else ", ").join(names)


def _cited(standing, words: ReasonRenderer) -> NoticeCited:
    reasons = [
        words.render(r) for r in standing.reasons or [] if r.get("kind") in ("strength", "weakness")
    ]
    place = rank_text(standing.rank, standing.tied) or unranked_text()
    return NoticeCited(
        district=standing.district.display_name,
        rank_text=place,
        headline=_("No. %(rank)s, %(unit)s:")
        % {"rank": place, "unit": standing.district.display_name},
        reasons=reasons,
    )


def _stored_rank_change_parts(publication: Publication) -> dict[int, dict]:
    """The parts of each unit's score change stored at publishing (none for older ones)."""
    return dict(
        StandingExplanation.objects.filter(
            publication=publication, rank_change__isnull=False
        ).values_list("district_id", "rank_change")
    )


def _stored_parts(change: dict | None, indicators) -> list[str]:
    """One sentence: how much of the score change came from the unit's own figures (its
    largest indicators), from the other units and from a change of methodology."""
    if not change or change.get("score_change") is None:
        return []
    own = change.get("own") or {}
    largest = sorted(own.items(), key=lambda kv: -abs(kv[1] or 0))[:3]
    named = list_text(
        [
            f"{indicators[code].display_name if code in indicators else code} "
            f"{format_signed(value)}"
            for code, value in largest
            if value
        ]
    )
    return [
        _(
            "Score change %(change)s: own figures %(own)s (%(named)s), other units "
            "%(others)s, methodology %(methodology)s."
        )
        % {
            "change": format_signed(change.get("score_change")),
            "own": format_signed(sum(v or 0 for v in own.values())),
            "named": named or "—",
            "others": format_signed(change.get("others")),
            "methodology": format_signed(change.get("methodology")),
        }
    ]


def _input_kinds(spec: dict) -> dict[str, str]:
    default = (spec.get("defaults") or {}).get("input") or "value"
    return {
        leaf["indicator"]: leaf.get("input") or default
        for leaf in spec_leaves(spec.get("nodes", []))
    }


def _lagging(standings, kinds: dict[str, str], indicators, period: Period) -> list[NoticeLag]:
    """Indicators on which every unit with a figure is behind the time account."""
    elapsed = period.year_share * 100.0
    lagging = []
    for code, kind in kinds.items():
        if kind not in TARGET_INPUTS:
            continue
        shares = []
        for s in standings:
            detail = (s.indicators or {}).get(code) or {}
            value = detail.get("input")
            if value is None:
                continue
            # A progress input is already points against the time account.
            shares.append(value + elapsed if kind == "progress" else value)
        if shares and max(shares) < elapsed:
            indicator = indicators.get(code)
            lagging.append(
                NoticeLag(
                    indicator=indicator.display_name if indicator else code,
                    share_text=format_number(max(shares), 1) + "%",
                    elapsed_text=format_number(elapsed, 1) + "%",
                )
            )
    return lagging


def _data_notes(race: Race, period: Period, standings) -> list[str]:
    """Units of the race whose return is late or not in, and units left unranked."""
    notes = []
    group = next(
        (g for g in period_completeness(period=period).groups if g.group.pk == race.group_id),
        None,
    )
    for row in group.districts if group else []:
        if row.timeliness == Timeliness.LATE:
            if row.data_return is not None and row.data_return.first_submitted_at:
                notes.append(
                    ngettext(
                        "%(unit)s submitted its data %(n)d day late.",
                        "%(unit)s submitted its data %(n)d days late.",
                        row.days_late or 0,
                    )
                    % {"unit": row.district.display_name, "n": row.days_late or 0}
                )
            else:
                notes.append(
                    _("%(unit)s has not submitted its data (due date passed).")
                    % {"unit": row.district.display_name}
                )
        elif row.timeliness == Timeliness.NOT_SUBMITTED:
            notes.append(
                _("%(unit)s has not submitted its data.") % {"unit": row.district.display_name}
            )
    for s in standings:
        if s.rank is None:
            notes.append(
                _("%(unit)s is not ranked: its data are incomplete.")
                % {"unit": s.district.display_name}
            )
    return notes


def notice_for_race(*, race: Race, period: Period) -> Notice:
    section = race_notice(race=race, period=period)
    return Notice(
        title=_("Results notice: %(race)s, %(period)s")
        % {"race": section.race, "period": period.code},
        period=period.code,
        races=[section],
    )


def notice_for_races(*, title: str, races: list[Race], period: Period) -> Notice:
    """A meeting's notice: one section per race it covers."""
    return Notice(
        title=title,
        period=period.code,
        races=[race_notice(race=race, period=period) for race in races],
    )
