"""Guards in front of Wagtail admin views that answer without checking the user's scope.

One rule for every admin view that takes an object by id: the object must be in the user's
**admin scope** (``in_scope``), else the view answers 404 (or, for lists of ids, leaves the
object out). The scope of a model is what Wagtail's own permission policies give:

- pages: the subtrees the user holds page permissions on (an initiative's editor group holds
  them on its initiative), plus their ancestors to navigate;
- images, documents and any other model with a permission policy: the instances the policy
  lets the user choose, change or view (for images and documents: their collections).

Found by the editor permission matrix (tests/accounts/test_editor_permissions.py), Wagtail
8.0.1: the page chooser lists and searches every page and its "chosen" step names any page;
the page-types report names the last edited page of each type site-wide; bulk-action
confirmation pages name any page, image or document whose id is in the URL; the workflow
preview and cancellation views name any page; the copy and bulk move forms, re-rendered,
name any destination page; tag suggestions offer every tag; the admin API's image and
document endpoints list every file. Each is wrapped here (``accounts.admin_urls`` mounts the
wrappers before Wagtail's own URLs, ``accounts.admin_views`` narrows the tag filters,
``accounts.wagtail_hooks`` swaps the API endpoints); superusers pass through.
"""

from functools import wraps

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

#: What a user may do with an object for it to be in their scope (policy action names).
SEE_ACTIONS = ("choose", "change", "delete", "view")
ACT_ACTIONS = ("change", "delete")


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


def in_scope(user, model, actions=SEE_ACTIONS):
    """The instances of ``model`` that ``user`` may see in the admin (a queryset).

    Pages: the visible subtrees and their ancestors (``actions`` other than seeing narrow
    this to the subtrees themselves). Other models: what their registered Wagtail
    permission policy allows for any of ``actions``; a model without a policy is in scope
    only for superusers.
    """
    from wagtail.models import Page
    from wagtail.permissions import policy_registry

    manager = model._default_manager
    if user.is_active and user.is_superuser:
        return manager.all()
    if not (user.is_active and user.is_authenticated):
        return manager.none()
    if issubclass(model, Page):
        return manager.filter(visible_pages_q(user) if actions == SEE_ACTIONS else inside_q(user))
    policy = policy_registry.get_by_type(model, fallback=False)
    if policy is None:
        return manager.none()
    return policy.instances_user_has_any_permission_for(user, list(actions))


# Ids are 64-bit integers; a longer number names nothing (and SQLite cannot compare it).
MAX_ID_DIGITS = 18


def id_list(values):
    """The decimal ids among ``values`` (query parameters), as strings; the rest dropped."""
    return [value for value in values if value.isascii() and value.isdigit() and len(value) <= MAX_ID_DIGITS]


def ids_in_scope(user, model, ids, actions=SEE_ACTIONS):
    """The subset of ``ids`` (strings) that name objects in the user's scope."""
    found = in_scope(user, model, actions).filter(pk__in=ids).values_list("pk", flat=True)
    return {str(pk) for pk in found}


def scoped(model_label, kwarg, actions=SEE_ACTIONS):
    """The view's ``kwarg`` must name an object of ``model_label`` in the user's scope, else 404."""

    def decorate(view):
        @wraps(view)
        def guarded(request, *args, **kwargs):
            model = apps.get_model(model_label)
            value = str(kwargs[kwarg])
            if not id_list([value]) or not ids_in_scope(request.user, model, [value], actions):
                raise Http404
            return view(request, *args, **kwargs)

        return guarded

    return decorate


def only_ids_in_scope(model_label, parameter="id"):
    """Keep only those ``?id=`` values that name objects in the user's scope (and exist)."""
    from wagtail.models import Page

    def decorate(view):
        @wraps(view)
        def guarded(request, *args, **kwargs):
            model = apps.get_model(model_label)
            ids = id_list(request.GET.getlist(parameter))
            allowed = ids_in_scope(request.user, model, ids)
            if issubclass(model, Page):
                # The tree's root has no parent: Wagtail's chosen step fails on it.
                allowed -= {str(pk) for pk in Page.objects.filter(pk__in=allowed, depth=1).values_list("pk", flat=True)}
            query = request.GET.copy()
            query.setlist(parameter, [value for value in ids if value in allowed])
            request.GET = query
            return view(request, *args, **kwargs)

        return guarded

    return decorate


