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


def run_script(script, config, tmp_path, timeout=150):
    """Run a browser script (``node SCRIPT CONFIG.json``) with ``config`` and return the JSON
    report it prints; fails the test with the script's stderr when it cannot finish."""
    import json
    import subprocess

    (tmp_path / "config.json").write_text(json.dumps(config))
    try:
        result = subprocess.run(
            [shutil.which("node"), str(script), str(tmp_path / "config.json")],
            cwd=ROOT, capture_output=True, text=True, timeout=timeout,
        )
    except subprocess.TimeoutExpired as error:
        pytest.fail(f"{Path(script).name} did not finish:\n{error.stderr or ''}")
    assert result.returncode == 0, result.stderr
    print(f"screenshots in {tmp_path}")
    return json.loads(result.stdout)
