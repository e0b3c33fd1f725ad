"""The client's address for login lockouts (django-axes' AXES_CLIENT_IP_CALLABLE).

Without SHINCHOKU_TRUSTED_PROXIES it is REMOTE_ADDR: a client could otherwise name any address in
X-Forwarded-For and dodge its lockout. With it, and only for a request that came from a trusted proxy, it is
the right-most X-Forwarded-For address that is not itself a trusted proxy (the one the first proxy saw).
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def _trusted(address: str, networks: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_address(request: HttpRequest) -> str:
    remote = request.META.get("REMOTE_ADDR", "")
    networks = _networks(tuple(getattr(settings, "SHINCHOKU_TRUSTED_PROXIES", ())))
    if not networks or not _trusted(remote, networks):
        return remote
    chain = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
    for address in reversed(chain):
        if not _trusted(address, networks):
            try:
                return str(ipaddress.ip_address(address))
            except ValueError:  # garbage the client wrote: the proxy's own address is all we know
                return remote
    return remote
