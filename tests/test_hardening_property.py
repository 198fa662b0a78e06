"""Property-based: random option values, titles, bodies and config values for every directive.

Whatever the input, the build finishes (no traceback) and every warning is a
located ``techspec.*`` warning. The text is drawn from characters that are plain
text in reStructuredText and MyST, so that only our own checks can complain.
Bounded: five examples per directive (``TECHSPEC_HYPOTHESIS_EXAMPLES`` to change),
deterministic unless ``TECHSPEC_HYPOTHESIS_RANDOM=1`` (then each run explores new input).
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from datetime import timedelta
from pathlib import Path

import pytest
from hardening_projects import build, located
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sphinx_techspec.feature import all_features, config_values, views
from sphinx_techspec.schema import declared_types

pytestmark = pytest.mark.slow(seconds=7)

ITEM_TYPES, LINK_TYPES = declared_types(all_features())
OTHER_DIRECTIVES = sorted(name for f in all_features() for name in f.directives)
DIRECTIVES = sorted([t.name for t in ITEM_TYPES] + list(views()) + OTHER_DIRECTIVES)

#: Plain text in both syntaxes: no inline markup, list, heading, role or literal markers.
PLAIN = (
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 \"'<>%{}();,.!?&@/é中\U0001f600"
)

words = st.text(alphabet=PLAIN, max_size=40).map(lambda s: " ".join(s.split()))
ids = st.one_of(
    st.from_regex(r"[A-Z]{2,4}-[0-9]{1,3}", fullmatch=True),
    st.text(alphabet=PLAIN, min_size=1, max_size=12).map(lambda s: "".join(s.split()) or "x"),
)
config_text = st.text(alphabet="abcdefghij-_ ", max_size=12)
json_like = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-10, 10**6), config_text),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.sampled_from(["name", "type", "link", "label", "x"]), inner, max_size=4),
    ),
    max_leaves=8,
)

RANDOMIZE = os.environ.get("TECHSPEC_HYPOTHESIS_RANDOM") == "1"
EXAMPLES = int(os.environ.get("TECHSPEC_HYPOTHESIS_EXAMPLES", "5"))
_TAG = re.compile(r"\[techspec\.[a-z_]+\]$")


def option_names(directive: str) -> list[str]:
    view = views().get(directive)
    if view is not None:
        return sorted(view.directive.option_spec)
    for item_type in ITEM_TYPES:
        if item_type.name == directive:
            names = [f.name for f in item_type.fields] + ["status", "priority", "tags"]
            names += [link.name for link in LINK_TYPES]
            extra = getattr(item_type.directive, "extra_options", {}) if item_type.directive else {}
            return sorted({*names, *extra})
    return ["class"]


@st.composite
def directive_input(draw, directive: str):
    known = option_names(directive) or ["bogus"]
    names = draw(
        st.lists(
            st.one_of(st.sampled_from(known), st.sampled_from(["bogus", "x"])),
            max_size=4,
            unique=True,
        )
    )
    options = {name: draw(st.one_of(words, ids, st.just(""))) for name in names}
    if directive == "api-endpoint":
        argument = draw(
            st.one_of(
                st.builds(
                    lambda m, p: f"{m} /{p}",
                    st.sampled_from(["GET", "POST", "BREW"]),
                    st.text(alphabet="abc{}/_-", max_size=12),
                ),
                words,
            )
        )
    else:
        argument = draw(st.one_of(st.builds(lambda i, t: f"{i} {t}", ids, words), words, ids))
    body = draw(st.lists(words, max_size=3))
    conf = draw(st.dictionaries(st.sampled_from(sorted(config_values())), json_like, max_size=2))
    myst = draw(st.booleans())
    builder = draw(st.sampled_from(["text", "text", "text", "html"]))
    return argument, options, body, conf, myst, builder


#: MyST reads options as YAML: a value starting with one of these is YAML syntax, and a
#: YAML error is MyST's own warning, before our directive sees anything.
_YAML_INDICATORS = "\"'{}[]&*!|>%@,?#-:"


def page(directive, argument, options, body, myst) -> str:
    if myst:
        options = {
            n: v.lstrip(_YAML_INDICATORS + " ").replace(": ", " ").replace(" #", " ")
            for n, v in options.items()
        }
    lines = [f":{name}: {value}".rstrip() for name, value in options.items()]
    paragraphs = [f"Text {line}" for line in body]
    if myst:
        text = [f"```{{{directive}}} {argument}".rstrip(), *lines, "", *paragraphs, "```"]
    else:
        text = [f".. {directive}:: {argument}".rstrip(), *(f"   {line}" for line in lines), ""]
        text += [f"   {paragraph}" for paragraph in paragraphs]
    return "Before.\n\n" + "\n".join(text) + "\n\nAfter.\n"


@pytest.mark.parametrize("directive", DIRECTIVES)
@settings(
    max_examples=EXAMPLES,
    deadline=timedelta(seconds=10),
    derandomize=not RANDOMIZE,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data())
def test_random_input_gives_only_located_techspec_warnings(directive, data):
    argument, options, body, conf, myst, builder = data.draw(directive_input(directive))
    srcdir = Path(tempfile.mkdtemp(prefix="techspec-prop-"))
    try:
        name = "index.md" if myst else "index.rst"
        conf_text = "".join(f"{key} = {value!r}\n" for key, value in conf.items())
        if builder == "html":
            conf_text += "html_theme = 'basic'\n"
        built = build(
            srcdir,
            {name: page(directive, argument, options, body, myst)},
            conf_text,
            builder=builder,
        )
        for line in built.warnings:
            assert located(line) and _TAG.search(line), line
        output = built.page("index", ".html" if builder == "html" else ".txt")
        assert "Before." in output and "After." in output
    finally:
        shutil.rmtree(srcdir, ignore_errors=True)
