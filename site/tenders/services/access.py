"""Who may see what of a tender. The one place that decides it; views and the admin ask here.

Source of the rule: issue 12 (after Prozorro) — before the quotes are opened nobody but the
bidder sees a quote's contents: not editors, not site admins.
"""

from governance.services import active_membership


def is_frontrunner(initiative_id, user):
    membership = active_membership(initiative_id, user)
    return membership is not None and membership.role == "frontrunner"


def may_manage(tender, user):
    """Frontrunners of the initiative and site admins compare, award and extend deadlines."""
    if user is None or not user.is_authenticated:
        return False
    return user.is_superuser or is_frontrunner(tender.initiative_id, user)


def may_see_quotes(tender, user):
    """Everyone's quotes (contents and attachments): managers, and only once opened."""
    return tender.is_opened and may_manage(tender, user)


def may_see_quote(quote, user):
    """One quote: its own bidder always; managers once the tender is opened."""
    if user is not None and user.is_authenticated and quote.bidder_id == user.pk:
        return True
    return may_see_quotes(quote.tender, user)


def managed_tenders(user):
    """The tenders ``user`` manages: all for a site admin, else those of the initiatives where
    they are a frontrunner."""
    from django.apps import apps

    from ..models import Tender

    if user is None or not user.is_authenticated:
        return Tender.objects.none()
    if user.is_superuser:
        return Tender.objects.all()
    Membership = apps.get_model("governance", "Membership")
    initiatives = Membership.objects.filter(user=user, left_at__isnull=True, role="frontrunner").values(
        "initiative_id"
    )
    return Tender.objects.filter(initiative_id__in=initiatives)
