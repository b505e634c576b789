"""Checks on what site admins type into the catalogue: icon names and card values in JSON."""

import decimal
import functools
import json
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks as wagtail_blocks
from wagtail import hooks

from blocks.localtime import WallClockError, parse_local_datetime


@functools.cache
def admin_icon_names():
    """The names of the icons Wagtail's admin knows (from the ``register_icons`` hook)."""
    icons = []
    for register in hooks.get_hooks("register_icons"):
        icons = register(icons)
    return frozenset(PurePosixPath(path).stem for path in icons)


def validate_icon(name):
    if name and name not in admin_icon_names():
        raise ValidationError(
            _("There is no admin icon called “%(name)s”. Use a Wagtail icon name such as “doc-full”, “site” or “tasks”."),
            params={"name": name},
            code="unknown_icon",
        )


def error_messages(error):
    """Every message in a (nested) block validation error, as flat strings."""
    found = []
    nested = getattr(error, "block_errors", None)
    if nested:
        for sub in nested.values() if isinstance(nested, dict) else nested:
            if sub is not None:
                found.extend(error_messages(sub))
    non_block = getattr(error, "non_block_errors", None)
    if non_block:
        for sub in non_block.as_data() if hasattr(non_block, "as_data") else non_block:
            found.extend(error_messages(sub))
    if not found and isinstance(error, ValidationError):
        found.extend(error.messages)
    return found


def partial_value_errors(block, data):
    """What is wrong with ``data`` as part of a value of ``block``: a list of messages.

    ``data`` is JSON as a site admin typed it: an object whose keys are fields of the card and
    whose values are given as stored (dates and times in ISO 8601). Fields left out keep the
    card's own default, so a partial value is fine; every field given must be valid.
    """
    if not isinstance(data, dict):
        return [_("Give an object of field names and values, for example {\"title\": \"Our roof\"}.")]
    known = list(block.child_blocks)
    unknown = sorted(set(data) - set(known))
    if unknown:
        return [
            _("The %(card)s card has no field(s) %(unknown)s. Its fields are: %(known)s.")
            % {"card": block.meta.label, "unknown": ", ".join(unknown), "known": ", ".join(known)}
        ]
    problems = []
    for name, raw in data.items():
        child = block.child_blocks[name]
        try:
            if isinstance(child, wagtail_blocks.DateTimeBlock) and isinstance(raw, str):
                # Typed as text, a time without an offset must name exactly one instant.
                parse_local_datetime(raw)
            value = child.to_python(raw)
            if value is None and raw not in (None, ""):
                raise ValueError(raw)
            child.clean(value)
        except ValidationError as error:
            problems.extend(f"{name}: {message}" for message in error_messages(error))
        except WallClockError as error:
            problems.append(f"{name}: {error}")
        except (TypeError, ValueError, KeyError, AttributeError, IndexError, decimal.DecimalException):
            problems.append(
                _("%(field)s: %(value)s is not a valid value for this field.")
                % {"field": name, "value": _short_json(raw)}
            )
    return problems


def _short_json(raw):
    text = json.dumps(raw, default=str)
    return text if len(text) <= 60 else text[:57] + "…"
