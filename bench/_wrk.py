"""Drive a load phase with wrk (Debian's `wrk` package) instead of Python threads.

On two cores, 50 Python client threads spend more CPU than the server they measure: the
bare Flask page's own p95 was 138 ms with them, so no server could show the 100 ms p95 goal.
wrk (C, epoll, two threads) costs a fraction of that. It replays the same weighted mix:
the URL list is drawn in Python from MIX (same seed), wrk's Lua script walks it, each
thread from its own offset, alternating Accept-Language, and prints its figures as JSON.
"""

from __future__ import annotations

import json
import random
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

SCRIPT = """
local paths = {%(paths)s}
local langs = {"es", "en"}
local counter = 0
setup = function(thread)
  thread:set("offset", counter * 7919)
  counter = counter + 1
end
local i = 0
init = function(args) i = offset or 0 end
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i %% #paths) + 1], {["Accept-Language"] = langs[(i %% 2) + 1]})
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests": %%d, "duration_us": %%d, "connect": %%d, "read": %%d, ' ..
    '"write": %%d, "status": %%d, "timeout": %%d, "p50": %%d, "p95": %%d, "p99": %%d}\\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
"""


def available() -> bool:
    """Whether wrk is installed (`apt-get install wrk`)."""
    return shutil.which("wrk") is not None


@dataclass
class WrkPhase:
    """What one wrk phase measured (the same report as load.Phase)."""

    name: str
    clients: int
    seconds: float = 0.0
    requests: int = 0
    p50: float = 0.0
    p95: float = 0.0
    p99: float = 0.0
    errors: dict[str, int] = field(default_factory=dict)
    retries: int = 0  # wrk reconnects on its own; kept for load.py's report

    def throughput(self) -> float:
        """Requests per second."""
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        """The p-th latency in milliseconds (50th, 95th or 99th)."""
        return {0.50: self.p50, 0.95: self.p95, 0.99: self.p99}[p]

    def report(self) -> str:
        """A one-line summary."""
        errors = sum(self.errors.values())
        return (
            f"{self.name:<9} clients={self.clients:<3} requests={self.requests:<7} "
            f"errors={errors:<4} throughput={self.throughput():7.1f} req/s  "
            f"p50={self.p50:6.1f} ms  p95={self.p95:6.1f} ms  p99={self.p99:6.1f} ms  (wrk)"
            + (f"  {self.errors}" if errors else "")
        )


def weighted_paths(urls: dict[str, list[str]], mix: tuple, count: int = 3000) -> list[str]:
    """`count` URLs drawn like load.client draws them (same weights, fixed seed)."""
    rng = random.Random(0)
    kinds = [kind for weight, kind in mix for _ in range(weight)]
    return [rng.choice(urls[rng.choice(kinds)]) for _ in range(count)]


def run(
    name: str, port: int, paths: list[str], clients: int, seconds: float, threads: int = 2
) -> WrkPhase:
    """Run wrk against 127.0.0.1:port for `seconds` with `clients` keep-alive connections."""
    lua = SCRIPT % {"paths": ", ".join(json.dumps(p) for p in paths)}
    with tempfile.TemporaryDirectory(prefix="bench-wrk-") as tmp:
        script = Path(tmp) / "mix.lua"
        script.write_text(lua)
        command = ["wrk", "-t", str(min(threads, clients)), "-c", str(clients)]
        command += ["-d", f"{max(1, round(seconds))}s", "--timeout", "10s", "-s", str(script)]
        command.append(f"http://127.0.0.1:{port}")
        done = subprocess.run(command, capture_output=True, text=True, check=False)
    line = next((x for x in done.stdout.splitlines() if x.startswith("WRKJSON ")), None)
    if line is None:
        raise SystemExit(f"wrk failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    figures = json.loads(line.removeprefix("WRKJSON "))
    errors = {
        kind: figures[kind]
        for kind in ("connect", "read", "write", "status", "timeout")
        if figures[kind]
    }
    return WrkPhase(
        name=name,
        clients=clients,
        seconds=figures["duration_us"] / 1e6,
        requests=figures["requests"],
        p50=figures["p50"] / 1000,
        p95=figures["p95"] / 1000,
        p99=figures["p99"] / 1000,
        errors=errors,
    )
