"""Where a case system may be called back: its configured origins, and never an inside address.

Checked twice (issue 13, item 9): when a request is submitted (422 naming `callback_url`) and
again right before each delivery, after resolving the host, because DNS may have changed since.
Outside development a callback never reaches loopback, link-local (cloud metadata), multicast
or reserved addresses, nor a private network unless SONGDA_CALLBACK_PRIVATE_NETWORKS lists it.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable
from urllib.parse import urlsplit

from domain.settings import Settings

IpAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], list[str]]
DEFAULT_PORTS = {"http": 80, "https": 443}


class RefusedTarget(ValueError):
    """The callback URL points somewhere this case system may not be called back."""


def resolve(host: str, port: int) -> list[str]:
    """Returns every address the host resolves to (IPv4 and IPv6)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return sorted({str(info[4][0]) for info in infos})


def origin_of(url: str) -> str:
    """Returns `scheme://host:port` of a URL, lower-cased, with the scheme's default port."""
    parts = urlsplit(url.strip())
    scheme, host = parts.scheme.lower(), (parts.hostname or "").lower()
    if scheme not in DEFAULT_PORTS or not host:
        raise RefusedTarget("callback_url must be an http or https URL with a host")
    if parts.username or parts.password:
        raise RefusedTarget("callback_url must not carry credentials")
    try:
        port = parts.port or DEFAULT_PORTS[scheme]
    except ValueError:
        raise RefusedTarget("callback_url has an invalid port") from None
    return f"{scheme}://{host}:{port}"


def allowed_origins(settings: Settings) -> dict[str, set[str]]:
    """Reads SONGDA_CALLBACK_ORIGINS: `account=origin origin,account=origin`."""
    found: dict[str, set[str]] = {}
    for entry in settings.callback_origins.split(","):
        account, _, origins = entry.partition("=")
        if account.strip():
            found.setdefault(account.strip(), set()).update(
                origin_of(origin) for origin in origins.split()
            )
    return found


def _networks(settings: Settings) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    entries = settings.callback_private_networks.replace(",", " ").split()
    return [ipaddress.ip_network(entry, strict=False) for entry in entries]


def address_refusal(address: IpAddress, settings: Settings) -> str | None:
    """Returns why a callback may not reach this address, or None when it may."""
    mapped = getattr(address, "ipv4_mapped", None)
    address = mapped or address
    if address.is_loopback or address.is_link_local or address.is_unspecified:
        return "a loopback or link-local address"
    if address.is_multicast or address.is_reserved:
        return "a multicast or reserved address"
    if address.is_private and not any(address in net for net in _networks(settings)):
        return "a private address not in SONGDA_CALLBACK_PRIVATE_NETWORKS"
    return None


def check_callback_url(
    url: str, *, account: str, settings: Settings, resolver: Resolver = resolve
) -> str:
    """Returns the URL's origin when the account may be called back there; else refuses."""
    origin = origin_of(url)
    configured = allowed_origins(settings).get(account)
    if configured is not None and origin not in configured:
        raise RefusedTarget(f"{origin} is not a callback origin of {account}")
    if settings.development:
        return origin  # make run and the tests call back to 127.0.0.1
    if configured is None:
        raise RefusedTarget(
            f"no callback origin is configured for {account} (SONGDA_CALLBACK_ORIGINS)"
        )
    host, port = urlsplit(url.strip()).hostname or "", int(origin.rsplit(":", 1)[1])
    try:
        addresses = [ipaddress.ip_address(host)]
    except ValueError:
        try:
            addresses = [ipaddress.ip_address(a.split("%")[0]) for a in resolver(host, port)]
        except OSError:
            raise RefusedTarget(f"the host of {origin} does not resolve") from None
    if not addresses:
        raise RefusedTarget(f"the host of {origin} does not resolve")
    for address in addresses:
        if (why := address_refusal(address, settings)) is not None:
            raise RefusedTarget(f"{origin} reaches {why}")
    return origin
