"""Serve the web chat page (``web/``) on ``WEB_PORT``: static files, nothing else.

The widget talks to the Rasa server's Socket.IO channel directly; this server only hands out
the page, the widget, the vendored ``socket.io-client`` build (installed from the npm registry
into ``web/node_modules``, never from a CDN) and ``/config.js``, which tells the widget where the
Socket.IO channel is. Every response carries a Content-Security-Policy that allows scripts from
this origin only and connections to the Socket.IO origin only, so even a rendering mistake in
the widget could not run a script a message carried.

In production any static host or the load balancer can serve ``web/`` the same way; this
standard-library server is for ``make run`` and the tests.
"""

from __future__ import annotations

import argparse
import ipaddress
import json
import logging
import re
import sys
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from noticebot.settings import PROJECT_ROOT, ChannelSettings, get_settings

logger = logging.getLogger(__name__)

WEB_ROOT = PROJECT_ROOT / "web"
SOCKET_IO_BUILD = WEB_ROOT / "node_modules" / "socket.io-client" / "dist" / "socket.io.min.js"
SOCKET_IO_PATH = "/socket.io"
# Files of web/ that may be served; anything else (node_modules, package files) is 404.
SERVED_SUFFIXES = frozenset({".html", ".js", ".css", ".svg", ".png", ".ico"})
HOSTNAME = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?")


def socket_url(channels: ChannelSettings, request_host: str | None) -> str:
    """Where the widget finds Rasa's Socket.IO channel.

    ``WEB_SOCKET_URL`` when set; otherwise the host name the browser used for this page, on the
    Rasa port (so ``localhost`` and ``127.0.0.1`` both work without configuration).
    """
    if channels.web_socket_url:
        return channels.web_socket_url.rstrip("/")
    hostname = plain_hostname(request_host) or channels.web_host
    if ":" in hostname:  # an IPv6 literal
        hostname = f"[{hostname}]"
    return f"http://{hostname}:{channels.rasa_port}"


def plain_hostname(host_header: str | None) -> str | None:
    """The host name of a Host header when it is a plain name or IP address, else None (the
    header ends up in the CSP and in /config.js: nothing else may pass)."""
    if not host_header:
        return None
    try:
        hostname = urlsplit(f"//{host_header}").hostname
    except ValueError:
        return None
    if not hostname:
        return None
    try:
        return str(ipaddress.ip_address(hostname))
    except ValueError:
        return hostname if HOSTNAME.fullmatch(hostname) else None


def content_security_policy(socket: str) -> str:
    """Scripts, styles and images from this origin only; connections to the Socket.IO origin."""
    parts = urlsplit(socket)
    websocket = f"{'wss' if parts.scheme == 'https' else 'ws'}://{parts.netloc}"
    http = f"{parts.scheme}://{parts.netloc}"
    return (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        f"connect-src 'self' {http} {websocket}; object-src 'none'; base-uri 'none'; "
        "form-action 'none'; frame-ancestors 'self'"
    )


def config_script(socket: str) -> bytes:
    """``/config.js``: the widget's settings as a JSON literal (never string-built JavaScript)."""
    config = {"socketUrl": socket, "socketPath": SOCKET_IO_PATH}
    return f"window.NOTICEBOT_CONFIG = {json.dumps(config)};\n".encode()


class WebHandler(SimpleHTTPRequestHandler):
    """GET and HEAD of the page's files, with security headers; no directory listings."""

    channels: ChannelSettings = ChannelSettings()

    def do_GET(self) -> None:
        if self._send_config():
            return
        super().do_GET()

    def do_HEAD(self) -> None:
        if self._send_config(head=True):
            return
        super().do_HEAD()

    def _send_config(self, head: bool = False) -> bool:
        if urlsplit(self.path).path != "/config.js":
            return False
        body = config_script(self._socket())
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/javascript; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head:
            self.wfile.write(body)
        return True

    def translate_path(self, path: str) -> str:
        """Map a URL to a file; anything outside the allowed files maps to nothing."""
        clean = urlsplit(path).path
        if clean == "/vendor/socket.io.min.js":
            return str(SOCKET_IO_BUILD)
        if clean in ("", "/"):
            clean = "/index.html"
        try:
            candidate = (WEB_ROOT / clean.lstrip("/")).resolve()
        except (ValueError, OSError):  # a NUL byte, a name too long
            return str(WEB_ROOT / ".not-served")
        allowed = (
            candidate.parent == WEB_ROOT.resolve()
            and candidate.suffix in SERVED_SUFFIXES
            and not candidate.name.startswith(".")
        )
        return str(candidate) if allowed else str(WEB_ROOT / ".not-served")

    def list_directory(self, path: str | Path) -> None:  # type: ignore[override]
        self.send_error(HTTPStatus.NOT_FOUND)
        return None

    def end_headers(self) -> None:
        self.send_header("Content-Security-Policy", content_security_policy(self._socket()))
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:
        logger.info("%s %s", self.address_string(), format % args)

    def _socket(self) -> str:
        return socket_url(self.channels, self.headers.get("Host") if self.headers else None)


def make_server(host: str, port: int, channels: ChannelSettings) -> ThreadingHTTPServer:
    """A threaded HTTP server for ``web/`` on ``host:port``."""
    handler = type("ConfiguredWebHandler", (WebHandler,), {"channels": channels})
    return ThreadingHTTPServer((host, port), partial(handler, directory=str(WEB_ROOT)))


def main(argv: list[str] | None = None, prog: str = "noticebot-web") -> int:
    """``noticebot web`` (and ``noticebot-web``): serve the chat page until interrupted."""
    parser = argparse.ArgumentParser(prog=prog, description=__doc__.splitlines()[0])
    channels = get_settings().channels
    parser.add_argument("--host", default=channels.web_host)
    parser.add_argument("--port", type=int, default=channels.web_port)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    if not SOCKET_IO_BUILD.is_file():
        print(f"{SOCKET_IO_BUILD} is missing: run `make install`.", file=sys.stderr)
        return 2
    server = make_server(args.host, args.port, channels)
    print(f"Chat page on http://{args.host}:{args.port}/", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
