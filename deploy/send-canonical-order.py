#!/usr/bin/env python3
"""Signs and POSTs a sample canonical order to a running gateway's `storefront` channel, the way
your own storefront would (Standard Webhooks headers). Try it after `bash deploy/run-local.sh`:

    python3 deploy/send-canonical-order.py                 # order 1001, now
    python3 deploy/send-canonical-order.py --order 1002 --status cancelled

The secret must be the channel's `secret` (the sample config's default is used when
STOREFRONT_SECRET is unset)."""
import argparse
import base64
import hashlib
import hmac
import json
import os
import time
import urllib.error
import urllib.request
import uuid

DEFAULT_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", default="http://127.0.0.1:8080/v1/channels/storefront/webhooks")
    ap.add_argument("--order", default="1001")
    ap.add_argument("--status", default="open")
    ap.add_argument("--secret", default=os.environ.get("STOREFRONT_SECRET", DEFAULT_SECRET))
    args = ap.parse_args()

    now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    order = {
        "channel": {"type": "canonical", "order_id": args.order, "order_number": "#" + args.order},
        "status": args.status,
        "payment_status": "paid",
        "placed_at": now,
        "updated_at": now,
        "version": now,
        "currency": "EUR",
        "taxes_included": True,
        "totals": {"subtotal": 4990, "shipping": 490, "tax": 875, "total": 5480},
        "lines": [{"line_id": "1", "sku": "MUG-BLUE", "title": "Blue mug", "quantity": 2,
                   "unit_price": 2495, "total": 4990}],
        "customer": {"email": "ada@example.com", "name": "Ada Lovelace"},
        "ship_to": {"name": "Ada Lovelace", "line1": "12 Example Street", "city": "Berlin",
                    "postal_code": "10115", "country_code": "DE"},
    }
    body = json.dumps(order).encode()
    msg_id = "msg_" + uuid.uuid4().hex
    ts = str(int(time.time()))
    secret = args.secret
    key = base64.b64decode(secret[len("whsec_"):]) if secret.startswith("whsec_") else secret.encode()
    sig = base64.b64encode(hmac.new(key, f"{msg_id}.{ts}.".encode() + body, hashlib.sha256).digest())
    req = urllib.request.Request(args.url, data=body, method="POST", headers={
        "Content-Type": "application/json", "webhook-id": msg_id, "webhook-timestamp": ts,
        "webhook-signature": "v1," + sig.decode()})
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            print(r.status, r.read().decode())
    except urllib.error.HTTPError as e:
        print(e.code, e.read().decode())


if __name__ == "__main__":
    main()
