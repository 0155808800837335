"""Read the forms of a page as a browser would submit them, so a test can send back exactly what a person saw.

Successful controls only: checked boxes and radios, selected options (the first one of a plain select when none
is marked), textareas without the newline the parser keeps after the tag, nothing disabled, no buttons or files.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin

SKIPPED_TYPES = {"submit", "button", "reset", "image", "file"}


@dataclass
class Form:
    action: str
    method: str
    fields: list[tuple[str, str]] = field(default_factory=list)

    def data(self, **changes: str | list[str]) -> dict[str, list[str]]:
        """The submission, with ``changes`` replacing whole fields (a list for several values)."""
        values: dict[str, list[str]] = {}
        for name, value in self.fields:
            values.setdefault(name, []).append(value)
        for name, value in changes.items():
            values[name] = value if isinstance(value, list) else [value]
        return values

    def value(self, name: str) -> list[str]:
        return [v for n, v in self.fields if n == name]


@dataclass
class _Select:
    name: str
    multiple: bool
    options: list[tuple[str, bool]] = field(default_factory=list)


class _Reader(HTMLParser):
    def __init__(self, url: str) -> None:
        super().__init__(convert_charrefs=True)
        self.url = url
        self.forms: list[Form] = []
        self.form: Form | None = None
        self.select: _Select | None = None
        self.option: list | None = None  # [value or None, selected, text]
        self.textarea: list | None = None  # [name, text]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v or "") for k, v in attrs}
        if tag == "form":
            self.form = Form(
                action=urljoin(self.url, a.get("action") or self.url), method=(a.get("method") or "get").lower()
            )
            self.forms.append(self.form)
        elif self.form is None or "disabled" in a:
            return
        elif tag == "input" and a.get("name") and a.get("type", "text").lower() not in SKIPPED_TYPES:
            kind = a.get("type", "text").lower()
            if kind not in ("checkbox", "radio") or "checked" in a:
                self.form.fields.append((a["name"], a.get("value", "on" if kind in ("checkbox", "radio") else "")))
        elif tag == "select" and a.get("name"):
            self.select = _Select(a["name"], "multiple" in a)
        elif tag == "option" and self.select is not None:
            self.option = [a.get("value"), "selected" in a, ""]
        elif tag == "textarea" and a.get("name"):
            self.textarea = [a["name"], ""]

    def handle_data(self, data: str) -> None:
        if self.option is not None:
            self.option[2] += data
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "option" and self.option is not None:
            self._close_option()
        elif tag == "select" and self.select is not None:
            self._close_option()
            self._close_select()
        elif tag == "textarea" and self.textarea is not None:
            name, text = self.textarea
            self.form.fields.append((name, text[1:] if text.startswith("\n") else text))
            self.textarea = None
        elif tag == "form":
            self.form = None

    def _close_option(self) -> None:
        if self.option is not None:
            value, selected, text = self.option
            self.select.options.append((text.strip() if value is None else value, selected))
            self.option = None

    def _close_select(self) -> None:
        chosen = [value for value, selected in self.select.options if selected]
        if not chosen and not self.select.multiple and self.select.options:
            chosen = [self.select.options[0][0]]
        self.form.fields.extend((self.select.name, value) for value in chosen)
        self.select = None


def forms_of(html: str, url: str) -> list[Form]:
    reader = _Reader(url)
    reader.feed(html)
    return reader.forms


def post_form(html: str, url: str, action: str) -> Form:
    """The one POST form of the page that sends to ``action``."""
    found = [f for f in forms_of(html, url) if f.method == "post" and f.action == action]
    assert len(found) == 1, f"{url} debería tener un formulario que envíe a {action}; tiene {len(found)}"
    return found[0]
