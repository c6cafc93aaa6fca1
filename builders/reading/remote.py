"""Remote images, only with --allow-network: https, public addresses, no redirects, bounded size."""

from __future__ import annotations

import hashlib
import http.client
import ipaddress
import socket
import ssl
import urllib.parse
from pathlib import Path

from ..core import user_cache
from ..core.confine import MAX_RESOURCE_BYTES, OutsideRoots

TIMEOUT_SECONDS = 15


def cache_dir() -> Path:
    """Where fetched files live; a build may read only these besides the project's own."""
    return user_cache.folder("remote")


def fetch(url: str) -> Path:
    """Download `url` into the cache (once) and return the file; OutsideRoots says why not."""
    parts = urllib.parse.urlsplit(url.strip())
    if parts.scheme.lower() != "https":
        raise OutsideRoots(f'"{url}" is not an https: address; only https is fetched')
    if not parts.hostname or parts.username or parts.password:
        raise OutsideRoots(f'"{url}" names no plain host')
    target = cache_dir() / hashlib.sha256(url.encode()).hexdigest()
    if target.is_file():
        return target
    address = public_address(parts.hostname, parts.port or 443)
    body = _get(parts, address)
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = target.with_suffix(".part")
    temp.write_bytes(body)
    temp.replace(target)
    return target


def public_address(host: str, port: int) -> str:
    """The host's address, if every address it resolves to is public (no private, loopback,
    link-local or reserved ones: a narrative must not reach into the machine's network)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror:
        raise OutsideRoots(f'host "{host}" does not resolve') from None
    addresses = [ipaddress.ip_address(info[4][0]) for info in infos]
    for address in addresses:
        if not address.is_global or address.is_multicast:
            kind = ("loopback" if address.is_loopback else "link-local" if address.is_link_local
                    else "private" if address.is_private else "non-public")
            raise OutsideRoots(f'host "{host}" is a {kind} address ({address}); only public hosts are fetched')
    return str(addresses[0])


def _get(parts: urllib.parse.SplitResult, address: str) -> bytes:
    # Connect to the address we vetted (not a second lookup that could answer differently),
    # with the certificate checked against the host name.
    context = ssl.create_default_context()
    try:
        raw = socket.create_connection((address, parts.port or 443), timeout=TIMEOUT_SECONDS)
        connection = http.client.HTTPSConnection(parts.hostname, parts.port or 443, timeout=TIMEOUT_SECONDS, context=context)
        connection.sock = context.wrap_socket(raw, server_hostname=parts.hostname)
        path = urllib.parse.urlunsplit(("", "", parts.path or "/", parts.query, ""))
        connection.request("GET", path, headers={"User-Agent": "triptych", "Accept": "image/*"})
        response = connection.getresponse()
        if response.status != 200:
            hint = " (redirects are not followed)" if 300 <= response.status < 400 else ""
            raise OutsideRoots(f'"{urllib.parse.urlunsplit(parts)}" answered HTTP {response.status}{hint}')
        body = response.read(MAX_RESOURCE_BYTES + 1)
    except (OSError, http.client.HTTPException) as exc:
        raise OutsideRoots(f'"{urllib.parse.urlunsplit(parts)}" could not be fetched: {exc}') from None
    if len(body) > MAX_RESOURCE_BYTES:
        raise OutsideRoots(f'"{urllib.parse.urlunsplit(parts)}" is larger than {MAX_RESOURCE_BYTES // 2**20} MB')
    return body
