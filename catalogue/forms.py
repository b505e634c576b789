"""The form an editor fills in to create an initiative from a starter."""

from django import forms
from django.utils.translation import gettext_lazy as _

from blocks.place_picker import CoordinateInput

from . import services


class StarterChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} — {obj.description}" if obj.description else obj.name


class ParentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        # Pages come in tree order; a dash per level shows what is part of what (no queries).
        return "— " * max(obj.depth - 2, 0) + obj.title


class StartInitiativeForm(forms.Form):
    """Title, summary, place and starter of a new initiative, and where it goes.

    ``parent`` offers only the pages under which the user may add an initiative, so a page
    chosen outside those (a forged post) is refused as an invalid choice.
    """

    title = forms.CharField(
        label=_("Title"), max_length=255, help_text=_("The name of the initiative, as visitors read it.")
    )
    summary = forms.CharField(
        label=_("Summary"),
        max_length=600,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One or two sentences: what the initiative wants to achieve."),
    )
    municipality = forms.CharField(
        label=_("Municipality"), max_length=100, help_text=_("Where the initiative takes place, e.g. Utrecht.")
    )
    latitude = forms.DecimalField(
        label=_("Latitude"),
        required=False,
        min_value=-90,
        max_value=90,
        max_digits=9,
        decimal_places=6,
        # Also picked on a map below the two fields (blocks.place_picker; see start.html).
        widget=CoordinateInput("latitude"),
        help_text=_("Optional: degrees north, e.g. 52.0894. A map card starts here."),
    )
    longitude = forms.DecimalField(
        label=_("Longitude"),
        required=False,
        min_value=-180,
        max_value=180,
        max_digits=9,
        decimal_places=6,
        widget=CoordinateInput("longitude"),
        help_text=_("Optional: degrees east, e.g. 5.1101."),
    )
    starter = StarterChoiceField(
        label=_("Starter"),
        queryset=services.offered_starters(),
        empty_label=None,
        widget=forms.RadioSelect,
        help_text=_("The cards the new initiative starts with; you can change them afterwards."),
    )
    parent = ParentChoiceField(
        label=_("Place it under"),
        queryset=None,
        empty_label=None,
        help_text=_("The platform's home page, or an initiative this one is part of."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = services.starter_parents(user)
        self.fields["starter"].queryset = services.offered_starters()

    def clean(self):
        cleaned_data = super().clean()
        if (cleaned_data.get("latitude") is None) != (cleaned_data.get("longitude") is None):
            self.add_error("longitude", _("Give both latitude and longitude, or neither."))
        return cleaned_data

    def page_fields(self):
        names = ("title", "summary", "municipality", "latitude", "longitude")
        return {name: self.cleaned_data[name] for name in names}
