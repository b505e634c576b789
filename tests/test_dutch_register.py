"""The Dutch pages speak one way: "je", never "u", and "Inloggen", never "Aanmelden".

Issue 11, item 8: one register everywhere and one word per concept. Ctylab addresses its
visitors informally ("je", "jouw", "jezelf"); signing in is "inloggen", signing out "uitloggen",
two-factor authentication "tweestapsverificatie". django-allauth's own Dutch says "Aanmelden",
"Afmelden" and "twee-factor-authenticatie", Django's says "Uw wachtwoord"; ``accounts/dutch_wording.py``
lists the messages the accounts catalogue words differently, and the pages below are rendered to
see the result.
"""

import re
from html.parser import HTMLParser
from pathlib import Path

import allauth
import django
import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation

from accounts import dutch_wording

# Whole words of the formal register; "a.u.b." is the formal "alstublieft" abbreviated.
FORMAL = re.compile(r"\b(u|uw|uwe|uzelf|alstublieft)\b", re.IGNORECASE)
# Words for signing in and out, and for two-factor authentication, that Ctylab does not use.
OTHER_WORDS = re.compile(
    r"aanmeld\w*|afmeld\w*|\baangemeld\b|\bafgemeld\b|\bmeld\s+(?:je|jezelf)\s+(?:\w+\s+){0,3}?(?:aan|af)\b"
    r"|twee-?factor\w*",
    re.IGNORECASE,
)
# Placeholders and markup are not words a reader sees.
NOT_WORDS = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\w*\}|<[^>]*>")

SKIPPED_DIRS = {"node_modules", "var", "__pycache__"}
ALLAUTH_NL = Path(allauth.__file__).parent / "locale" / "nl" / "LC_MESSAGES" / "django.po"
DJANGO_NL = [
    Path(django.__file__).parent / "conf" / "locale" / "nl" / "LC_MESSAGES" / "django.po",
    Path(django.__file__).parent / "contrib" / "auth" / "locale" / "nl" / "LC_MESSAGES" / "django.po",
]


def problems(text):
    """The formal or off-vocabulary words in a Dutch text, e.g. ``["Uw", "Aanmelden"]``."""
    text = NOT_WORDS.sub(" ", text)
    return [m.group(0) for m in FORMAL.finditer(text)] + [m.group(0) for m in OTHER_WORDS.finditer(text)]


def _unquote(quoted):
    """The text of one quoted .po string: ``"a\\"b\\n"`` -> ``a"b`` + newline."""
    body = quoted.strip()[1:-1]
    return re.sub(r'\\(["\\ntr])', lambda m: {"n": "\n", "t": "\t", "r": "\r"}.get(m.group(1), m.group(1)), body)


