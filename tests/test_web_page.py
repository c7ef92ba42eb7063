"""The chat page server: only the page's files, the widget's config and strict headers."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator

import pytest
import requests

from noticebot.settings import ChannelSettings, Settings, SettingsError
from noticebot.web import (
    SOCKET_IO_BUILD,
    config_script,
    content_security_policy,
    make_server,
    socket_url,
)


def test_socket_url_follows_the_host_the_browser_used() -> None:
    channels = ChannelSettings(rasa_port=5005)
    assert socket_url(channels, "localhost:8080") == "http://localhost:5005"
    assert socket_url(channels, "127.0.0.1:8080") == "http://127.0.0.1:5005"
    assert socket_url(channels, "[::1]:8080") == "http://[::1]:5005"
    assert socket_url(channels, None) == "http://127.0.0.1:5005"


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


@pytest.mark.parametrize("path", [
    "/package.json", "/package-lock.json", "/.gitignore",
    "/node_modules/socket.io-client/package.json",
    "/../pyproject.toml", "/%2e%2e/pyproject.toml", "/vendor/", "/web/", "/missing.js",
])
def test_nothing_else_is_served(web: str, path: str) -> None:
    response = requests.get(web + path, timeout=5)
    assert response.status_code == 404
    assert "pyproject" not in response.text and "dependencies" not in response.text
