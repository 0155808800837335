"""León's demo planning system, built by ``manage.py load_demo``.

Like ``implan/urls.py``, the demo composes every app, so this package is allowed to import upward. Every builder is
idempotent: rows are looked up by their natural keys (codes, slugs, usernames) and a second run changes nothing.
"""
