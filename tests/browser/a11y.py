"""Accessibility check for browser tests: axe-core (bundled by the PyPI package axe-playwright-python, offline).

``assert_accessible(page)`` runs every axe rule for WCAG 2.0/2.1 levels A and AA plus axe's best practices on the
page as it is now, and fails listing each violation with the elements it found. Axe is injected through the
DevTools protocol, which the page's Content-Security-Policy does not restrict, so the portal's CSP stays strict.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

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


def assert_pages_accessible(
    new_page: Callable[..., Page],
    base_url: str,
    paths: Iterable[str],
    *,
    widths: Iterable[int] = (1280, 390),
    each: Callable[[Page, str, int], None] | None = None,
) -> None:
    """Every path at every width in one test (one live server and one world instead of one per page): each page's
    violations are gathered and reported together, so one page's failure hides no other's. ``each(page, path,
    width)`` runs further checks (a screenshot, no horizontal scroll) on the page as axe saw it."""
    failures = []
    for width in widths:
        page = new_page(width=width, height=900)
        for path in paths:
            page.goto(base_url + path)
            if found := violations(page):
                failures.append(f"{path} a {width}px:\n{describe(found)}")
            if each is not None:
                each(page, path, width)
        page.context.close()
    assert not failures, "axe encontró problemas de accesibilidad:\n" + "\n".join(failures)
