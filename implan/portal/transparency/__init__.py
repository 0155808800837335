"""Transparency obligations that touch planning, as pages and as files in the national platform's layout (PNT/SIPOT).

Each obligation (``obligations.py``) says what the law asks, how often, and where its records come from
(``records.py``: selectors reading the apps' public data only); ``calendar.py`` derives what is due from the last
period reported; ``sheets.py`` writes the PNT layout. The article and fraction of each obligation, and the law's name,
are settings (``TRANSPARENCY_LAW``, ``TRANSPARENCY_OBLIGATIONS``): a reform of the law is a configuration change.
"""
