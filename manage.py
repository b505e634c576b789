#!/usr/bin/env python
"""Django's command-line utility for Ctylab.

`site` is a standard-library module, so the project's importable packages live inside the
`site/` folder, which is put on the import path here (and in wsgi.py and pytest's config).
"""

import os
import sys
from pathlib import Path


def main():
    root = Path(__file__).resolve().parent
    # The apps live at the root, the project packages in site/: both importable from anywhere.
    for path in (root, root / "site"):
        if str(path) not in sys.path:
            sys.path.insert(0, str(path))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ctylab.settings.dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
