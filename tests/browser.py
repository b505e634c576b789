"""What the browser tests need (Debian's Chromium, node and npm packages), and the skip that
names whatever is missing. Call ``skip_without_browser`` at import, so that a missing browser
costs no test database and no live server."""

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
NODE_MODULES = ROOT / "node_modules"


def missing_tools(packages):
    missing = []
    if not CHROMIUM.exists():
        missing.append(f"{CHROMIUM} (apt-get install chromium)")
    if shutil.which("node") is None:
        missing.append("node (apt-get install nodejs)")
    for package in packages:
        if not (NODE_MODULES / package / "package.json").exists():
            missing.append(f"node_modules/{package} (run npm ci)")
    return missing


def skip_without_browser(packages=("playwright-core",)):
    missing = missing_tools(packages)
    if missing:
        pytest.skip("browser test needs " + ", ".join(missing), allow_module_level=True)
