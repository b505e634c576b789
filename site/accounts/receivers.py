"""Signal receivers: editor groups follow initiatives, addresses are stored in their normal
form and skeletons follow them, editing rights end with membership, and every signed-up
resident has a profile."""

from allauth.account.models import EmailAddress
from allauth.account.signals import user_signed_up
from allauth.mfa.signals import authenticator_added
from django.apps import apps
from django.conf import settings
from django.db.models.signals import post_delete, post_migrate, post_save, pre_save
from django.dispatch import receiver

from initiatives.models import InitiativePage

from . import emails
from .models import EmailSkeleton, InitiativeEditors
from .signin_gate import mark_second_factor


@receiver(post_save, sender=InitiativePage)
def give_initiative_its_editors(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        from .services.editors import ensure_editor_group

        ensure_editor_group(instance)


@receiver(post_delete, sender=InitiativeEditors)
def remove_editor_group(sender, instance, **kwargs):
    from django.contrib.auth.models import Group

    Group.objects.filter(pk=instance.group_id).delete()


@receiver(post_migrate)
def editor_groups_for_existing_initiatives(sender, app_config=None, using="default", **kwargs):
    # Initiatives created before this app was installed get their groups on migrate.
    if app_config is None or app_config.label != "accounts":
        return
    from .services.editors import ensure_editor_group

    for page in InitiativePage.objects.using(using).filter(editors__isnull=True).iterator():
        ensure_editor_group(page)


@receiver(pre_save, sender=EmailAddress)
@receiver(pre_save, sender=settings.AUTH_USER_MODEL)
def store_email_in_normal_form(sender, instance, raw=False, **kwargs):
    # The last door: addresses written by Wagtail's user forms, createsuperuser, an import or
    # the shell are stored in the form every look-up uses (issue 15, kind 4).
    if not raw and instance.email:
        instance.email = emails.normalize(instance.email)


@receiver(post_save, sender=EmailAddress)
def keep_skeleton(sender, instance, raw=False, **kwargs):
    if raw:
        return
    EmailSkeleton.objects.update_or_create(
        email_address=instance,
        defaults={"user_id": instance.user_id, "skeleton": emails.skeleton(instance.email)},
    )


@receiver(user_signed_up)
def ensure_profile(sender, request, user, **kwargs):
    from .services.profiles import profile_for

    profile_for(user)


def end_editing_with_membership(sender, instance, **kwargs):
    if instance.left_at is not None:
        from .services.editors import remove_editor

        remove_editor(instance.initiative, instance.user)


post_save.connect(
    end_editing_with_membership,
    sender=apps.get_model("governance", "Membership"),
    dispatch_uid="accounts_end_editing_with_membership",
)


@receiver(authenticator_added)
def second_factor_proven(sender, request, user, authenticator, **kwargs):
    # Setting up an app asks for its current code, so this session has proven it.
    if request is not None and authenticator.type != authenticator.Type.RECOVERY_CODES:
        mark_second_factor(request.session, user)
