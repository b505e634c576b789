"""Admin wiring: close the admin's paths around page permissions."""

from django.core.exceptions import PermissionDenied
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
