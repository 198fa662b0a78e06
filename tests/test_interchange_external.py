"""Linked spec projects: a hub links the items of a platform project built in the test,
read from a local techspec.json or over HTTP (cached), with coverage counted across both."""

from __future__ import annotations

import functools
import http.server
import json
import shutil
import threading
import zlib

import pytest
from conftest import ROOTS, techspec_warnings, warnings_of

from sphinx_techspec.domain import DOMAIN


@pytest.fixture
def platform(make_app, tmp_path):
    src = tmp_path / "platform"
    shutil.copytree(ROOTS / "test-interchange-platform", src)
    app = make_app("html", srcdir=src)
    app.build()
    return app


def hub_app(make_app, tmp_path, platform_json: bytes | None, **overrides):
    src = tmp_path / "hub"
    if not src.exists():
        shutil.copytree(ROOTS / "test-interchange-hub", src)
    if platform_json is not None:
        (src / "platform.json").write_bytes(platform_json)
    app = make_app("html", srcdir=src, confoverrides=overrides)
    app.build()
    return app


def test_hub_links_the_platform_items_and_counts_coverage_across_both(make_app, tmp_path, platform):
    hub = hub_app(make_app, tmp_path, (platform.outdir / "techspec.json").read_bytes())
    assert [w for w in warnings_of(hub) if "[techspec." in w] == []
    domain = hub.env.get_domain(DOMAIN)
    external = domain.items["platform:REQ-2"]
    assert external.title == "Accounts can be deleted"
    assert external.external_url == "https://platform.example.org/spec/index.html#REQ-2"
    # The platform's own link travels, qualified.
    assert domain.items["platform:TC-1"].links == {"verifies": ("platform:REQ-1",)}
    assert set(domain.incoming("platform:REQ-2")) == {("verifies", "HUB-TC")}

    html = (hub.outdir / "index.html").read_text(encoding="utf-8")
    assert 'href="https://platform.example.org/spec/index.html#REQ-1"' in html
    assert 'href="https://platform.example.org/spec/index.html#REQ-2"' in html
    # Coverage: REQ-1 by the platform's own test, REQ-2 and HUB-REQ by the hub's test.
    assert techspec_warnings(hub, "uncovered") == []
    text_hub = make_app("text", srcdir=hub.srcdir)
    text_hub.build()
    report = (text_hub.outdir / "index.txt").read_text(encoding="utf-8")
    assert "3 of 3" in report
    assert "platform:REQ-2" in report and "HUB-TC" in report

    # The hub's own exports say which items are another project's.
    exported = json.loads((hub.outdir / "techspec.json").read_text(encoding="utf-8"))
    assert exported["items"]["platform:REQ-1"]["is_external"] is True
    assert "is_external" not in exported["items"]["HUB-REQ"]
    from sphinx.util.inventory import InventoryFile

    inventory = InventoryFile.loads((hub.outdir / "objects.inv").read_bytes(), uri="").data
    names = {name for objects in inventory.values() for name in objects}
    assert "HUB-REQ" in names and not any(name.startswith("platform:") for name in names)


def test_uncovered_platform_items_gate_in_the_hub(make_app, tmp_path, platform):
    data = json.loads((platform.outdir / "techspec.json").read_text(encoding="utf-8"))
    data["items"]["REQ-3"] = {**data["items"]["REQ-2"], "id": "REQ-3", "lineno": 9}
    text = json.dumps(data, indent=2)
    hub = hub_app(make_app, tmp_path, text.encode())
    line = text.splitlines().index('    "REQ-3": {') + 1
    (warning,) = techspec_warnings(hub, "uncovered")
    assert warning.startswith(f"{hub.srcdir / 'platform.json'}:{line}: WARNING: platform:REQ-3 ")


class Server:
    """A local HTTP server on 127.0.0.1 serving one directory (no network here)."""

    def __init__(self, directory) -> None:
        handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=directory)
        handler.log_message = lambda *args: None  # type: ignore[method-assign]
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def test_url_source_is_fetched_cached_and_used_when_unreachable(make_app, tmp_path, platform):
    server = Server(platform.outdir)
    url = server.url + "techspec.json"
    overrides = {
        "techspec_external_projects": {"platform": url},
        "techspec_external_cache_limit": 0,  # fetch on every build
        "techspec_external_timeout": 5,
    }
    try:
        hub = hub_app(make_app, tmp_path, None, **overrides)
    finally:
        server.stop()
    assert [w for w in warnings_of(hub) if "[techspec." in w] == []
    assert "platform:REQ-2" in hub.env.get_domain(DOMAIN).items

    # The server is gone: the next build warns and goes on with the cached copy.
    (hub.srcdir / "index.rst").write_text(
        (hub.srcdir / "index.rst").read_text(encoding="utf-8") + "\nChanged.\n", encoding="utf-8"
    )
    again = make_app("html", srcdir=hub.srcdir, confoverrides=overrides)
    again.build()
    (warning,) = techspec_warnings(again, "external_unreachable")
    assert f"external project {url}: cannot be fetched" in warning
    assert "using the copy cached by an earlier build" in warning
    assert warning.startswith(f"{hub.srcdir / 'conf.py'}:5: WARNING: ")
    assert "platform:REQ-2" in again.env.get_domain(DOMAIN).items
    assert techspec_warnings(again, "unknown_ref") == []


