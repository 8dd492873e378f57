"""The HTTP API for portals (issue 18 point 4), over real HTTP against `python3 app.py` as users run it: POST
/api/ask gives what `reportqa ask --json` gives, GET /api/reports what the store holds, an OpenAPI description,
and hostile input (oversized bodies, wrong types, invalid UTF-8, random JSON) gets a 4xx, never a 500."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ROOT

sys.path.insert(0, str(ROOT / "scripts"))
from webapp_server import serve  # noqa: E402

from assistant.http_api import MAX_BODY, MAX_QUESTION, MAX_TURNS  # noqa: E402

QUESTION = "洋湖乡2023年收到多少政府信息公开申请？"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    home = tmp_path_factory.mktemp("api-home")
    with serve(home) as url:
        yield url.rstrip("/"), home


def test_ask_gives_what_the_cli_gives(server):
    url, home = server
    reply = httpx.post(f"{url}/api/ask", json={"question": QUESTION}, timeout=60)
    assert reply.status_code == 200 and reply.headers["content-type"].startswith("application/json")
    body = reply.json()
    assert body["status"] == "answered" and body["values"][0]["value"] == "0" and body["citations"]
    cli = subprocess.run([sys.executable, "-m", "assistant.cli", "--home", str(home), "ask", "--json", QUESTION],
                         capture_output=True, text=True, cwd=ROOT, env=dict(os.environ, PYTHONPATH=str(ROOT)),
                         timeout=120)
    assert json.loads(cli.stdout) == body
    follow = httpx.post(f"{url}/api/ask", json={"question": "那行政复议呢？", "conversation": [QUESTION]}, timeout=60)
    assert follow.status_code == 200 and follow.json()["status"] == "answered"
    assert "行政复议" in follow.json()["answer"]


def test_reports_and_the_openapi_description(server):
    url, _ = server
    reports = httpx.get(f"{url}/api/reports", timeout=30).json()
    assert len(reports) == 20 and {"id", "agency", "aliases", "year", "template", "format", "source"} <= set(reports[0])
    assert {r["agency"] for r in reports} >= {"樟树市洋湖乡", "平潭综合实验区管委会"}
    schema = httpx.get(f"{url}/api/openapi.json", timeout=30).json()
    assert {"/ask", "/reports"} <= set(schema["paths"]) and "post" in schema["paths"]["/ask"]
    assert httpx.get(f"{url}/", timeout=30).status_code == 200  # the page is served by the same process


@pytest.mark.parametrize("body, status", [
    (b'{"question": 5}', 422),  # wrong type
    (b'{"question": ""}', 422),  # empty
    (b"{}", 422),  # missing
    (b'{"question": "x", "evil": 1}', 422),  # unknown field
    (json.dumps({"question": "x" * (MAX_QUESTION + 1)}).encode(), 422),
    (json.dumps({"question": "x", "conversation": ["a"] * (MAX_TURNS + 1)}).encode(), 422),
    (json.dumps({"question": "x", "conversation": "not a list"}).encode(), 422),
    (b'{"question": "\xff\xfe"}', (400, 422)),  # invalid UTF-8: no JSON
    (b"not json at all", (400, 422)),
    (b"[" * 10_000, (400, 422)),  # deeply nested
    (b'{"question": "' + b"x" * (MAX_BODY + 10) + b'"}', 413),  # oversized
])
def test_hostile_bodies_get_a_4xx_with_a_reason(server, body, status):
    url, _ = server
    reply = httpx.post(f"{url}/api/ask", content=body, headers={"content-type": "application/json"}, timeout=60)
    assert reply.status_code in (status if isinstance(status, tuple) else (status,)) and "detail" in reply.json()


def test_wrong_method_and_path(server):
    url, _ = server
    assert httpx.get(f"{url}/api/ask", timeout=30).status_code == 405
    assert httpx.get(f"{url}/api/nothing", timeout=30).status_code == 404


_SCALARS = (st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
            | st.text(max_size=40))
_JSON = st.recursive(_SCALARS,
                     lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children,
                                                                                       max_size=4), max_leaves=12)
_BODIES = _JSON | st.fixed_dictionaries({"question": st.text(max_size=60)},
                                        optional={"conversation": st.lists(st.text(max_size=30), max_size=3)})


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=_BODIES)
def test_any_json_body_is_answered_or_refused_never_a_server_error(server, body):
    url, _ = server
    reply = httpx.post(f"{url}/api/ask", json=body, timeout=60)
    assert reply.status_code in (200, 422), (body, reply.status_code, reply.text[:200])
    if reply.status_code == 200:
        assert reply.json()["status"] in ("answered", "not_found", "ambiguous", "refused")


@pytest.fixture(scope="module")
def api_schema(server):
    url, _ = server
    return schemathesis.openapi.from_url(f"{url}/api/openapi.json")


def test_every_operation_keeps_its_openapi_description(api_schema):
    """Schemathesis: requests generated from the OpenAPI description (valid and invalid ones) never get a server
    error, and every response is one the description declares, in its declared shape. (Driven from a plain test:
    schemathesis' own pytest parametrization does not run under this pytest.)"""
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert {op.label for op in operations} == {"POST /ask", "GET /reports"}
    for operation in operations:
        @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy())
        def run(case):
            case.call_and_validate()

        run()
