"""Fault benchmark: kill -9 of one gunicorn worker under load, and what the clients and the other worker saw.

A fresh SQLite database gets `shinchoku init` + `shinchoku demo`; `shinchoku serve --workers 2` listens on a
free 127.0.0.1 port. 32 clients ask public API questions for 10 s, one request per connection, each with
its own X-Request-ID; halfway, one worker gets SIGKILL. The server's JSON access log says which worker (pid)
answered each request id, so every failed request can be checked: it must have started before the kill and
have no answer from any worker (it was on the killed one), and the surviving worker must keep answering
while gunicorn boots a replacement. Everything stops by itself; only 127.0.0.1 is used.

    python -m bench.fault [--seconds 10] [--clients 32] [--no-docs]
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from bench.docs import arguments, publish

SHINCHOKU = [sys.executable, "-m", "shinchoku.cli"]
HOST = "127.0.0.1"
CODES = ("042021", "011002", "131016", "271004", "401005", "472018", "041009", "132063")
PATHS = (
    "/api/v1/summary",
    "/api/v1/prefectures",
    "/api/v1/months",
    *(f"/api/v1/organizations?prefecture={p:02d}" for p in (1, 4, 13, 27, 47)),
    *(f"/api/v1/organizations/{code}/progress" for code in CODES),
)


@dataclass
class Sent:
    rid: str
    path: str
    started: float
    ended: float
    status: int | None  # None: the connection failed
    error: str = ""


async def _one(port: int, rid: str, path: str) -> tuple[int | None, str]:
    try:
        reader, writer = await asyncio.open_connection(HOST, port)
    except OSError as exc:
        return None, type(exc).__name__
    try:
        request = f"GET {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\nX-Request-ID: {rid}\r\nConnection: close\r\n\r\n"
        writer.write(request.encode())
        await writer.drain()
        head = await reader.readuntil(b"\r\n\r\n")
        await reader.read()  # the body, up to the close
        return int(head.split(b" ", 2)[1]), ""
    except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError) as exc:
        return None, type(exc).__name__
    finally:
        writer.close()


async def _client(number: int, port: int, stop_at: float, sent: list[Sent]) -> None:
    n = 0
    rng = random.Random(number)
    while time.monotonic() < stop_at:
        n += 1
        rid, path = f"fault-{number:02d}-{n:05d}", rng.choice(PATHS)
        started = time.monotonic()
        status, error = await _one(port, rid, path)
        sent.append(Sent(rid, path, started, time.monotonic(), status, error))


def _children(pid: int) -> set[int]:
    """The gunicorn workers of the master `pid`: its children less the helpers it starts beside them (the open
    data builder and the page warmer, both told their `--parent`)."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            child = int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid
            if child and b"\x00--parent\x00" not in (stat.parent / "cmdline").read_bytes():
                found.add(int(stat.parent.name))
        except (OSError, ValueError, IndexError):
            continue
    return found


def _free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def _wait_up(url: str, proc: subprocess.Popen, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("shinchoku serve exited while starting")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("shinchoku serve did not start")


def run(*, clients: int, seconds: float) -> dict:
    with tempfile.TemporaryDirectory(prefix="shinchoku-fault-") as tmp:
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{tmp}/fault.sqlite3",
            "SHINCHOKU_VAR": f"{tmp}/var",
            "SHINCHOKU_HOME": tmp,
        }
        print("fresh database: shinchoku init + demo …", flush=True)
        for command in (["init"], ["demo"]):
            subprocess.run([*SHINCHOKU, *command], env=env, check=True, cwd=tmp, stdout=subprocess.DEVNULL)
        port = _free_port()
        log = Path(tmp) / "server.log"
        with log.open("wb") as out:
            serve = [*SHINCHOKU, "serve", "--host", HOST, "--port", str(port), "--workers", "2"]
            proc = subprocess.Popen(serve, env=env, cwd=tmp, stdout=out, stderr=subprocess.STDOUT)
        try:
            _wait_up(f"http://{HOST}:{port}/healthz", proc)
            for path in PATHS:  # warm every worker's cache a little; not measured
                urllib.request.urlopen(f"http://{HOST}:{port}{path}", timeout=30).read()
            workers = sorted(_children(proc.pid))
            victim = workers[0]
            sent: list[Sent] = []
            killed_at: list[float] = []

            async def load() -> None:
                loop = asyncio.get_running_loop()
                stop_at = time.monotonic() + seconds

                def kill() -> None:
                    killed_at.append(time.monotonic())
                    os.kill(victim, signal.SIGKILL)

                loop.call_later(seconds / 2, kill)
                await asyncio.gather(*(_client(i, port, stop_at, sent) for i in range(clients)))

            print(
                f"{clients} clients for {seconds:.0f} s; SIGKILL to worker {victim} at {seconds / 2:.0f} s", flush=True
            )
            asyncio.run(load())
            after = sorted(_children(proc.pid))
        finally:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        answered = {}
        for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith("{"):
                entry = json.loads(line)
                if str(entry.get("request_id", "")).startswith("fault-"):
                    answered[entry["request_id"]] = entry
    return _analyse(sent, answered, killed_at[0], victim, workers, after, clients, seconds)


