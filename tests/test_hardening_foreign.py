"""Hostile foreign files in a build: linked projects, needs.json, the lock, the baseline.

Each case writes one hostile file into a small project and builds it. The build
finishes, the file is named in one located ``techspec.*`` warning, and the rest of
the project is unharmed. A linked project that cannot be read falls back to the copy
an earlier build cached; a server that drips its answer is cut off at
``techspec_external_timeout``, however slowly it sends.
"""

from __future__ import annotations

import http.server
import json
import socket
import threading
import time
from pathlib import Path

import pytest
from hardening_projects import build

from sphinx_techspec.domain import DOMAIN

pytestmark = pytest.mark.slow(seconds=6)

HUGE = "9" * 5000

PLATFORM = {
    "index.rst": """
    Platform
    ========

    .. requirement:: REQ-1 Accounts exist

    .. requirement:: REQ-2 Accounts can be deleted
    """
}
HUB = """
Hub
===

.. test-case:: HUB-TC Deleting works
   :verifies: platform:REQ-2

KEEP-HUB
"""


@pytest.fixture(scope="module")
def platform_json(tmp_path_factory) -> dict:
    built = build(tmp_path_factory.mktemp("platform"), PLATFORM)
    assert built.warnings == []
    return json.loads((built.outdir / "techspec.json").read_text(encoding="utf-8"))


def hub(srcdir: Path, source: str, conf: str = "", fresh: bool = True):
    files = {"index.rst": HUB}
    conf = f"techspec_external_projects = {{'platform': {source!r}}}\n" + conf
    return build(srcdir, files, conf, fresh=fresh)


def with_huge_integer(document: dict) -> str:
    text = json.dumps(document, indent=2)
    return text.replace('"lineno": 4', f'"lineno": {HUGE}', 1)


def assert_hub_finished(built) -> None:
    assert "KEEP-HUB" in built.page()
    assert all("Traceback" not in line for line in built.warnings)


# -- linked projects -----------------------------------------------------------------


def test_a_linked_project_with_a_huge_integer_is_skipped_with_a_warning(tmp_path, platform_json):
    (tmp_path / "platform.json").write_text(with_huge_integer(platform_json))
    built = hub(tmp_path, "platform.json")
    (warning,) = built.typed("external_bad")
    assert warning.startswith(f"{tmp_path / 'conf.py'}:3: WARNING: external project 'platform'")
    assert "not usable JSON (line " in warning and "a number of 5000 digits" in warning
    assert_hub_finished(built)
    (unknown,) = built.typed("unknown_ref")  # the link to the skipped project's item
    assert "platform:REQ-2" in unknown


def test_control_characters_of_a_linked_project_are_replaced_and_reported(tmp_path, platform_json):
    document = json.loads(json.dumps(platform_json))
    document["items"]["REQ-2"]["title"] = "Deleted \x1b[31mred\x1b[0m \x9b2J"
    (tmp_path / "platform.json").write_text(json.dumps(document, indent=2))
    built = hub(tmp_path, "platform.json")
    (warning,) = built.typed("external_bad")
    assert "string holds control characters or lone surrogates" in warning
    assert "they are read as U+FFFD" in warning
    title = built.app.env.get_domain(DOMAIN).items["platform:REQ-2"].title
    assert title == "Deleted \ufffd[31mred\ufffd[0m \ufffd2J"
    html = built.page()
    assert "\x1b" not in html and "\x9b" not in html
    assert built.typed("unknown_ref") == []


class Server:
    """A local HTTP server whose answer the test sets (``body``), or that drips it."""

    def __init__(self) -> None:
        self.body = b""
        self.drip = False
        self.stop = threading.Event()
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(server.body)))
                self.end_headers()
                if not server.drip:
                    self.wfile.write(server.body)
                    return
                # One byte every 0.1 s, for at most 30 s: far past the 1 s allowed.
                for byte in server.body[:300]:
                    if server.stop.wait(0.1):
                        return
                    try:
                        self.wfile.write(bytes([byte]))
                        self.wfile.flush()
                    except OSError:
                        return

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/techspec.json"

    def close(self) -> None:
        self.stop.set()
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server():
    running = Server()
    yield running
    running.close()


