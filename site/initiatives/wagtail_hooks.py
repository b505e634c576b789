from wagtail import hooks

from .views import InitiativeDomainViewSet


@hooks.register("register_admin_viewset")
def register_domain_viewset():
    return InitiativeDomainViewSet("initiative_domains")
