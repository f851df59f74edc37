"""scripts/serve's PORT (issue 14.10): another port on request, a busy or bad one named before any setup runs."""

import os
import socket
import subprocess
from pathlib import Path

SERVE = Path(__file__).resolve().parents[2] / "scripts" / "serve"


def _serve(port):
    # Both refusals come before scripts/setup, so nothing is installed or migrated here.
    env = {**os.environ, "PORT": str(port)}
    return subprocess.run(["bash", str(SERVE)], env=env, capture_output=True, text=True, timeout=60)


def test_it_names_a_busy_port_and_suggests_the_next():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = _serve(port)
    assert result.returncode == 1
    assert f"端口 {port} 已被占用" in result.stderr
    assert f"PORT={port + 1} bash scripts/serve" in result.stderr


def test_it_refuses_a_port_that_is_not_a_number():
    result = _serve("80a")
    assert result.returncode == 1
    assert "PORT=80a 无效" in result.stderr
