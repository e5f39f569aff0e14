"""Real app servers for the integration tests: gunicorn processes with production
settings on the test database, and HAProxy (Debian's package) in front of them."""

from __future__ import annotations

import html.parser
import http.client
import http.cookiejar
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connection

PRODUCTION = {
    "SECRET_KEY": "integration-test-secret-key-shared-by-every-app-server-0123456789",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "DEBUG": "",
    "SECURE_SSL_REDIRECT": "0",
    "SESSION_COOKIE_SECURE": "0",
    "CSRF_COOKIE_SECURE": "0",
    "SECURE_HSTS_SECONDS": "0",
    "LOG_LEVEL": "WARNING",
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def production_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """The environment of a production process on the test's own database."""
    dropped = {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update(PRODUCTION)
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        env["DATABASE_URL"] = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    else:
        env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'serve.sqlite3'}"
    env["DJANGO_SETTINGS_MODULE"] = "openhours.settings"
    env["STATIC_ROOT"] = str(tmp_path / "static")
    env.update(extra)
    return env


def manage(env: dict[str, str], *command: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *command],
        cwd=settings.BASE_DIR,
        env=env,
        check=True,
        timeout=300,
        capture_output=True,
    )


@dataclass
class Process:
    name: str
    command: list[str]
    env: dict[str, str]
    log: Path
    popen: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        with open(self.log, "ab") as output:
            self.popen = subprocess.Popen(
                self.command,
                cwd=settings.BASE_DIR,
                env=self.env,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: kill takes its workers too
            )

    def kill(self) -> None:
        """SIGKILL the whole process group, as a crashed server would go."""
        if self.popen is not None and self.popen.poll() is None:
            os.killpg(self.popen.pid, signal.SIGKILL)
            self.popen.wait(timeout=10)

    def stop(self) -> None:
        if self.popen is not None and self.popen.poll() is None:
            os.killpg(self.popen.pid, signal.SIGTERM)
            try:
                self.popen.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()