def read_po(path):
    """Entries of a gettext catalogue as dicts with ``msgctxt``, ``msgid`` and ``msgstr`` (the
    translations of every plural form joined by " | "); obsolete (``#~``) entries are left out."""
    entries, entry, key = [], {}, None
    for line in [*Path(path).read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip() or line.startswith("#"):
            if not line.strip() and entry:
                entries.append(entry)
                entry, key = {}, None
            continue
        match = re.match(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(\".*\")$", line)
        if match:
            key = match.group(1)
            entry[key] = _unquote(match.group(2))
        elif line.startswith('"') and key:
            entry[key] += _unquote(line)
    result = []
    for entry in entries:
        if not entry.get("msgid"):
            continue  # the header
        forms = [value for name, value in sorted(entry.items()) if name.startswith("msgstr")]
        result.append({"msgctxt": entry.get("msgctxt"), "msgid": entry["msgid"],
                       "msgid_plural": entry.get("msgid_plural"), "msgstr": " | ".join(forms)})
    return result


def project_catalogues():
    """Every Dutch catalogue in the repository, outside the virtualenv and node_modules."""
    found = []
    for top in sorted(Path(settings.BASE_DIR).iterdir()):
        if top.is_dir() and not top.name.startswith(".") and top.name not in SKIPPED_DIRS:
            found += [path for path in top.rglob("locale/nl/LC_MESSAGES/django.po")
                      if not SKIPPED_DIRS.intersection(path.parts)]
    return found


def test_every_project_catalogue_is_found():
    names = {str(path.relative_to(settings.BASE_DIR)) for path in project_catalogues()}
    for app in ("blocks", "catalogue", "governance", "search", "site/accounts", "site/ctylab", "site/initiatives"):
        assert f"{app}/locale/nl/LC_MESSAGES/django.po" in names


def test_no_catalogue_addresses_the_reader_formally_or_says_aanmelden():
    offending = []
    for path in project_catalogues():
        for entry in read_po(path):
            found = problems(entry["msgstr"])
            if found:
                where = path.relative_to(settings.BASE_DIR)
                offending.append(f"{where}: {entry['msgid']!r} -> {entry['msgstr']!r} ({', '.join(found)})")
    assert not offending, "Use \"je\" and \"inloggen\" (issue 11, item 8):\n" + "\n".join(offending)


def test_the_check_catches_the_formal_register():
    assert problems("Uw stem is geteld. Kunt u dit controleren?") == ["Uw", "u"]
    assert problems("Meld je opnieuw aan of vraag een aanmeldcode") == ["Meld je opnieuw aan", "aanmeldcode"]
    assert problems("Neem a.u.b. contact op over twee-factor-authenticatie") == ["u", "twee-factor"]
    # Placeholders, "jouw", "uur" and "nu" are not the formal "u".
    assert problems("Je stem over %(u)s is nu, binnen een uur, jouw keuze {u}.") == []


@pytest.mark.parametrize(("reworded", "catalogues"), [
    (dutch_wording.ALLAUTH, [ALLAUTH_NL]),
    (dutch_wording.DJANGO, DJANGO_NL),
], ids=["allauth", "django"])
def test_every_reworded_message_is_still_the_librarys(reworded, catalogues):
    """An upgrade that renames a message would leave our Dutch for it unused."""
    ids = {entry["msgid"] for path in catalogues for entry in read_po(path) if not entry["msgctxt"]}
    assert [msgid for msgid in reworded if msgid not in ids] == []


@pytest.mark.parametrize("catalogue", [ALLAUTH_NL, *DJANGO_NL], ids=["allauth", "django", "django.contrib.auth"])
def test_library_messages_read_the_ctylab_way_in_dutch(catalogue):
    """Every library message whose own Dutch is formal or says "aanmelden" is shown our way."""
    offending = []
    with translation.override("nl"):
        for entry in read_po(catalogue):
            if not problems(entry["msgstr"]):
                continue
            if entry["msgid_plural"]:
                shown = " | ".join(translation.ngettext(entry["msgid"], entry["msgid_plural"], n) for n in (1, 2))
            elif entry["msgctxt"]:
                shown = translation.pgettext(entry["msgctxt"], entry["msgid"])
            else:
                shown = translation.gettext(entry["msgid"])
            if problems(shown):
                offending.append(f"{entry['msgid']!r} -> {shown!r}")
    assert not offending, "Add these to accounts/dutch_wording.py and its catalogue:\n" + "\n".join(offending)


class VisibleText(HTMLParser):
    """The words a visitor reads or hears: text outside scripts and styles, plus the
    attributes browsers and screen readers show (alt, title, placeholder, aria-label, and the
    value of buttons)."""

    SHOWN_ATTRIBUTES = {"alt", "title", "placeholder", "aria-label"}

    def __init__(self):
        super().__init__()
        self.parts, self.hidden = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "template"):
            self.hidden += 1
        attrs = dict(attrs)
        self.parts += [value for name, value in attrs.items() if name in self.SHOWN_ATTRIBUTES and value]
        if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
            self.parts.append(attrs["value"])

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template") and self.hidden:
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden and data.strip():
            self.parts.append(data.strip())


def visible_text(html):
    parser = VisibleText()
    parser.feed(html)
    return " ".join(parser.parts)


def dutch(client, url, **extra):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="nl", **extra)
    assert response.status_code == 200, (url, response.status_code)
    assert '<html lang="nl"' in response.text
    return visible_text(response.text)


@pytest.fixture
def resident(db):
    user = get_user_model().objects.create_user("dutch-reader", "lezer@example.org", "a-long-Passphrase-42")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def test_sign_in_pages_read_one_way_in_dutch(client, home, resident):
    pages = {}
    for name in ("account_login", "account_signup", "account_request_login_code", "account_reset_password",
                 "account_email_verification_sent"):
        pages[name] = dutch(client, reverse(name))
    pages["home"] = dutch(client, "/")
    # Asking for a sign-in code leads to the page where it is typed in.
    response = client.post(reverse("account_request_login_code"), {"email": resident.email},
                           HTTP_ACCEPT_LANGUAGE="nl", follow=True)
    pages["confirm_login_code"] = visible_text(response.text)

    for name, text in pages.items():
        assert problems(text) == [], (name, text)
    assert "Inloggen" in pages["account_login"] and "Stuur me een inlogcode" in pages["account_login"]
    assert "Registreren" in pages["account_signup"]
    assert "Inloggen" in pages["home"] and "Registreren" in pages["home"]
    assert "Inlogcode" in pages["confirm_login_code"]


def test_signed_in_pages_read_one_way_in_dutch(client, home, resident):
    client.force_login(resident)
    pages = {name: dutch(client, reverse(name)) for name in (
        "account_logout", "account_email", "account_change_password", "account_reauthenticate", "mfa_index",
        "accounts:profile_edit",
    )}
    for name, text in pages.items():
        assert problems(text) == [], (name, text)
    assert "Weet je zeker dat je wilt uitloggen?" in pages["account_logout"]
    assert "Tweestapsverificatie" in pages["mfa_index"]
    assert "Je profiel opslaan" in pages["accounts:profile_edit"]
    assert "Je account verwijderen" in pages["accounts:profile_edit"]  # the account menu