def posted_ids_in_scope(model_label, *fields, required=True):
    """Posted ``fields`` must name objects in the user's scope, else 404.

    A form re-rendered after an error shows its chooser fields' objects by title (Wagtail's
    chooser widgets look up any id), so an id outside the scope never reaches the form. An
    empty value passes only when not ``required`` (the form then says it is missing).
    """

    def decorate(view):
        @wraps(view)
        def guarded(request, *args, **kwargs):
            if request.method == "POST" and not request.user.is_superuser:
                model = apps.get_model(model_label)
                for field in fields:
                    values = request.POST.getlist(field) or [""]
                    given = [value for value in values if value or required]
                    if len(ids_in_scope(request.user, model, id_list(given))) != len(set(given)):
                        raise Http404
            return view(request, *args, **kwargs)

        return guarded

    return decorate


def chooser_browse(view):
    """The chooser's parent must itself be visible to the user (it heads the listing)."""
    return scoped("wagtailcore.Page", "parent_page_id")(view)


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


def reviewing(view):
    """A workflow step's page: in the user's scope, or awaiting a task the user may act on.

    Wagtail's workflow preview names the page (in a message) before it checks anything.
    """

    @wraps(view)
    def guarded(request, page_id, task_id, *args, **kwargs):
        from wagtail.models import Page, TaskState

        user = request.user
        if not ids_in_scope(user, Page, [str(page_id)]):
            page = Page.objects.filter(pk=page_id).first()
            states = TaskState.objects.filter(
                revision__base_content_type=page.get_base_content_type() if page else None,
                revision__object_id=str(page_id),
                task_id=task_id,
                status=TaskState.STATUS_IN_PROGRESS,
            ).select_related("task")
            if page is None or not any(state.task.specific.get_actions(page, user) for state in states):
                raise Http404
        return view(request, *args, page_id=page_id, task_id=task_id, **kwargs)

    return guarded


def bulk_action(view):
    """Bulk actions only ever see ids of objects the user may act on.

    Wagtail's confirmation page names every object whose id is in the URL, including those
    the user has no access to ("items with no access"); ``id=all`` with ``childOf`` names a
    parent's children. Ids outside the scope are dropped before the view runs.
    """
    from wagtail.models import Page

    @wraps(view)
    def guarded(request, app_label, model_name, action, *args, **kwargs):
        try:
            model = apps.get_model(app_label, model_name)
        except LookupError:
            raise Http404 from None
        if not request.user.is_superuser:
            values = request.GET.getlist("id")
            if "all" in values:
                candidates = in_scope(request.user, model, ACT_ACTIONS)
                if issubclass(model, Page):
                    parent = Page.objects.filter(pk__in=id_list([request.GET.get("childOf", "")])).first()
                    candidates = candidates.child_of(parent) if parent else candidates.none()
                ids = [str(pk) for pk in candidates.values_list("pk", flat=True)]
            else:
                ids = id_list(values)
            allowed = ids_in_scope(request.user, model, ids, ACT_ACTIONS)
            query = request.GET.copy()
            query.setlist("id", [value for value in ids if value in allowed])
            request.GET = query
            if values and not allowed:
                raise PermissionDenied
        return view(request, *args, app_label=app_label, model_name=model_name, action=action, **kwargs)

    return guarded


def tags_in_scope(view):
    """Tag suggestions only from tags on objects in the user's scope.

    taggit's tags are one vocabulary for every model; Wagtail's autocomplete suggests all of
    them, so an editor typing "b" would read the tags another initiative gave its files.
    """

    @wraps(view)
    def guarded(request, *args, app_name=None, model_name=None, **kwargs):
        from django.contrib.contenttypes.models import ContentType
        from django.http import JsonResponse
        from taggit.models import Tag, TaggedItem

        if request.user.is_superuser:
            return view(request, *args, app_name=app_name, model_name=model_name, **kwargs)
        if app_name and model_name:
            tag_type = ContentType.objects.filter(app_label=app_name, model=model_name).first()
            if tag_type is None or tag_type.model_class() is not Tag:
                raise Http404
        term = request.GET.get("term", "")
        if not term:
            return JsonResponse([], safe=False)
        tagged = TaggedItem.objects.none()
        for content_type_id in TaggedItem.objects.values_list("content_type", flat=True).distinct():
            model = ContentType.objects.get_for_id(content_type_id).model_class()
            if model is not None:
                ids = in_scope(request.user, model).values("pk")
                tagged |= TaggedItem.objects.filter(content_type_id=content_type_id, object_id__in=ids)
        names = (
            Tag.objects.filter(name__istartswith=term, pk__in=tagged.values("tag_id"))
            .order_by("name")
            .values_list("name", flat=True)[:10]
        )
        return JsonResponse(list(names), safe=False)

    return guarded
