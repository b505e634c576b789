"""The Jinja2 environment of the built-in cards' templates (``<app>/jinja2/``).

A page of 200 cards renders about 130,000 template variables; Jinja2 compiles a template to
Python and renders the five card types about 1.4 times faster than the Django template
language (figures in the README, "Cards are Jinja2 templates"), which brings a large page
closer to its render budget (bench/render.py). The page around the cards stays a Django template; ``{% render_card %}``
(``blocks.templatetags.card_tags``) renders a card with whichever engine holds its template.

The environment gives the card templates what their Django versions had, with the same
output:

- autoescaping (Django's backend turns it on), and an undefined name renders as nothing, as
  in Django, also when a missing object's attribute is asked (``page.pk`` in a preview);
- numbers and dates printed as they are localized, as Django prints them;
- Django's translations, so the .po files serve both engines. ``{{ _("Text") }}`` is
  ``{% trans "Text" %}`` (escaped), and ``{{ _("Up to %(amount)s")|fill(amount=x) }}`` is
  ``{% blocktrans with amount=x %}``: the translation as markup, the values escaped. Both
  keep their msgids where ``manage.py makemessages`` finds them (it reads ``_("…")`` in any
  template it scans), so no extractor other than Django's is needed;
- the filters of ``card_tags`` (iso, day, moment, lang_attr) and Django's that the cards use;
  ``static``, ``url`` and Wagtail's ``image``.
"""

from django.contrib.humanize.templatetags.humanize import intcomma
from django.template import defaultfilters
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.formats import localize
from django.utils.html import json_script
from django.utils.timezone import template_localtime
from jinja2 import ChainableUndefined, Environment
from markupsafe import Markup

from .templatetags.card_tags import day, iso, lang_attr, moment


def printed(value):
    """What ``{{ value }}`` prints: strings as they are, numbers and dates localized (Django
    does the same, in ``render_value_in_context``)."""
    return value if isinstance(value, str) else localize(value)


def fill(translated, **values):
    """``{% blocktrans %}``'s output: the translated text as markup, ``values`` localized and
    escaped into its ``%(name)s`` places."""
    # The translation is ours (a msgid of the templates, a msgstr of our .po files).
    return Markup(translated) % {name: printed(value) for name, value in values.items()}  # noqa: S704


def floatformat(value, arg=-1):
    return defaultfilters.floatformat(value, arg)


def linebreaks(value):
    return defaultfilters.linebreaks_filter(value, autoescape=True)


def linebreaksbr(value):
    return defaultfilters.linebreaksbr(value, autoescape=True)


def date(value, arg=None):
    """Django's ``|date``, on the local time as Django's engine hands it to the filter."""
    return defaultfilters.date(template_localtime(value), arg)


def url(name, *args, **kwargs):
    """``{% url name arg … %}``: the path of a named URL."""
    return reverse(name, args=args, kwargs=kwargs)


def render_template(name, **context):
    """Another template's HTML (a Django one, shared with Django pages), with ``context``."""
    # The other template escapes what it shows.
    return Markup(render_to_string(name, context))  # noqa: S704


def environment(**options):
    """The environment Django's Jinja2 backend builds (``TEMPLATES`` ``OPTIONS.environment``)."""
    options.pop("autoescape", None)  # always on: cards show what editors and members typed
    options["undefined"] = ChainableUndefined
    options["finalize"] = printed
    options.setdefault("extensions", [])
    options["extensions"] = [
        *options["extensions"],
        "jinja2.ext.i18n",
        "wagtail.jinja2tags.core",
        "wagtail.images.jinja2tags.images",
    ]
    env = Environment(autoescape=True, **options)
    # The old style: ``_("Text")`` gives plain text, which autoescaping escapes as
    # ``{% trans %}`` does; Jinja's "newstyle" would mark every translation safe.
    env.install_gettext_callables(
        translation.gettext, translation.ngettext, newstyle=False,
        pgettext=translation.pgettext, npgettext=translation.npgettext,
    )
    env.filters.update(
        {
            "iso": iso,
            "day": day,
            "moment": moment,
            "lang_attr": lang_attr,
            "fill": fill,
            "floatformat": floatformat,
            "intcomma": intcomma,
            "linebreaks": linebreaks,
            "linebreaksbr": linebreaksbr,
            "json_script": json_script,
            "timeuntil": defaultfilters.timeuntil_filter,
            "date": date,
        }
    )
    env.globals.update({"static": static, "url": url, "render_template": render_template})
    return env
