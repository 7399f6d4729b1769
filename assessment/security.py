"""Who is asking: the client's address as the reverse proxy of the README passes it."""

from django.conf import settings


def client_ip(request) -> str | None:
    """The client's address: ``REMOTE_ADDR``, or with ``TRUSTED_PROXY_COUNT`` proxies in
    front (each appending the address it received the request from to X-Forwarded-For) the
    entry the outermost trusted proxy wrote. Entries a client wrote itself come before it and
    are ignored, so a forged header cannot choose the address that gets locked out."""
    count = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if count > 0 and forwarded:
        entries = [entry.strip() for entry in forwarded.split(",") if entry.strip()]
        if entries:
            return entries[-min(count, len(entries))]
    return request.META.get("REMOTE_ADDR")
