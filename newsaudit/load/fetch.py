"""Fetching a URL: the one fetcher of the CLI and the service.

:func:`fetch_url` fetches an http(s) page and loads it as an article with the
one bytes-to-Article router (:func:`newsaudit.load.files.load_bytes`): HTML,
or plain text when the server says ``text/plain`` and the bytes do not look
like a page; the declared charset is honoured when it is a known text encoding.  A :class:`FetchPolicy` says what may be fetched:

* the default (the CLI): any http(s) URL, redirects followed (at most
  :attr:`FetchPolicy.max_redirects`, each one an http(s) URL);
* ``FetchPolicy(allow_hosts=(...), public_only=True)`` (the service): only
  allow-listed hosts ("example.org", "*.example.org"; an empty list refuses
  every URL), never a host that resolves to a private, loopback, link-local
  or otherwise non-public address, and the connection goes to the address
  that was checked (the Host header and TLS SNI keep the name), so a second
  DNS answer cannot point it elsewhere.  Every redirect is checked again.

Errors: :class:`~newsaudit.errors.FetchRefusedError` when the policy refuses
the URL, :class:`~newsaudit.errors.FetchError` when fetching fails (network,
HTTP status, size, redirects), :class:`~newsaudit.errors.InputError` for a URL
that is not a valid http(s) URL.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from dataclasses import dataclass, replace
from urllib.parse import SplitResult, urljoin, urlsplit, urlunsplit

from ..errors import BinaryInputError, FetchError, FetchRefusedError, InputError
from ..types import Article
from .files import load_bytes

#: Default cap on a fetched web page.
MAX_URL_BYTES = 10 * 1024 * 1024

_URL_RE = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://")


def is_url(spec: str) -> bool:
    return bool(_URL_RE.match(spec))


@dataclass(frozen=True)
class FetchPolicy:
    """What may be fetched, and how much (see the module docstring)."""

    #: Hosts that may be fetched ("example.org", "*.example.org"); None: any host.
    allow_hosts: tuple[str, ...] | None = None
    #: Refuse hosts that resolve to a non-public address, and pin the connection to the checked one.
    public_only: bool = False
    max_bytes: int = MAX_URL_BYTES
    timeout_s: float = 20.0
    max_redirects: int = 3


@dataclass(frozen=True)
class Page:
    """A fetched page: its bytes and what the server said about them."""

    data: bytes
    content_type: str
    charset: str | None
    url: str


def host_allowed(host: str, allow_hosts: tuple[str, ...]) -> bool:
    """Whether ``host`` matches an allow-list entry ("example.org", or "*.example.org" for subdomains)."""
    host = host.lower().rstrip(".")
    for pattern in allow_hosts:
        pattern = pattern.lower().rstrip(".")
        if pattern.startswith("*."):
            if host.endswith(pattern[1:]):
                return True
        elif host == pattern:
            return True
    return False


def check_url(url: str, policy: FetchPolicy) -> tuple[SplitResult, str, int]:
    """(parts, host, port) of an http(s) URL the policy allows (no DNS yet).

    Raises :class:`FetchRefusedError` when the host is not allowed, and
    :class:`InputError` for a URL that is not a valid http(s) URL.
    """
    if policy.allow_hosts is not None and not policy.allow_hosts:
        raise FetchRefusedError("this server does not fetch URLs (start it with --allow-host HOST); send the body or the HTML")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:  # a bad IPv6 literal, a port out of range
        raise InputError(f"not a valid URL: {url!r} ({exc})") from None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise InputError(f"not an http(s) URL: {url!r} (only http and https URLs can be fetched)")
    if policy.public_only and (parts.username or parts.password):
        raise InputError("URLs with credentials are not fetched")
    if policy.allow_hosts is not None and not host_allowed(parts.hostname, policy.allow_hosts):
        raise FetchRefusedError(f"host {parts.hostname!r} is not on this server's allow-list")
    return parts, parts.hostname, port or (443 if parts.scheme.lower() == "https" else 80)


def is_public_address(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """A global unicast address: not private, loopback, link-local, reserved or multicast."""
    return address.is_global and not address.is_multicast


def _public_address(host: str, port: int) -> str:
    """The address to connect to for ``host``, when every address it resolves to is public."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as exc:
        raise FetchError(f"cannot resolve {host!r}: {exc}") from None
    addresses = []
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%")[0])
        if not is_public_address(address):
            raise FetchRefusedError(f"refusing to fetch {host!r}: it resolves to a non-public address ({address})")
        addresses.append(address)
    if not addresses:
        raise FetchError(f"cannot resolve {host!r}")
    return str(addresses[0])


def fetch_page(url: str, policy: FetchPolicy | None = None) -> Page:
    """The bytes of ``url``, fetched as ``policy`` allows (see the module docstring)."""
    import httpx

    from ..version import __version__

    policy = policy or FetchPolicy()
    for _hop in range(policy.max_redirects + 1):
        parts, host, port = check_url(url, policy)
        target, headers, extensions = url, {"User-Agent": f"newsaudit/{__version__} (+offline news auditing)"}, {}
        if policy.public_only:
            ip = _public_address(host, port)
            netloc = (f"[{ip}]" if ":" in ip else ip) + (f":{parts.port}" if parts.port else "")
            target = urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, ""))
            headers["Host"] = parts.netloc
            extensions["sni_hostname"] = host
        try:
            with (
                httpx.Client(timeout=policy.timeout_s, follow_redirects=False, trust_env=False) as client,
                client.stream("GET", target, headers=headers, extensions=extensions) as resp,
            ):
                    if resp.is_redirect and "location" in resp.headers:
                        url = urljoin(url, resp.headers["location"])
                        continue
                    if resp.status_code >= 400:
                        raise FetchError(f"could not fetch {url}: HTTP {resp.status_code} {resp.reason_phrase}".rstrip())
                    chunks, size = [], 0
                    for chunk in resp.iter_bytes():
                        size += len(chunk)
                        if size > policy.max_bytes:
                            raise FetchError(f"could not fetch {url}: page larger than {policy.max_bytes} bytes")
                        chunks.append(chunk)
                    ctype = resp.headers.get("content-type", "")
                    mime = ctype.split(";")[0].strip().lower()
                    charset = resp.charset_encoding if "charset" in ctype.lower() else None
                    return Page(b"".join(chunks), mime, charset, url)
        except httpx.HTTPError as exc:
            raise FetchError(f"could not fetch {url}: {type(exc).__name__}: {exc or 'no answer'}") from None
    raise FetchError(f"could not fetch {url}: more than {policy.max_redirects} redirects")


def fetch_url(
    url: str,
    *,
    policy: FetchPolicy | None = None,
    timeout: float | None = None,
    max_bytes: int | None = None,
) -> Article:
    """Fetch ``url`` and load it as an HTML (or plain-text) article.

    ``timeout`` and ``max_bytes`` override the policy's.  Binary content types
    are refused (:class:`BinaryInputError`).
    """
    policy = policy or FetchPolicy()
    if timeout is not None or max_bytes is not None:
        policy = replace(policy, timeout_s=timeout or policy.timeout_s, max_bytes=max_bytes or policy.max_bytes)
    page = fetch_page(url, policy)
    if page.content_type and not (
        page.content_type.startswith("text/") or "html" in page.content_type or "xml" in page.content_type
    ):
        raise BinaryInputError(f"{url}: is {page.content_type}, not an HTML page")
    # text/plain (or no type) is sniffed: a page sent as text is still read as a page; any other type is a page
    html = None if page.content_type in ("", "text/plain") else True
    return load_bytes(page.data, url, id=url, html=html, charset=page.charset, url=page.url)
