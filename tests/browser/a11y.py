"""Accessibility check for browser tests: axe-core (bundled by the PyPI package axe-playwright-python, offline).

``assert_accessible(page)`` runs every axe rule for WCAG 2.0/2.1 levels A and AA plus axe's best practices on the
page as it is now, and fails listing each violation with the elements it found. Axe is injected through the
DevTools protocol, which the page's Content-Security-Policy does not restrict, so the portal's CSP stays strict.
"""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

RULE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
_axe = Axe()


def violations(page: Page) -> list[dict]:
    results = _axe.run(page, options={"runOnly": {"type": "tag", "values": RULE_TAGS}, "resultTypes": ["violations"]})
    return results.response["violations"]


def describe(found: list[dict]) -> str:
    lines = []
    for violation in found:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:5]:
            lines.append(f"    {', '.join(str(t) for t in node['target'])}: {node['html'][:160]}")
    return "\n".join(lines)


def assert_accessible(page: Page) -> None:
    found = violations(page)
    assert not found, f"axe encontró {len(found)} problemas de accesibilidad en {page.url}:\n{describe(found)}"
