"""Time per GET /packages: ZincClient against a raw httpx.Client, same simulator, same run."""

from __future__ import annotations

import json
import statistics
import sys
import time

import httpx

from zinc_desktop.core.foundation.api_key import ApiKey
from zinc_desktop.core.foundation.environments import Environment, sandbox_endpoints
from zinc_desktop.core.zinc.client import ZincClient
from zinc_desktop.sandbox import DEMO_KEYS, SandboxServer

ROUNDS = 300


def timed(call: object) -> list[float]:
    samples = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        call()  # type: ignore[operator]
        samples.append(time.perf_counter() - started)
    return samples


def main() -> None:
    with SandboxServer() as sandbox:
        endpoint = sandbox_endpoints(sandbox.base_urls())[Environment.STAGING]
        key = DEMO_KEYS[Environment.STAGING]
        with httpx.Client(trust_env=False) as raw:
            url = endpoint.base_url + "/packages"
            raw_samples = timed(lambda: raw.get(url, headers={"Authorization": key}).json())
        with ZincClient(endpoint, ApiKey.parse(key)) as client:
            ours = timed(client.list_packages)
    raw_median, our_median = statistics.median(raw_samples), statistics.median(ours)
    if "--json" in sys.argv:
        print(json.dumps({"raw_ms": raw_median * 1000, "ours_ms": our_median * 1000}))
        return
    print(f"GET /packages x{ROUNDS} on loopback")
    print(f"  raw httpx     median {raw_median * 1000:7.3f} ms")
    print(f"  ZincClient    median {our_median * 1000:7.3f} ms")
    print(f"  ratio         {our_median / raw_median:7.2f}")


if __name__ == "__main__":
    main()
