"""Hostile input shared by the tests that push it through every free-text field shown on a page, and the inspection
that says whether any of it came out as markup."""

from html.parser import HTMLParser

MARK = "__xss"
EXECUTABLE_SCRIPT_TYPES = {"", "text/javascript", "application/javascript", "module"}

XSS_PAYLOADS = [
    "<script>window.__xss=1</script>",
    "<img src=x onerror=window.__xss=1>",
    "<svg onload=window.__xss=1>",
    "<svg><script>window.__xss=1</script></svg>",
    "[enlace](javascript:window.__xss=1)",
    '<a href="javascript:window.__xss=1">clic</a>',
    '"><script>window.__xss=1</script>',
    '<iframe src="javascript:window.__xss=1"></iframe>',
    "<body onload=window.__xss=1>",
    "<details open ontoggle=window.__xss=1>",
    '=HYPERLINK("http://x")',
]


class InjectedMarkup(HTMLParser):
    """Collects elements and attributes that only a payload could have produced."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            value = (value or "").strip().lower()
            if name.startswith("on") and MARK in value:
                self.found.append(f"<{tag} {name}=…>")
            if name in {"href", "src", "action", "formaction"} and value.startswith("javascript:"):
                self.found.append(f"<{tag} {name}=javascript:…>")
        # Data blocks (json_script) are never executed; their "<" is escaped, so they cannot close the element.
        kind = (dict(attrs).get("type") or "").lower()
        self._in_script = tag == "script" and kind in EXECUTABLE_SCRIPT_TYPES

    def handle_data(self, data: str) -> None:
        if self._in_script and MARK in data:
            self.found.append("<script> with a payload")

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False


def injected(html: str) -> list[str]:
    parser = InjectedMarkup()
    parser.feed(html)
    return parser.found
