"""``sphinx-techspec lsp`` as a process: stdout carries framed protocol messages only,
and bad arguments are a message and exit status 2, never a traceback."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOTS

COMMAND = [sys.executable, "-m", "sphinx_techspec.cli", "lsp"]


def frame(message: dict) -> bytes:
    body = json.dumps(message).encode("utf-8")
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def frames(data: bytes) -> list[dict]:
    """Every message of a JSON-RPC stream; fails on anything that is not one."""
    found = []
    while data:
        header, separator, rest = data.partition(b"\r\n\r\n")
        assert separator, f"not a framed message: {data[:80]!r}"
        fields = dict(line.split(b": ", 1) for line in header.split(b"\r\n"))
        length = int(fields[b"Content-Length"])
        found.append(json.loads(rest[:length]))
        data = rest[length:]
    return found


def test_stdout_holds_protocol_messages_only(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(ROOTS / "test-lsp", project)
    page = (project / "requirements.rst").resolve()
    text = page.read_text(encoding="utf-8").replace(":refines: REQ-001", ":refines: REQ-01")
    messages = [
        {"jsonrpc": "2.0", "id": 1, "method": "initialize",
         "params": {"processId": None, "rootUri": project.as_uri(), "capabilities": {}}},
        {"jsonrpc": "2.0", "method": "initialized", "params": {}},
        {"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
            "uri": page.as_uri(), "languageId": "restructuredtext", "version": 1, "text": text}}},
        {"jsonrpc": "2.0", "id": 2, "method": "shutdown", "params": None},
        {"jsonrpc": "2.0", "method": "exit", "params": None},
    ]  # fmt: skip
    done = subprocess.run(
        COMMAND,
        input=b"".join(frame(message) for message in messages),
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode()
    replies = frames(done.stdout)
    assert replies[0]["result"]["serverInfo"]["name"] == "sphinx-techspec"
    published = [r for r in replies if r.get("method") == "textDocument/publishDiagnostics"]
    assert [d["code"] for d in published[-1]["params"]["diagnostics"]] == ["techspec.unknown_ref"]
    # What conf.py printed went to stderr, with the log.
    assert "conf.py of the lsp test project was read" in done.stderr.decode()


def test_a_project_that_is_not_a_folder_is_refused(tmp_path: Path) -> None:
    done = subprocess.run(
        [*COMMAND, "--project", str(tmp_path / "missing")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr.strip() == (
        f"sphinx-techspec: error: --project {tmp_path / 'missing'} is not a folder"
    )
    assert done.stdout == ""


def test_an_unwritable_log_file_is_refused(tmp_path: Path) -> None:
    done = subprocess.run(
        [*COMMAND, "--log-file", str(tmp_path / "no" / "such" / "lsp.log")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr.startswith("sphinx-techspec: error: cannot write the log file:")
    assert "Traceback" not in done.stderr
