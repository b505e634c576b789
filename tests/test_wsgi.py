"""The WSGI entry point imports from any working directory (issue 14: "No module named 'blocks'")."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_wsgi_file_loads_from_any_working_directory(tmp_path):
    """A server that loads wsgi.py by path (uWSGI's --wsgi-file, mod_wsgi) from elsewhere."""
    env = {key: value for key, value in os.environ.items() if key not in {"PYTHONPATH", "DJANGO_SETTINGS_MODULE"}}
    env["SECRET_KEY"] = "x" * 60
    script = (
        "import runpy, sys; "
        f"application = runpy.run_path({str(ROOT / 'site' / 'ctylab' / 'wsgi.py')!r})['application']; "
        "import blocks, catalogue, governance, search, django.conf; "
        "print(callable(application), django.conf.settings.SETTINGS_MODULE)"
    )
    result = subprocess.run([sys.executable, "-c", script], env=env, cwd=tmp_path,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "ctylab.settings.production"]
