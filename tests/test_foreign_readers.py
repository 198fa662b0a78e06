"""The two readers of foreign files: JSON (:mod:`sphinx_techspec.foreign_json`) and XML
(:mod:`sphinx_techspec.foreign_xml`). Whatever the bytes, they return plain data or
raise their own error with a message and a line; nothing else escapes."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sphinx_techspec.foreign_json import MAX_DEPTH, ForeignJSONError, load_json
from sphinx_techspec.foreign_xml import ForeignXMLError, parse_xml, xml_text


@pytest.mark.parametrize(
    ("data", "message", "line"),
    [
        ('{\n  "a": ' + "9" * 5000 + "\n}", "a number of 5000 digits; at most 1000 are read", 2),
        ("[\n\n -1" + "0" * 4400 + "]", "a number of 4401 digits", 3),
        ("[1,\nNaN]", "NaN is not a JSON value", 2),
        ('{"x": -Infinity}', "-Infinity is not a JSON value", 1),
        ("[1e999]", "the number '1e999' is too large", 1),
        ("[" * 50_000 + "]" * 50_000, "nested too deeply to read", 0),
        ("[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5), "nested too deeply to read", 0),
        ('{"a": 1,\n "b": }', "not valid JSON (Expecting value)", 2),
        (b'{"a": "\xff"}', "not UTF-8 text (invalid start byte)", 1),
        ('"raw \x1b control"', "not valid JSON (Invalid control character at)", 1),
    ],
    ids=[
        "digits",
        "negative-digits",
        "nan",
        "infinity",
        "overflow",
        "recursion",
        "depth",
        "syntax",
        "utf8",
        "raw-control",
    ],
)
def test_unusable_json_is_one_error_with_a_line(data, message, line):
    with pytest.raises(ForeignJSONError) as caught:
        load_json(data)
    assert message in caught.value.message
    assert caught.value.line == line


def test_the_located_message_carries_the_line_for_a_warning_elsewhere():
    with pytest.raises(ForeignJSONError) as caught:
        load_json('{\n"a": ' + "1" * 2000 + "}")
    assert caught.value.located() == (
        "not usable JSON (line 2: a number of 2000 digits; at most 1000 are read)"
    )


def test_control_characters_and_lone_surrogates_are_replaced_and_counted():
    text = (
        '{\n "ok": "plain",\n "t\\u001b[31m": ["x\\u001b[0my", "\\ud800", "\\u009b2J", "\\t\\n"]}'
    )
    loaded = load_json(text)
    assert loaded.value == {
        "ok": "plain",
        "t\ufffd[31m": ["x\ufffd[0my", "\ufffd", "\ufffd2J", "\t\n"],
    }
    assert list(loaded.value) == ["ok", "t\ufffd[31m"]  # order kept
    assert (loaded.replaced, loaded.line) == (4, 3)
    assert "4 strings hold control characters" in loaded.note()
    json.dumps(loaded.value).encode("utf-8")  # every writer can take it back


def test_plain_json_comes_back_as_written_with_a_bom_too():
    text = json.dumps({"a": [1, 2.5, "é", None, True, {"b": "\\u001b"}]})
    assert load_json(b"\xef\xbb\xbf" + text.encode()).value == json.loads(text)
    assert load_json(text).note() == ""


@settings(max_examples=200, deadline=None)
@given(
    st.binary(max_size=200) | st.text(alphabet='[]{}":,0123456789.eE-+ \\uabNI\x1b', max_size=200)
)
def test_no_input_raises_anything_else(data):
    try:
        loaded = load_json(data)
    except ForeignJSONError as exc:
        assert exc.message and exc.line >= 0
        return
    json.dumps(loaded.value, allow_nan=False).encode("utf-8")


@pytest.mark.parametrize(
    ("data", "message", "line"),
    [
        (b"<a>\n<b>\n</a>", "is not well-formed XML (mismatched tag)", 3),
        (b"<a>&nope;</a>", "is not well-formed XML (undefined entity)", 1),
        (b"", "is not well-formed XML (no element found)", 1),
        (b"<a>\x1b[31m</a>", "is not well-formed XML (invalid character)", 1),
        (b"<a>&#27;</a>", "is not well-formed XML", 1),
        (
            b'<?xml version="1.0"?>\n<!DOCTYPE a [<!ENTITY x "xx"><!ENTITY y "&x;&x;&x;">]>'
            b"\n<a>&y;</a>",
            "declares a DTD",
            2,
        ),
        (b'<!DOCTYPE a SYSTEM "file:///etc/passwd"><a/>', "declares a DTD", 1),
        (
            '<!DOCTYPE a [<!ENTITY s SYSTEM "file:///etc/passwd">]><a>&s;</a>'.encode("utf-16"),
            "declares a DTD",
            1,
        ),
    ],
    ids=["mismatch", "entity", "empty", "raw-control", "control-reference", "bomb", "dtd", "utf16"],
)
def test_unusable_xml_is_one_error_with_a_line(data, message, line):
    with pytest.raises(ForeignXMLError) as caught:
        parse_xml(data)
    assert message in caught.value.message
    assert caught.value.line == line


def test_well_formed_xml_keeps_its_lines():
    root = parse_xml(b"<r>\n<!-- note -->\n<c>x</c>\n</r>")
    (child,) = root
    assert (child.tag, child.text, child.sourceline) == ("c", "x", 3)


def test_text_bound_for_xml_loses_only_what_xml_cannot_hold():
    assert xml_text("a\x1b[31mb\x00\ud800\tok é\n") == ("a\ufffd[31mb\ufffd\ufffd\tok é\n", True)
    assert xml_text("plain") == ("plain", False)
