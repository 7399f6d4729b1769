"""A hundred bad requests of each kind — uploads, paths, forms — and not one 500.

The requests are generated from a fixed seed (the same list on every run): broken, truncated
and crafted spreadsheets on the three upload pages; paths of every URL pattern with odd
segments; every form of the lead's pages posted with odd values.
"""

import io
import random
import re
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from tests import test_access
from tests.access import ROLES
from tests.test_access import ACCESS, url_patterns
from tests.workbooks import workbook_bytes

world = test_access.world  # the access tests' world: personas and their objects

COUNT = 100
ODD_TEXT = [
    "\x00",
    "\x01\x02",
    "%00",
    "%",
    "%zz",
    "..",
    "../../etc/passwd",
    "a" * 3000,
    "9" * 40,
    "-1",
    "1e308",
    "NaN",
    "Infinity",
    "0x1F",
    "\ud7ff",
    "\u202e",
    "😀",
    "'; DROP TABLE x; --",
    "<script>alert(1)</script>",
    '=HYPERLINK("x")',
    "\t\r\n",
    " ",
    "",
    "临川区",
]
PARAM = re.compile(r"<(?:\w+:)?\w+>")


def _odd(rng: random.Random) -> str:
    text = rng.choice(ODD_TEXT)
    if rng.random() < 0.3:
        text += "".join(chr(rng.randrange(1, 0x3000)) for _ in range(rng.randrange(1, 8)))
    return text


def _bad_upload(rng: random.Random, n: int) -> bytes:
    kind = n % 5
    good = workbook_bytes({"年度数据": [["县区代码", "项目代码", "实际值"], ["101", "A01-1", 5]]})
    data = good.getvalue()
    if kind == 0:
        return rng.randbytes(rng.randrange(0, 4000))
    if kind == 1:
        return data[: rng.randrange(4, len(data))]
    if kind == 2:
        return b"PK\x03\x04" + rng.randbytes(rng.randrange(0, 2000))
    if kind == 3:  # a real archive with random parts
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as book:
            for index in range(rng.randrange(1, 5)):
                name = rng.choice(["xl/workbook.xml", "[Content_Types].xml", f"x{index}.xml"])
                book.writestr(f"{name}{index}", rng.randbytes(rng.randrange(0, 300)))
        return out.getvalue()
    # Odd values that a workbook can hold (openpyxl refuses control characters).
    rows = [
        [ILLEGAL_CHARACTERS_RE.sub("", _odd(rng)) for _ in range(rng.randrange(1, 6))]
        for _ in range(rng.randrange(1, 6))
    ]
    title = re.sub(r"[\\/?*\[\]:\x00-\x1f]", "", _odd(rng))[:30] or "x"
    sheet = rng.choice(["年度数据", "预考核数据", title])
    return workbook_bytes({sheet: rows}).getvalue()


def _no_500(client: Client, method: str, url: str, **kwargs) -> int:
    response = getattr(client, method)(url, **kwargs)
    if response.streaming:
        b"".join(response.streaming_content)
    return response.status_code


def _clients(world) -> dict[str, Client]:
    clients = {}
    for role in ROLES:
        client = Client(raise_request_exception=False)
        if world["users"][role] is not None:
            client.force_login(world["users"][role])
        clients[role] = client
    return clients


def test_a_hundred_bad_uploads_answer_no_500(world):
    rng = random.Random(1501)
    clients = _clients(world)
    year = world["cycle"].year
    targets = [
        ("lead", reverse("scoring:workbook"), {}),
        ("unit", reverse("scoring:unit_workbook", kwargs={"year": year, "round": "annual"}), {}),
        ("county", reverse("scoring:evidence", kwargs={"year": year, "round": "april"}), {}),
    ]
    answers = []
    for n in range(COUNT):
        role, url, fields = targets[n % len(targets)]
        name = rng.choice(["a.xlsx", "填报.xlsx", "x.XLSX", "a.pdf", _odd(rng)[:50] + ".xlsx"])
        upload = SimpleUploadedFile(name or "a.xlsx", _bad_upload(rng, n))
        answers.append((url, _no_500(clients[role], "post", url, data={**fields, "file": upload})))
    assert [a for a in answers if a[1] >= 500] == []


def test_a_hundred_bad_paths_answer_no_500(world):
    rng = random.Random(1502)
    clients = _clients(world)
    patterns = [route for _name, route, _kwargs in url_patterns()]
    answers = []
    for _ in range(COUNT):
        route = rng.choice(patterns)
        path = "/" + PARAM.sub(lambda _m: _odd(rng).replace("/", "_") or "x", route)
        if rng.random() < 0.3:
            path += _odd(rng)
        role = rng.choice(ROLES)
        answers.append((path, _no_500(clients[role], "get", path)))
    assert [a for a in answers if a[1] >= 500] == []


def _forms(client: Client, world, role: str = "lead") -> list[tuple[str, list[str]]]:
    """(action, field names) of every POST form on the pages ``role`` opens (``client`` is
    signed in as that role)."""
    forms = []
    for name, route, kwarg_names in url_patterns():
        declared = ACCESS[name]
        if declared["method"] != "get" or declared[role] != 200 or route.endswith(".xlsx"):
            continue
        url = reverse(name, kwargs={k: world["own"][k] for k in kwarg_names})
        response = client.get(url)
        if response.streaming:  # a file: read through, which closes it
            b"".join(response.streaming_content)
            continue
        if "html" not in response.get("Content-Type", ""):
            continue
        page = response.content.decode()
        for found in re.finditer(r'<form[^>]*method="post"[^>]*>(.*?)</form>', page, re.S | re.I):
            action = re.search(r'action="([^"]*)"', found.group(0))
            fields = sorted(set(re.findall(r'name="([^"]+)"', found.group(1))))
            target = action.group(1) if action and action.group(1) else url
            forms.append((target, [f for f in fields if f != "csrfmiddlewaretoken"]))
    return forms


def test_a_hundred_bad_forms_answer_no_500(world):
    rng = random.Random(1503)
    clients = _clients(world)
    forms = _forms(clients["lead"], world)
    assert len(forms) > 10
    answers = []
    for _ in range(COUNT):
        action, fields = rng.choice(forms)
        data = {field: _odd(rng) for field in fields if rng.random() < 0.9}
        role = rng.choice(ROLES)
        if world["users"][role] is not None:  # signed in again: one of the forms signs out
            clients[role].force_login(world["users"][role])
        answers.append((action, _no_500(clients[role], "post", action, data=data)))
    assert [a for a in answers if a[1] >= 500] == []


def test_login_form_with_odd_values_answers_no_500(db):
    rng = random.Random(1504)
    client = Client(raise_request_exception=False)
    answers = [
        _no_500(
            client, "post", "/accounts/login/", data={"username": _odd(rng), "password": _odd(rng)}
        )
        for _ in range(10)
    ]
    assert [a for a in answers if a >= 500] == []
