"""Time the library network (issue 19): catalogue search over 1,000,000 records and
SIP2 checkouts from 50 kiosks at once.

Prints one JSON object per figure, as bench/run.py records them. A scratch
SQLite database in a temporary directory (or PostgreSQL when
EQUISERVE_BENCH_DATABASE_URL names an empty database) is migrated and filled
with 1,000,000 synthetic works with Chinese titles, authors and subjects.
Search: 300 queries (one or two Chinese words, an author, an ISBN) through the
page's selector (matches and their copies' counts), p50/p95. SIP2: the server
runs in its own process (`equiserve sip2 serve`); 50 threads, each a kiosk
with its own connection and login, check out their own copies and check each
back in, 0.5-1.5 s apart as a reader at a kiosk would; each checkout's round
trip is timed, p50/p99 (the aim). Then the same with no pause at all, which
only queues the kiosks behind one another: its p99 and throughput show the
server's capacity, with no aim.
"""

import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from figures import emitter  # bench/figures.py, beside this script

ROOT = Path(__file__).resolve().parents[1]
WORKS = int(os.environ.get("EQUISERVE_BENCH_LIBRARY_WORKS", 1_000_000))
QUERIES = 300
KIOSKS = 50
ROUNDS = 20  # checkouts per kiosk, each checked back in before the next
# A kiosk's reader takes 0.5-1.5 s between placing one book and the next.
PAUSE = (0.5, 1.5)
BENCH = "library"
WORK = Path(tempfile.mkdtemp(prefix="equiserve-bench-library-"))
os.environ["EQUISERVE_VAR"] = str(WORK / "var")
os.environ.pop("DATABASE_URL", None)
if os.environ.get("EQUISERVE_BENCH_DATABASE_URL"):
    os.environ["DATABASE_URL"] = os.environ["EQUISERVE_BENCH_DATABASE_URL"]
    BENCH = "library (PostgreSQL)"

CHARS = (
    "中山岭南香珠江侨乡文化历史民俗科技教育健康美食诗词小说散文经济发展生活"
    "农业医药法律计算机艺术音乐电影儿童故事研究方法理论实践城市社会管理设计"
)


emit = emitter(BENCH)


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def words(rng, n):
    return [rng.choice(CHARS) + rng.choice(CHARS) for _ in range(n)]


def build(rng) -> list[str]:
    from django.core.management import call_command
    from django.db import connection, transaction
    from stdnum import ean

    from equiserve.geography.services import geography_load_reference
    from equiserve.library.models import Library
    from equiserve.library.tokens import document

    call_command("migrate", interactive=False, verbosity=0)
    geography_load_reference()
    Library.objects.create(
        code="ZSLIB",
        name_zh="中山纪念图书馆",
        name_en="Zhongshan Library",
        kind="city",
        town_id="442000001",
    )
    vocabulary = words(rng, 3000)
    authors = [
        rng.choice("李王张刘陈杨黄赵吴周") + rng.choice(CHARS) + rng.choice(CHARS)
        for _ in range(20000)
    ]
    isbns = []
    start = time.perf_counter()
    sqlite = connection.vendor == "sqlite"
    marker = "?" if sqlite else "%s"
    sql = (
        "INSERT INTO library_work (isbn, title, author, publisher, year, subjects, "
        "source_format, control_number, search_tokens) VALUES "
        f"({marker}, {marker}, {marker}, '', '', {marker}, 'marc21', '', {marker})"
    )
    connection.ensure_connection()
    raw = connection.connection
    if sqlite:
        # Fill the table, then index it in one pass (FTS5 'rebuild') as a bulk
        # load would; the insert trigger is put back for the kiosks' writes.
        raw.execute("DROP TRIGGER library_work_fts_ai")
    batch = []
    for n in range(WORKS):
        body = f"978{n:09d}"
        isbn = body + ean.calc_check_digit(body)
        title = "".join(rng.sample(vocabulary, rng.randint(2, 4)))
        author = rng.choice(authors)
        subject = rng.choice(vocabulary)
        batch.append(
            (isbn, title, author, subject, document(title, author, subject, isbn))
        )
        if n % 1000 == 0:
            isbns.append(isbn)
        if len(batch) == 50_000 or n == WORKS - 1:
            with transaction.atomic(), connection.cursor() as cursor:
                (raw if sqlite else cursor).executemany(sql, batch)
            batch = []
    if sqlite:
        from importlib import import_module

        search_index = import_module("equiserve.library.migrations.0002_search_index")
        with transaction.atomic():
            raw.execute(
                "INSERT INTO library_work_fts(library_work_fts) VALUES ('rebuild')"
            )
            raw.execute(search_index.SQLITE[1])
    else:
        # Statistics after a bulk load, as a DBA would run it (autovacuum comes
        # later): without them the planner takes a common character for a rare one.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE library_work")
    emit(
        f"load {WORKS:,} works (with the full-text index)",
        time.perf_counter() - start,
        "s",
    )
    queries = []
    for n in range(QUERIES):
        kind = n % 4
        if kind == 0:
            queries.append(rng.choice(vocabulary))
        elif kind == 1:
            queries.append(rng.choice(vocabulary) + " " + rng.choice(vocabulary))
        elif kind == 2:
            queries.append(rng.choice(authors))
        else:
            queries.append(rng.choice(isbns))
    return queries


