# gunicorn reads this file when started from the project's folder; the settings live in the portal's package.
from implan.gunicorn_conf import on_starting  # noqa: F401
