"""Guards in front of Wagtail admin views that answer without checking page permissions.

Found by the editor permission matrix (tests/accounts/test_editor_permissions.py), Wagtail
8.0.1: the page chooser lists and searches every page; the page-types report names the last
edited page of each type site-wide; bulk-action confirmation pages name any page whose id is
in the URL; the workflow-cancellation dialog answers for any page. Each is wrapped here so a
user sees only the pages of the subtrees they have permissions on (and their ancestors, to
navigate); superusers pass through. ``accounts.admin_urls`` mounts these before Wagtail's own.
"""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404


def permitted_roots(user):
    """Roots of the subtrees on which ``user`` holds any page permission (through a group)."""
    from wagtail.models import Page

    if not user.is_authenticated:
        return Page.objects.none()
    return Page.objects.filter(group_permissions__group__user=user).distinct()


def visible_pages_q(user):
    """Q over Page: inside a permitted subtree, or an ancestor of one."""
    from wagtail.models import Page

    query = Q(pk__in=[])
    ancestor_paths = set()
    for path in permitted_roots(user).values_list("path", flat=True):
        query |= Q(path__startswith=path)
        ancestor_paths.update(path[:length] for length in range(Page.steplen, len(path), Page.steplen))
    return query | Q(path__in=ancestor_paths)


def inside_q(user):
    """Q over Page: inside a permitted subtree (ancestors excluded)."""
    query = Q(pk__in=[])
    for path in permitted_roots(user).values_list("path", flat=True):
        query |= Q(path__startswith=path)
    return query


def restrict_pages(pages, user):
    if user.is_superuser:
        return pages
    return pages.filter(visible_pages_q(user))


def chooser_browse(view):
    """The chooser's parent must itself be visible to the user (it heads the listing)."""
    from wagtail.models import Page

    @wraps(view)
    def guarded(request, parent_page_id, *args, **kwargs):
        if not request.user.is_superuser and not Page.objects.filter(
            visible_pages_q(request.user), pk=parent_page_id
        ).exists():
            raise Http404
        return view(request, *args, parent_page_id=parent_page_id, **kwargs)

    return guarded


def superusers_only(view):
    @wraps(view)
    def guarded(request, *args, **kwargs):
        if not request.user.is_superuser:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return guarded


def page_permission(check):
    """The view's ``page_id`` must be a page the user may ``check`` (e.g. "can_edit")."""

    def decorate(view):
        @wraps(view)
        def guarded(request, page_id, *args, **kwargs):
            from wagtail.models import Page

            page = Page.objects.filter(pk=page_id).first()
            if page is None:
                raise Http404
            if not getattr(page.permissions_for_user(request.user), check)():
                raise PermissionDenied
            return view(request, *args, page_id=page_id, **kwargs)

        return guarded

    return decorate


def bulk_pages(view):
    """Page bulk actions only ever see ids of pages inside the user's subtrees."""
    from wagtail.models import Page

    @wraps(view)
    def guarded(request, app_label, model_name, action, *args, **kwargs):
        is_page = app_label == "wagtailcore" and model_name == "page"
        if is_page and not request.user.is_superuser:
            ids = [value for value in request.GET.getlist("id") if value.isdigit()]
            allowed = {
                str(pk)
                for pk in Page.objects.filter(inside_q(request.user), pk__in=ids).values_list("pk", flat=True)
            }
            query = request.GET.copy()
            query.setlist("id", [value for value in ids if value in allowed])
            request.GET = query
            if ids and not allowed:
                raise PermissionDenied
        return view(request, *args, app_label=app_label, model_name=model_name, action=action, **kwargs)

    return guarded
