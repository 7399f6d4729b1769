"""Two people save the same cells at the same moment (PostgreSQL, two connections): one
save wins, the other is refused as stale; nothing is silently overwritten."""

import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse

from scoring.forms import cell_name
from scoring.models import Progress
from tests.clients import EnglishClient
from tests.factories import UserFactory
from tests.pages import build_cycle, open_rounds

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks need PostgreSQL"
)


@pytest.mark.django_db(transaction=True)
def test_two_clients_saving_the_same_cell_one_is_refused(unit, other_unit, unit_user, county):
    from assessment.models import User

    colleague = UserFactory(username="unit-TJJ-2", role=User.Role.UNIT, unit=unit)
    cycle = build_cycle([county], [], units=(unit, other_unit), compute=False)
    open_rounds(cycle)
    url = reverse("scoring:entry_grid", kwargs={"year": 2024, "round": "april", "indicator": "A01"})
    clients = []
    for user in (unit_user, colleague):
        client = EnglishClient()
        client.force_login(user)
        page = client.get(url)
        clients.append((client, page.context["form"]["loaded"].value()))
    name = cell_name(county.id, "p")
    barrier = threading.Barrier(2)
    statuses = {}

    def save(n: int, value: str) -> None:
        client, loaded = clients[n]
        try:
            barrier.wait()
            response = client.post(url, {"loaded": loaded, name: value, "save": ""})
            statuses[n] = (response.status_code, value)
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(n, v)) for n, v in ((0, "30"), (1, "40"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    codes = sorted(code for code, _value in statuses.values())
    assert codes == [302, 409]
    winner = next(value for code, value in statuses.values() if code == 302)
    assert Progress.objects.get().value == Decimal(winner)
