"""``sphinx-techspec serve``: its arguments, the missing-extra message, and one live run."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from sphinx_techspec.cli import build_parser, main
from sphinx_techspec.template.serve import INSTALL_HINT, autobuild_arguments


def test_defaults_serve_dir_build_html_on_localhost_port_8000(tmp_path):
    args = build_parser().parse_args(["serve", str(tmp_path)])
    assert (args.directory, args.port, args.open_browser) == (tmp_path, 8000, False)
    assert autobuild_arguments(args.directory, args.port, args.open_browser) == [
        str(tmp_path),
        str(tmp_path / "_build" / "html"),
        "--host",
        "127.0.0.1",
        "--port",
        "8000",
    ]


def test_port_and_open_browser_pass_through(tmp_path):
    args = build_parser().parse_args(["serve", str(tmp_path), "--port", "8123", "--open-browser"])
    line = autobuild_arguments(args.directory, args.port, args.open_browser)
    assert line[-3:] == ["--port", "8123", "--open-browser"]
    assert "-W" not in line


@pytest.mark.parametrize("port", ["99999", "-1", "http"])
def test_a_bad_port_is_a_usage_error(tmp_path, capsys, port):
    with pytest.raises(SystemExit) as exit_info:
        main(["serve", str(tmp_path), "--port", port])
    assert exit_info.value.code == 2
    assert f"{port!r} is not a port number (0 to 65535)" in capsys.readouterr().err


def test_a_folder_without_conf_py_is_refused(tmp_path, capsys):
    assert main(["serve", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("sphinx-techspec: error: ") and "holds no conf.py" in err


def test_without_the_extra_it_says_how_to_install_it(tmp_path, capsys, monkeypatch):
    # A None entry in sys.modules makes "import sphinx_autobuild" fail as if not installed.
    monkeypatch.setitem(sys.modules, "sphinx_autobuild", None)
    monkeypatch.setitem(sys.modules, "sphinx_autobuild.__main__", None)
    assert main(["serve", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err == f"sphinx-techspec: error: {INSTALL_HINT}\n"
    assert "pip install 'sphinx-techspec[serve]'" in err


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def page_text(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def wait_for(url: str, wanted: str, seconds: float) -> str | None:
    """The page at ``url`` once it holds ``wanted``; None if it did not within ``seconds``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        text = page_text(url)
        if text is not None and wanted in text:
            return text
        time.sleep(0.5)
    return None


def test_serve_builds_serves_and_rebuilds_on_save(tmp_path):
    pytest.importorskip("sphinx_autobuild", reason="the 'serve' extra is not installed")
    project = tmp_path / "spec"
    assert main(["init", str(project), "--format", "md"]) == 0
    port = free_port()
    log = (tmp_path / "serve.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "sphinx_techspec.cli", "serve", str(project), "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        base = f"http://127.0.0.1:{port}/"
        index = wait_for(base, "</html>", 60)
        assert index is not None, (tmp_path / "serve.log").read_text()
        assert "websocket-reload" in index  # sphinx-autobuild's reload script is injected
        scope = project / "scope.md"
        scope.write_text(
            scope.read_text(encoding="utf-8") + "\nEdited-while-serving marker.\n",
            encoding="utf-8",
        )
        edited = wait_for(base + "scope.html", "Edited-while-serving marker.", 60)
        assert edited is not None, (tmp_path / "serve.log").read_text()
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
