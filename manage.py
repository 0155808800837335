#!/usr/bin/env python
"""Django's command-line utility for the IMPLAN portal."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "implan.settings")
    # manage.py is a developer's tool (migrations, translations, the development server): DEBUG on unless set. What
    # serves the public (gunicorn through implan.wsgi) reads the settings' default, DEBUG off; production sets
    # DEBUG=0 explicitly for manage.py too (README, «PostgreSQL en producción»).
    os.environ.setdefault("DEBUG", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
