#!/usr/bin/env python3
"""Pre-generates N distinct, correctly signed Shopify order webhooks for the end-to-end benchmark.

    gen_shopify_requests.py --count N --secret SECRET --out FILE

The bodies are the golden full-order payloads (tests/golden/channels/shopify/*/body.json),
minified as Shopify sends them. Request i (0-based) uses template i mod K with
  - top-level "id"          = 7100000000000 + i          (a new order each time)
  - top-level "updated_at"  = 2026-03-01T00:00:00+00:00 + i seconds
  - X-Shopify-Event-Id      = bench-<i>                  (a new delivery each time)
so the load generator (shopify_requests.lua) rebuilds each body from its template and only
the HMAC (X-Shopify-Hmac-Sha256, base64 of HMAC-SHA256 over the exact body) is stored per
request. File format (text):
  K
  then per template: a line "IU" or "UI" (which placeholder comes first), then 3 lines: the
  body parts before, between and after the two placeholders
  N
  then N lines: the base64 HMAC of request i
Deterministic: the same count, secret and golden files give the same file.
"""
import argparse
import base64
import hashlib
import hmac
import json
import os
import sys
import time

SKIP = {"malformed_money", "truncated_json"}
ID_BASE = 7100000000000
TIME_BASE = 1772323200  # 2026-03-01T00:00:00Z
ID_MARK = "\u0001ID\u0001"
UPDATED_MARK = "\u0001UPDATED\u0001"


def order_id(i):
    return str(ID_BASE + i)


def updated_at(i):
    return time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(TIME_BASE + i))


def load_templates(golden_dir):
    templates = []
    for name in sorted(os.listdir(golden_dir)):
        case = os.path.join(golden_dir, name)
        if not os.path.isdir(case) or "ignored" in name or name in SKIP:
            continue
        with open(os.path.join(case, "body.json"), encoding="utf-8") as f:
            order = json.load(f)
        order["id"] = ID_MARK
        order["updated_at"] = UPDATED_MARK
        text = json.dumps(order, separators=(",", ":"), ensure_ascii=False)
        # The marks were serialised as JSON strings; the id becomes a bare number again.
        text = text.replace('"' + json.dumps(ID_MARK)[1:-1] + '"', ID_MARK)
        text = text.replace(json.dumps(UPDATED_MARK)[1:-1], UPDATED_MARK)
        a, b = text.index(ID_MARK), text.index(UPDATED_MARK)
        if a < b:
            first, rest = text.split(ID_MARK)
            middle, last = rest.split(UPDATED_MARK)
            templates.append(("IU", first, middle, last))
        else:
            first, rest = text.split(UPDATED_MARK)
            middle, last = rest.split(ID_MARK)
            templates.append(("UI", first, middle, last))
    return templates


def body(template, i):
    order, first, middle, last = template
    a, b = (order_id(i), updated_at(i)) if order == "IU" else (updated_at(i), order_id(i))
    return first + a + middle + b + last


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--count", type=int, required=True)
    ap.add_argument("--secret", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--golden", default=os.path.join(os.path.dirname(__file__), "..", "golden",
                                                     "channels", "shopify"))
    args = ap.parse_args()
    templates = load_templates(args.golden)
    if not templates:
        sys.exit("no golden Shopify payloads under " + args.golden)
    encoded = [tuple(p.encode("utf-8") if k else p for k, p in enumerate(t)) for t in templates]
    base = hmac.new(args.secret.encode(), digestmod=hashlib.sha256)
    tmp = args.out + ".tmp"
    with open(tmp, "w", encoding="utf-8") as out:
        out.write(f"{len(templates)}\n")
        for order, first, middle, last in templates:
            out.write(f"{order}\n{first}\n{middle}\n{last}\n")
        out.write(f"{args.count}\n")
        lines = []
        k = len(encoded)
        for i in range(args.count):
            order, first, middle, last = encoded[i % k]
            oid, upd = order_id(i).encode(), updated_at(i).encode()
            a, b = (oid, upd) if order == "IU" else (upd, oid)
            h = base.copy()
            h.update(first)
            h.update(a)
            h.update(middle)
            h.update(b)
            h.update(last)
            lines.append(base64.b64encode(h.digest()).decode())
            if len(lines) == 65536:
                out.write("\n".join(lines) + "\n")
                lines = []
        if lines:
            out.write("\n".join(lines) + "\n")
    os.replace(tmp, args.out)
    sizes = [len(body(t, 0).encode()) for t in templates]
    print(f"{args.count} requests, {len(templates)} templates, body bytes "
          f"{min(sizes)}..{max(sizes)} (mean {sum(sizes) / len(sizes):.0f})", file=sys.stderr)


if __name__ == "__main__":
    main()