def _analyse(
    sent: list[Sent],
    answered: dict,
    kill: float,
    victim: int,
    workers: list[int],
    after: list[int],
    clients: int,
    seconds: float,
) -> dict:
    failed = [s for s in sent if s.status != 200]
    # in flight at the kill and not answered by a living worker (the victim may have logged a response that
    # it never finished sending: the access line is written before gunicorn writes to the socket)
    on_victim = [
        s for s in failed if s.started < kill <= s.ended and answered.get(s.rid, {}).get("pid", victim) == victim
    ]
    survivor = next(pid for pid in workers if pid != victim)
    by_pid_after = Counter(
        answered[s.rid]["pid"] for s in sent if s.status == 200 and s.started >= kill and s.rid in answered
    )
    by_pid_before = Counter(answered[s.rid]["pid"] for s in sent if s.ended < kill and s.rid in answered)
    first_window = [s for s in sent if kill <= s.started < kill + 1.0 and s.status == 200]
    return {
        "clients": clients,
        "seconds": seconds,
        "requests": len(sent),
        "ok": len(sent) - len(failed),
        "errors": len(failed),
        "error_kinds": dict(Counter(s.error or str(s.status) for s in failed)),
        "errors_on_victim": len(on_victim),
        "errors_elsewhere": len(failed) - len(on_victim),
        "errors_elsewhere_detail": [
            (round(s.started - kill, 3), round(s.ended - kill, 3), s.error or s.status, s.path)
            for s in failed
            if s not in on_victim
        ],
        "victim": victim,
        "survivor": survivor,
        "answered_by_victim_after_kill": sum(
            1 for s in sent if s.started >= kill and answered.get(s.rid, {}).get("pid") == victim
        ),
        "answered_before_kill_by_pid": {str(pid): n for pid, n in by_pid_before.items()},
        "answered_after_kill_by_pid": {str(pid): n for pid, n in by_pid_after.items()},
        "in_flight_at_kill": sum(1 for s in sent if s.started < kill <= s.ended),
        "survivor_first_second": sum(1 for s in first_window if answered.get(s.rid, {}).get("pid") == survivor),
        "workers_before": workers,
        "workers_after": after,
        "rps_before_kill": sum(1 for s in sent if s.ended < kill and s.status == 200) / (seconds / 2),
        "rps_after_kill": sum(1 for s in sent if s.started >= kill and s.status == 200) / (seconds / 2),
    }


def report(d: dict) -> str:
    replacement = sorted(set(d["workers_after"]) - set(d["workers_before"]))
    only_victim = d["errors_elsewhere"] == 0 and d["answered_by_victim_after_kill"] == 0
    lines = [
        "| 項目 / item | 値 / value |",
        "|---|---|",
        f"| requests (32 clients, {d['seconds']:.0f} s, one connection each) | {d['requests']:,} |",
        f"| answered 200 | {d['ok']:,} |",
        f"| errors | {d['errors']} ({', '.join(f'{k} {v}' for k, v in d['error_kinds'].items()) or 'none'}) |",
        "| errors on the killed worker (in flight at the kill, not answered by a living worker) | "
        f"{d['errors_on_victim']} |",
        f"| errors anywhere else | {d['errors_elsewhere']} |",
        f"| errors only on the killed worker | {'yes' if only_victim else 'NO'} |",
        f"| answers from the surviving worker in the first second after the kill | {d['survivor_first_second']} |",
        f"| requests in flight (all workers) at the kill | {d['in_flight_at_kill']} |",
        f"| answers before / after the kill, by worker pid | {d['answered_before_kill_by_pid']} / "
        f"{d['answered_after_kill_by_pid']} |",
        f"| replacement worker booted by gunicorn | {', '.join(map(str, replacement)) or 'no'} |",
        f"| throughput before / after the kill (req/s) | {d['rps_before_kill']:.0f} / {d['rps_after_kill']:.0f} |",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = arguments(__doc__)
    p.add_argument("--seconds", type=float, default=10.0)
    p.add_argument("--clients", type=int, default=32)
    args = p.parse_args(argv)
    data = run(clients=args.clients, seconds=args.seconds)
    publish("fault", report(data), write=not args.no_docs)
    for detail in data["errors_elsewhere_detail"]:
        print("error not explained by the kill (start, end relative to the kill; kind; path):", detail)
    return 0 if data["errors_elsewhere"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
