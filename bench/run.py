"""Run the live benchmark: ``python -m bench.run --participants 50,200,500``.

For each async mode and each number of participants, a fresh production-like server
(``diagnostic serve``, its own database) is measured by ``bench.scenarios.run_suite``;
the figures go to ``<out>/results.json`` and a Markdown table to ``<out>/results.md``.
``--target peer`` measures the Node peer (``bench/peer/``) instead, ``--target both`` the
project's modes then the peer for each number of participants, back to back, and the
report gives the project's figures as ratios to the peer's. Only 127.0.0.1 is ever
targeted.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import platform
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from .cluster_server import ClusterServer
from .peer_server import PeerServer
from .peer_server import describe as describe_peer
from .report import markdown
from .scenarios import Options, run_suite
from .server import BenchServer
from .stats import load_average
from .swarm import run_generator

ROOT = Path(__file__).resolve().parent


def _numbers(text: str) -> list[float]:
    """``"5,10,20"`` → ``[5.0, 10.0, 20.0]``."""
    return [float(x) for x in text.split(",") if x.strip()]


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line (every default is the documented full run)."""
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__)
    parser.add_argument("--participants", default="50,200,500",
                        help="comma-separated numbers of participants (default 50,200,500)")
    parser.add_argument("--modes", default="threading,gevent,gevent-patched",
                        help="server modes to compare: threading, gevent (both plain "
                             "`diagnostic serve`), gevent-patched (monkey-patched first)")
    parser.add_argument("--target", choices=("project", "peer", "both"), default="project",
                        help="the project's server, the Node peer (bench/peer/, installed "
                             "with `npm ci --prefix bench/peer`), or both in the same run")
    parser.add_argument("--rates", default="5,10,20,50,100,200",
                        help="contributions/s of the successive steps")
    parser.add_argument("--step-seconds", type=float, default=10.0)
    parser.add_argument("--drain-seconds", type=float, default=5.0)
    parser.add_argument("--join-window", type=float, default=10.0,
                        help="seconds over which the N joins are spread")
    parser.add_argument("--processes", type=int, default=2,
                        help="generator processes holding the participants (the board "
                             "stays in the main process); see bench/workers.py")
    parser.add_argument("--database-url", default=None,
                        help="an EMPTY dedicated database (default: a fresh SQLite file)")
    parser.add_argument("--fresh-database", action="store_true",
                        help="drop and create --database-url's PostgreSQL database before "
                             "each run (a database of its own: never a shared one)")
    parser.add_argument("--message-queue", default=None,
                        help="a Redis URL for SOCKETIO_MESSAGE_QUEUE (rooms and presence "
                             "through Redis, as with several server processes)")
    parser.add_argument("--sqlite-wal", action="store_true",
                        help="put the SQLite file in WAL mode (an experiment; the app does not)")
    parser.add_argument("--snapshot", action="store_true",
                        help="serve the last commit (git archive HEAD), not the working tree")
    parser.add_argument("--max-load", type=float, default=0.7,
                        help="wait (up to --wait-quiet s) for the 1-min load average "
                             "to fall below this before each run")
    parser.add_argument("--wait-quiet", type=float, default=10.0)
    parser.add_argument("--out", default=str(ROOT / "results"))
    # -- several rooms, reconnections, several server processes (bench/rooms.py,
    # bench/cluster_server.py)
    parser.add_argument("--rooms", type=int, default=1,
                        help="workshops (rooms) the participants are spread over evenly")
    parser.add_argument("--rate-per-room", action="store_true",
                        help="each step's rate is per room (default: total for the server)")
    parser.add_argument("--reconnect-fraction", type=float, default=0.02,
                        help="participants that drop and reconnect (auth.last_seq) in "
                             "each step (0.02 = 10 of 500; 0 = none; always 0 with "
                             "--target both: the peer has no replay)")
    parser.add_argument("--offline-seconds", type=float, default=2.0,
                        help="how long a dropped participant stays away")
    parser.add_argument("--workers", type=int, default=0,
                        help="N > 0: N diagnostic-server (gevent) processes behind nginx "
                             "(needs --database-url and --message-queue; --modes ignored); "
                             "0: one server, direct")
    # -- end
    return parser.parse_args(argv)


def machine() -> dict[str, Any]:
    """What we measured on: CPUs, model, memory, Python."""
    cpuinfo = Path("/proc/cpuinfo").read_text()
    model = next((line.split(":", 1)[1].strip() for line in cpuinfo.splitlines()
                  if line.startswith("model name")), platform.processor())
    mem_kb = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text()
                  .splitlines() if line.startswith("MemTotal:"))
    return {"nproc": os.cpu_count(), "cpu_model": model, "memory_mb": mem_kb // 1024,
            "python": platform.python_version(), "kernel": platform.release()}


def code_under_test(snapshot: bool, tmp: Path) -> tuple[Path | None, dict[str, Any]]:
    """The code to serve (a ``git archive HEAD`` copy or the working tree) and its commit."""
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=ROOT.parent, capture_output=True,
                              text=True, check=True).stdout.strip()

    info = {"commit": git("rev-parse", "--short", "HEAD"), "snapshot": snapshot,
            "working_tree_dirty": bool(git("status", "--porcelain", "--untracked-files=no"))}
    if not snapshot:
        return None, info
    code = tmp / "code"
    code.mkdir()
    archive = subprocess.run(["git", "archive", "HEAD"], cwd=ROOT.parent, capture_output=True,
                             check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(code)], input=archive, check=True)
    return code, info