def test_a_fetched_copy_that_cannot_be_used_falls_back_to_the_cached_one(
    tmp_path, platform_json, server
):
    conf = "techspec_external_cache_limit = 0\ntechspec_external_timeout = 5\n"
    server.body = json.dumps(platform_json, indent=2).encode()
    first = hub(tmp_path, server.url, conf)
    assert first.typed("external_bad") == [] and first.typed("unknown_ref") == []

    server.body = with_huge_integer(platform_json).encode()
    again = hub(tmp_path, server.url, conf, fresh=False)
    (warning,) = again.typed("external_bad")
    assert f"external project 'platform': {server.url}: it is not usable JSON" in warning
    assert warning.endswith("(using the copy cached by an earlier build) [techspec.external_bad]")
    assert again.typed("unknown_ref") == []  # the cached items are there
    assert "platform:REQ-2" in again.app.env.get_domain(DOMAIN).items

    # The bad copy was not cached: a third build falls back to the good one again.
    third = hub(tmp_path, server.url, conf, fresh=False)
    assert len(third.typed("external_bad")) == 1 and third.typed("unknown_ref") == []


def test_a_server_that_drips_its_answer_is_cut_off_at_the_timeout(tmp_path, platform_json, server):
    server.body = json.dumps(platform_json).encode()
    server.drip = True
    started = time.monotonic()
    built = hub(tmp_path, server.url, "techspec_external_timeout = 1\n")
    elapsed = time.monotonic() - started
    (warning,) = built.typed("external_unreachable")
    assert f"external project {server.url}: cannot be fetched within 1 s" in warning
    assert elapsed < 15, f"the build took {elapsed:.1f} s"
    assert_hub_finished(built)


def test_a_server_that_never_answers_is_cut_off_too(tmp_path):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()  # accepts the connection, never sends a byte
    try:
        url = f"http://127.0.0.1:{listener.getsockname()[1]}/techspec.json"
        started = time.monotonic()
        built = hub(tmp_path, url, "techspec_external_timeout = 1\n")
        assert time.monotonic() - started < 15
    finally:
        listener.close()
    (warning,) = built.typed("external_unreachable")
    assert "cannot be fetched within 1 s" in warning


# -- needs.json, the lock, the baseline ----------------------------------------------------

NEEDS = (
    '{"current_version": "1", "versions": {"1": {"needs": {\n'
    '"R_1": {"id": "R_1", "type": "req", "title": "One", "lineno": ' + HUGE + "}}}}}"
)


def test_a_needs_json_with_a_huge_integer_is_a_warning_at_the_directive(tmp_path):
    files = {"index.rst": "KEEP-BEFORE\n\n.. needs-import:: needs.json\n\nKEEP-AFTER\n"}
    (tmp_path / "needs.json").write_text(NEEDS)
    built = build(tmp_path, files)
    (warning,) = built.typed("needs_import")
    assert warning.startswith(f"{tmp_path / 'index.rst'}:3: WARNING: needs-import: needs.json")
    assert "a number of 5000 digits" in warning
    assert "KEEP-AFTER" in built.page()


def test_a_configured_needs_import_with_a_huge_integer_is_a_warning_at_conf_py(tmp_path):
    (tmp_path / "needs.json").write_text(NEEDS)
    built = build(
        tmp_path, {"index.rst": "KEEP\n"}, "techspec_needs_import = [{'path': 'needs.json'}]\n"
    )
    (warning,) = built.typed("needs_import")
    assert warning.startswith(f"{tmp_path / 'conf.py'}:3: WARNING: techspec_needs_import:")
    assert "a number of 5000 digits" in warning


CHANGE = {
    "index.rst": """
    .. requirement:: REQ-1 One

    .. test-case:: TC-1 Test
       :verifies: REQ-1

    KEEP-AFTER
    """
}


def test_a_lock_with_a_huge_integer_is_a_located_bad_lock(tmp_path):
    (tmp_path / "techspec.lock").write_text(
        '{\n  "format_version": 1,\n  "links": [\n    ["TC-1", "verifies", "REQ-1", '
        + HUGE
        + "]\n  ]\n}\n"
    )
    built = build(tmp_path, CHANGE)
    (warning,) = built.typed("bad_lock")
    assert warning.startswith(f"{tmp_path / 'techspec.lock'}:4: WARNING: cannot use the lock")
    assert "a number of 5000 digits" in warning
    assert "KEEP-AFTER" in built.page()


def test_a_baseline_with_a_huge_integer_is_a_located_bad_baseline(tmp_path):
    (tmp_path / "old.json").write_text('{\n  "format_version": ' + HUGE + ',\n  "items": {}\n}\n')
    built = build(tmp_path, CHANGE, "techspec_baseline = 'old.json'\n")
    (warning,) = built.typed("bad_baseline")
    assert warning.startswith(f"{tmp_path / 'old.json'}:2: WARNING: cannot use the baseline")
    assert "a number of 5000 digits" in warning


