"""Storefront API: product pages and checkout, backed by the payments service."""
import os

import requests
import structlog
from fastapi import FastAPI, HTTPException
from prometheus_client import Counter, make_asgi_app

log = structlog.get_logger()
app = FastAPI()
app.mount("/metrics", make_asgi_app())

CHECKOUTS = Counter("storefront_checkouts_total", "Checkouts by outcome", ["outcome"])
PAYMENTS_URL = os.environ["PAYMENTS_URL"]
CATALOG_URL = os.environ.get("CATALOG_URL", "http://catalog:8080")


@app.get("/healthz")
def healthz():
    return {"status": "ok"}


@app.get("/products/{product_id}")
def product(product_id: str):
    # A slow catalog holds this worker forever: no timeout.
    resp = requests.get(f"{CATALOG_URL}/products/{product_id}")
    if resp.status_code == 404:
        raise HTTPException(status_code=404)
    return resp.json()


@app.post("/checkout")
def checkout(order: dict):
    try:
        resp = requests.post(f"{PAYMENTS_URL}/charge", json=order, timeout=(2, 10))
        resp.raise_for_status()
    except requests.RequestException:
        log.exception("payment failed", order_id=order.get("id"))
        CHECKOUTS.labels(outcome="error").inc()
        raise HTTPException(status_code=502)
    try:
        send_receipt(order)
    except Exception:
        pass
    CHECKOUTS.labels(outcome="ok").inc()
    return {"status": "paid"}


def send_receipt(order: dict) -> None:
    requests.post("http://notifier:3000/receipts", json=order, timeout=5)
