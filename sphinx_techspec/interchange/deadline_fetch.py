"""Fetching a URL within an overall deadline, not only a timeout per socket read.

A socket timeout bounds each read; a server that sends one byte a second never
trips it and could hold a build for hours. Here a timer shuts the connection's
socket down when the deadline passes: whatever read is blocked then (the TLS
handshake, the headers, the body) returns at once, and the fetch fails with a
message naming the limit. Redirects are followed within the same deadline, to
``http`` and ``https`` only.
"""

from __future__ import annotations

import contextlib
import functools
import http.client
import socket
import threading
import time
import urllib.error
import urllib.request
from typing import Any


class FetchError(Exception):
    """A URL that could not be fetched (in time); the message says why."""


class Deadline:
    """Shuts down every socket it watches once ``seconds`` have passed."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.end = time.monotonic() + seconds
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def start(self) -> None:
        self._timer.start()

    def remaining(self) -> float:
        return max(0.0, self.end - time.monotonic())

    def watch(self, sock: socket.socket) -> None:
        """Watch a duplicate of ``sock``: shutting it down ends the shared connection,
        even after TLS wrapping has taken the original socket object over."""
        duplicate = sock.dup()
        with self._lock:
            self._sockets.append(duplicate)
            if self.expired:
                _shut(duplicate)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                _shut(sock)

    def stop(self) -> None:
        self._timer.cancel()
        with self._lock:
            for sock in self._sockets:
                sock.close()
            self._sockets.clear()


def _shut(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)


def _watched_connection(
    deadline: Deadline, address: tuple[str, int], timeout: Any = None, *args: Any
) -> socket.socket:
    remaining = deadline.remaining()
    if remaining <= 0:
        raise TimeoutError("the deadline passed")
    limit = min(timeout, remaining) if isinstance(timeout, int | float) else remaining
    sock = socket.create_connection(address, limit, *args)
    deadline.watch(sock)
    return sock


def _connection_class(base: type[http.client.HTTPConnection], deadline: Deadline) -> Any:
    def make(host: str, **kwargs: Any) -> http.client.HTTPConnection:
        connection = base(host, **kwargs)
        # http.client opens every connection through this attribute (TLS wraps its socket).
        connection._create_connection = functools.partial(  # type: ignore[attr-defined]
            _watched_connection, deadline
        )
        return connection

    return make


class _HTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, deadline: Deadline) -> None:
        super().__init__()
        self.deadline = deadline

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_connection_class(http.client.HTTPConnection, self.deadline), req)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, deadline: Deadline) -> None:
        super().__init__()
        self.deadline = deadline

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_connection_class(http.client.HTTPSConnection, self.deadline), req)


class _NoFTPHandler(urllib.request.FTPHandler):
    def ftp_open(self, req: urllib.request.Request) -> Any:
        raise urllib.error.URLError("only http and https URLs are fetched")


def fetch_within(url: str, seconds: float, limit: int) -> bytes:
    """The body at ``url``, read completely within ``seconds``; at most ``limit`` bytes.

    Raises :class:`FetchError` only.
    """
    deadline = Deadline(seconds)
    opener = urllib.request.build_opener(
        _HTTPHandler(deadline), _HTTPSHandler(deadline), _NoFTPHandler()
    )
    request = urllib.request.Request(url, headers={"User-Agent": "sphinx-techspec"})
    deadline.start()
    try:
        with opener.open(request, timeout=seconds) as response:
            data = _read(response, limit)
    except FetchError:
        raise
    except Exception as exc:  # URLError, OSError, HTTPException, ValueError: all say why
        # The socket's own timeout (the same number of seconds) may fire first.
        if deadline.expired or isinstance(getattr(exc, "reason", exc), TimeoutError):
            raise FetchError(_too_slow(seconds)) from None
        reason = getattr(exc, "reason", None) or exc
        raise FetchError(f"cannot be fetched ({reason})") from None
    finally:
        deadline.stop()
    if deadline.expired:  # the body ended because the deadline shut the socket
        raise FetchError(_too_slow(seconds))
    return data


def _read(response: Any, limit: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while True:
        # read1: at most one read of the socket, so the deadline is seen between reads.
        chunk = response.read1(64 * 1024)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > limit:
            raise FetchError(f"it is more than the {limit} bytes read")
        chunks.append(chunk)


def _too_slow(seconds: float) -> str:
    return (
        f"cannot be fetched within {seconds:g} s (techspec_external_timeout bounds the whole fetch)"
    )