def wait_until_quiet(max_load: float, patience: float) -> list[float]:
    """Wait (bounded) for the machine to be quiet; returns the load average at start."""
    deadline = time.monotonic() + patience
    while load_average()[0] > max_load and time.monotonic() < deadline:
        time.sleep(5)
    return load_average()


PEER = "peer"  # the mode name of the Node peer's runs


def plan(args: argparse.Namespace) -> list[tuple[str, int]]:
    """The (mode, participants) runs in order: the project's modes one after the other;
    with ``--target both``, each number of participants's project modes then the peer."""
    counts = [int(n) for n in _numbers(args.participants)]
    modes = args.modes.split(",")
    if args.target == "project":
        return [(mode, n) for mode in modes for n in counts]
    if args.target == PEER:
        return [(PEER, n) for n in counts]
    return [(mode, n) for n in counts for mode in [*modes, PEER]]


def fresh_database(url: str) -> None:
    """Drop and create the PostgreSQL database of ``url`` (each run wants an empty one)."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from workshops.cluster import ensure_database

    target = make_url(url)
    if target.database in ("postgres", "template0", "template1", "test"):
        raise SystemExit(f"--fresh-database refuses to drop {target.database!r}")
    engine = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            name = target.database.replace('"', '""')
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        engine.dispose()
    ensure_database(url)


def run_one(mode: str, participants: int, args: argparse.Namespace, options: Options,
            workdir: Path, code: Path | None) -> dict[str, Any]:
    """One fresh server in ``mode`` (or the peer), measured with ``participants`` clients."""
    if args.fresh_database and args.database_url and mode != PEER:
        fresh_database(args.database_url)
    loadavg = wait_until_quiet(args.max_load, args.wait_quiet)
    extra = {"SOCKETIO_MESSAGE_QUEUE": args.message_queue} if args.message_queue else None
    if mode == PEER:
        server = PeerServer(workdir / f"{mode}-{participants}")
        # The peer has no replay: its phones stay connected (delivery compared, not recovery;
        # with --target both the project's do too).
        options = dataclasses.replace(options, reconnect_fraction=0.0)
    elif args.workers > 0:
        server = ClusterServer(workdir / f"{mode}-{participants}", args.workers,
                               args.database_url, args.message_queue, code=code)
    else:
        server = BenchServer(workdir / f"{mode}-{participants}", mode, args.database_url,
                             extra_env=extra, sqlite_wal=args.sqlite_wal, code=code)
    started = time.monotonic()
    try:
        seed = server.prepare_rooms(args.rooms)
        server.start()
        result = run_generator(run_suite(server, seed, participants, options))
    except Exception as error:  # record the failure and go on with the next run
        result = {"participants": participants, "error": f"{type(error).__name__}: {error}"}
    finally:
        cluster = server.figures() if isinstance(server, ClusterServer) else None
        server.stop()
        logs = Path(args.out) / "logs"
        logs.mkdir(exist_ok=True)
        if server.log.exists():  # kept for errors ("database is locked", tracebacks)
            shutil.copy(server.log, logs / f"{mode}-{participants}.log")
    if cluster:
        result["cluster"] = cluster  # how the load was spread over the processes
    result.update(mode=mode, target=PEER if mode == PEER else "project",
                  load_average_at_start=loadavg,
                  duration_s=round(time.monotonic() - started, 1))
    return result


def main(argv: list[str] | None = None) -> int:
    """Run every mode × participants combination and write the results."""
    args = parse_args(argv)
    options = Options(rates=tuple(_numbers(args.rates)), step_seconds=args.step_seconds,
                      drain_seconds=args.drain_seconds, join_window=args.join_window,
                      processes=args.processes,
                      # Beside the peer, which has no replay, the project's phones stay
                      # connected too: a reconnection's replay is work the peer never does.
                      reconnect_fraction=0.0 if args.target == "both"
                      else args.reconnect_fraction,
                      offline_seconds=args.offline_seconds, rate_per_room=args.rate_per_room)
    if args.workers > 0:  # one kind of server: N diagnostic-server processes behind nginx
        if not (args.database_url and args.message_queue):
            raise SystemExit("--workers needs --database-url and --message-queue")
        args.modes = f"cluster-{args.workers}"
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    report: dict[str, Any] = {
        "command": " ".join(["python -m bench.run", *map(shlex.quote, argv or sys.argv[1:])]),
        "started": time.strftime("%Y-%m-%d %H:%M:%S %z"), "machine": machine(),
        "database": ("custom URL" if args.database_url
                     else "SQLite file" + (" (WAL)" if args.sqlite_wal else ""))
        + (", Redis message queue" if args.message_queue else "")
        + (f", {args.workers} diagnostic-server processes behind nginx" if args.workers
           else ""),
        "generator_processes": args.processes, "target": args.target, "runs": [],
    }
    if args.target != "project":
        report["peer"] = describe_peer()
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        code, report["code"] = code_under_test(args.snapshot, Path(tmp))
        for mode, participants in plan(args):
            print(f"== {mode}, {participants} participants", flush=True)
            run = run_one(mode, participants, args, options, Path(tmp), code)
            report["runs"].append(run)
            print(json.dumps(run, indent=1)[:3000], flush=True)
            (out / "results.json").write_text(json.dumps(report, indent=2))
    (out / "results.md").write_text(markdown(report))
    print(f"Results: {out / 'results.json'} and {out / 'results.md'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
