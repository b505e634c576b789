from django.http import Http404
from wagtail import hooks

from ctylab.reachable import has_unpublished_ancestor

from .views import InitiativeDomainViewSet


@hooks.register("register_admin_viewset")
def register_domain_viewset():
    return InitiativeDomainViewSet("initiative_domains")


@hooks.register("before_serve_page")
def nothing_beneath_a_page_that_is_not_live(page, request, serve_args, serve_kwargs):
    # Wagtail's routing checks only the served page's own live flag: an expired initiative's
    # sub-pages would stay served on its domain (ctylab.reachable has the rule).
    if has_unpublished_ancestor(page):
        raise Http404
