"""Quote attachments: one PDF per quote, checked by its content, sealed on disk outside
``MEDIA_ROOT`` and read back only through the views that ask ``access`` first."""

import hashlib
import os
import secrets
from pathlib import Path

from django.utils.translation import gettext as _

from ..conf import app_settings
from ..crypto import seal, unseal
from ..exceptions import InvalidQuote

# Every PDF starts with this header (ISO 32000-1, 7.5.2 "File header"); the name and the
# browser's declared type prove nothing.
PDF_MAGIC = b"%PDF-"


def read_upload(upload):
    """The bytes of an uploaded PDF, refused (InvalidQuote) if too large or not a PDF."""
    limit = app_settings.MAX_ATTACHMENT_BYTES
    if upload.size is not None and upload.size > limit:
        raise InvalidQuote(
            _("The attachment is larger than %(limit)s MB; attach a smaller PDF.")
            % {"limit": f"{limit / (1024 * 1024):g}"}
        )
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise InvalidQuote(
            _("The attachment is larger than %(limit)s MB; attach a smaller PDF.")
            % {"limit": f"{limit / (1024 * 1024):g}"}
        )
    if not data.startswith(PDF_MAGIC):
        raise InvalidQuote(_("The attachment is not a PDF file. Only PDF files can be attached."))
    return data


def describe(upload, data):
    name = os.path.basename(upload.name or "quote.pdf")[:150] or "quote.pdf"
    return {"name": name, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}


def _root():
    root = Path(app_settings.ATTACHMENT_ROOT)
    root.mkdir(parents=True, exist_ok=True)
    return root


def store(data):
    """Seal ``data`` into a new file; returns its random name."""
    name = secrets.token_hex(16)
    (_root() / name).write_bytes(seal(data))
    return name


def load(name):
    """The PDF bytes of a stored attachment."""
    if not name or not name.isalnum():
        raise FileNotFoundError(name)
    return unseal((_root() / name).read_bytes())


def remove(name):
    if name and name.isalnum():
        (_root() / name).unlink(missing_ok=True)
