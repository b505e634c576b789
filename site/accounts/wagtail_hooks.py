"""Admin wiring: close the admin's paths around page and collection permissions, and serve
an initiative's documents only on its own site."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from wagtail import hooks


@hooks.register("before_move_page")
def refuse_moves_the_user_may_not_make(request, page, destination):
    # Wagtail 8.0's move confirmation page checks permissions only when the move is posted;
    # its GET shows the titles of any page and destination to any admin user. Check first.
    if not page.permissions_for_user(request.user).can_move_to(destination):
        raise PermissionDenied


@hooks.register("construct_page_chooser_queryset")
def only_pages_of_ones_own_subtrees(pages, request):
    # Wagtail's chooser lists and searches every page; an initiative's editor sees only
    # their initiatives' pages (and the ancestors to reach them).
    from .admin_guards import restrict_pages

    return restrict_pages(pages, request.user)


@hooks.register("construct_admin_api", order=100)
def admin_api_within_scope(router):
    # After Wagtail's own hooks (order 0), which register the unscoped endpoints by these names.
    from .admin_api import ScopedDocumentsAdminAPIViewSet, ScopedImagesAdminAPIViewSet

    router.register_endpoint("images", ScopedImagesAdminAPIViewSet)
    router.register_endpoint("documents", ScopedDocumentsAdminAPIViewSet)


@hooks.register("before_serve_document")
def documents_of_this_site_only(document, request):
    # A document in an initiative's collection belongs to that initiative: on another
    # initiative's domain its id is a 404. The platform's own collections serve everywhere.
    from initiatives.scope import site_pages

    from .services import initiative_of_collection

    owner = initiative_of_collection(document.collection)
    if owner is not None and not site_pages(request).filter(pk=owner).exists():
        raise Http404
