"""The WSGI application for application servers (gunicorn, uWSGI, mod_wsgi).

Works from any working directory and whether the server imports ``ctylab.wsgi`` or loads this
file by path: the repository root (the apps ``blocks``, ``catalogue``, ...) and ``site/`` (the
project packages) are put on the import path from this file's own location.
"""

import os
import sys
from pathlib import Path

SITE_DIR = Path(__file__).resolve().parent.parent
for path in (SITE_DIR.parent, SITE_DIR):  # site/ ends up first: it holds ``ctylab`` itself
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ctylab.settings.production")

from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()
