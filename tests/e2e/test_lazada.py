"""Lazada channel (issue 6), end to end: the real binary, real redis-server, a local OMS and a
fake Lazada Open Platform that checks every API signature the way Lazada does."""
import hashlib
import hmac
import json
import threading
import time
import unittest
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from harness import FakeOms, Gateway, RedisServer, base_config, wait_until

APP_KEY = "123456"
APP_SECRET = "lzd_e2e_secret_0123456789"
TOKEN = "lzd-token-good"
SELLER = "1000001"


def api_sign(secret, api_path, params):
    """Lazada's algorithm: path + name/value pairs sorted by name, HMAC-SHA256, upper hex."""
    text = api_path + "".join(k + v for k, v in sorted(params.items()) if k != "sign")
    return hmac.new(secret.encode(), text.encode(), hashlib.sha256).hexdigest().upper()


def push_body(order_id, status, status_time, line_id=None, seller=SELLER, site="lazada_sg",
              message_type=0):
    return json.dumps({
        "seller_id": seller, "message_type": message_type,
        "data": {"order_status": status, "trade_order_id": str(order_id),
                 "trade_order_line_id": str(line_id or order_id * 10 + 1),
                 "status_update_time": status_time},
        "timestamp": int(time.time() * 1000), "site": site,
    }, separators=(",", ":")).encode()


def push_signature(body, secret=APP_SECRET):
    return hmac.new(secret.encode(), APP_KEY.encode() + body, hashlib.sha256).hexdigest()


def order_state(order_id, statuses, updated):
    """GetOrder data and GetOrderItems data for one order with one unit per status."""
    order = {"order_id": order_id, "order_number": order_id,
             "created_at": "2024-11-05 16:15:31 +0800", "updated_at": updated,
             "price": f"{10 * len(statuses)}.00", "voucher": "0.00", "shipping_fee": "2.00",
             "payment_method": "MIXEDCARD", "statuses": sorted(set(statuses)),
             "customer_first_name": "Tan", "customer_last_name": "Mei Ling",
             "address_shipping": {"first_name": "Tan", "last_name": "Mei Ling",
                                  "address1": "10 Orchard Road", "city": "Singapore",
                                  "post_code": "238823", "country": "Singapore"}}
    items = [{"order_item_id": order_id * 10 + 1 + i, "order_id": str(order_id), "status": s,
              "name": "Cotton Tee", "sku": "TEE-1", "sku_id": 2001, "shop_sku": "TEE-1_SGAMZ",
              "item_price": "10.00", "paid_price": "10.00", "currency": "SGD",
              "tracking_code": "LEXSG01" if s in ("shipped", "delivered") else "",
              "shipment_provider": "LEX SG", "sla_time_stamp": "2024-11-07T23:59:59+08:00"}
             for i, s in enumerate(statuses)]
    return order, items


