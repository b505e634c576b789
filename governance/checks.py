"""System checks: refuse a chain setting that cannot work and a stale contract artifact."""

from django.core import checks
from django.utils.module_loading import import_string

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
    try:
        import_string(config["BACKEND"])
    except ImportError as error:
        errors.append(
            checks.Error(f"GOVERNANCE_CHAIN backend cannot be imported: {error}", id="governance.E002")
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
