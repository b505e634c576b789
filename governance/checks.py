"""System checks: refuse a chain setting that cannot work and a stale contract artifact."""

import importlib.util

from django.core import checks

from . import contracts
from .conf import app_settings


def check_chain_setting(app_configs=None, **kwargs):
    errors = []
    config = app_settings.CHAIN
    if not isinstance(config, dict) or "BACKEND" not in config:
        return [
            checks.Error(
                "GOVERNANCE_CHAIN must be a dict with a 'BACKEND' dotted path.",
                id="governance.E001",
            )
        ]
    # The backend's module is found, not imported: importing it imports web3, which raises the
    # recursion limit of the process that runs the checks (``runserver`` serves from it).
    module_path, _, class_name = str(config["BACKEND"]).rpartition(".")
    try:
        found = bool(module_path and class_name) and importlib.util.find_spec(module_path) is not None
    except (ImportError, ValueError):
        found = False
    if not found:
        errors.append(
            checks.Error(
                f"GOVERNANCE_CHAIN backend cannot be imported: no module {module_path or config['BACKEND']!r}",
                id="governance.E002",
            )
        )
    if not isinstance(config.get("OPTIONS", {}), dict):
        errors.append(checks.Error("GOVERNANCE_CHAIN['OPTIONS'] must be a dict.", id="governance.E003"))
    return errors


def check_contract_artifact(app_configs=None, **kwargs):
    problem = contracts.stored_artifact_problem()
    if problem is None:
        return []
    return [
        checks.Warning(
            f"The stored decision contract artifact is {problem}.",
            hint="Run `manage.py build_decision_contract` and commit the JSON.",
            id="governance.W001",
        )
    ]


def check_chain_for_production(app_configs=None, **kwargs):
    """``check --deploy``: production anchors on a real chain, with a key and a chain id.

    Imports the chain backends (and so web3): only ``check --deploy`` runs it, never the web
    process's start-up checks (see tests/test_web_process.py)."""
    from django.utils.module_loading import import_string

    from .backends.eth_tester import EthTesterBackend
    from .backends.jsonrpc import JsonRpcBackend

    config = app_settings.CHAIN
    if not isinstance(config, dict) or "BACKEND" not in config:
        return []  # check_chain_setting reports it
    try:
        backend_class = import_string(config["BACKEND"])
    except ImportError:
        return []
    hint = "Set CHAIN_RPC_URL, CHAIN_ID and CHAIN_PRIVATE_KEY (or CHAIN_PRIVATE_KEY_FILE) in the environment."
    if issubclass(backend_class, EthTesterBackend):
        return [
            checks.Error(
                "Decisions would be anchored on the in-process chain, which is lost when the "
                "process ends: nobody could verify them.",
                hint=hint,
                id="governance.E004",
            )
        ]
    errors = []
    if issubclass(backend_class, JsonRpcBackend):
        backend = backend_class(config.get("OPTIONS", {}))
        if not backend.url:
            errors.append(checks.Error("The chain's RPC URL is not set.", hint=hint, id="governance.E005"))
        if not backend.has_key():
            errors.append(
                checks.Error("No key to sign deployments with is configured.", hint=hint, id="governance.E006")
            )
        if backend.expected_chain_id is None:
            errors.append(
                checks.Warning(
                    "The expected chain id is not set: a node on another chain would be used.",
                    hint=hint,
                    id="governance.W002",
                )
            )
    return errors