def bench_search(queries) -> None:
    from equiserve.library.selectors import work_results

    timings, found = [], 0
    for query in queries:
        start = time.perf_counter()
        found += bool(work_results(query))
        timings.append((time.perf_counter() - start) * 1000)
    emit(f"catalogue search over {WORKS:,} works, p50", percentile(timings, 50), "ms")
    emit(
        f"catalogue search over {WORKS:,} works, p95",
        percentile(timings, 95),
        "ms",
        "< 100 ms",
    )
    emit("queries with a match", found, f"of {len(queries)}")
    # One character (a surname, a word's last character) matches tens of
    # thousands of works: the page shows the first ones.
    timings = []
    for char in CHARS[:50]:
        start = time.perf_counter()
        work_results(char)
        timings.append((time.perf_counter() - start) * 1000)
    emit(
        f"one-character search over {WORKS:,} works, p95",
        percentile(timings, 95),
        "ms",
        "< 100 ms",
    )


def kiosk_data() -> None:
    import datetime as dt

    from django.contrib.auth.hashers import make_password

    from equiserve.library.models import Item, Library, Patron, Terminal, Work

    home = Library.objects.get(code="ZSLIB")
    works = list(Work.objects.order_by("id")[: KIOSKS * ROUNDS])
    Item.objects.bulk_create(
        [
            Item(barcode=f"B{n:06d}", work=w, home=home, location=home)
            for n, w in enumerate(works)
        ]
    )
    Patron.objects.bulk_create(
        [
            Patron(
                card=f"C{k:04d}", name="读者", home=home, issued_on=dt.date(2015, 1, 1)
            )
            for k in range(KIOSKS)
        ]
    )
    password = make_password("bench")
    Terminal.objects.bulk_create(
        [
            Terminal(login=f"k{k}", password_hash=password, library=home)
            for k in range(KIOSKS)
        ]
    )


def bench_sip2() -> None:
    from equiserve.library.sip2.codec import build, timestamp

    kiosk_data()
    from django.db import connection

    connection.close()
    server = subprocess.Popen(
        [sys.executable, "-m", "equiserve.cli", "sip2", "serve", "--port", "0"],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        cwd=ROOT,
    )
    try:
        port = int(server.stdout.readline().rsplit(":", 1)[1])
        lock = threading.Lock()
        barrier = threading.Barrier(KIOSKS)

        def ask(sock, message):
            sock.sendall(message.encode())
            data = b""
            while not data.endswith(b"\r"):
                chunk = sock.recv(4096)
                if not chunk:
                    raise ConnectionError("closed")
                data += chunk
            return data.decode()

        def kiosk(k, timings, errors, pause):
            own = []
            rng = random.Random(k)
            with socket.create_connection(("127.0.0.1", port)) as sock:
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                ask(
                    sock,
                    build(
                        "93",
                        ["0", "0"],
                        [("CN", f"k{k}"), ("CO", "bench"), ("CP", "")],
                        "0",
                    ),
                )
                barrier.wait()
                if pause:  # readers do not all arrive in the same millisecond
                    time.sleep(rng.uniform(0, pause[1]))
                for r in range(ROUNDS):
                    # A reader's book on the pad, then back in the return slot.
                    barcode = f"B{k * ROUNDS + r:06d}"
                    message = build(
                        "11",
                        ["N", "N", timestamp(), " " * 18],
                        [
                            ("AO", "ZS"),
                            ("AA", f"C{k:04d}"),
                            ("AB", barcode),
                            ("AC", ""),
                        ],
                        str(r % 10),
                    )
                    start = time.perf_counter()
                    answer = ask(sock, message)
                    own.append((time.perf_counter() - start) * 1000)
                    if not answer.startswith("121"):
                        errors.append(answer[:120])
                    if pause:
                        time.sleep(rng.uniform(*pause))
                    answer = ask(
                        sock,
                        build(
                            "09",
                            ["N", timestamp(), timestamp()],
                            [("AP", ""), ("AO", "ZS"), ("AB", barcode), ("AC", "")],
                            str(r % 10),
                        ),
                    )
                    if not answer.startswith("101"):
                        errors.append(answer[:120])
                    if pause:
                        time.sleep(rng.uniform(*pause))
            with lock:
                timings.extend(own)

        def run(pause):
            timings: list[float] = []
            errors: list[str] = []
            threads = [
                threading.Thread(target=kiosk, args=(k, timings, errors, pause))
                for k in range(KIOSKS)
            ]
            start = time.perf_counter()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            return timings, errors, time.perf_counter() - start

        paced, paced_errors, _ = run(PAUSE)
        flat, flat_errors, elapsed = run(None)
    finally:
        server.terminate()
        server.wait(10)
    for error in paced_errors + flat_errors:
        print("refused:", error)
    timings, errors = paced, paced_errors
    emit(
        f"SIP2 checkout round trip, {KIOSKS} kiosks at once, p50",
        percentile(timings, 50),
        "ms",
    )
    emit(
        f"SIP2 checkout round trip, {KIOSKS} kiosks at once, p99",
        percentile(timings, 99),
        "ms",
        "< 50 ms",
    )
    emit(
        "SIP2 checkouts and checkins refused",
        len(errors) + len(flat_errors),
        f"of {2 * (len(timings) + len(flat))}",
    )
    emit(
        f"SIP2 flat out (no pause), {KIOSKS} kiosks, checkout p99",
        percentile(flat, 99),
        "ms",
    )
    emit(
        f"SIP2 flat out (no pause), {KIOSKS} kiosks, checkouts and checkins per second",
        2 * len(flat) / elapsed,
        "/s",
    )


def main() -> int:
    sys.path.insert(0, str(ROOT / "src"))
    emit("load average at start (1 min)", os.getloadavg()[0])
    from equiserve.django_setup import setup_django

    setup_django()
    try:
        queries = build(random.Random(19))
        bench_search(queries)
        bench_sip2()
        emit("load average at end (1 min)", os.getloadavg()[0])
    finally:
        from django.db import connection

        connection.close()
        shutil.rmtree(WORK, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
