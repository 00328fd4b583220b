"""Run every benchmark (bench/bench_*.py) and record the figures in docs/PERFORMANCE.md.

Each benchmark is a script run in its own process (so peak memory is its own).
Those that also run on PostgreSQL (POSTGRES_BENCHMARKS) run a second time against
a new empty database of the server at EQUISERVE_BENCH_POSTGRES (default: the
local server, user postgres) when it answers; their figures are kept apart. It
prints result lines as JSON objects: {"bench": ..., "metric": ..., "value": ...,
"unit": ..., "aim": ...}; other output is shown but not recorded. The table between
the markers in docs/PERFORMANCE.md is replaced; the prose around it is kept.
"""

import datetime as dt
import json
import os
import platform
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REPORT = ROOT / "docs" / "PERFORMANCE.md"
# Every figure ever recorded, keyed by benchmark and metric; a rerun replaces its own.
STORE = ROOT / "docs" / "performance.json"
BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"
# Benchmarks that take EQUISERVE_BENCH_DATABASE_URL (an empty PostgreSQL database).
POSTGRES_BENCHMARKS = ("bench_library", "bench_monitoring")
POSTGRES = os.environ.get(
    "EQUISERVE_BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres"
)


@contextmanager
def postgres_database():
    """Yield the URL of a new empty PostgreSQL database, dropped after; None
    when no server answers at POSTGRES."""
    try:
        import psycopg

        server = psycopg.connect(POSTGRES, connect_timeout=3, autocommit=True)
    except Exception as error:  # no driver, no server: the SQLite figures only
        print(f"   PostgreSQL does not answer ({error}): skipped", flush=True)
        yield None
        return
    name = f"equiserve_bench_{os.getpid()}"
    with server:
        server.execute(f'CREATE DATABASE "{name}"')
        try:
            yield POSTGRES.rsplit("/", 1)[0] + "/" + name
        finally:
            server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run_benchmark(script: Path, database_url: str | None = None) -> list[dict]:
    print(f"== {script.name}" + (" (PostgreSQL)" if database_url else ""), flush=True)
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    env.pop("EQUISERVE_BENCH_DATABASE_URL", None)
    if database_url:
        env["EQUISERVE_BENCH_DATABASE_URL"] = database_url
    process = subprocess.run(
        [sys.executable, str(script)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
    )
    results = []
    for line in process.stdout.splitlines():
        print(f"   {line}")
        if line.startswith("{"):
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                continue
            if {"bench", "metric", "value"} <= record.keys():
                results.append(record)
    if process.returncode != 0:
        print(process.stderr[-4000:], file=sys.stderr)
        results.append(
            {
                "bench": script.stem + (" (PostgreSQL)" if database_url else ""),
                "metric": "failed",
                "value": process.returncode,
            }
        )
    return results


def machine() -> str:
    memory_gib = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{os.cpu_count()} cores, {memory_gib:.0f} GiB, {platform.machine()}, "
        f"Python {platform.python_version()}"
    )


def table(results: list[dict]) -> str:
    lines = [
        f"Recorded by `make bench` on {machine()}.",
        "",
        "| benchmark | metric | value | unit | aim | recorded |",
        "|---|---|---:|---|---|---|",
    ]
    for record in results:
        value = record["value"]
        shown = f"{value:,.3f}" if isinstance(value, float) else f"{value:,}"
        lines.append(
            f"| {record['bench']} | {record['metric']} | {shown} | "
            f"{record.get('unit', '')} | {record.get('aim', '')} | "
            f"{record.get('recorded', '')} |"
        )
    return "\n".join(lines)


def merged(results: list[dict]) -> list[dict]:
    stored = json.loads(STORE.read_text()) if STORE.exists() else []
    fresh = {(r["bench"], r["metric"]) for r in results}
    kept = [r for r in stored if (r["bench"], r["metric"]) not in fresh]
    today = dt.date.today().isoformat()
    combined = kept + [{**r, "recorded": today} for r in results]
    combined.sort(key=lambda r: (r["bench"], r["metric"]))
    STORE.write_text(json.dumps(combined, indent=1, ensure_ascii=False) + "\n")
    return combined


def record(results: list[dict]) -> None:
    results = merged(results)
    text = REPORT.read_text(encoding="utf-8") if REPORT.exists() else ""
    block = f"{BEGIN}\n{table(results)}\n{END}"
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        text = head + block + rest.split(END, 1)[1]
    else:
        text = text + "\n" + block + "\n"
    REPORT.write_text(text, encoding="utf-8")


def main() -> int:
    selected = sys.argv[1:]
    scripts = sorted((ROOT / "bench").glob("bench_*.py"))
    if selected:
        scripts = [s for s in scripts if any(name in s.stem for name in selected)]
    results = []
    for script in scripts:
        results += run_benchmark(script)
        if script.stem in POSTGRES_BENCHMARKS:
            with postgres_database() as url:
                if url:
                    results += run_benchmark(script, url)
    record(results)
    print(f"recorded {len(results)} figures in {REPORT.relative_to(ROOT)}")
    return 1 if any(r["metric"] == "failed" for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