class FakeLazada:
    """GET /rest/order/get and /rest/order/items/get. Rejects a bad signature with
    IncompleteSignature, an unknown token with IllegalAccessToken; can be down (503) or
    rate-limited (ApiCallLimit) on demand. Thread-safe."""

    def __init__(self):
        self.lock = threading.Lock()
        self.orders = {}
        self.token = TOKEN
        self.down = False
        self.rate_limited = 0  # answer ApiCallLimit this many more times
        self.calls = []  # (api path, order_id, outcome)
        self.bad_signatures = 0
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):
                status, payload = outer.answer(self.path)
                body = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}/rest"

    def set_order(self, order_id, statuses, updated):
        with self.lock:
            self.orders[str(order_id)] = order_state(order_id, statuses, updated)

    def answer(self, target):
        parsed = urllib.parse.urlsplit(target)
        api = parsed.path[len("/rest"):]
        params = dict(urllib.parse.parse_qsl(parsed.query, keep_blank_values=True))
        order_id = params.get("order_id", "")
        with self.lock:
            def record(outcome):
                self.calls.append((api, order_id, outcome))
            if self.down:
                record("down")
                return 503, {"error": "down"}
            sign = params.get("sign", "")
            if (params.get("app_key") != APP_KEY or params.get("sign_method") != "sha256"
                    or sign != api_sign(APP_SECRET, api, params)):
                self.bad_signatures += 1
                record("bad_signature")
                return 200, {"code": "IncompleteSignature", "type": "ISV", "request_id": "r",
                             "message": "The request signature does not conform to platform standards"}
            if abs(int(params.get("timestamp", "0")) - time.time() * 1000) > 7200 * 1000:
                record("bad_timestamp")
                return 200, {"code": "InvalidTimestamp", "type": "ISV", "message": "timestamp"}
            if params.get("access_token") != self.token:
                record("bad_token")
                return 200, {"code": "IllegalAccessToken", "type": "ISV", "request_id": "r",
                             "message": "The specified access token is invalid or expired"}
            if self.rate_limited > 0:
                self.rate_limited -= 1
                record("rate_limited")
                return 200, {"code": "ApiCallLimit", "type": "ISV", "request_id": "r",
                             "message": "The request has exceeded the limit"}
            state = self.orders.get(order_id)
            if state is None:
                record("not_found")
                return 200, {"code": "ORDER_NOT_FOUND", "type": "ISV", "request_id": "r",
                             "message": f"order {order_id} not found"}
            record("ok")
            data = state[0] if api == "/order/get" else state[1]
            return 200, {"code": "0", "data": data, "request_id": "r"}

    def fetches(self, api="/order/get", outcome="ok"):
        with self.lock:
            return sum(1 for a, _, o in self.calls if a == api and o == outcome)

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def lazada_config(redis_url, oms, api_url, token=TOKEN):
    return base_config(redis_url, oms) + f"""
channels:
  lz:
    adapter: lazada
    app_key: "{APP_KEY}"
    app_secret: {APP_SECRET}
    api_url: {api_url}
    access_token: {token}
    seller_id: "{SELLER}"
    auth_retry_seconds: 1
"""


