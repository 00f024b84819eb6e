"""Schema-driven fuzzing of the app's own /openapi.json (schemathesis, in process): zero 5xx, every answer
conforms to its documented schema, status code, content type and headers.

Bounded so it fits `make test` on 2 cores: a fixed number of examples per operation and a deadline per
example. The app under test has a small compute budget, so every admitted simulation is quick and the larger
ones exercise the 422 refusal path instead; so has training.
"""

from __future__ import annotations

import json

import hypothesis
import pytest
import schemathesis
from gradflow.api.main import create_app
from gradflow.api.settings import Settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

FUZZ_SETTINGS = Settings(compute_budget=3e8, train_budget=3e8, sweep_budget=3e8, queue_timeout_s=5)

schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(FUZZ_SETTINGS))


def cross_field_refusal_only(detail: list[dict]) -> None:
    """A schema-valid request may only be refused for its inputs' shape, a training task's least seq_len, its
    weights' shapes or file, a sweep axis's form or a value its field does not allow (["body"]), or the
    compute budget."""
    for error in detail:
        cross_field = error["type"] == "value_error" and error["loc"] in (
            ["body", "inputs"],
            ["body", "seq_len"],
            ["body", "params"],
            ["body", "weights"],
            ["body", "config"],
            ["body", "x"],
            ["body", "y"],
            ["body"],
        )
        assert cross_field or error["type"] == "compute_budget", error


def _refuse_constant(token: str):
    raise ValueError(f"non-finite JSON token {token!r}")


@pytest.mark.fuzz
@pytest.mark.timeout(600)
@schema.parametrize()
@hypothesis.settings(
    max_examples=400,
    deadline=5000,
    suppress_health_check=[hypothesis.HealthCheck.too_slow, hypothesis.HealthCheck.filter_too_much],
    derandomize=True,
    database=None,
)
def test_the_api_honours_its_own_schema(case):
    response = case.call()
    # Every built-in check but positive_data_acceptance, which cannot know the rules JSON Schema cannot state
    # (inputs must be seq_len x input_size; the compute budget); `cross_field_refusal_only` replaces it.
    case.validate_response(response, excluded_checks=[positive_data_acceptance])
    assert response.status_code < 500, response.text
    if response.status_code == 422 and not case.meta.generation.mode.is_negative:
        cross_field_refusal_only(response.json()["detail"])
    content_type = response.headers.get("content-type", [""])[0]  # schemathesis keeps header lists
    if content_type.startswith("application/json") and response.content:
        json.loads(response.content, parse_constant=_refuse_constant)
