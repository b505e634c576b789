"""Template tags for other apps' templates: a resident's part in an initiative, and names."""

from django import template

from ..services.your_data import display_name_or_former

register = template.Library()


@register.inclusion_tag("accounts/includes/initiative_membership.html", takes_context=True)
def initiative_membership(context, initiative):
    """Join (or your role), and the link to the members, for an initiative page.

    Usage: ``{% load accounts_tags %}{% initiative_membership page %}``
    """
    from governance.services import active_membership

    from ..forms import JoinForm

    request = context.get("request")
    user = getattr(request, "user", None)
    membership = active_membership(initiative.pk, user) if user is not None else None
    return {
        "request": request,
        "user": user,
        "initiative": initiative,
        "membership": membership,
        "join_form": JoinForm() if user is not None and user.is_authenticated and membership is None else None,
        "csrf_token": context.get("csrf_token"),
    }


@register.filter
def member_name(user):
    """``{{ proposal.proposed_by|member_name }}``: the display name, or "former member"."""
    return display_name_or_former(user)
