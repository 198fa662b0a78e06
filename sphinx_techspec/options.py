"""The checked input layer of every directive: options, arguments and content.

Docutils reports an unknown option, a flag given a value or an unexpected
argument with its own untyped error and drops the whole directive. Our
directives accept everything at the docutils level and report what does not fit
here, as ``techspec.bad_option`` at the option's line (the directive's when that
is not known), and keep the content.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from .diagnostics import warn
from .suggestions import did_you_mean, option_name

OptionConverter = Callable[[str | None], Any]


class UnknownOption(str):
    """The value of an option the directive does not know, kept to warn about it."""


class FlagWithValue(str):
    """A flag option that was given a value: still on, and reported."""


class BadOptionValue(str):
    """An option value its converter rejected; ``error`` says why."""

    error: str = ""


class OpenOptionSpec(dict[str, OptionConverter]):
    """An option spec that accepts unknown options so that we, not docutils, report them."""

    def __missing__(self, key: str) -> OptionConverter:
        return lambda value: UnknownOption(value or "")

    def __bool__(self) -> bool:
        # Docutils reads options only when the spec is truthy; an empty spec must
        # still take them, or they end up in the argument.
        return True


def text_option(value: str | None) -> str:
    return (value or "").strip()


def flag_option(value: str | None) -> bool | FlagWithValue:
    """``:open:`` is on; ``:open: no`` is on too, and reported (a flag takes no value)."""
    if value and value.strip():
        return FlagWithValue(value.strip())
    return True


def guarded(converter: OptionConverter) -> OptionConverter:
    """A docutils converter whose ``ValueError`` becomes a reported value, not a lost item."""

    def convert(value: str | None) -> Any:
        try:
            return converter(value)
        except (ValueError, TypeError) as exc:
            bad = BadOptionValue(value or "")
            bad.error = str(exc)
            return bad

    return convert


def open_spec(options: Mapping[str, OptionConverter]) -> OpenOptionSpec:
    """An :class:`OpenOptionSpec` whose converters cannot raise."""
    spec = OpenOptionSpec()
    for name, converter in options.items():
        spec[name] = converter if converter in (text_option, flag_option) else guarded(converter)
    return spec


def shown(value: Any, limit: int = 80) -> str:
    """``repr(value)`` cut to ``limit`` characters: a warning stays one readable line."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


_SURROGATE = re.compile("[\ud800-\udfff]")


def _scrubbed(value: Any) -> Any:
    """``value`` with every lone surrogate replaced by U+FFFD, keeping its option class."""
    if isinstance(value, BadOptionValue):
        clean = BadOptionValue(_SURROGATE.sub("\ufffd", value))
        clean.error = _SURROGATE.sub("\ufffd", value.error)
        return clean
    if isinstance(value, str):
        return type(value)(_SURROGATE.sub("\ufffd", value))
    if isinstance(value, list):
        return [_scrubbed(part) for part in value]
    return value


def _holds_surrogate(value: Any) -> bool:
    if isinstance(value, str):
        return _SURROGATE.search(value) is not None
    if isinstance(value, list | tuple):
        return any(_holds_surrogate(part) for part in value)
    return False


def scrub_input(arguments: list[str], options: dict[str, Any], content: Any, location: Any) -> None:
    """Replace lone surrogates (text no writer can encode) in a directive's input, in place.

    They reach a directive only from another extension or an odd source, but would
    crash the HTML, text and LaTeX writers; one ``techspec.bad_option`` says where.
    """
    found = False
    for position, argument in enumerate(arguments):
        if _holds_surrogate(argument):
            arguments[position] = _scrubbed(argument)
            found = True
    for name, value in list(options.items()):
        if _holds_surrogate(name) or _holds_surrogate(value):
            del options[name]
            options[_scrubbed(name)] = _scrubbed(value)
            found = True
    data = getattr(content, "data", content)
    if isinstance(data, list):
        for position, line in enumerate(data):
            if _holds_surrogate(line):
                data[position] = _scrubbed(line)
                found = True
    if found:
        warn(
            "the directive holds a lone surrogate (text that is not valid Unicode); "
            "it is shown as U+FFFD",
            "bad_option",
            location,
        )


def report_option_problems(
    options: dict[str, Any],
    known: Mapping[str, Any],
    what: str,
    location: Any,
    at_option: Callable[[str], Any] | None = None,
) -> None:
    """Warn about unknown options, flags with values and rejected values; fix ``options``.

    Unknown options and rejected values are removed, flags given a value are set on.
    ``at_option`` gives the location of an option's own line (:mod:`.option_lines`);
    without it, every warning is at ``location``.
    """
    scrub_input([], options, None, location)
    for name, value in list(options.items()):
        if not isinstance(value, UnknownOption | FlagWithValue | BadOptionValue):
            continue
        where = at_option(name) if at_option is not None else location
        if isinstance(value, UnknownOption):
            warn(unknown_option_message(name, known, what), "bad_option", where)
            del options[name]
        elif isinstance(value, FlagWithValue):
            warn(
                f":{name}: is a flag and takes no value (got {str(value)[:60]!r}); it is on",
                "bad_option",
                where,
            )
            options[name] = True
        elif isinstance(value, BadOptionValue):
            warn(f":{name}: {value.error} (got {str(value)[:60]!r})", "bad_option", where)
            del options[name]


def unknown_option_message(name: str, known: Iterable[str], what: str) -> str:
    """The one wording of an unknown option (the build and the language server use it)."""
    known = sorted(known)
    names = ", ".join(f":{n}:" for n in known) or "none"
    hint = did_you_mean(name, known, show=option_name)
    return f"unknown option :{name}: for {what}{hint} (known: {names})"


def report_unexpected_input(
    what: str,
    location: Any,
    arguments: list[str],
    content: Any,
    takes_argument: bool,
    takes_content: bool,
) -> None:
    """A view given an argument or content it does not read says so; it still renders."""
    scrub_input(arguments, {}, content, location)
    if arguments and not takes_argument:
        warn(f"{what} takes no argument (got {arguments[0][:60]!r})", "bad_option", location)
    if content and not takes_content and "".join(content).strip():
        warn(f"{what} takes no content; the content is ignored", "bad_option", location)
