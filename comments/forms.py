"""Forms of the comment pages. They read input only; the rules live in services.comments."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from comments.services import MAX_COMMENT_LENGTH
from districts.models import District, Indicator

WHOLE_RACE = "race"
MARKDOWN_HELP = _(
    "You may use **bold**, *italic*, lists (lines starting with - or 1.), "
    "links [text](https://…) and quotes (lines starting with >). Other markup is shown as text."
)


class ServiceErrorsMixin:
    """Show a service's ValidationError on the form, next to the field it is about."""

    # Service error keys that a form shows on one of its own fields under another name.
    field_aliases: dict[str, str] = {}

    def add_service_errors(self, error: ValidationError) -> None:
        if not hasattr(error, "error_dict"):
            self.add_error(None, error.messages)
            return
        for key, messages in error.message_dict.items():
            target = self.field_aliases.get(key, key)
            self.add_error(target if target in self.fields else None, messages)


def _body_field(label) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=MAX_COMMENT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=MARKDOWN_HELP,
    )


class CommentForm(ServiceErrorsMixin, forms.Form):
    """A new comment on a published race: the whole race, one district or one indicator."""

    field_aliases = {"district": "concerning", "indicator": "concerning"}

    concerning = forms.ChoiceField(label=_("Concerning"))
    body = _body_field(_("Comment"))

    def __init__(self, *args, districts: list[District], indicators: list[Indicator], **kwargs):
        super().__init__(*args, **kwargs)
        self._districts = {f"district:{d.code}": d for d in districts}
        self._indicators = {f"indicator:{i.code}": i for i in indicators}
        choices = [(WHOLE_RACE, _("The whole race"))]
        if districts:
            choices.append(
                (_("A district"), [(key, d.display_name) for key, d in self._districts.items()])
            )
        if indicators:
            choices.append(
                (_("An indicator"), [(key, i.display_name) for key, i in self._indicators.items()])
            )
        self.fields["concerning"].choices = choices

    @staticmethod
    def initial_concerning(*, district: str | None = None, indicator: str | None = None) -> str:
        """The choice a link such as ``?district=220101`` preselects."""
        if district:
            return f"district:{district}"
        if indicator:
            return f"indicator:{indicator}"
        return WHOLE_RACE

    def subject(self) -> dict[str, District | Indicator | None]:
        """The district or indicator chosen, as keyword arguments for ``comment_post``."""
        key = self.cleaned_data["concerning"]
        return {"district": self._districts.get(key), "indicator": self._indicators.get(key)}


class EditForm(ServiceErrorsMixin, forms.Form):
    body = _body_field(_("Comment"))


class ResponseForm(ServiceErrorsMixin, forms.Form):
    """A unit's statement or rectification plan answering a comment about it."""

    body = _body_field(_("Response"))


class RemoveForm(ServiceErrorsMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason for removing"),
        max_length=300,
        help_text=_("Kept in the audit trail with the comment's text."),
    )
