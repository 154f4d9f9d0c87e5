"""Order API: looks up prices from the pricing service."""

import logging
import os

import requests

log = logging.getLogger("api")
PRICING_URL = os.environ["PRICING_URL"]


def price(sku):
    # Good: bounded call, failures logged with context and re-raised.
    try:
        resp = requests.get(f"{PRICING_URL}/prices/{sku}", timeout=2.0)
        resp.raise_for_status()
        return resp.json()["price"]
    except requests.RequestException:
        log.exception("pricing lookup failed", extra={"sku": sku})
        raise


def stock(sku):
    # Gap: no timeout, and errors vanish.
    try:
        return requests.get(f"{PRICING_URL}/stock/{sku}").json()
    except Exception:
        pass


def warm_cache():
    # pagerproof: ignore[http-client-without-timeout] runs once at start-up under the init container's 30 s deadline
    return requests.get(f"{PRICING_URL}/warm")
