"""The search page's form: whatever arrives in the query string becomes a sensible ``Query``.

Nothing a visitor sends can fail the request: text is shortened and reduced to words and
phrases, unknown filter values are dropped, page numbers are clamped, and what was changed is
reported back as a notice.
"""

import math

from django import forms
from django.utils.translation import gettext_lazy as _

from blocks.registry import registry

from .conf import app_settings
from .models import INITIATIVE
from .query import RECENT, RELEVANCE, Near, Query
from .text import clean, parse

MAX_PAGE_DIGITS = 7


def kind_choices():
    return [(INITIATIVE, _("Initiative"))] + [
        (name, card_type.block.meta.label or name) for name, card_type in registry.types.items()
    ]


def kind_labels():
    return dict(kind_choices())


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search for"), required=False, strip=True)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[(RELEVANCE, _("Best match")), (RECENT, _("Most recent activity"))],
    )
    open = forms.BooleanField(
        label=_("Only tenders and elections that are open now"), required=False
    )
    lat = forms.FloatField(label=_("Latitude"), required=False, min_value=-90, max_value=90)
    lon = forms.FloatField(label=_("Longitude"), required=False, min_value=-180, max_value=180)
    km = forms.TypedChoiceField(label=_("Within"), required=False, coerce=float, empty_value=None)

    def __init__(self, data=None, **kwargs):
        super().__init__(data if data is not None else {}, **kwargs)
        self.fields["km"].choices = [
            (distance, _("%(km)s km") % {"km": distance}) for distance in app_settings.DISTANCES_KM
        ]
        self.notices = []
        self.max_query_length = app_settings.MAX_QUERY_LENGTH

    def clean(self):
        cleaned = super().clean()
        given = {name: cleaned.get(name) is not None for name in ("lat", "lon")}
        if any(given.values()) and not all(given.values()):
            # Said at the empty field, which the visitor has to fill in (or empty the other).
            missing = "lon" if given["lat"] else "lat"
            if missing not in self.errors:
                self.add_error(missing, _("Give both a latitude and a longitude, or neither."))
        for name in ("lat", "lon"):
            value = cleaned.get(name)
            if value is not None and not math.isfinite(value):
                self.add_error(name, _("Enter a number."))
        return cleaned

    def values(self, name):
        """Selected values of a facet: known ones only for kinds, at most a few, printable."""
        raw = self.data.getlist(name) if hasattr(self.data, "getlist") else self.data.get(name, [])
        values = []
        for value in raw:
            value = clean(value, 100)
            if value and value not in values:
                values.append(value)
        if name == "type":
            known = kind_labels()
            values = [value for value in values if value in known]
        if len(values) > app_settings.MAX_FILTER_VALUES:
            self.notices.append(_("Only the first %(count)s choices of a filter are used.") % {
                "count": app_settings.MAX_FILTER_VALUES
            })
            values = values[: app_settings.MAX_FILTER_VALUES]
        return tuple(values)

    def page_number(self):
        raw = str(self.data.get("page", "1")).strip()
        # isdigit() alone also accepts "²" or "①", which int() refuses.
        if not (raw.isascii() and raw.isdigit()) or len(raw) > MAX_PAGE_DIGITS:
            if raw and raw != "1":
                self.notices.append(_("That page number does not exist; showing the first page."))
            return 1
        number = max(1, int(raw))
        if number > app_settings.MAX_PAGE:
            self.notices.append(
                _("Only the first %(pages)s pages of results can be shown.")
                % {"pages": app_settings.MAX_PAGE}
            )
            number = app_settings.MAX_PAGE
        return number

    def to_query(self, scope=""):
        """The ``Query`` this form asks for (validation errors just leave a filter out)."""
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        parsed = parse(
            self.data.get("q", ""),
            max_length=app_settings.MAX_QUERY_LENGTH,
            max_terms=app_settings.MAX_TERMS,
        )
        self.parsed = parsed
        if parsed.shortened:
            self.notices.append(
                _("Your search was long; only its first %(count)s characters were used.")
                % {"count": app_settings.MAX_QUERY_LENGTH}
            )
        if parsed.dropped_terms:
            self.notices.append(
                _("Only the first %(count)s words were searched for.")
                % {"count": app_settings.MAX_TERMS}
            )
        near = None
        if (
            "lat" not in self.errors
            and "lon" not in self.errors
            and cleaned.get("lat") is not None
            and cleaned.get("lon") is not None
        ):
            km = cleaned.get("km") or app_settings.DISTANCES_KM[len(app_settings.DISTANCES_KM) // 2]
            if "km" in self.errors:
                self.notices.append(
                    _("That distance is not offered; searching within %(km)s km.") % {"km": km}
                )
            near = Near(cleaned["lat"], cleaned["lon"], float(km))
        return Query(
            terms=parsed.terms,
            kinds=self.values("type"),
            ambitions=self.values("ambition"),
            municipalities=self.values("place"),
            open_now=bool(cleaned.get("open")),
            near=near,
            sort=cleaned.get("sort") or RELEVANCE,
            page=self.page_number(),
            page_size=app_settings.PAGE_SIZE,
            scope=scope,
        )
