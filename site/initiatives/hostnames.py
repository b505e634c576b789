"""Normalising and validating the hostnames site admins attach to initiatives."""

import ipaddress
import re

import idna
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
MAX_HOSTNAME = 253


def normalize_hostname(value):
    """Return ``value`` as a lower-case ASCII hostname (punycode), or raise ValidationError.

    Accepts what people paste: surrounding spaces, capitals, a trailing dot and
    internationalised names ("bloemkwartier-zoë.nl"). Refuses schemes, ports, paths, user
    names, IP addresses and anything that is not a valid DNS name.
    """
    host = (value or "").strip()
    if not host:
        raise ValidationError(_("Enter a domain name, for example buurt.example.org."), code="required")
    if "://" in host or host.lower().startswith(("http:", "https:")):
        raise ValidationError(
            _("Enter only the domain name, without http:// or https://."), code="scheme"
        )
    if any(char in host for char in "/?#"):
        raise ValidationError(_("Enter only the domain name, without a path."), code="path")
    if "@" in host:
        raise ValidationError(_("A domain name cannot contain “@”."), code="userinfo")
    if ":" in host or host.startswith("["):
        raise ValidationError(_("Enter the domain name without a port number."), code="port")
    if any(char.isspace() for char in host):
        raise ValidationError(_("A domain name cannot contain spaces."), code="space")
    host = host.rstrip(".")
    try:
        ipaddress.ip_address(host)
    except ValueError:
        pass
    else:
        raise ValidationError(_("Enter a domain name, not an IP address."), code="ip")
    try:
        ascii_host = idna.encode(host, uts46=True).decode("ascii")
    except (idna.IDNAError, UnicodeError):
        raise ValidationError(
            _("“%(value)s” is not a valid domain name.") % {"value": value.strip()}, code="invalid"
        ) from None
    labels = ascii_host.split(".")
    if len(ascii_host) > MAX_HOSTNAME or len(labels) < 2 or not all(LABEL.match(label) for label in labels):
        raise ValidationError(
            _("“%(value)s” is not a valid domain name: use two or more parts such as buurt.example.org.")
            % {"value": value.strip()},
            code="invalid",
        )
    if labels[-1].isdigit():
        raise ValidationError(_("The last part of a domain name cannot be a number."), code="invalid")
    return ascii_host


def display_hostname(ascii_host):
    """The Unicode form of a stored punycode hostname, for people to read."""
    try:
        return idna.decode(ascii_host)
    except (idna.IDNAError, UnicodeError):
        return ascii_host
