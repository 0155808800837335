"""The site layer: the pages that compose every app (public home, search, feed, open-data hub, workspace home, audit
log) and León's demo loader. It sits above councils, planning, projects and indicators and may import all of them;
nothing imports it but ``implan/urls.py`` and ``implan/settings.py`` (tests/implan/test_import_direction.py)."""
