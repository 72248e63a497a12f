import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request

import pytest
from django.core.management import CommandError, call_command

from tests.core.test_worker import MANAGE, child_env


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


@pytest.mark.django_db
def test_run_demo_refuses_to_start_without_demo_data():
    with pytest.raises(CommandError) as error:
        call_command("run_demo", port=free_port())
    assert str(error.value) == "No demo data: run `manage.py migrate` and `manage.py load_demo` first."


def test_run_demo_serves_the_site_prints_the_logins_and_a_working_link_and_stops_both_children_on_sigint(tmp_path):
    env = child_env(tmp_path)
    for command in (["migrate", "-v0"], ["load_demo"]):
        subprocess.run([sys.executable, MANAGE, *command], env=env, check=True, timeout=120, capture_output=True)
    port = free_port()
    demo = subprocess.Popen([sys.executable, MANAGE, "run_demo", "--port", str(port)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(demo.stdout), daemon=True)
    reader.start()
    try:
        deadline = time.monotonic() + 60
        while "Press Ctrl-C to stop." not in [line.strip() for line in lines] and time.monotonic() < deadline:
            time.sleep(0.2)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:
            # The banner comes once the web server answers and the worker has written its heartbeat.
            assert (response.status, json.load(response)["status"]) == (200, "ok")
        output = "".join(lines)
        link = re.search(rf"^  (http://127\.0\.0\.1:{port}/p/[A-Za-z0-9_-]{{43}}/)$", output, re.M).group(1)
        with urllib.request.urlopen(link, timeout=5) as response:
            assert response.status == 200
        pids = [int(pid) for pid in re.search(r"web server \(pid (\d+)\) and the worker \(pid (\d+)\)", output).groups()]
        demo.send_signal(signal.SIGINT)
        assert demo.wait(timeout=30) == 0
    finally:
        if demo.poll() is None:
            demo.kill()
    reader.join(timeout=5)
    output = "".join(lines)
    assert f"interviewdesk demo: http://127.0.0.1:{port}/\n" in output
    assert "Staff logins (password for all: demo-interviewdesk):\n" in output
    for role, username in [("administrator", "admin"), ("selection officer", "officer"), ("proctor", "proctor1"),
                           ("jury chair", "chair1"), ("assessor", "assessor1")]:
        assert f"  {role:<18} {username}\n" in output
    assert "Personal link of candidate Lotte Claes (new at every start; the previous one is revoked):\n" in output
    assert output.endswith("Demo stopped.\n")
    assert all(gone(pid) for pid in pids)
