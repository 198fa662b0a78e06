"""Walk docs/tutorial.md as written: its commands and the files it says to write, in order.

The page is what users follow, so the walk reads it rather than a copy: every shell block
(```console / ```sh) runs, line by line (``$ `` lines; ``pip install`` is skipped, the
package is installed, and so is ``serve``, which runs until stopped), and every block of
source (a live example, ```python, ```md) is appended to the file the paragraph before it
names. A command whose shown output ends a build "with problems" must fail with the warnings
shown; every other command must exit 0, and builds must print no warning.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

pytestmark = pytest.mark.slow(seconds=5)

TUTORIAL = Path(__file__).parent.parent / "docs" / "tutorial.md"
SHELL = {"console", "sh", "shell"}
SOURCE = {"{live-example}", "python", "md", "markdown", "rst"}
FILE_NAMED = re.compile(r"`([\w.-]+/[\w./-]+\.(?:md|rst|py))`")


@dataclass
class Command:
    line: str
    shown_output: str


@dataclass
class Write:
    path: str
    text: str


def tutorial_steps(text: str) -> list[Command | Write]:
    """The page's commands and file writes, in the order a reader meets them."""
    steps: list[Command | Write] = []
    paragraph = ""
    for token in MarkdownIt("commonmark").parse(text):
        if token.type == "inline":
            paragraph = token.content
        if token.type != "fence":
            continue
        kind = token.info.strip().split()[0] if token.info.strip() else ""
        if kind in SHELL:
            steps += shell_commands(token.content)
        elif kind in SOURCE:
            named = FILE_NAMED.search(paragraph)
            assert named, f"the tutorial does not say where this goes:\n{token.content}"
            steps.append(Write(named.group(1), token.content))
    return steps


def shell_commands(block: str) -> list[Command]:
    commands: list[Command] = []
    for line in block.splitlines():
        if line.startswith("$ "):
            commands.append(Command(line[2:].strip(), ""))
        elif commands:
            commands[-1].shown_output += line + "\n"
    return commands


def skipped(words: list[str]) -> bool:
    return words[:2] == ["pip", "install"] or words[:2] == ["sphinx-techspec", "serve"]


def run(command: Command, cwd: Path) -> None:
    words = shlex.split(command.line, comments=True)
    if skipped(words):
        return
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    result = subprocess.run(
        words, cwd=cwd, env=env, capture_output=True, text=True, timeout=120, check=False
    )
    output = result.stdout + result.stderr
    if "build finished with problems" in command.shown_output:
        assert result.returncode != 0, f"{command.line} should fail as shown:\n{output}"
        for shown in re.findall(r"\[techspec\.\w+\]|\d+ warnings?\b", command.shown_output):
            assert shown in output, f"{command.line}: the page shows {shown!r}:\n{output}"
        shown_text = " ".join(command.shown_output.split())
        for located, message in re.findall(
            r"([\w-]+\.(?:md|rst):\d+): WARNING: (.*?\])", shown_text
        ):
            assert f"{located}: WARNING: {message}" in " ".join(output.split()), (
                f"{command.line}: the page shows {located}: {message}\n{output}"
            )
    else:
        assert result.returncode == 0, f"{command.line} failed:\n{output}"
        assert "WARNING" not in output, f"{command.line} warned:\n{output}"


def test_the_tutorial_as_written_builds(tmp_path):
    steps = tutorial_steps(TUTORIAL.read_text(encoding="utf-8"))
    commands = [step for step in steps if isinstance(step, Command)]
    assert any(c.line.startswith("sphinx-techspec init ") for c in commands)
    assert sum(isinstance(step, Write) for step in steps) >= 5
    for step in steps:
        if isinstance(step, Write):
            path = tmp_path / step.path
            assert path.is_file(), f"the tutorial writes to {step.path}, which init did not make"
            path.write_text(path.read_text(encoding="utf-8") + "\n" + step.text, encoding="utf-8")
        else:
            run(step, tmp_path)
    last = commands[-1]
    assert last.line.startswith("sphinx-build -W -n ") and not last.shown_output.strip()
    html = next(tmp_path.glob("*/_build/html/testing.html")).read_text(encoding="utf-8")
    assert "TUT-TC-2" in html and "TUT-REQ-2" in html
