"""docs/verify_decision.py checks a decision with nothing but the API's answers and a node."""

import datetime
import runpy
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from governance import services
from governance.models import DeploymentStatus, ProposalKind

pytestmark = pytest.mark.django_db(transaction=True)

SCRIPT = Path(django_settings.BASE_DIR) / "docs" / "verify_decision.py"


@pytest.fixture
def script():
    return runpy.run_path(str(SCRIPT))


def closed_decision(make_proposal, make_member, now):
    earlier = now - datetime.timedelta(hours=2)
    # Members join before the backdated proposal: joining runs the clock, which closes it.
    members = [make_member() for _ in range(3)]
    proposal = make_proposal(at=earlier, kind=ProposalKind.OPTIONS, options=["Lime", "Oak"])
    for member, choice in zip(members, (1, 1, 0), strict=True):
        services.cast_ballot(proposal, member, choice, now=earlier)
    return services.close_proposal(proposal, now=now)


def test_a_decision_on_anvil_checks_out(anvil, live_server, script, make_proposal, make_member, now, settings):
    settings.CTYLAB_OPENDATA_RATE = None
    decision = closed_decision(make_proposal, make_member, now)
    deployment = services.anchor(decision.deployment.pk)
    assert deployment.status == DeploymentStatus.CONFIRMED, deployment.last_error
    anvil.rpc("evm_mine")  # one block more: two confirmations
    problems, facts = script["verify"](live_server.url, str(decision.proposal.uuid), anvil.url)
    assert problems == []
    assert facts["chain_id"] == 31337 and facts["confirmations"] == 2
    assert facts["contract"].lower() == deployment.contract_address.lower()


def test_a_site_that_lies_about_the_tally_is_caught(anvil, live_server, script, make_proposal, make_member, now, settings):
    settings.CTYLAB_OPENDATA_RATE = None
    decision = closed_decision(make_proposal, make_member, now)
    services.anchor(decision.deployment.pk)
    fetch = script["fetch_json"]

    def lying(url):
        answer = fetch(url)
        if "/decisions/" in url:
            answer["tally"] = [3, 0]
        return answer

    problems, _facts = script["verify"](live_server.url, str(decision.proposal.uuid), anvil.url, fetch=lying)
    assert any("tally" in problem for problem in problems)
