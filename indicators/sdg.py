"""The UN's official list of Sustainable Development Goals, targets and indicators, loaded as a catalogue.

The list ships with the portal (``indicators/data/sdg``, see its SOURCES.md). Loading is idempotent: codes are
matched by their official key, so a second run changes nothing and a corrected wording updates in place.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data" / "sdg" / "sdg_goals_targets_indicators_en_es.json"

# Deleted or renumbered by the UN's 2020 comprehensive review; absent from the 2023 framework.
LEGACY_CODES = frozenset({"1.a.3", "11.c.1", "13.3.2", "17.6.2"})
# 13.b.1 is 13.2.1 for the least developed countries and small island states; the UN counts it as a repeat.
EXTRA_REPEATS = {"13.b.1": "13.2.1"}


def sort_key(code: str) -> str:
    """«2» before «10», «1.2» before «1.a»: numbers padded, letters after every number."""
    return ".".join(part.zfill(3) if part.isdigit() else f"z{part}" for part in code.split("."))


def _fold(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def official_entries() -> list[dict[str, Any]]:
    """Goals, targets and indicators as rows ready to save, repeats pointing to their first code."""
    data = json.loads(DATA.read_text(encoding="utf-8"))
    rows = [
        {
            "code": g["goal"],
            "level": "objetivo",
            "title_es": g["title_es"],
            "title_en": g["title_en"],
            "short_title_es": g.get("short_es", ""),
        }
        for g in data["goals"]
    ]
    rows += [
        {"code": t["target"], "level": "meta", "title_es": t["title_es"], "title_en": t["title_en"]}
        for t in data["targets"]
    ]
    first_by_title: dict[str, str] = {}
    for item in data["indicators"]:
        code = item["indicator"]
        if code in LEGACY_CODES:
            continue
        first = first_by_title.setdefault(_fold(item["title_en"]), code)
        rows.append(
            {
                "code": code,
                "level": "indicador",
                "title_es": item["title_es"],
                "title_en": item["title_en"],
                "repeat_of": EXTRA_REPEATS.get(code) or (first if first != code else None),
            }
        )
    return rows


def load_catalogue(model: Any) -> int:
    """Create or update every official code with ``model`` (SdgCode, real or from a migration); returns how many."""
    rows = official_entries()
    stored = {s.code: s for s in model.objects.all()}
    for row in rows:
        values = {k: v for k, v in row.items() if k != "repeat_of"} | {"sort_key": sort_key(row["code"])}
        obj = stored.get(row["code"])
        if obj is None:
            stored[row["code"]] = model.objects.create(**values)
        elif any(getattr(obj, k) != v for k, v in values.items()):
            model.objects.filter(pk=obj.pk).update(**values)
    for row in rows:
        target = stored[row["repeat_of"]].pk if row.get("repeat_of") else None
        if stored[row["code"]].repeat_of_id != target:
            model.objects.filter(pk=stored[row["code"]].pk).update(repeat_of_id=target)
    return len(rows)
