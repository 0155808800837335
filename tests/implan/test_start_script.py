"""bin/start (the README's first command): the address it listens on, and the one the links of its e-mails and
packets use (they pointed at port 8000 whatever PORT said)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

START = Path(__file__).resolve().parents[2] / "bin" / "start"


def addresses(**env: str) -> str:
    """``address`` and ``PORTAL_URL`` as bin/start's own lines compute them (the rest of it sets up and serves)."""
    lines = START.read_text().splitlines()
    first = next(n for n, line in enumerate(lines) if line.startswith("address="))
    last = next(n for n, line in enumerate(lines) if line.startswith("export PORTAL_URL="))
    script = "\n".join([*lines[first : last + 1], 'echo "$address $PORTAL_URL"'])
    run = subprocess.run(["bash", "-c", script], env={"PATH": "/usr/bin:/bin", **env}, capture_output=True, text=True)
    return run.stdout.strip()


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "127.0.0.1:8000 http://127.0.0.1:8000"),
        ({"PORT": "8765"}, "127.0.0.1:8765 http://127.0.0.1:8765"),
        ({"PORT": "127.0.0.1:8765"}, "127.0.0.1:8765 http://127.0.0.1:8765"),
        ({"PORT": "0.0.0.0:8000"}, "0.0.0.0:8000 http://127.0.0.1:8000"),
        ({"PORT": "8765", "PORTAL_URL": "https://implan.example.mx"}, "127.0.0.1:8765 https://implan.example.mx"),
    ],
)
def test_the_links_point_at_the_address_it_listens_on(env, expected):
    assert addresses(**env) == expected
