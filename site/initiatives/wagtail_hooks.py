from wagtail import hooks

from .views import InitiativeDomainViewSet


@hooks.register("register_admin_viewset")
def register_domain_viewset():
    return InitiativeDomainViewSet("initiative_domains")


@hooks.register("register_log_actions")
def register_expiry_held(actions):
    from django.utils.translation import gettext_lazy as _
    from wagtail.log_actions import LogFormatter

    from .expiry import EXPIRY_HELD

    @actions.register_action(EXPIRY_HELD)
    class ExpiryHeld(LogFormatter):
        label = _("Expiry held")

        def format_message(self, log_entry):
            reasons = " ".join(log_entry.data.get("reasons") or ())
            return _("Not unpublished at its expiry time: %(reasons)s") % {"reasons": reasons}
