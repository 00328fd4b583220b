"""The load test's users (issue 21): persons list, cases list, one evaluation.

Run by bench/bench_serving.py against a server on 127.0.0.1 only. Every user
uses one API token of the demo office (BENCH_TOKEN) and asks without pause, so the
figures are the server's capacity, not a think time's.
"""

import json
import os
import sys
from pathlib import Path

from locust import FastHttpUser, constant, task

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_policy import HOUSEHOLD  # noqa: E402  the single case of issue 3

EVALUATION = json.dumps(HOUSEHOLD)


class ApiUser(FastHttpUser):
    """Locust's light client (geventhttpclient): the load generator shares the
    server's two cores, and python-requests' client cost it several times the CPU."""

    wait_time = constant(0)
    # One token for every user, issued before the timed run: signing in
    # (PBKDF2) is not part of the mix.
    default_headers = {"Authorization": f"Bearer {os.environ.get('BENCH_TOKEN', '')}"}

    @task
    def persons(self):
        self.client.get("/api/v1/persons", name="persons list")

    @task
    def cases(self):
        self.client.get("/api/v1/cases", name="cases list")

    @task
    def evaluation(self):
        self.client.post(
            "/api/v1/evaluate?explain=true&lang=en",
            data=EVALUATION,
            headers={"Content-Type": "application/json"},
            name="evaluate explain",
        )
