"""Forms of the meeting pages. They read input only; the rules live in meetings.services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from comments.forms import MARKDOWN_HELP, ServiceErrorsMixin
from comments.services import MAX_COMMENT_LENGTH
from districts.periods import Period, PeriodError
from districts.validation import week_code_refused
from meetings.models import Meeting, MeetingForm
from meetings.services.meetings import MAX_ATTENDANCE_LENGTH, MAX_TITLE_LENGTH
from rankings.models import Race

WHOLE_MEETING = "meeting"


class MeetingPlanForm(ServiceErrorsMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=MAX_TITLE_LENGTH)
    period = forms.CharField(
        label=_("Period"),
        max_length=7,
        help_text=_("For example 2026Q3, 2026-09 or 2026."),
        validators=[week_code_refused],
    )
    races = forms.ModelMultipleChoiceField(
        label=_("Races"),
        queryset=Race.objects.select_related("group").order_by("group__order", "code"),
        widget=forms.CheckboxSelectMultiple,
    )
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    form = forms.ChoiceField(label=_("Form"), choices=MeetingForm.choices)

    def clean_period(self) -> str:
        try:
            return Period.parse(self.cleaned_data["period"].strip()).code
        except PeriodError as error:
            raise forms.ValidationError(str(error)) from error

    @classmethod
    def for_meeting(cls, data, meeting: Meeting | None):
        if meeting is None:
            return cls(data)
        initial = {
            "title": meeting.title,
            "period": meeting.period,
            "races": list(meeting.races.all()),
            "date": meeting.date,
            "form": meeting.form,
        }
        return cls(data, initial=initial)


class HeldForm(ServiceErrorsMixin, forms.Form):
    attendance = forms.CharField(
        label=_("Attendance"),
        required=False,
        max_length=MAX_ATTENDANCE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Who attended, one line each (for example: leaders, units, the bureau)."),
    )


class MeetingCommentForm(ServiceErrorsMixin, forms.Form):
    """A leader's comment at the meeting: on the whole meeting, a race, a unit or an indicator."""

    field_aliases = {"race": "concerning", "district": "concerning", "indicator": "concerning"}

    concerning = forms.ChoiceField(label=_("Concerning"))
    body = forms.CharField(
        label=_("Comment"),
        max_length=MAX_COMMENT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=MARKDOWN_HELP,
    )

    def __init__(self, *args, subjects: list[tuple[Race, list, list]], **kwargs):
        """``subjects``: per race of the meeting, its ranked units and its indicators."""
        super().__init__(*args, **kwargs)
        self._subjects: dict[str, dict] = {WHOLE_MEETING: {}}
        choices: list = [(WHOLE_MEETING, _("The whole meeting"))]
        for race, districts, indicators in subjects:
            group = []
            key = f"race:{race.code}"
            self._subjects[key] = {"race": race}
            group.append((key, _("The whole race")))
            for district in districts:
                key = f"district:{race.code}:{district.code}"
                self._subjects[key] = {"race": race, "district": district}
                group.append((key, district.display_name))
            for indicator in indicators:
                key = f"indicator:{race.code}:{indicator.code}"
                self._subjects[key] = {"race": race, "indicator": indicator}
                group.append((key, indicator.display_name))
            choices.append((race.display_name, group))
        self.fields["concerning"].choices = choices

    def subject(self) -> dict:
        """The race, unit or indicator chosen, as keyword arguments for meeting_comment_post."""
        return dict(self._subjects[self.cleaned_data["concerning"]])
