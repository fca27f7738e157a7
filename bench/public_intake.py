"""Citizen intake: how long the attachment checks take, and a web-form submission end to end.

    .venv/bin/python bench/public_intake.py [--submissions 50]

In-process on a throw-away SQLite database with the demo municipality (or on PostgreSQL with
DATABASE_URL set). Prints JSON lines: the time to check a 10 MB file of each heavy kind (the whole
file is read for the hash, PDFs are also searched), the time to refuse a 50 MB zip bomb, and the
web form's POST latency (p50/p99) with one 1 MB photo, through Django's test client.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import sys
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
os.environ["TASKS_BACKEND"] = "django_tasks.backends.dummy.DummyBackend"


def emit(name: str, value: float, unit: str, target: str, **extra: object) -> None:
    row = {"name": name, "value": round(value, 2), "unit": unit, "target": target, **extra}
    print(json.dumps(row), flush=True)


def best_of(runs: int, work) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def checks() -> None:
    from tillit.cases.attachments import Refused, check_file
    from tillit.public.tests import samples

    ten_mb = 10 * 1024 * 1024 - 4096
    noise = os.urandom(ten_mb)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", samples.DOCX_TYPES.format(main=samples.DOCX_MAIN))
        archive.writestr("word/document.xml", samples.DOCX_DOCUMENT.format(text="Ritning"))
        archive.writestr("word/media/image1.jpeg", noise, compress_type=zipfile.ZIP_STORED)
    files = {
        "pdf": ("ritning.pdf", samples.pdf(extra=b" " + noise.hex().encode()[:ten_mb])),
        "jpeg": ("foto.jpg", samples.JPEG[:-2] + noise + b"\xff\xd9"),
        "docx": ("ansokan.docx", buffer.getvalue()),
    }
    for kind, (name, content) in files.items():
        ms = best_of(5, lambda n=name, c=content: check_file(samples.upload(n, c)))
        emit(f"attachment_check_{kind}_10mb", ms, "ms", "<= 150", size=len(content))

    bomb = samples.zip_bomb(megabytes=50)

    def refuse() -> None:
        try:
            check_file(samples.upload("ansokan.docx", bomb))
        except Refused:
            return
        raise AssertionError("the zip bomb was accepted")

    emit("attachment_refuse_zip_bomb_50mb", best_of(5, refuse), "ms", "<= 10", size=len(bomb))


def submissions(count: int) -> None:
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import override_settings

    from tillit.catalogue.models import CaseType
    from tillit.public.tests import samples

    call_command("migrate", verbosity=0)
    call_command("demo", stdout=io.StringIO())
    case_type = CaseType.objects.get(code="felanmalan-gata")
    photo = samples.JPEG[:-2] + os.urandom(1024 * 1024) + b"\xff\xd9"
    times = []
    with override_settings(TILLIT_PUBLIC_RATE_LIMIT=count * 10):
        client = Client()
        for number in range(count + 1):  # the first warms up (the holiday calendar loads once)
            page = client.get("/e-tjanst/nytt-arende/").content.decode()
            key = page.split('name="form_key" value="', 1)[1].split('"', 1)[0]
            data = {
                "form_key": key,
                "case_type": str(case_type.pk),
                "subject": f"Trasig gatlampa nummer {number}",
                "description": "Lampan vid busshållplatsen är släckt sedan i måndags.",
                "name": "Karin Nyström",
                "email": "karin@example.se",
                "attachments": [samples.upload("lampa.jpg", photo)],
            }
            started = time.perf_counter()
            response = client.post("/e-tjanst/nytt-arende/", data)
            if number:
                times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 302, response.status_code
    times.sort()
    p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
    emit("web_form_submit_p50", statistics.median(times), "ms", "<= 100", with_file_mb=1)
    emit("web_form_submit_p99", p99, "ms", "<= 250", submissions=count)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--submissions", type=int, default=50)
    args = parser.parse_args()
    import django

    django.setup()
    checks()
    submissions(args.submissions)


if __name__ == "__main__":
    main()
