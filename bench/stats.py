"""Small measuring helpers: percentiles and CPU meters for the generator and the server."""

from __future__ import annotations

import math
import os
import resource
import time
from collections.abc import Callable, Sequence
from pathlib import Path


def percentiles(samples: Sequence[float]) -> dict[str, float | int | None]:
    """p50, p95, p99 and max of ``samples`` in milliseconds (nearest-rank), plus the count."""
    if not samples:
        return {"n": 0, "p50_ms": None, "p95_ms": None, "p99_ms": None, "max_ms": None}
    ordered = sorted(samples)

    def rank(p: float) -> float:
        """The nearest-rank percentile ``p`` of the ordered samples, in ms."""
        index = max(0, math.ceil(p / 100 * len(ordered)) - 1)
        return round(ordered[index] * 1000, 2)

    return {"n": len(ordered), "p50_ms": rank(50), "p95_ms": rank(95), "p99_ms": rank(99),
            "max_ms": round(ordered[-1] * 1000, 2)}


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def process_cpu_seconds(pid: int) -> float:
    """User + system CPU time process ``pid`` has used so far (0 once it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except FileNotFoundError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def own_cpu_seconds() -> float:
    """User + system CPU time used so far by this (load generator) process."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class CpuMeter:
    """CPU used by the generator and the server over a phase, as % of one core."""

    def __init__(self, server_cpu: Callable[[], float],
                 generator_cpu: Callable[[], float] = own_cpu_seconds) -> None:
        self.server_cpu = server_cpu
        self.generator_cpu = generator_cpu
        self.start()

    def start(self) -> None:
        """Start (or restart) the phase now."""
        self.wall = time.monotonic()
        self.own = self.generator_cpu()
        self.server = self.server_cpu()

    def read(self) -> dict[str, float]:
        """The CPU percentages since ``start`` (100 = one core busy the whole time)."""
        wall = max(time.monotonic() - self.wall, 1e-6)
        return {
            "wall_s": round(wall, 2),
            "generator_cpu_pct": round(100 * (self.generator_cpu() - self.own) / wall, 1),
            "server_cpu_pct": round(100 * (self.server_cpu() - self.server) / wall, 1),
        }


def load_average() -> list[float]:
    """The machine's 1, 5 and 15 minute load averages."""
    return [round(x, 2) for x in os.getloadavg()]
