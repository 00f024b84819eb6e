"""The node tests (tests/js) draw with the meta the page reads from GET /api/meta: their helper
(tests/js/support/meta.mjs) reads the theme from theme.json itself and the rest from
tests/js/support/meta-facts.json, which this test keeps equal to the API's answer. Run it with
GRADFLOW_WRITE_META_FACTS=1 to rewrite the file after changing a cell, a task or a sweep metric."""

from __future__ import annotations

import json
import os
from pathlib import Path

from gradflow.models.meta import meta

FACTS = Path(__file__).resolve().parents[1] / "js" / "support" / "meta-facts.json"
ABOUT = (
    "GET /api/meta without its version and theme (tests/js/support/meta.mjs adds theme.json and the sweep "
    "metrics' labels from it). Written by GRADFLOW_WRITE_META_FACTS=1 pytest tests/theme/test_js_meta.py; "
    "never edit by hand."
)


def facts() -> dict:
    """The API's meta as the file holds it: no version, no theme, the sweep metrics without their labels."""
    answer = meta("").model_dump()
    del answer["version"], answer["theme"]
    answer["sweep_metrics"] = [{"name": m["name"], "cell": m["cell"]} for m in answer["sweep_metrics"]]
    return {"about": ABOUT, **answer}


def test_the_node_tests_meta_is_the_api_s():
    if os.environ.get("GRADFLOW_WRITE_META_FACTS"):
        FACTS.write_text(json.dumps(facts(), indent=2) + "\n", encoding="utf-8")
    written = json.loads(FACTS.read_text(encoding="utf-8"))
    assert written == facts(), f"{FACTS} is behind GET /api/meta: rewrite it with GRADFLOW_WRITE_META_FACTS=1"
