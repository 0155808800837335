"""Every write of the councils app, one module per topic.

Each service takes the acting user explicitly, runs in a transaction, locks the row it changes, checks the rule
it enforces (raising ``DomainError`` with a Spanish message, or ``PermissionDenied``), writes history with a
reason and an event row. Callers import the topic's module: ``from councils.services import votes``.
"""
