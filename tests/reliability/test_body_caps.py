"""50 MB posted to every kind of route that reads a body is refused at the cap, with the
sandbox's peak memory growth measured per route (printed; "refused" is what is asserted,
never a memory figure). Each route gets a fresh `python -m helpers.sandbox`, so that its
peak resident size (VmHWM) belongs to that route alone."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from helpers.sandbox import DEMO_MERCHANTS
from tests.support import sandbox_process

FIFTY_MB = 50 * 1024 * 1024
CHUNK = b"x" * (1024 * 1024)
MERCHANT = DEMO_MERCHANTS[0]
ROUTES = [
    ("/v1/charges", {"authorization": f"Bearer {MERCHANT.private_key}"}),
    ("/v1/tokens", {"apikey": MERCHANT.api_access_key}),
    ("/invoicingcheckoutservice/v1/checkouts", {"authorization": f"Bearer {MERCHANT.private_key}"}),
    ("/checkout/NOSUCHSESSION", {"content-type": "application/x-www-form-urlencoded"}),
    ("/oauth/v2/authorize", {"content-type": "application/x-www-form-urlencoded"}),
    ("/oauth/v2/token", {}),
    ("/demo/charge", {}),
    # a control takes JSON only: without the type the local guard answers 415, unread
    ("/_sandbox/reset", {"content-type": "application/json"}),
]
GROWTH: dict[str, int] = {}

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="reads the peak RSS from /proc"
)


def _peak_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise AssertionError("no VmHWM")


def _fifty_mb() -> Iterator[bytes]:
    for _ in range(FIFTY_MB // len(CHUNK)):
        yield CHUNK


def _send(url: str, headers: dict[str, str], declared: bool) -> int | None:
    """The status, or None when the server closed the connection mid-upload after
    refusing (the client is still sending what the server will not read)."""
    content: bytes | Iterator[bytes] = b"x" * FIFTY_MB if declared else _fifty_mb()
    try:
        return httpx.post(url, headers=headers, content=content, timeout=60).status_code
    except (httpx.WriteError, httpx.ReadError, httpx.RemoteProtocolError):
        return None


@pytest.mark.parametrize(("path", "headers"), ROUTES, ids=[p for p, _ in ROUTES])
def test_fifty_mb_is_refused_at_the_cap(path: str, headers: dict[str, str]) -> None:
    with sandbox_process() as (process, url):
        httpx.get(f"{url}/_sandbox/health").raise_for_status()
        before = _peak_kb(process.pid)
        declared = _send(url + path, headers, declared=True)  # Content-Length: 52428800
        streamed = _send(url + path, headers, declared=False)  # chunked, no length
        assert declared == 413
        assert streamed in (413, None)
        httpx.get(f"{url}/_sandbox/health").raise_for_status()  # still serving
        GROWTH[path] = _peak_kb(process.pid) - before


def test_report_peak_memory_growth_per_route() -> None:
    print()
    for path, kb in GROWTH.items():
        print(f"{kb / 1024:7.1f} MB peak growth for 50 MB posted to {path}")
