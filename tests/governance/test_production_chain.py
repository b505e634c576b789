"""A real chain in production: settings from the environment, `check --deploy`, other chains."""

import pytest
from django.core.management import call_command

from governance import services
from governance.backends.jsonrpc import JsonRpcBackend
from governance.checks import check_chain_for_production
from governance.conf import DEFAULT_CHAIN
from governance.models import DeploymentStatus, DeploymentVerification

from .test_anvil import ANVIL_KEY, anvil  # noqa: F401 - the fixture
from .test_anvil import decision as anvil_decision  # noqa: F401 - the fixture


def ids(errors):
    return sorted(error.id for error in errors)


def test_check_deploy_refuses_the_in_process_chain(settings):
    settings.GOVERNANCE_CHAIN = {"BACKEND": "governance.backends.eth_tester.EthTesterBackend", "OPTIONS": {}}
    [error] = check_chain_for_production()
    assert error.id == "governance.E004" and "in-process chain" in error.msg
    assert "CHAIN_RPC_URL" in error.hint


def test_check_deploy_wants_a_url_a_key_and_a_chain_id(settings, monkeypatch, tmp_path):
    monkeypatch.delenv("CHAIN_PRIVATE_KEY", raising=False)
    settings.GOVERNANCE_CHAIN = {
        "BACKEND": "governance.backends.jsonrpc.JsonRpcBackend",
        "OPTIONS": {"URL": "", "PRIVATE_KEY_ENV": "CHAIN_PRIVATE_KEY", "PRIVATE_KEY_FILE": str(tmp_path / "none")},
    }
    assert ids(check_chain_for_production()) == ["governance.E005", "governance.E006", "governance.W002"]
    key_file = tmp_path / "key"
    key_file.write_text(ANVIL_KEY + "\n")
    settings.GOVERNANCE_CHAIN = {
        "BACKEND": "governance.backends.jsonrpc.JsonRpcBackend",
        "OPTIONS": {"URL": "https://rpc.example", "PRIVATE_KEY_FILE": str(key_file), "CHAIN_ID": "10"},
    }
    assert check_chain_for_production() == []


def test_the_production_settings_read_the_chain_from_the_environment(monkeypatch, tmp_path):
    import importlib

    monkeypatch.setenv("SECRET_KEY", "x" * 60)
    monkeypatch.setenv("CHAIN_RPC_URL", "https://rpc.example")
    monkeypatch.setenv("CHAIN_ID", "10")
    monkeypatch.setenv("CHAIN_PRIVATE_KEY_FILE", str(tmp_path / "key"))
    monkeypatch.setenv("CHAIN_CONFIRMATIONS", "20")
    production = importlib.import_module("ctylab.settings.production")
    production = importlib.reload(production)
    options = production.GOVERNANCE_CHAIN["OPTIONS"]
    assert production.GOVERNANCE_CHAIN["BACKEND"].endswith("JsonRpcBackend")
    assert options["URL"] == "https://rpc.example" and options["CHAIN_ID"] == "10"
    assert options["PRIVATE_KEY_FILE"] == str(tmp_path / "key")
    assert production.GOVERNANCE_CONFIRMATIONS == 20


def test_the_key_can_come_from_a_file(tmp_path, monkeypatch):
    monkeypatch.delenv("CTYLAB_CHAIN_PRIVATE_KEY", raising=False)
    key_file = tmp_path / "key"
    key_file.write_text(ANVIL_KEY + "\n")
    backend = JsonRpcBackend({"URL": "http://127.0.0.1:1", "PRIVATE_KEY_FILE": str(key_file)})
    assert backend.private_key() == ANVIL_KEY
    assert backend.sender == "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"


def test_a_node_on_another_chain_than_expected_gets_nothing_signed(anvil, anvil_decision, settings):  # noqa: F811
    decision, _receipts = anvil_decision
    settings.GOVERNANCE_CHAIN = {**settings.GOVERNANCE_CHAIN, "OPTIONS": {"URL": anvil.url, "CHAIN_ID": 1}}
    waiting = services.anchor(decision.deployment.pk)
    assert waiting.status == DeploymentStatus.WAITING and not waiting.tx_hash
    assert "the node is on chain 31337, but CHAIN_ID is 1" in waiting.last_error


def test_verifying_against_another_chain_says_so_and_is_no_mismatch(anvil, decision, settings, capsys):  # noqa: F811
    """Anchored on the in-process chain, then verified with anvil configured."""
    anvil_chain = settings.GOVERNANCE_CHAIN
    settings.GOVERNANCE_CHAIN = DEFAULT_CHAIN
    deployment = services.anchor(decision.deployment.pk)
    assert deployment.status == DeploymentStatus.CONFIRMED
    call_command("verify_deployments")  # against the chain it was recorded on
    assert DeploymentVerification.objects.get(deployment=deployment).ok
    settings.GOVERNANCE_CHAIN = anvil_chain
    call_command("verify_deployments")  # no CommandError: nothing mismatched
    out = capsys.readouterr().out
    assert f"recorded on chain {deployment.chain_id}, but the configured node is chain 31337" in out
    assert "not compared" in out
    stored = DeploymentVerification.objects.get(deployment=deployment)
    assert stored.ok and stored.mismatches == []


@pytest.fixture
def decision(make_member, make_proposal, now):
    from .test_anchoring import closed_just_now

    voters = [make_member() for _ in range(2)]
    return closed_just_now(make_proposal, now, voters, [0, 1])[0]
