"""Checks on what residents upload and type: avatars must be real, reasonable images."""

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError


def validate_avatar(file):
    """Refuse anything that Pillow cannot fully decode as an image of an accepted format,
    size and dimensions. The file's name and declared content type are never trusted."""
    from .conf import app_settings

    if not file:
        return
    size = getattr(file, "size", None)
    if size is not None and size > app_settings.AVATAR_MAX_BYTES:
        raise ValidationError(
            _("The picture is %(size)s; the largest allowed is %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(app_settings.AVATAR_MAX_BYTES)},
            code="avatar_too_large",
        )
    position = file.tell() if hasattr(file, "tell") else 0
    try:
        file.seek(0)
        with Image.open(file) as image:
            image_format = image.format
            width, height = image.size
            biggest = app_settings.AVATAR_MAX_SIDE
            if width > biggest or height > biggest:
                raise ValidationError(
                    _("The picture is %(width)s×%(height)s pixels; at most %(max)s×%(max)s is allowed.")
                    % {"width": width, "height": height, "max": biggest},
                    code="avatar_too_big",
                )
            # verify() checks the whole file, not only the header that open() reads.
            image.verify()
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError(
            _("This file is not a picture we can read. Upload a JPEG, PNG, GIF or WebP image."),
            code="avatar_not_image",
        ) from None
    finally:
        try:
            file.seek(position)
        except (OSError, ValueError):
            pass
    if image_format not in app_settings.AVATAR_FORMATS:
        raise ValidationError(
            _("Pictures in %(format)s format are not accepted. Upload a JPEG, PNG, GIF or WebP image.")
            % {"format": image_format},
            code="avatar_format",
        )
    smallest = app_settings.AVATAR_MIN_SIDE
    if width < smallest or height < smallest:
        raise ValidationError(
            _("The picture is %(width)s×%(height)s pixels; it must be at least %(min)s×%(min)s.")
            % {"width": width, "height": height, "min": smallest},
            code="avatar_too_small",
        )
