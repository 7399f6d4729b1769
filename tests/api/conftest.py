import pytest
from django.test import Client

from api.tokens import issue_token


class ApiClient:
    """Calls the data interface with one account's token."""

    def __init__(self, user, lead):
        self.client = Client()
        self.secret = issue_token(user=user, name="测试", actor=lead).secret if user else None

    def _headers(self):
        auth = {"authorization": f"Bearer {self.secret}"} if self.secret else {}
        return {"accept-language": "en", **auth}

    def get(self, path):
        return self.client.get(f"/api/v1{path}", headers=self._headers())

    def post(self, path, body):
        return self.client.post(
            f"/api/v1{path}", body, content_type="application/json", headers=self._headers()
        )


@pytest.fixture(autouse=True)
def fresh_rate_counts():
    """Each test counts its own requests per token (the cache is per process)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def as_user(lead):
    return lambda user: ApiClient(user, lead)
