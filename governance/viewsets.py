"""Admin views of governance: proposals to look at, never to edit past the services."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy

from .models import Proposal


class ViewOnlyPolicy(ModelPermissionPolicy):
    """Only "view": proposals change through ``governance.services`` (frozen rules, the log)."""

    def user_has_permission(self, user, action):
        return action == "view" and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


class ProposalViewSet(ModelViewSet):
    model = Proposal
    icon = "tick-inverse"
    menu_label = _("Proposals")
    menu_order = 300
    add_to_admin_menu = True
    list_display = ["title", "initiative", "status", "opens_at", "closes_at"]
    list_filter = ["status", "rule"]
    inspect_view_enabled = True
    copy_view_enabled = False
    inspect_view_fields = [
        "uuid",
        "initiative",
        "title",
        "text",
        "kind",
        "options",
        "eligible_roles",
        "rule",
        "qualified_percent",
        "quorum_percent",
        "opens_at",
        "closes_at",
        "status",
        "election_block_id",
        "rules_hash",
    ]
    # Required by ModelViewSet; ViewOnlyPolicy (registered with the viewset) refuses editing.
    form_fields = ["title"]
