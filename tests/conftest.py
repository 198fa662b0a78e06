"""Shared fixtures: Sphinx's own testing fixtures on the projects in tests/roots/."""

from __future__ import annotations

import importlib
import logging
import os
import pkgutil
import re
from collections.abc import Iterator
from pathlib import Path

import jinja2
import jinja2.bccache
import pytest
from sphinx.jinja2glue import BuiltinTemplateLoader
from sphinx.testing.util import SphinxTestApp

import sphinx_techspec

pytest_plugins = ("sphinx.testing.fixtures",)

ROOTS = Path(__file__).parent / "roots"

collect_ignore = ["roots"]

# Sphinx sets its logger to DEBUG and lets the handlers drop what the verbosity hides, so
# every application made a record for each of its ~800 debug messages (every directive, node
# and config value added, every event emitted): a sixth of each small build here. No test
# reads them (none builds with -vv); not making them leaves warnings and status as they were.
logging.disable(logging.DEBUG)


def pytest_sessionstart(session: pytest.Session) -> None:
    """Import every module of the package before any test runs.

    pytester restores sys.modules after each of its tests, so a module first imported during
    one would be imported afresh later, and pickling an environment that still holds the old
    classes fails ("not the same object"). Importing every module up front gives one copy.
    The xdist controller (``-n``) runs no test: it skips the second or so this takes.
    """
    if session.config.pluginmanager.has_plugin("dsession"):
        return
    for module in pkgutil.walk_packages(sphinx_techspec.__path__, "sphinx_techspec."):
        importlib.import_module(module.name)


@pytest.fixture(scope="session")
def rootdir() -> Path:
    return ROOTS


class CompiledTemplates(jinja2.BytecodeCache):
    """Jinja's compiled theme templates, kept for the test process.

    Each HTML build makes a new Jinja environment, which would compile its theme's
    templates again: a tenth of the CPU of the many small builds here. Jinja checks each template's
    source checksum, so an edited template compiles anew; the key also holds the
    environment's settings, so code is shared only between environments that compile alike.
    """

    def __init__(self) -> None:
        self.code: dict[tuple, bytes] = {}

    @staticmethod
    def key(bucket: jinja2.bccache.Bucket) -> tuple:
        environment = bucket.environment
        settings = (
            type(environment),
            tuple(sorted(environment.extensions)),
            tuple(sorted(environment.filters)),
            tuple(sorted(environment.tests)),
            repr(environment.autoescape),
            environment.optimized,
            environment.trim_blocks,
            environment.lstrip_blocks,
            environment.keep_trailing_newline,
            environment.newline_sequence,
            environment.block_start_string,
            environment.variable_start_string,
            environment.comment_start_string,
            environment.line_statement_prefix,
            environment.line_comment_prefix,
        )
        return (bucket.key, *settings)

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self.code.get(self.key(bucket))
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.code[self.key(bucket)] = bucket.bytecode_to_string()


@pytest.fixture(scope="session", autouse=True)
def compiled_templates() -> Iterator[CompiledTemplates]:
    """Every HTML build in the test process shares one ``CompiledTemplates``."""
    cache = CompiledTemplates()
    init = BuiltinTemplateLoader.init

    def init_with_cache(self, *args, **kwargs) -> None:
        init(self, *args, **kwargs)
        self.environment.bytecode_cache = cache

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(BuiltinTemplateLoader, "init", init_with_cache)
        yield cache


_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def built_app(srcdir: Path, buildername: str = "html") -> SphinxTestApp:
    """The application of one finished build of ``srcdir`` (a module fixture's project)."""
    app = SphinxTestApp(buildername, srcdir=srcdir)
    try:
        app.build()
    finally:
        app.cleanup()
    return app


def warnings_of(app) -> list[str]:
    """The build's warning lines, without colour codes."""
    text = _ANSI.sub("", app.warning.getvalue())
    return [line for line in text.splitlines() if "WARNING" in line]


def browser_or_skip(found: str | None) -> str:
    """The Chromium a browser test runs, or a skip that says how to install it; a failure
    where CI requires the browser (``TECHSPEC_REQUIRE_BROWSER=1``)."""
    if found:
        return found
    if os.environ.get("TECHSPEC_REQUIRE_BROWSER") == "1":
        pytest.fail("TECHSPEC_REQUIRE_BROWSER=1 but no Chromium found (apt-get install chromium)")
    pytest.skip("no Chromium installed (set TECHSPEC_REQUIRE_BROWSER=1 to make this a failure)")


def techspec_warnings(app, subtype: str) -> list[str]:
    return [line for line in warnings_of(app) if line.endswith(f"[techspec.{subtype}]")]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Files marked ``slow`` first, the longest first, each file's tests together and in order.

    ``make test`` hands whole files to the workers (``--dist loadfile``, in this order with
    ``--no-loadscope-reorder``); ending on small files, the workers finish together instead
    of one waiting for the other.
    """
    items.sort(key=lambda item: -_seconds(item.get_closest_marker("slow")))


def _seconds(marker: pytest.Mark | None) -> float:
    """About how long a ``slow`` file takes (``slow(seconds=36)``); 0 for the others."""
    return 0.0 if marker is None else float(marker.kwargs.get("seconds", 1))
