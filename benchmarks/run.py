#!/usr/bin/env python3
"""line_braze benchmarks: one command, a table, a JSON of results.

    python3 benchmarks/run.py            # the full run (under 10 minutes on 2 cores)
    python3 benchmarks/run.py --quick    # fewer sizes and repeats, about a minute

It makes (or reuses) a throwaway virtual environment ``.venv-bench`` beside pyproject.toml,
installs this checkout into it with the official LINE SDK (``line-bot-sdk``), and runs every
measurement in fresh processes (see ``workloads.py``): the emulators in server processes of
their own, each client as a whole process timed from start to exit. Figures are medians;
ratios compare runs made side by side in this one run. Results go to
``.venv-bench/results.json``. Only the standard library is used here.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import time
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
VENV = ROOT / ".venv-bench"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / ("python.exe" if os.name == "nt" else "python")
WORKLOADS = HERE / "workloads.py"
RESULTS = VENV / "results.json"
#: What the benchmark environment holds besides this checkout.
REQUIREMENTS = ["line-bot-sdk", "hatchling"]

IMPORTS = {
    "bare interpreter": "pass",
    "requests, attrs, cattrs": "import requests, attrs, cattrs",
    "import line_braze": "import line_braze",
    "from line_braze import LineClient, BrazeClient, Integration": (
        "from line_braze import LineClient, BrazeClient, Integration"
    ),
    "import linebot.v3.messaging": "import linebot.v3.messaging",
}

PAGE = 1000
#: Children run as a user's Python would: writing bytecode caches, no PYTHON* overrides.
ENV = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}


# -- environment --------------------------------------------------------------------------


def _pip(*args: str) -> None:
    cmd = [str(PY), "-m", "pip", "--disable-pip-version-check", "--quiet", *args]
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode:
        sys.stderr.write(done.stdout + done.stderr)
        sys.exit(f"pip failed: {' '.join(args)}")


def _tree_hash() -> str:
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes())
    for path in sorted((ROOT / "src").rglob("*.py")):
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def ensure_env() -> None:
    """Create .venv-bench with line-bot-sdk, and (re)install this checkout when it changed."""
    if not PY.exists():
        print("creating .venv-bench ...", flush=True)
        try:
            venv.EnvBuilder(with_pip=True).create(VENV)
        except (OSError, subprocess.CalledProcessError):
            sys.exit("could not create .venv-bench with pip (Debian: apt-get install python3-venv)")
    # A .gitignore inside keeps the environment out of git wherever the checkout lives.
    (VENV / ".gitignore").write_text("*\n")
    deps_stamp = VENV / ".deps-stamp"
    want = " ".join(REQUIREMENTS)
    if not deps_stamp.exists() or deps_stamp.read_text() != want:
        print(f"installing {want} into .venv-bench ...", flush=True)
        _pip("install", *REQUIREMENTS)
        deps_stamp.write_text(want)
    tree_stamp = VENV / ".tree-stamp"
    tree = _tree_hash()
    if not tree_stamp.exists() or tree_stamp.read_text() != tree:
        print("installing this checkout into .venv-bench ...", flush=True)
        # A regular (not editable) install, as a user has it; dependencies resolved too.
        _pip("install", "--no-build-isolation", "--force-reinstall", "--no-deps", ".")
        _pip("install", "--no-build-isolation", ".")
        tree_stamp.write_text(tree)


# -- processes ----------------------------------------------------------------------------


def timed(args: list[str]) -> tuple[float, dict]:
    """Run one workload process; return its wall time (start to exit) and its JSON line."""
    t0 = time.perf_counter()
    done = subprocess.run(
        [str(PY), str(WORKLOADS), *args], capture_output=True, text=True, check=False, env=ENV
    )
    wall = time.perf_counter() - t0
    if done.returncode:
        sys.stderr.write(done.stderr)
        raise RuntimeError(f"workload {args[0]} failed with exit code {done.returncode}")
    return wall, json.loads(done.stdout.strip().splitlines()[-1])


class Server:
    """An emulator in a process of its own; `stats` asks it for its counters."""

    def __init__(self, *args: str) -> None:
        self.proc = subprocess.Popen(
            [str(PY), str(WORKLOADS), "serve", *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=ENV,
        )
        self.url = self._read()["url"]

    def _read(self) -> dict:
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError("emulator process ended before answering")
        return json.loads(line)

    def stats(self) -> dict:
        assert self.proc.stdin is not None
        self.proc.stdin.write("stats\n")
        self.proc.stdin.flush()
        return self._read()

    def close(self) -> None:
        if self.proc.poll() is None and self.proc.stdin is not None:
            self.proc.stdin.write("quit\n")
            self.proc.stdin.close()
        self.proc.wait(timeout=30)

    def __enter__(self):
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def median(values: list[float]) -> float:
    return statistics.median(values)


# -- measurements -------------------------------------------------------------------------


def bench_imports(reps: int) -> dict:
    """Whole-process `python -c CODE` times, interleaved round by round."""
    times: dict[str, list[float]] = {name: [] for name in IMPORTS}
    for code in IMPORTS.values():  # warm the bytecode caches
        subprocess.run([str(PY), "-c", code], check=True, env=ENV)
    for _ in range(reps):
        for name, code in IMPORTS.items():
            t0 = time.perf_counter()
            subprocess.run([str(PY), "-c", code], check=True, env=ENV)
            times[name].append(time.perf_counter() - t0)
    return {name: {"median_s": median(t), "runs_s": t} for name, t in times.items()}


def sync_variants(quick: bool, latency: float = 0) -> dict[str, list[str]]:
    if quick or latency > 20:
        variants = {
            "line_braze (max_concurrency=16, default)": ["sync-line-braze", "--concurrency", "16"],
            "pure: http.client, 16 threads": ["sync-pure", "--concurrency", "16"],
            "peer: linebot.v3 + requests": ["sync-peer"],
        }
        if quick:
            del variants["pure: http.client, 16 threads"]
        return variants
    if quick:
        return {
            "line_braze (max_concurrency=16, default)": ["sync-line-braze", "--concurrency", "16"],
            "peer: linebot.v3 + requests": ["sync-peer"],
        }
    return {
        "line_braze (max_concurrency=16, default)": ["sync-line-braze", "--concurrency", "16"],
        "line_braze (max_concurrency=8)": ["sync-line-braze", "--concurrency", "8"],
        "line_braze (max_concurrency=32)": ["sync-line-braze", "--concurrency", "32"],
        "pure: http.client, 16 threads": ["sync-pure", "--concurrency", "16"],
        "peer: linebot.v3 + requests": ["sync-peer"],
    }


def run_sync(name: str, args: list[str], line: Server, braze: Server, n: int) -> dict:
    """Run one sync process and check that Braze received exactly N profiles."""
    cmd, *rest = args
    before = braze.stats()["attributes_processed"]
    wall, out = timed([cmd, line.url, braze.url, *rest])
    after = braze.stats()["attributes_processed"]
    if after - before != n or out["profiles_written"] != n or out["followers_read"] != n:
        raise RuntimeError(
            f"{name}: invalid run: Braze processed {after - before}, client wrote "
            f"{out['profiles_written']}, read {out['followers_read']}, expected {n}"
        )
    out["wall_s"] = wall
    return out


def bench_sync(configs: list[tuple[int, float]], reps: int, quick: bool) -> dict:
    """Sync ``n`` followers at ``latency`` ms for each config, variants side by side."""
    results: dict = {}
    for n, latency in configs:
        variants = sync_variants(quick, latency)
        key = f"{n}@{latency:g}ms"
        print(f"  sync {n:,} followers at {latency:g} ms ...", flush=True)
        runs: dict[str, list[dict]] = {name: [] for name in variants}
        with (
            Server("line", str(n), str(latency)) as line,
            Server("braze", str(latency)) as braze,
        ):
            for _ in range(reps):
                for name, args in variants.items():
                    runs[name].append(run_sync(name, args, line, braze, n))
        results[key] = {
            "followers": n,
            "latency_ms": latency,
            "pages": math.ceil(n / PAGE),
            "variants": {
                name: {
                    "median_s": median([r["wall_s"] for r in rs]),
                    "runs_s": [r["wall_s"] for r in rs],
                    "requests": rs[0]["requests"],
                    "rate_limit_waited_s": max(r.get("rate_limit_waited", 0.0) for r in rs),
                    "maxrss_kb": max(r["maxrss_kb"] for r in rs),
                }
                for name, rs in runs.items()
            },
        }
    return results


def bench_rss(sizes: list[int]) -> dict:
    results = {}
    for n in sizes:
        print(f"  peak RSS of a sync of {n:,} followers ...", flush=True)
        with Server("line", str(n), "0") as line, Server("braze", "0") as braze:
            out = run_sync("rss", ["sync-line-braze"], line, braze, n)
        results[str(n)] = {
            "followers": n,
            "maxrss_kb": out["maxrss_kb"],
            "wall_s": out["wall_s"],
            "rate_limit_waited_s": out["rate_limit_waited"],
        }
    return results


def bench_webhooks(bodies: int, reps: int) -> dict:
    """Events per second through each webhook handler, against a loopback Braze."""
    variants = {
        "line_braze Integration.handle_webhook": ["webhook-line-braze"],
        "linebot.v3 WebhookParser + one /users/track post": ["webhook-peer"],
    }
    runs: dict[str, list[dict]] = {name: [] for name in variants}
    with Server("braze", "0") as braze:
        for _ in range(reps):
            for name, (cmd, *rest) in variants.items():
                _, out = timed([cmd, braze.url, str(bodies), *rest])
                runs[name].append(out)
    return {
        name: {
            "bodies": bodies,
            "events": rs[0]["events"],
            "events_per_s_median": median([r["events_per_s"] for r in rs]),
            "cpu_ms_per_body_median": median([r["cpu_ms_per_body"] for r in rs]),
            "events_per_s_runs": [r["events_per_s"] for r in rs],
        }
        for name, rs in runs.items()
    }


def bench_push(count: int, reps: int) -> dict:
    variants = {
        "line_braze LineClient.messages.push": ["push-line-braze"],
        "linebot.v3 MessagingApi.push_message": ["push-peer"],
    }
    runs: dict[str, list[dict]] = {name: [] for name in variants}
    with Server("line", "1", "0") as line:
        for _ in range(reps):
            for name, (cmd, *rest) in variants.items():
                _, out = timed([cmd, line.url, str(count), *rest])
                runs[name].append(out)
    return {
        name: {
            "pushes": count,
            "cpu_ms_median": median([r["cpu_per_push_ms"] for r in rs]),
            "wall_ms_median": median([r["wall_per_push_ms"] for r in rs]),
            "cpu_ms_runs": [r["cpu_per_push_ms"] for r in rs],
        }
        for name, rs in runs.items()
    }


# -- report -------------------------------------------------------------------------------


def machine() -> dict:
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions = subprocess.run(
        [
            str(PY),
            "-c",
            (
                "import importlib.metadata as m, platform; "
                "print(platform.python_version(), m.version('line-braze'), "
                "m.version('line-bot-sdk'), m.version('requests'), m.version('pydantic'))"
            ),
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return {
        "date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": model,
        "cores": os.cpu_count(),
        "os": f"{platform.system()} {platform.release()}",
        "python": versions[0],
        "line_braze": versions[1],
        "line_bot_sdk": versions[2],
        "requests": versions[3],
        "pydantic": versions[4],
    }


def ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}x" if b > 0 else "n/a"


def report(res: dict) -> str:  # noqa: C901, PLR0912, PLR0915
    out: list[str] = []
    m = res["machine"]
    out.append(
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['os']}, Python {m['python']}; "
        f"line_braze {m['line_braze']}, line-bot-sdk {m['line_bot_sdk']}; {m['date']}"
    )
    imports = res.get("imports")
    deps_s = None
    if imports:
        bare = imports["bare interpreter"]["median_s"]
        deps_s = imports["requests, attrs, cattrs"]["median_s"]
        sdk = imports["import linebot.v3.messaging"]["median_s"]
        out += ["", "### Import (whole process, median ms)", ""]
        out.append("| command | median | minus bare interpreter | vs deps | vs linebot.v3 |")
        out.append("|---|---:|---:|---:|---:|")
        for name, r in imports.items():
            t = r["median_s"]
            if name == "bare interpreter":
                out.append(f"| `python -c pass` | {t * 1000:.0f} | - | - | - |")
                continue
            net = t - bare
            vs_deps = f"{ratio(t, deps_s)} ({ratio(net, deps_s - bare)} net)"
            vs_sdk = f"{sdk / t:.1f}x faster ({(sdk - bare) / net:.1f}x net)" if net > 0 else "-"
            out.append(f"| `{name}` | {t * 1000:.0f} | {net * 1000:.0f} | {vs_deps} | {vs_sdk} |")
    sync = res.get("sync")
    if sync:
        out += ["", "### Follower sync to Braze (whole process, median s)", ""]
        out.append("| followers | latency | client | median s | requests | vs peer | vs floor |")
        out.append("|---:|---:|---|---:|---:|---:|---:|")
        for r in sync.values():
            n, lat = r["followers"], r["latency_ms"]
            floor = r["pages"] * lat / 1000 + lat / 1000 + (deps_s or 0.0)
            r["floor_s"] = floor
            peer = r["variants"]["peer: linebot.v3 + requests"]["median_s"]
            for name, v in r["variants"].items():
                t = v["median_s"]
                vs_peer = f"{peer / t:.1f}x faster" if not name.startswith("peer") else "1x"
                out.append(
                    f"| {n:,} | {lat:g} ms | {name} | {t:.2f} | {v['requests']:,} | {vs_peer} "
                    f"| {ratio(t, floor)} |"
                )
            out.append(
                f"| {n:,} | {lat:g} ms | floor: {r['pages']} pages x {lat:g} ms + 1 Braze "
                f"round trip + deps import | {floor:.2f} | - | - | 1x |"
            )
    rss = res.get("rss")
    if rss:
        out += ["", "### Peak RSS of a sync (line_braze, 0 ms, default options)", ""]
        out.append("| followers | peak RSS MB | wall s |")
        out.append("|---:|---:|---:|")
        for r in rss.values():
            out.append(f"| {r['followers']:,} | {r['maxrss_kb'] / 1024:.1f} | {r['wall_s']:.1f} |")
        if "30000" in rss and "300000" in rss:
            growth = (rss["300000"]["maxrss_kb"] - rss["30000"]["maxrss_kb"]) / 1024
            out.append(f"\nGrowth from 30,000 to 300,000 followers: {growth:.1f} MB")
    push = res.get("push")
    if push:
        out += ["", "### CPU per push at 0 ms (median of processes)", ""]
        out.append("| client | CPU ms / push | wall ms / push |")
        out.append("|---|---:|---:|")
        for name, r in push.items():
            out.append(f"| {name} | {r['cpu_ms_median']:.3f} | {r['wall_ms_median']:.3f} |")
        a = push["line_braze LineClient.messages.push"]["cpu_ms_median"]
        b = push["linebot.v3 MessagingApi.push_message"]["cpu_ms_median"]
        out.append(f"\nline_braze uses {ratio(a, b)} the official SDK's CPU per push.")
    hooks = res.get("webhooks")
    if hooks:
        out += ["", "### Webhook handling at 0 ms (median of processes)", ""]
        out.append("| handler | events / s | CPU ms / body |")
        out.append("|---|---:|---:|")
        for name, r in hooks.items():
            out.append(
                f"| {name} | {r['events_per_s_median']:,.0f} | {r['cpu_ms_per_body_median']:.3f} |"
            )
        a = hooks["line_braze Integration.handle_webhook"]["events_per_s_median"]
        b = hooks["linebot.v3 WebhookParser + one /users/track post"]["events_per_s_median"]
        out.append(f"\nline_braze handles {ratio(a, b)} the events per second of the peer.")
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer sizes and repeats")
    parser.add_argument(
        "--only",
        action="append",
        choices=["imports", "sync", "rss", "push", "webhooks"],
        help="run only these measurements (repeatable)",
    )
    args = parser.parse_args()
    only = set(args.only or ["imports", "sync", "rss", "push", "webhooks"])
    t0 = time.perf_counter()
    ensure_env()
    res: dict = {"machine": machine(), "quick": args.quick}
    if "imports" in only or "sync" in only:
        print("import times ...", flush=True)
        res["imports"] = bench_imports(5 if args.quick else 11)
    if "sync" in only:
        print("follower syncs ...", flush=True)
        if args.quick:
            res["sync"] = bench_sync([(20_000, 0), (20_000, 20)], reps=1, quick=True)
        else:
            configs = [(20_000, 0), (20_000, 20), (20_000, 50), (20_000, 100), (100_000, 20)]
            res["sync"] = bench_sync(configs, reps=3, quick=False)
    if "rss" in only:
        print("peak RSS ...", flush=True)
        sizes = [30_000, 300_000] if args.quick else [30_000, 300_000, 1_000_000]
        res["rss"] = bench_rss(sizes)
    if "push" in only:
        print("CPU per push ...", flush=True)
        res["push"] = bench_push(500 if args.quick else 2000, 1 if args.quick else 3)
    if "webhooks" in only:
        print("webhook handling ...", flush=True)
        res["webhooks"] = bench_webhooks(200 if args.quick else 1000, 1 if args.quick else 3)
    res["total_s"] = time.perf_counter() - t0
    table = report(res)
    res["table"] = table
    RESULTS.write_text(json.dumps(res, indent=2))
    print()
    print(table)
    print(f"\n(total {res['total_s']:.0f} s; results in .venv-bench/results.json)")


if __name__ == "__main__":
    main()
