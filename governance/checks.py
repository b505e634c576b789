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