def test_unreachable_url_without_cache_warns_and_builds(make_app, tmp_path):
    server = Server(tmp_path)
    url = server.url + "techspec.json"
    server.stop()  # nothing listens there any more
    hub = hub_app(make_app, tmp_path, None, techspec_external_projects={"platform": url})
    (warning,) = techspec_warnings(hub, "external_unreachable")
    assert "cannot be fetched" in warning and "cached" not in warning
    # The links to it are unknown, each reported where it is written.
    assert len(techspec_warnings(hub, "unknown_ref")) == 3
    assert (hub.outdir / "index.html").exists()


@pytest.mark.parametrize(
    ("content", "subtype", "message"),
    [
        (None, "external_unreachable", "No such file or directory"),
        (b"{broken", "external_bad", "it is not valid JSON"),
        (zlib.compress(b"{}"), "external_bad", "it is not UTF-8 text"),
        (b'{"format_version": 1}', "external_bad", "not a techspec.json of format 2"),
        (
            b'{"format_version": 2, "items": []}',
            "external_bad",
            "does not match the techspec.json schema",
        ),
    ],
)
def test_bad_external_files_are_located_warnings(make_app, tmp_path, content, subtype, message):
    src = tmp_path / "hub"
    shutil.copytree(ROOTS / "test-interchange-hub", src)
    hub = hub_app(make_app, tmp_path, content)
    (warning,) = techspec_warnings(hub, subtype)
    assert warning.startswith(f"{src / 'conf.py'}:5: WARNING: external project 'platform': ")
    assert message in warning
    assert (hub.outdir / "index.html").exists()


def test_items_of_types_the_hub_does_not_declare_are_named(make_app, tmp_path, platform):
    data = json.loads((platform.outdir / "techspec.json").read_text(encoding="utf-8"))
    data["items"]["GADGET-1"] = {**data["items"]["REQ-2"], "id": "GADGET-1", "type": "gadget"}
    hub = hub_app(make_app, tmp_path, json.dumps(data).encode())
    (warning,) = techspec_warnings(hub, "external_bad")
    assert "items of types gadget are left out" in warning
    assert "platform:GADGET-1" not in hub.env.get_domain(DOMAIN).items


def test_a_changed_platform_rewrites_the_hub_pages_that_show_it(make_app, tmp_path, platform):
    data = json.loads((platform.outdir / "techspec.json").read_text(encoding="utf-8"))
    hub = hub_app(make_app, tmp_path, json.dumps(data).encode())
    assert "Accounts can be deleted" in (hub.outdir / "index.html").read_text(encoding="utf-8")
    data["items"]["REQ-2"]["title"] = "Accounts can be erased"
    (hub.srcdir / "platform.json").write_text(json.dumps(data), encoding="utf-8")
    again = make_app("html", srcdir=hub.srcdir)
    again.build()
    html = (again.outdir / "index.html").read_text(encoding="utf-8")
    assert "Accounts can be erased" in html and "Accounts can be deleted" not in html


def test_parallel_build_holds_the_same_items(make_app, tmp_path, platform):
    src = tmp_path / "hub-parallel"
    shutil.copytree(ROOTS / "test-interchange-hub", src)
    shutil.copy(platform.outdir / "techspec.json", src / "platform.json")
    for name in ("a", "b", "c"):
        (src / f"{name}.rst").write_text(
            f"{name}\n=\n\n.. test-case:: TC-{name} Test {name}\n   :verifies: platform:REQ-1\n",
            encoding="utf-8",
        )
    with (src / "index.rst").open("a", encoding="utf-8") as index:
        index.write("\n.. toctree::\n\n   a\n   b\n   c\n")
    app = make_app("html", srcdir=src, parallel=2)
    app.build()
    assert [w for w in warnings_of(app) if "[techspec." in w] == []
    domain = app.env.get_domain(DOMAIN)
    sources = sorted(source for _link, source in domain.incoming("platform:REQ-1"))
    assert sources == ["HUB-REQ", "TC-a", "TC-b", "TC-c", "platform:TC-1"]


def test_linked_projects_are_read_through_one_typed_object():
    from types import SimpleNamespace

    from sphinx_techspec.interchange.settings import LinkedProject, LinkedProjectsConfig

    config = SimpleNamespace(
        techspec_external_projects={
            "b": "b.json",
            "a": {"source": "a.json", "base_url": "https://a.example.org/"},
            "bad": 5,  # a value the config check never saw: left out, no exception
        },
        techspec_external_timeout="soon",
        techspec_external_cache_limit=2,
    )
    settings = LinkedProjectsConfig.from_config(config)
    assert settings.projects == (
        LinkedProject("a", "a.json", "https://a.example.org/"),
        LinkedProject("b", "b.json"),
    )
    assert settings.timeout == 10 and settings.cache_limit_days == 2
