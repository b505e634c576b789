"""Residents' profiles, their privacy choices, nominations, and initiative editor groups.

Models hold data and the invariants the database can enforce; what people do with them is in
``accounts.services`` and who may see what in ``accounts.privacy``.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .storage import avatar_storage
from .validators import validate_avatar


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Everyone")
    MEMBERS = "members", _("Members of my initiatives")
    PRIVATE = "private", _("Only me")


# Every personal field beyond the display name, each with a ``<name>_visibility`` beside it.
PERSONAL_FIELDS = ("avatar", "expertise", "learning_goals", "ambitions", "neighbourhood")
# Always on the profile form and page (the whitepaper asks for both), even when empty.
ALWAYS_SHOWN = ("expertise", "learning_goals")


AVATAR_EXTENSIONS = {"jpg", "jpeg", "png", "gif", "webp"}


def avatar_path(instance, filename):
    # The uploaded name is never used (it may be personal), and the extension only from a
    # short list: the avatar view decides the content type from the image itself anyway.
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    return f"{uuid.uuid4().hex}.{extension if extension in AVATAR_EXTENSIONS else 'img'}"


def _visibility_field():
    return models.CharField(
        _("who can see this"),
        max_length=10,
        choices=Visibility.choices,
        default=Visibility.PRIVATE,
    )


class Profile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    display_name = models.CharField(
        _("display name"),
        max_length=80,
        help_text=_("Shown to everyone, with your contributions."),
    )
    avatar = models.ImageField(
        _("picture"),
        upload_to=avatar_path,
        storage=avatar_storage,
        blank=True,
        validators=[validate_avatar],
    )
    avatar_visibility = _visibility_field()
    expertise = models.TextField(
        _("expertise"),
        max_length=1000,
        blank=True,
        help_text=_("What you know about and could help others with."),
    )
    expertise_visibility = _visibility_field()
    learning_goals = models.TextField(
        _("learning goals"),
        max_length=1000,
        blank=True,
        help_text=_("What you would like to learn."),
    )
    learning_goals_visibility = _visibility_field()
    ambitions = models.TextField(
        _("ambitions"),
        max_length=1000,
        blank=True,
        help_text=_("What you would like to see happen in your neighbourhood."),
    )
    ambitions_visibility = _visibility_field()
    neighbourhood = models.CharField(_("neighbourhood"), max_length=100, blank=True)
    neighbourhood_visibility = _visibility_field()
    listed_visibility = models.CharField(
        _("who sees me in the member lists of my initiatives"),
        max_length=10,
        choices=Visibility.choices,
        default=Visibility.PRIVATE,
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")
        constraints = [
            models.CheckConstraint(
                condition=Q(**{f"{name}_visibility__in": Visibility.values}),
                name=f"accounts_profile_{name}_visibility_known",
            )
            for name in (*PERSONAL_FIELDS, "listed")
        ]

    def __str__(self):
        return self.display_name

    def visibility_of(self, name):
        return getattr(self, f"{name}_visibility")


class EmailSkeleton(models.Model):
    """The look-alike form of an account's e-mail address (``accounts.emails.skeleton``).

    Kept beside allauth's EmailAddress so that a new address resembling one already in use
    is found with one indexed query.
    """

    email_address = models.OneToOneField(
        "account.EmailAddress", on_delete=models.CASCADE, related_name="skeleton"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    skeleton = models.CharField(max_length=254, db_index=True)

    class Meta:
        verbose_name = _("e-mail address skeleton")
        verbose_name_plural = _("e-mail address skeletons")

    def __str__(self):
        return self.skeleton


class NominationKind(models.TextChoices):
    AMBASSADOR = "ambassador", _("Ambassador of the initiative")
    AUTHORITY = "authority", _("Authority on a topic")


class Nomination(models.Model):
    """A member names a neighbour as the initiative's ambassador or as an authority on a topic.

    One per nominator, nominee, initiative, kind and topic (the ambassador's topic is empty);
    withdrawing deletes it.
    """

    initiative = models.ForeignKey(
        "initiatives.InitiativePage",
        verbose_name=_("initiative"),
        on_delete=models.CASCADE,
        related_name="nominations",
    )
    nominator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("nominated by"),
        on_delete=models.CASCADE,
        related_name="nominations_made",
    )
    nominee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("nominee"),
        on_delete=models.CASCADE,
        related_name="nominations_received",
    )
    kind = models.CharField(_("as"), max_length=12, choices=NominationKind.choices)
    topic = models.CharField(_("topic"), max_length=60, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "nominator", "nominee", "kind", "topic"],
                name="accounts_one_nomination_per_member_person_topic",
            ),
            models.CheckConstraint(
                condition=~Q(nominator=models.F("nominee")),
                name="accounts_nomination_not_self",
            ),
            models.CheckConstraint(
                condition=(Q(kind="ambassador") & Q(topic=""))
                | (Q(kind="authority") & ~Q(topic="")),
                name="accounts_nomination_topic_matches_kind",
            ),
        ]

    def __str__(self):
        return f"{self.nominee_id} as {self.kind} {self.topic}".strip()


class InitiativeEditors(models.Model):
    """The Wagtail group whose page permissions cover exactly one initiative's subtree."""

    initiative = models.OneToOneField(
        "initiatives.InitiativePage", on_delete=models.CASCADE, related_name="editors"
    )
    group = models.OneToOneField("auth.Group", on_delete=models.CASCADE, related_name="+")
    collection = models.ForeignKey(
        "wagtailcore.Collection", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("initiative editor group")
        verbose_name_plural = _("initiative editor groups")

    def __str__(self):
        return self.group.name
