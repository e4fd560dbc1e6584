"""Throughput of the whole app under gunicorn: `make bench-load` (locust, headless, 20 users, 60 s, local only).

It generates the data set (as `make bench` does), serves it with gunicorn on a free local port, runs locust
against the public main pages, and reports requests per second and the error rate, which must be 0.
Results go to bench/results/load-<database>-<scale>.json.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.run import prepare_app
from bench.server import ROOT, gunicorn


def run(scale: str, users: int, seconds: int) -> int:
    app, database, _summary = prepare_app(scale)
    from bench.pages import main_pages

    with app.app_context():
        paths = [(name, path) for name, path, email in main_pages(app) if email is None]
    env = {"FORUM_LOAD_PATHS": json.dumps(paths)}
    out_dir = Path(tempfile.mkdtemp(prefix="forum-load-"))
    with gunicorn(workers=2, env=env) as base:
        subprocess.run(  # noqa: S603 - fixed arguments
            [str(Path(sys.executable).parent / "locust"), "-f", str(ROOT / "bench" / "locustfile.py"), "--headless",
             "--users", str(users), "--spawn-rate", str(users), "--run-time", f"{seconds}s",
             "--host", base, "--csv", str(out_dir / "load"), "--only-summary"],
            cwd=ROOT, env={**os.environ, **env}, check=False,
        )
    with open(out_dir / "load_stats.csv", newline="") as handle:
        total = next(row for row in csv.DictReader(handle) if row["Name"] == "Aggregated")
    requests = int(total["Request Count"])
    failures = int(total["Failure Count"])
    result = {
        "database": database,
        "scale": scale,
        "users": users,
        "seconds": seconds,
        "requests": requests,
        "requests_per_second": round(float(total["Requests/s"]), 1),
        "error_rate": round(failures / requests, 4) if requests else 1.0,
        "median_ms": float(total["Median Response Time"]),
        "p95_ms": float(total["95%"]),
    }
    out = ROOT / "bench" / "results" / f"load-{database}-{scale}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))
    if failures or not requests:
        print(f"FAILED: {failures} of {requests} requests failed")
        return 1
    return 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=["small", "large"], default="large")
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=60)
    args = parser.parse_args()
    sys.exit(run(args.scale, args.users, args.seconds))


if __name__ == "__main__":
    main()
