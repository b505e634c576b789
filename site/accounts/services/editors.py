"""Per-initiative editing rights: one Wagtail group per initiative, covering its subtree.

The group holds ``EDITOR_PAGE_PERMISSIONS`` (add, change, publish by default) on exactly the
initiative's page (Wagtail applies page permissions to the page and its descendants), admin
access, and the image and document permissions on a collection of the initiative's own, so
its editors neither see nor choose another initiative's files.
"""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils.translation import gettext as _

from ..conf import app_settings
from ..exceptions import NotAllowed
from ..models import InitiativeEditors

COLLECTION_PERMISSIONS = {
    "wagtailimages": ("add_image", "change_image", "choose_image"),
    "wagtaildocs": ("add_document", "change_document", "choose_document"),
}


def _permissions(app_label, codenames):
    return list(Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames))


def group_name(initiative):
    return f"Editors of initiative {initiative.pk}: {initiative.title}"[:150]


@transaction.atomic
def ensure_editor_group(initiative):
    """The initiative's editor group, created with its permissions the first time."""
    from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission

    existing = InitiativeEditors.objects.select_related("group").filter(initiative=initiative).first()
    if existing is not None:
        return existing
    group, _created = Group.objects.get_or_create(name=group_name(initiative))
    group.permissions.add(*_permissions("wagtailadmin", ["access_admin"]))
    for permission in _permissions("wagtailcore", app_settings.EDITOR_PAGE_PERMISSIONS):
        GroupPagePermission.objects.get_or_create(group=group, page=initiative, permission=permission)
    root = Collection.get_first_root_node()
    collection = None
    if root is not None:
        collection = root.add_child(name=f"Initiative {initiative.pk}: {initiative.title}"[:255])
        for app_label, codenames in COLLECTION_PERMISSIONS.items():
            for permission in _permissions(app_label, codenames):
                GroupCollectionPermission.objects.get_or_create(
                    group=group, collection=collection, permission=permission
                )
    return InitiativeEditors.objects.create(initiative=initiative, group=group, collection=collection)


def initiative_of_collection(collection):
    """The id of the initiative whose collection holds ``collection`` (itself or an
    ancestor), or None for the platform's own collections."""
    if collection is None:
        return None
    return (
        InitiativeEditors.objects.filter(collection__in=collection.get_ancestors(inclusive=True))
        .order_by("-collection__depth")
        .values_list("initiative_id", flat=True)
        .first()
    )


def is_editor(initiative, user):
    if not user.is_authenticated:
        return False
    return InitiativeEditors.objects.filter(initiative=initiative, group__user=user).exists()


def _require_frontrunner(initiative, user):
    from governance.models import Role
    from governance.services import active_membership

    membership = active_membership(initiative.pk, user)
    if membership is None or membership.role != Role.FRONTRUNNER:
        raise NotAllowed(_("Only a frontrunner of this initiative can do this."))


@transaction.atomic
def invite_editor(initiative, member, by):
    """A frontrunner gives a member editing rights on the initiative's pages."""
    from governance.services import active_membership

    _require_frontrunner(initiative, by)
    if active_membership(initiative.pk, member) is None:
        raise NotAllowed(_("Only members of this initiative can become its editors."))
    editors = ensure_editor_group(initiative)
    member.groups.add(editors.group)
    return editors


@transaction.atomic
def remove_editor(initiative, member, by=None):
    """A frontrunner (or the editor themselves; ``by=None`` for the system) ends editing rights."""
    if by is not None and by.pk != member.pk:
        _require_frontrunner(initiative, by)
    editors = InitiativeEditors.objects.filter(initiative=initiative).select_related("group").first()
    if editors is not None:
        member.groups.remove(editors.group)
