"""The chat page server: only the page's files, the widget's config and strict headers."""

from __future__ import annotations

import http.client
import json
import threading
from collections.abc import Iterator

import pytest
import requests

from noticebot.apps.web import (
    SOCKET_IO_BUILD,
    config_script,
    content_security_policy,
    make_server,
    plain_hostname,
    socket_url,
)
from noticebot.settings import ChannelSettings, Settings, SettingsError


def test_socket_url_follows_the_host_the_browser_used() -> None:
    channels = ChannelSettings(rasa_port=5005)
    assert socket_url(channels, "localhost:8080") == "http://localhost:5005"
    assert socket_url(channels, "127.0.0.1:8080") == "http://127.0.0.1:5005"
    assert socket_url(channels, "[::1]:8080") == "http://[::1]:5005"
    assert socket_url(channels, None) == "http://127.0.0.1:5005"


@pytest.mark.parametrize("header", [
    "evil.example; script-src * 'unsafe-inline'", "a b", "x'y", "exa_mple.org", "[::1", "",
])
def test_a_host_header_that_is_not_a_plain_name_is_ignored(header: str) -> None:
    assert plain_hostname(header) is None
    assert socket_url(ChannelSettings(rasa_port=5005), header) == "http://127.0.0.1:5005"


def test_a_configured_socket_url_wins() -> None:
    channels = ChannelSettings(web_socket_url="https://chat.example.org/")
    assert socket_url(channels, "localhost:8080") == "https://chat.example.org"
    policy = content_security_policy("https://chat.example.org")
    assert "connect-src 'self' https://chat.example.org wss://chat.example.org;" in policy


def test_the_config_is_a_json_literal_even_for_odd_urls() -> None:
    script = config_script('http://x"</script><script>alert(1)//').decode()
    prefix, _, rest = script.partition(" = ")
    assert prefix == "window.NOTICEBOT_CONFIG"
    assert json.loads(rest.rstrip().rstrip(";"))["socketUrl"].startswith('http://x"</script>')


def test_channel_settings_are_read_and_checked() -> None:
    settings = Settings.from_env({"WEB_PORT": "9000", "RASA_PORT": "5105",
                                  "TELEGRAM_API_URL": "http://127.0.0.1:1/tg"})
    assert settings.channels.web_port == 9000
    assert settings.channels.rasa_port == 5105
    assert settings.channels.telegram_api_url == "http://127.0.0.1:1/tg"
    assert settings.channels.slack_api_url == "https://slack.com/api/"
    with pytest.raises(SettingsError, match="WEB_PORT"):
        Settings.from_env({"WEB_PORT": "70000"})


@pytest.fixture(scope="module")
def web() -> Iterator[str]:
    if not SOCKET_IO_BUILD.is_file():
        pytest.fail("web/node_modules is missing: run `make install`")
    server = make_server("127.0.0.1", 0, ChannelSettings(rasa_port=5999))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_the_page_and_its_files_are_served_with_security_headers(web: str) -> None:
    for path, kind in (("/", "text/html"), ("/widget.js", "javascript"),
                       ("/widget.css", "text/css"), ("/vendor/socket.io.min.js", "javascript"),
                       ("/config.js", "javascript")):
        response = requests.get(web + path, timeout=5)
        assert response.status_code == 200, path
        assert kind in response.headers["Content-Type"], path
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        policy = response.headers["Content-Security-Policy"]
        assert "script-src 'self';" in policy
        assert "connect-src 'self' http://127.0.0.1:5999 ws://127.0.0.1:5999;" in policy


def test_the_config_points_at_the_rasa_port(web: str) -> None:
    body = requests.get(web + "/config.js", timeout=5).text
    config = json.loads(body.split(" = ", 1)[1].rstrip().rstrip(";"))
    assert config == {"socketUrl": "http://127.0.0.1:5999", "socketPath": "/socket.io"}


def raw_get(web: str, path: str, method: str = "GET",
            host: str | None = None) -> tuple[int, dict[str, str], bytes]:
    """A request with the path sent byte for byte (requests would normalize ``/../``)."""
    netloc = web.removeprefix("http://")
    connection = http.client.HTTPConnection(netloc, timeout=5)
    try:
        connection.putrequest(method, path, skip_host=host is not None)
        if host is not None:
            connection.putheader("Host", host)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


@pytest.mark.parametrize("path", [
    "/package.json", "/package-lock.json", "/.gitignore",
    "/node_modules/socket.io-client/package.json", "/../pyproject.toml", "/..%2fpyproject.toml",
    "/%2e%2e/pyproject.toml", "//etc/passwd", "/vendor/", "/web/", "/missing.js",
    "/index.html%00.js",
])
def test_nothing_else_is_served(web: str, path: str) -> None:
    status, _, body = raw_get(web, path)
    assert status == 404
    assert b"pyproject" not in body and b"dependencies" not in body and b"root:" not in body


def test_head_of_the_config_answers_like_get(web: str) -> None:
    status, headers, body = raw_get(web, "/config.js", method="HEAD")
    assert status == 200 and body == b""
    full = requests.get(web + "/config.js", timeout=5).content
    assert int(headers["Content-Length"]) == len(full)


def test_a_forged_host_header_reaches_neither_the_policy_nor_the_config(web: str) -> None:
    forged = "evil.example; script-src * 'unsafe-inline'"
    status, headers, body = raw_get(web, "/config.js", host=forged)
    assert status == 200
    assert "evil" not in headers["Content-Security-Policy"] and b"evil" not in body
    assert "script-src 'self';" in headers["Content-Security-Policy"]
