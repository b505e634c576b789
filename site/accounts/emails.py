"""E-mail addresses: one normal form, and a "skeleton" under which look-alikes coincide.

``normalize`` is what is stored: Unicode NFKC (full-width and compatibility forms folded),
surrounding space removed, lower case, the domain in its ASCII (punycode) form.

``skeleton`` is only compared, never shown: it also folds characters that look alike in
common fonts (Cyrillic and Greek letters that mimic Latin ones, accents, 0/o, 1/l, "rn"/"m",
dots in the local part) in the spirit of Unicode TS #39, so "аlice@example.org" with a
Cyrillic а, "alice@exаmple.org" and "a.lice@example.org" all fall on "alice@example.org".
"""

import unicodedata

import idna

# Characters that render like a Latin letter or digit (a practical subset of TS #39's
# confusables: the ones seen in phishing addresses).
_CONFUSABLES = str.maketrans(
    {
        # Cyrillic
        "а": "a", "в": "b", "с": "c", "ԁ": "d", "е": "e", "һ": "h", "і": "i", "ј": "j",
        "к": "k", "ӏ": "l", "м": "m", "н": "h", "о": "o", "р": "p", "ԛ": "q", "ѕ": "s",
        "т": "t", "ս": "u", "ν": "v", "ԝ": "w", "х": "x", "у": "y", "ү": "y", "ɡ": "g",
        "ё": "e", "ї": "i",
        # Greek
        "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ο": "o", "ρ": "p",
        "τ": "t", "υ": "u", "χ": "x", "γ": "y", "ϲ": "c", "ϳ": "j",
        # Latin look-alikes and digits
        "ı": "i", "ȷ": "j", "ł": "l", "ø": "o", "đ": "d", "ħ": "h", "ß": "ss",
        "0": "o", "1": "l", "|": "l", "5": "s",
        # Dashes and underscores that read alike
        "‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "_": "-",
    }
)


def normalize(email):
    email = unicodedata.normalize("NFKC", str(email or "")).strip()
    local, at, domain = email.rpartition("@")
    if not at:
        return email.lower()
    domain = domain.rstrip(".").lower()
    try:
        domain = idna.encode(domain, uts46=True).decode("ascii")
    except idna.IDNAError:
        pass  # left for the e-mail validator to refuse
    return f"{local.lower()}@{domain}"


def _fold(text):
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text).casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.translate(_CONFUSABLES)
    return text.replace("rn", "m").replace("vv", "w")


def skeleton(email):
    email = unicodedata.normalize("NFKC", str(email or "")).strip()
    local, _at, domain = email.rpartition("@")
    try:
        domain = idna.decode(domain.rstrip(".").lower())
    except idna.IDNAError:
        pass
    local = local.split("+", 1)[0].replace(".", "")
    return f"{_fold(local)}@{_fold(domain)}"


def conflict(email, user=None):
    """Why ``email`` cannot be added (to ``user``'s account, or to a new one), or None.

    "taken": another account has this very address; "lookalike": another account has an
    address with the same skeleton. The user's own addresses are allauth's business.
    """
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model

    from .models import EmailSkeleton

    normal = normalize(email)
    others = EmailAddress.objects.filter(email__iexact=normal)
    users = get_user_model().objects.filter(email__iexact=normal)
    similar = EmailSkeleton.objects.filter(skeleton=skeleton(normal))
    if user is not None and user.pk:
        others = others.exclude(user=user)
        users = users.exclude(pk=user.pk)
        similar = similar.exclude(user=user)
    if others.exists() or users.exists():
        return "taken"
    if similar.exists():
        return "lookalike"
    return None