@dataclass
class Cluster:
    """App servers behind one HAProxy. Each server is gunicorn (two workers) and a
    background worker (which builds the server's matching index), with a folder of its
    own for the index, as separate machines would have."""

    tmp_path: Path
    env: dict[str, str]
    servers: dict[str, Process] = field(default_factory=dict)
    workers: dict[str, Process] = field(default_factory=dict)
    ports: dict[str, int] = field(default_factory=dict)
    balancer: Process | None = None
    balancer_port: int = 0

    def add_server(self, name: str) -> None:
        port = free_port()
        env = {**self.env, "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": "2"}
        env["PROMETHEUS_MULTIPROC_DIR"] = str(self.tmp_path / f"metrics-{name}")
        env["OPENHOURS_MATCHING_INDEX_DIR"] = str(self.tmp_path / f"index-{name}")
        self.ports[name] = port
        self.workers[name] = Process(
            f"{name}-worker",
            [sys.executable, "manage.py", "run_worker", "--interval", "0.2"],
            env,
            self.tmp_path / f"{name}-worker.log",
        )
        self.servers[name] = Process(
            name,
            [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "openhours.wsgi"],
            env,
            self.tmp_path / f"{name}.log",
        )

    def start_balancer(self) -> None:
        self.balancer_port = free_port()
        config = self.tmp_path / "haproxy.cfg"
        config.write_text(haproxy_config(self.balancer_port, self.ports))
        self.balancer = Process(
            "haproxy", ["haproxy", "-f", str(config)], self.env, self.tmp_path / "haproxy.log"
        )
        self.balancer.start()

    def url(self, name: str | None = None) -> str:
        port = self.balancer_port if name is None else self.ports[name]
        return f"http://127.0.0.1:{port}"

    def wait_healthy(self, name: str | None = None, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(f"{self.url(name)}/health/", timeout=5) as answer:  # noqa: S310
                    if answer.status == 200:
                        return
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise AssertionError(f"{name or 'the balancer'} never became healthy")
            time.sleep(0.2)

    def _processes(self) -> list[Process]:
        balancer = [self.balancer] if self.balancer else []
        return [*self.servers.values(), *self.workers.values(), *balancer]

    def stop(self) -> None:
        for process in self._processes():
            process.stop()

    def logs(self) -> str:
        parts = []
        for process in self._processes():
            if process.log.exists():
                parts.append(f"--- {process.name}\n{process.log.read_text()[-4000:]}")
        return "\n".join(parts)


def haproxy_config(port: int, servers: dict[str, int]) -> str:
    """Round robin with health checks on /health/; a request that could not reach a
    server (refused, reset before an answer) is retried on the other one."""
    lines = [
        "defaults",
        "  mode http",
        "  timeout connect 1s",
        "  timeout client 30s",
        "  timeout server 30s",
        "  retries 3",
        "  option redispatch 1",
        "  retry-on conn-failure empty-response response-timeout",
        "frontend web",
        f"  bind 127.0.0.1:{port}",
        "  default_backend app",
        "backend app",
        "  balance roundrobin",
        "  option httpchk GET /health/",
        "  http-check expect status 200",
        # Checked twice a second; down after two misses, so a killed server leaves the
        # rotation within a second; a slow answer (a loaded machine) is not a miss.
        "  timeout check 5s",
        "  default-server inter 500ms fall 2 rise 2",
    ]
    lines += [f"  server {name} 127.0.0.1:{p} check" for name, p in servers.items()]
    return "\n".join(lines) + "\n"


class _Form(html.parser.HTMLParser):
    """The fields of the first form whose action matches, with their current values."""

    def __init__(self, action: str) -> None:
        super().__init__()
        self.action = action
        self.inside = False
        self.done = False
        self.values: list[tuple[str, str]] = []
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and not self.done and a.get("action", "") in (self.action, ""):
            self.inside = True
        if not self.inside:
            return
        if tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind not in ("submit", "button"):
                self.values.append((a["name"], a.get("value", "")))
        elif tag == "textarea":
            self._textarea = a.get("name")
            self.values.append((a.get("name", ""), ""))
        elif tag == "select":
            self._select = a.get("name")
        elif tag == "option" and self._select and "selected" in a:
            self.values.append((self._select, a.get("value", "")))

    def handle_data(self, data: str) -> None:
        if self._textarea is not None and self.values:
            name, value = self.values[-1]
            self.values[-1] = (name, value + data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form" and self.inside:
            self.inside, self.done = False, True


# What a member sees when the balancer had no server to give the request to.
GATEWAY_ERRORS = {502, 503, 504}


class Browser:
    """A member's browser: cookies, CSRF tokens, forms filled from the page.

    A request answered with a gateway error is sent once more, as a member pressing
    reload (or the button again) would; ``retried`` counts those and ``failed_twice``
    the ones whose second try failed too.
    """

    def __init__(self, base: str) -> None:
        assert base.startswith("http://127.0.0.1:")  # only ever the test's own servers
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.retried: list[str] = []
        self.failed_twice: list[str] = []

    def get(self, path: str, *, base: str | None = None) -> tuple[int, str]:
        return self._open(urllib.request.Request((base or self.base) + path))  # noqa: S310

    def post(
        self, path: str, data: list[tuple[str, str]], *, base: str | None = None
    ) -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode()
        request = urllib.request.Request(  # noqa: S310
            (base or self.base) + path, data=body, method="POST"
        )
        request.add_header("Referer", (base or self.base) + path)
        return self._open(request)

    def form(self, path: str, *, base: str | None = None) -> list[tuple[str, str]]:
        status, page = self.get(path, base=base)
        assert status == 200, (path, status)
        parser = _Form(path)
        parser.feed(page)
        return parser.values

    def sign_in(self, email: str, password: str) -> None:
        fields = dict(self.form("/accounts/login/"))
        status, page = self.post(
            "/accounts/login/",
            [
                ("csrfmiddlewaretoken", fields["csrfmiddlewaretoken"]),
                ("login", email),
                ("password", password),
            ],
        )
        assert status == 200, status
        signed_in = any(cookie.name == "sessionid" for cookie in self.jar)
        assert signed_in, f"not signed in: {page[:3000]}"

    def _open(self, request: urllib.request.Request) -> tuple[int, str]:
        status, page = self._once(request)
        if status in GATEWAY_ERRORS:
            self.retried.append(request.full_url)
            time.sleep(1)  # about as long as a member takes to press reload
            status, page = self._once(request)
            if status in GATEWAY_ERRORS:
                self.failed_twice.append(request.full_url)
        return status, page

    def _once(self, request: urllib.request.Request) -> tuple[int, str]:
        try:
            with self.opener.open(request, timeout=30) as answer:
                return answer.status, answer.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace")
        except (ConnectionError, urllib.error.URLError, http.client.HTTPException):
            return 502, ""  # the connection failed or the answer was cut: the same to a member


def replace(values: list[tuple[str, str]], **changes: str) -> list[tuple[str, str]]:
    kept = [(k, v) for k, v in values if k not in changes]
    return kept + list(changes.items())