def test_a_deep_baseline_is_a_located_bad_baseline(tmp_path):
    (tmp_path / "old.json").write_text(
        '{"format_version": 2, "items": ' + "[" * 3000 + "]" * 3000 + "}"
    )
    built = build(tmp_path, CHANGE, "techspec_baseline = 'old.json'\n")
    (warning,) = built.typed("bad_baseline")
    assert "nested too deeply to read" in warning
    assert "KEEP-AFTER" in built.page()


WORKFLOW = {
    "index.rst": """
    .. workflow:: WF-1 Handling
       :realises: UC-1

       start a: A request arrives
       end b: Answered
       a -> b

    .. use-case:: UC-1 Asking
    """
}


@pytest.mark.parametrize(
    "flow",
    [
        HUGE,
        "[" * 5000 + "]" * 5000,
        '{"steps": [1]}',
        '{"steps": [{"kind": "request", "line": 1}]}',
        '{"participants": [["x"]], "steps": [{"kind": "end", "line": "9"}]}',
    ],
    ids=["digits", "depth", "step-not-object", "request-without-ends", "wrong-types"],
)
def test_a_linked_flow_that_is_not_a_flow_counts_as_empty(tmp_path, flow):
    built_platform = build(tmp_path / "platform", WORKFLOW)
    document = json.loads((built_platform.outdir / "techspec.json").read_text())
    document["items"]["WF-1"]["fields"]["flow"] = flow
    (tmp_path / "hub").mkdir()
    (tmp_path / "hub" / "platform.json").write_text(json.dumps(document))
    files = {"index.rst": "KEEP-HUB\n\n.. item-table::\n   :types: workflow\n"}
    conf = "techspec_external_projects = {'platform': 'platform.json'}\n"
    built = build(tmp_path / "hub", files, conf)
    assert "KEEP-HUB" in built.page() and "platform:WF-1" in built.page()
    exported = json.loads((built.outdir / "techspec.json").read_text())
    assert exported["items"]["platform:WF-1"]["flow"] == {}
    # The links the platform recorded stay.
    assert exported["items"]["platform:WF-1"]["links"]["realises"] == ["platform:UC-1"]


DESIGN = {
    "index.rst": """
    .. data-model:: User

       :field id: integer, required

    .. api-endpoint:: GET /users/{id}
       :response: 200: User

       :path id: integer -- The user.

    .. risk:: RISK-1 Leak
       :likelihood: high
       :impact: high
    """
}


@pytest.mark.parametrize(
    ("item", "field", "value"),
    [
        ("GET-users-id", "path", True),
        ("GET-users-id", "responses", "200"),
        ("GET-users-id", "parameters", [{"name": "id", "type": {"kind": "array"}}]),
        ("GET-users-id", "request", {"kind": "model"}),
        ("User", "fields", [{"name": "id", "type": "integer"}]),
        ("RISK-1", "likelihood", ["high"]),
        ("RISK-1", "impact", {"level": "high"}),
    ],
    ids=["path", "responses", "parameter-type", "request", "model-fields", "choice", "object"],
)
def test_a_linked_field_of_another_shape_is_left_out_with_a_warning(tmp_path, item, field, value):
    built_platform = build(tmp_path / "platform", DESIGN)
    document = json.loads((built_platform.outdir / "techspec.json").read_text())
    document["items"][item]["fields"][field] = value
    (tmp_path / "hub").mkdir()
    (tmp_path / "hub" / "platform.json").write_text(json.dumps(document))
    files = {
        "index.rst": """
        KEEP-HUB

        .. item-table::
           :types: api-endpoint, data-model, risk

        .. api-index::

        .. er-diagram::

        .. risk-register::
        """
    }
    conf = "techspec_external_projects = {'platform': 'platform.json'}\n"
    built = build(tmp_path / "hub", files, conf)
    (warning,) = built.typed("external_bad")
    assert warning.startswith(f"{tmp_path / 'hub' / 'conf.py'}:3: WARNING: external project")
    assert f"item {item!r}: field {field} left out: not of the shape" in warning
    assert "KEEP-HUB" in built.page()
    fields = built.app.env.get_domain(DOMAIN).items[f"platform:{item}"].fields
    assert field not in fields and fields  # the other fields stay
