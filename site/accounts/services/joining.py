"""Joining and leaving an initiative, through governance's membership service.

Governance owns memberships; this module only decides what a resident may choose here:
participant or supporter when joining; frontrunner only when a frontrunner appoints them.
"""

from django.utils.translation import gettext as _

from ..exceptions import NotAllowed


def join_initiative(initiative, user, role):
    from governance import services
    from governance.models import Role

    if role not in (Role.PARTICIPANT, Role.SUPPORTER):
        raise NotAllowed(_("Join as participant or supporter; frontrunners are appointed by frontrunners."))
    return services.join(initiative, user, role)


def leave_initiative(initiative, user):
    from governance import services

    return services.leave(initiative, user)


def appoint_frontrunner(initiative, user, by):
    from governance import services
    from governance.models import Role

    return services.set_role(initiative, user, Role.FRONTRUNNER, by=by)
