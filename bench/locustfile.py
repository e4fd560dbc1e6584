"""Load for `make bench-load`: anonymous visitors reading the public pages that bench/load.py lists."""

import json
import os

from locust import HttpUser, between, task

PATHS = json.loads(os.environ["FORUM_LOAD_PATHS"])


class Visitor(HttpUser):
    wait_time = between(0.05, 0.2)

    @task
    def read_pages(self) -> None:
        for name, path in PATHS:
            self.client.get(path, name=name)
