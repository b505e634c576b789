"""Creating and reading residents' profiles."""

from django.db import transaction

from ..forms import clean_text
from ..models import Profile


def _default_display_name(user):
    name = clean_text(user.get_full_name()) if hasattr(user, "get_full_name") else ""
    return (name or clean_text(user.get_username()))[:80] or "Resident"


@transaction.atomic
def create_profile(user, display_name=None):
    """The user's profile, created on sign-up: everything private but the display name."""
    profile, created = Profile.objects.get_or_create(
        user=user, defaults={"display_name": (display_name or _default_display_name(user))[:80]}
    )
    if not created and display_name and profile.display_name != display_name:
        profile.display_name = display_name[:80]
        profile.save(update_fields=["display_name", "updated_at"])
    sync_display_name(profile)
    return profile


def profile_for(user):
    """The user's profile, created on first use for accounts made outside sign-up."""
    try:
        return user.profile
    except Profile.DoesNotExist:
        return create_profile(user)


def sync_display_name(profile):
    # The admin and its logs name people by their full name; make that the display name
    # rather than the random username or the e-mail address.
    user = profile.user
    if user.first_name != profile.display_name[:150] or user.last_name:
        user.first_name, user.last_name = profile.display_name[:150], ""
        user.save(update_fields=["first_name", "last_name"])


def user_display(user):
    """How allauth names a person in pages and e-mails: the display name, never the username."""
    profile = getattr(user, "profile", None) if user.pk else None
    return profile.display_name if profile is not None else (user.first_name or user.email or "")
