"""A preview of a built site on 127.0.0.1 (Python's own HTTP server, no other dependency)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from ..errors import UsageError
from ..i18n import _

HOST = "127.0.0.1"


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # one line per request is noise
        pass


def serve(folder: Path, port: int, ready: Callable[[str], None] = lambda url: None) -> None:
    """Serve `folder` on 127.0.0.1:`port` until interrupted; `ready` gets the URL once bound."""
    handler = functools.partial(_Quiet, directory=str(folder))
    try:
        server = ThreadingHTTPServer((HOST, port), handler)
    except OSError as exc:
        raise UsageError(
            _("--serve: cannot listen on {host}:{port}: {reason}").format(
                host=HOST, port=port, reason=exc.strerror or exc
            )
        ) from None
    with server:
        ready(f"http://{HOST}:{server.server_address[1]}/")
        server.serve_forever()
