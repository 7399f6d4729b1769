"""The README's backup recipe, run: pg_dump of the database and a tar of the uploaded files,
restored into a fresh database and a fresh directory, give the same results and warnings
checksums (bench.runner) and the same files. PostgreSQL only (CI runs it)."""

import json
import os
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from alerts.services import close_round
from bench.runner import checksums, warnings_checksum
from tests.alerts.world import build_april
from tests.pages import build_cycle

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[1]
SUMS = (
    "from assessment.models import Cycle, Round; from bench.runner import checksums, "
    "warnings_checksum; import json; print(json.dumps([checksums(Cycle.objects.get(year=2024)), "
    "warnings_checksum(Round.objects.get(cycle__year=2025, code='april'))]))"
)


def pg(*args: str, **env) -> None:
    db = connection.settings_dict
    conn = ["-h", db["HOST"] or "localhost", "-p", str(db["PORT"] or 5432), "-U", db["USER"]]
    subprocess.run(
        [args[0], *conn, *args[1:]], check=True,
        env={**os.environ, "PGPASSWORD": db["PASSWORD"] or ""},
    )  # fmt: skip


def test_pg_dump_and_files_restore_to_the_same_results(county, other_county, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("the backup recipe is PostgreSQL's")
    cycle = build_cycle([county, other_county], [(90, 80), (70, 60)])
    rnd = build_april(year=2025)
    close_round(round=rnd, notify=False)
    evidence = Path(settings.PRIVATE_MEDIA_ROOT) / "evidence" / "2025" / "report.pdf"
    evidence.parent.mkdir(parents=True, exist_ok=True)
    evidence.write_bytes(b"%PDF-1.4 evidence")
    before = [checksums(cycle), warnings_checksum(rnd)]

    db = connection.settings_dict
    dump, files = tmp_path / "appraisal.dump", tmp_path / "appraisal-files.tar.gz"
    pg("pg_dump", "-Fc", "-d", db["NAME"], "-f", str(dump))
    with tarfile.open(files, "w:gz") as tar:  # the recipe's tar, the private files
        tar.add(settings.PRIVATE_MEDIA_ROOT, arcname="private")
    restored = f"{db['NAME']}_restored_{uuid.uuid4().hex[:8]}"
    pg("createdb", restored)
    try:
        pg("pg_restore", "--no-owner", "-d", restored, str(dump))
        auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
        url = f"postgres://{auth}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{restored}"
        out = subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", SUMS], cwd=ROOT, check=True,
            capture_output=True, text=True,
            env={**os.environ, "DATABASE_URL": url, "PYTHONWARNINGS": "ignore"},
        )  # fmt: skip
        after = json.loads(out.stdout.strip().splitlines()[-1])
    finally:
        pg("dropdb", restored)
    target = tmp_path / "restore"
    with tarfile.open(files) as tar:
        tar.extractall(target, filter="data")

    assert after == before
    assert (target / "private" / "evidence" / "2025" / "report.pdf").read_bytes() == (
        b"%PDF-1.4 evidence"
    )
