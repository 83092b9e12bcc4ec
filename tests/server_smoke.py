"""Migrations and an API smoke run against a PostgreSQL server given by URL.

Used by ``make test-server`` (and CI) so the path through an external server
is exercised end to end, not only the embedded one: a fresh database is made,
``mdr db upgrade`` runs, ``mdr serve`` starts, ``/readyz`` must answer 200.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import httpx

from tests.conftest import drop_database, recreate_database
from tests.helpers import clean_env, free_port


def main() -> int:
    admin = os.environ.get("SERVER_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
    url = recreate_database(admin, "mdr_ci_smoke")
    env = clean_env(MDR_DATABASE_URL=url)
    mdr = [sys.executable, "-m", "mdr.cli.main"]
    try:
        subprocess.run([*mdr, "db", "upgrade"], env=env, check=True, timeout=120)
        port = free_port()
        server = subprocess.Popen([*mdr, "serve", "--port", str(port), "--workers", "2"], env=env)
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    response = httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=1)
                    if response.status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if time.monotonic() > deadline or server.poll() is not None:
                    print("server smoke: API not ready within 30 s", file=sys.stderr)
                    return 1
                time.sleep(0.3)
            problem = httpx.get(f"http://127.0.0.1:{port}/no-such-route")
            assert problem.status_code == 404
            assert problem.headers["content-type"] == "application/problem+json"
            print(f"server smoke: migrated and ready on {admin.rsplit('@', 1)[-1]}")
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(30)
    finally:
        drop_database(admin, "mdr_ci_smoke")
    return 0


if __name__ == "__main__":
    sys.exit(main())