class LazadaTest(unittest.TestCase):
    def setUp(self):
        self.redis = RedisServer()
        self.oms = FakeOms()
        self.lazada = FakeLazada()
        self.gw = Gateway(lazada_config(self.redis.url, self.oms, self.lazada.url))

    def tearDown(self):
        self.gw.close()
        self.lazada.close()
        self.oms.close()
        self.redis.close()

    def push(self, body, signature=None, gw=None):
        gw = gw or self.gw
        headers = {"Content-Type": "application/json",
                   "Authorization": signature if signature is not None else push_signature(body)}
        return gw.json("POST", "/v1/channels/lz/webhooks", body, headers)

    def wait_events(self, n, timeout=30):
        wait_until(lambda: len(self.oms.received()) >= n, timeout=timeout,
                   what=f"{n} events at the OMS (have {len(self.oms.received())})")
        return [ev for _, _, ev in self.oms.received()]

    def test_signed_push_is_fetched_and_forwarded(self):
        self.lazada.set_order(781234567890123, ["pending", "pending"], "2024-11-05 16:16:31 +0800")
        started = time.monotonic()
        status, body = self.push(push_body(781234567890123, "pending", 1730794591))
        self.assertLess(time.monotonic() - started, 0.5)
        self.assertEqual(status, 200, body)
        self.assertEqual((body["status"], body["fetch"]), ("accepted", "queued"))
        ev = self.wait_events(1)[0]
        self.assertEqual(ev["type"], "order.created")
        self.assertEqual(ev["source"], "/channels/lz")
        self.assertEqual(ev["subject"], "lz:781234567890123")
        data = ev["data"]
        self.assertEqual(data["channel"]["type"], "lazada")
        self.assertEqual(data["channel"]["order_id"], "781234567890123")
        self.assertEqual(data["channel"]["store"], SELLER)
        self.assertEqual(data["status"], "open")
        self.assertEqual(data["version"], "2024-11-05T08:16:31Z")
        self.assertEqual(data["currency"], "SGD")
        self.assertEqual(data["totals"]["total"], 2200)  # 20.00 - 0 + 2.00
        self.assertEqual(len(data["lines"]), 1)
        self.assertEqual(data["lines"][0]["quantity"], 2)
        self.assertEqual(data["lines"][0]["item_ids"], ["7812345678901231", "7812345678901232"])
        self.assertEqual(data["ship_to"]["country_code"], "SG")
        self.assertEqual(self.lazada.bad_signatures, 0)
        self.assertEqual(self.lazada.fetches("/order/items/get"), 1)

    def test_bad_signature_is_401_and_nothing_stored(self):
        body = push_body(55, "pending", 1730794591)
        status, answer = self.push(body, signature=push_signature(body, "wrong-secret"))
        self.assertEqual(status, 401)
        self.assertIn("signature", answer["message"])
        status, _ = self.push(body, signature="")
        self.assertEqual(status, 401)
        # Another seller than the configured one.
        other = push_body(56, "pending", 1730794591, seller="999")
        self.assertEqual(self.push(other)[0], 401)
        self.assertEqual(self.redis.cli("KEYS", "og:{p:lz}:*"), "")

    def test_non_order_message_is_ignored(self):
        body = push_body(57, "pending", 1730794591, message_type=3)
        status, answer = self.push(body)
        self.assertEqual((status, answer["status"]), (200, "ignored"))

    def test_same_push_twelve_times_is_one_order(self):
        self.lazada.set_order(1001, ["pending"], "2024-11-05 16:16:31 +0800")
        body = push_body(1001, "pending", 1730794591)
        answers = [self.push(body)[1]["status"] for _ in range(12)]
        self.assertEqual(answers, ["accepted"] + ["duplicate"] * 11)
        self.wait_events(1)
        time.sleep(1.0)
        self.assertEqual(len(self.oms.received()), 1)
        self.assertEqual(self.lazada.fetches(), 1)

    def test_status_sequence_arrives_in_order(self):
        oid = 2002
        steps = [("pending", "2024-11-05 16:16:31 +0800", 1730794591),
                 ("ready_to_ship", "2024-11-05 18:00:00 +0800", 1730800800),
                 ("shipped", "2024-11-06 09:30:00 +0800", 1730856600)]
        for i, (status, updated, at) in enumerate(steps):
            self.lazada.set_order(oid, [status, status], updated)
            code, answer = self.push(push_body(oid, status, at))
            self.assertEqual((code, answer["status"]), (200, "accepted"))
            self.wait_events(i + 1)
        events = [ev for _, _, ev in self.oms.received()]
        self.assertEqual([e["type"] for e in events], ["order.created", "order.updated", "order.updated"])
        self.assertEqual([e["data"]["status"] for e in events], ["open", "open", "shipped"])
        self.assertEqual([e["data"]["channel"]["status"] for e in events],
                         ["pending", "ready_to_ship", "shipped"])
        self.assertEqual(events[2]["data"]["lines"][0]["tracking_number"], "LEXSG01")

    def test_pushes_while_pending_coalesce_into_one_fetch_with_newest_state(self):
        oid = 3003
        self.lazada.down = True
        self.lazada.set_order(oid, ["pending", "pending"], "2024-11-05 16:16:31 +0800")
        first = self.push(push_body(oid, "pending", 1730794591, line_id=30031))[1]
        self.assertEqual(first["fetch"], "queued")
        wait_until(lambda: self.lazada.fetches(outcome="down") >= 1, what="a fetch attempt")
        self.lazada.set_order(oid, ["ready_to_ship", "ready_to_ship"], "2024-11-05 18:00:00 +0800")
        second = self.push(push_body(oid, "ready_to_ship", 1730800800, line_id=30031))[1]
        third = self.push(push_body(oid, "ready_to_ship", 1730800800, line_id=30032))[1]
        self.assertEqual((second["fetch"], third["fetch"]), ("coalesced", "coalesced"))
        self.lazada.down = False
        events = self.wait_events(1)
        time.sleep(1.0)
        events = [ev for _, _, ev in self.oms.received()]
        self.assertEqual(len(events), 1)
        self.assertEqual(events[0]["data"]["channel"]["status"], "ready_to_ship")
        self.assertEqual(self.lazada.fetches(), 1)

    def test_api_down_then_recovers_and_rate_limits_are_retried(self):
        self.lazada.down = True
        self.lazada.set_order(4004, ["pending"], "2024-11-05 16:16:31 +0800")
        self.assertEqual(self.push(push_body(4004, "pending", 1730794591))[0], 200)
        wait_until(lambda: self.lazada.fetches(outcome="down") >= 3, timeout=20,
                   what="three failed fetch attempts")
        self.assertEqual(self.oms.received(), [])
        self.lazada.down = False
        self.lazada.rate_limited = 2
        ev = self.wait_events(1)[0]
        self.assertEqual(ev["subject"], "lz:4004")
        self.assertGreaterEqual(self.lazada.fetches(outcome="rate_limited"), 1)
        status, dlq = self.gw.json("GET", "/v1/admin/pulls/dlq",
                                   headers={"Authorization": "Bearer test-admin-token"})
        self.assertEqual((status, dlq["items"]), (200, []))

    def test_other_api_errors_are_dead_lettered_with_lazada_code(self):
        self.assertEqual(self.push(push_body(5005, "pending", 1730794591))[0], 200)
        admin = {"Authorization": "Bearer test-admin-token"}

        def dead():
            return self.gw.json("GET", "/v1/admin/pulls/dlq?channel=lz", headers=admin)[1]["items"]
        wait_until(lambda: len(dead()) == 1, what="a dead fetch job")
        item = dead()[0]
        self.assertEqual((item["channel"], item["key"], item["code"]), ("lz", "5005", "ORDER_NOT_FOUND"))
        self.assertIn("order 5005 not found", item["message"])
        # Fixed on Lazada's side: replay from the admin API.
        self.lazada.set_order(5005, ["pending"], "2024-11-05 16:16:31 +0800")
        status, _ = self.gw.json("POST", "/v1/admin/pulls/dlq/lz/5005/replay", headers=admin)
        self.assertEqual(status, 200)
        self.assertEqual(self.wait_events(1)[0]["subject"], "lz:5005")
        self.assertEqual(dead(), [])

    def test_unreadable_order_is_quarantined_and_replay_fetches_again(self):
        admin = {"Authorization": "Bearer test-admin-token"}
        order, items = order_state(7007, ["pending"], "2024-11-05 16:16:31 +0800")
        order["address_shipping"]["country"] = "Atlantis"
        with self.lazada.lock:
            self.lazada.orders["7007"] = (order, items)
        self.assertEqual(self.push(push_body(7007, "pending", 1730794591))[0], 200)

        def quarantined():
            return self.gw.json("GET", "/v1/admin/quarantine?channel=lz", headers=admin)[1]["items"]
        wait_until(lambda: len(quarantined()) == 1, what="a quarantined fetch")
        entry = quarantined()[0]
        self.assertEqual(entry["errors"][0]["field"], "order.address_shipping.country")
        # Fixed upstream; replaying the entry queues a fresh fetch.
        self.lazada.set_order(7007, ["pending"], "2024-11-05 16:16:31 +0800")
        status, answer = self.gw.json("POST", f"/v1/admin/quarantine/{entry['id']}/replay", headers=admin)
        self.assertEqual((status, answer["fetch"]), (200, "queued"))
        self.assertEqual(self.wait_events(1)[0]["subject"], "lz:7007")
        self.assertEqual(quarantined(), [])

    def test_refused_token_raises_alert_and_jobs_wait_for_the_fix(self):
        self.lazada.token = "the-new-token"
        self.lazada.set_order(6006, ["pending"], "2024-11-05 16:16:31 +0800")
        self.assertEqual(self.push(push_body(6006, "pending", 1730794591))[0], 200)

        def ready():
            return self.gw.json("GET", "/readyz")[1]["checks"].get("pulls:lz", "")
        wait_until(lambda: ready().startswith("alert: IllegalAccessToken"), what="readyz alert")
        metrics = self.gw.request("GET", "/metrics")[1].decode()
        self.assertIn('ordergate_channel_alert{channel="lz",reason="IllegalAccessToken"} 1', metrics)
        self.assertIn("channel credentials refused", self.gw.logs())
        wait_until(lambda: self.lazada.fetches(outcome="bad_token") >= 2, timeout=15,
                   what="the job retried while refused")
        admin = {"Authorization": "Bearer test-admin-token"}
        self.assertEqual(self.gw.json("GET", "/v1/admin/pulls/dlq", headers=admin)[1]["items"], [])
        self.assertEqual(self.oms.received(), [])
        # The operator puts the new token into the config and restarts: the job is still there.
        self.gw.terminate()
        self.gw.close()
        self.gw = Gateway(lazada_config(self.redis.url, self.oms, self.lazada.url, token="the-new-token"))
        self.assertEqual(self.wait_events(1)[0]["subject"], "lz:6006")
        wait_until(lambda: ready() == "ok", what="alert cleared")


if __name__ == "__main__":
    unittest.main()
