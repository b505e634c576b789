"""Giving an initiative its own domain, from the initiative's editor page.

A site admin attaches a domain at once (``attach``). An editor of the initiative who is not a
site admin asks for one (``request_domain``); a site admin then approves the request in one
action (``approve``: the ``InitiativeDomain`` and its Wagtail Site are made) or refuses it
with a reason (``refuse``: the editor is e-mailed and reads it on the editor page).

Who may do what is checked here, whatever the view: editors are the users who may edit the
initiative (Wagtail's page permissions); site admins are those who may add initiative
domains (``initiatives.add_initiativedomain``; superusers have it). Every operation is
logged on the initiative's page history (Wagtail's log entries). Hostnames are normalised by
``hostnames.normalize_hostname`` and must not be the platform's, another Site's or asked for
in another pending request.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from . import domain_mail
from .models import DomainRequest, InitiativeDomain

SITE_ADMIN_PERMISSION = "initiatives.add_initiativedomain"
REASON_MAX_LENGTH = 1000


def is_site_admin(user):
    """Whether ``user`` attaches domains and decides on requests."""
    return bool(user and user.is_active and user.has_perm(SITE_ADMIN_PERMISSION))


def may_ask(user, initiative):
    """Whether ``user`` may attach or request a domain for ``initiative`` (an editor of it)."""
    return bool(user and user.is_active and initiative.permissions_for_user(user).can_edit())


def checked_hostname(initiative, hostname, request=None):
    """``hostname`` in its normal form if it is free for ``initiative``; else ValidationError.

    Free: a valid DNS name, not a platform host, no Site's hostname, and not waiting in a
    pending request other than ``request``.
    """
    domain = InitiativeDomain(hostname=hostname, initiative=initiative)
    try:
        domain.clean()
    except ValidationError as error:
        raise ValidationError(error.message_dict["hostname"]) from None
    pending = DomainRequest.objects.filter(hostname=domain.hostname, status=DomainRequest.Status.PENDING)
    if request is not None:
        pending = pending.exclude(pk=request.pk)
    if pending.exists():
        raise ValidationError(_("This domain has already been requested and is waiting for a site admin."))
    return domain.hostname


def attach(initiative, hostname, by):
    """A site admin attaches ``hostname`` to ``initiative``; returns the InitiativeDomain.

    Raises PermissionDenied unless ``by`` is a site admin who may edit the initiative, and
    ValidationError for a hostname that is not free.
    """
    if not (is_site_admin(by) and may_ask(by, initiative)):
        raise PermissionDenied
    hostname = checked_hostname(initiative, hostname)
    with transaction.atomic():
        domain = InitiativeDomain.objects.create(hostname=hostname, initiative=initiative)
        log(instance=initiative, action="initiatives.domain_attached", user=by, data={"hostname": hostname})
    return domain


def request_domain(initiative, hostname, by):
    """An editor asks for ``hostname`` for ``initiative``; returns the pending DomainRequest.

    Site admins are told by e-mail. Raises PermissionDenied unless ``by`` may edit the
    initiative, and ValidationError for a hostname that is not free.
    """
    if not may_ask(by, initiative):
        raise PermissionDenied
    hostname = checked_hostname(initiative, hostname)
    try:
        with transaction.atomic():
            request = DomainRequest.objects.create(hostname=hostname, initiative=initiative, requested_by=by)
            log(instance=initiative, action="initiatives.domain_requested", user=by, data={"hostname": hostname})
    except IntegrityError:
        # Another editor asked for the same name a moment earlier (the database's constraint).
        raise ValidationError(
            _("This domain has already been requested and is waiting for a site admin.")
        ) from None
    transaction.on_commit(lambda: domain_mail.requested(request))
    return request


def _pending(request_id):
    """The request, locked, if it still waits for a decision; else ValidationError."""
    request = DomainRequest.objects.select_for_update().select_related("initiative").filter(pk=request_id).first()
    if request is None or request.status != DomainRequest.Status.PENDING:
        raise ValidationError(_("This request has already been decided on."))
    return request


def approve(request, by):
    """A site admin approves ``request``: the domain is attached. Returns the InitiativeDomain.

    Raises PermissionDenied unless ``by`` is a site admin; ValidationError when the request
    was decided already or its hostname was taken meanwhile (the request then stays pending).
    """
    if not is_site_admin(by):
        raise PermissionDenied
    with transaction.atomic():
        request = _pending(request.pk)
        initiative = request.initiative.specific
        hostname = checked_hostname(initiative, request.hostname, request=request)
        domain = InitiativeDomain.objects.create(hostname=hostname, initiative=initiative)
        request.status = DomainRequest.Status.APPROVED
        request.decided_by, request.decided_at = by, timezone.now()
        request.save(update_fields=["status", "decided_by", "decided_at"])
        log(instance=initiative, action="initiatives.domain_approved", user=by, data={"hostname": hostname})
    transaction.on_commit(lambda: domain_mail.decided(request))
    return domain


def refuse(request, by, reason):
    """A site admin refuses ``request`` with ``reason`` (text, required); the editor is told.

    Raises PermissionDenied unless ``by`` is a site admin; ValidationError without a reason
    or when the request was decided already.
    """
    if not is_site_admin(by):
        raise PermissionDenied
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError(_("Give a reason: the editor reads it."))
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError(
            _("Keep the reason under %(count)s characters.") % {"count": REASON_MAX_LENGTH}
        )
    with transaction.atomic():
        request = _pending(request.pk)
        request.status = DomainRequest.Status.REFUSED
        request.decided_by, request.decided_at, request.reason = by, timezone.now(), reason
        request.save(update_fields=["status", "decided_by", "decided_at", "reason"])
        log(
            instance=request.initiative.specific,
            action="initiatives.domain_refused",
            user=by,
            data={"hostname": request.hostname, "reason": reason},
        )
    transaction.on_commit(lambda: domain_mail.decided(request))
    return request


def add_from_editor(initiative, hostname, by):
    """What the editor page's domain field does: attach for site admins, else request.

    Returns ``("attached", InitiativeDomain)`` or ``("requested", DomainRequest)``.
    """
    if is_site_admin(by):
        return "attached", attach(initiative, hostname, by)
    return "requested", request_domain(initiative, hostname, by)


def pending_requests():
    return DomainRequest.objects.filter(status=DomainRequest.Status.PENDING).select_related(
        "initiative", "requested_by"
    ).order_by("requested_at", "pk")
