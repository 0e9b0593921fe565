"""The query strings of the site-wide pages, parsed by forms rather than by hand.

A value a form does not accept is never an error page: the view reads the
field's empty value instead (and may say so).
"""

from django import forms

from core.search import SEARCH_MAX_LENGTH
from register.models import Nation, ToolCategory


class SearchForm(forms.Form):
    """/search/?q=: the words searched for, trimmed and cut at `max_length` characters."""

    max_length = SEARCH_MAX_LENGTH

    q = forms.CharField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Any text is searched for, never refused (each list's search filter
        # judges it in turn), so no validator, not even the one against NUL.
        self.fields["q"].validators = []

    def clean_q(self) -> str:
        return self.cleaned_data["q"][: self.max_length]


class TransparencyForm(forms.Form):
    """/transparency/?nation=&known=1: one nation's forces (an unknown nation
    shows every force), and only the forces something is known about."""

    nation = forms.ChoiceField(choices=Nation.choices, required=False)
    known = forms.TypedChoiceField(
        choices=[("1", "Only forces something is known about")], coerce=bool, empty_value=False, required=False
    )


class ForceMapForm(forms.Form):
    """?map_category=: the kind of tool the map of the forces is coloured by (an
    unknown kind shows the default one, and the page says so)."""

    map_category = forms.ChoiceField(choices=ToolCategory.choices, required=False, label="Kind of tool")
