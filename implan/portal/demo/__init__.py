"""León's demo planning system, built by ``manage.py load_demo``.

Part of the site layer (``implan.portal``): the demo composes every app, which only this layer may import. Every
builder is idempotent: rows are looked up by their natural keys (codes, slugs, usernames) and a second run changes
nothing.
"""
