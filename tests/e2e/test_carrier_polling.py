"""Carrier polling (issue 7), end to end: the real binary and redis-server, a local OMS and fake
carrier tracking APIs (OAuth client credentials JSON, Basic-auth XML). Carriers are defined by
the shipped mappings plus a `poll:` block only."""
import base64
import json
import os
import threading
import time
import unittest
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import test_carriers as callbacks
from harness import FakeOms, Gateway, RedisServer, base_config, wait_until

MAPPINGS = callbacks.MAPPINGS
DHL_TOKEN = callbacks.DHL_TOKEN
EASYPOST_SECRET = callbacks.EASYPOST_SECRET
dumps = callbacks.dumps

# Polling: a fake DHL-like tracking API with an OAuth client-credentials token endpoint.

CLIENT_ID = "og-client"
CLIENT_SECRET = "og-secret"
ADMIN = {"Authorization": "Bearer test-admin-token", "Content-Type": "application/json"}

# The history the fake carrier reveals, one stage at a time (DHL unified tracking format).
STAGES = [
    {"timestamp": "2026-03-11T15:10:00", "statusCode": "pre-transit", "status": "VA",
     "description": "Auftragsdaten elektronisch übermittelt",
     "location": {"address": {"countryCode": "DE", "postalCode": "53113", "addressLocality": "Bonn"}}},
    {"timestamp": "2026-03-12T04:00:00", "statusCode": "transit", "status": "AA",
     "description": "Die Sendung wurde im Start-Paketzentrum bearbeitet.",
     "location": {"address": {"countryCode": "DE", "postalCode": "53113", "addressLocality": "Bonn"}}},
    {"timestamp": "2026-03-12T08:05:00", "statusCode": "transit", "status": "PO",
     "description": "Die Sendung wurde in das Zustellfahrzeug geladen.",
     "location": {"address": {"countryCode": "DE", "postalCode": "10115", "addressLocality": "Berlin"}}},
    {"timestamp": "2026-03-12T13:41:00", "statusCode": "delivered", "status": "ZU",
     "description": "Die Sendung wurde erfolgreich zugestellt.",
     "location": {"address": {"countryCode": "DE", "postalCode": "10115", "addressLocality": "Berlin"}}},
]


class FakeCarrierApi:
    """POST /oauth/token (client credentials, tokens live `token_ttl` seconds) and
    GET /track/shipments?trackingNumber=… (Bearer token). `failures` is a list of statuses
    answered before the real answers (429 with Retry-After: 1). Thread-safe."""

    def __init__(self, token_ttl=2):
        self.lock = threading.Lock()
        self.token_ttl = token_ttl
        self.tokens = {}  # token -> expiry (monotonic)
        self.issued = 0
        self.stage = {}  # tracking number -> events revealed
        self.failures = []
        self.calls = []  # (tracking number, outcome)
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0"))).decode()
                self.reply(*outer.token(self.path, body))

            def do_GET(self):
                self.reply(*outer.track(self.path, self.headers.get("Authorization", "")))

            def reply(self, status, payload, headers=None):
                body = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def token(self, path, body):
        form = dict(urllib.parse.parse_qsl(body))
        if path != "/oauth/token" or form.get("grant_type") != "client_credentials":
            return 400, {"error": "unsupported_grant_type"}
        if form.get("client_id") != CLIENT_ID or form.get("client_secret") != CLIENT_SECRET:
            return 401, {"error": "invalid_client"}
        with self.lock:
            self.issued += 1
            token = f"tok-{self.issued}"
            self.tokens[token] = time.monotonic() + self.token_ttl
        return 200, {"access_token": token, "token_type": "bearer", "expires_in": self.token_ttl}

    def track(self, path, auth):
        parsed = urllib.parse.urlsplit(path)
        number = dict(urllib.parse.parse_qsl(parsed.query)).get("trackingNumber", "")
        with self.lock:
            token = auth[len("Bearer "):] if auth.startswith("Bearer ") else ""
            if self.tokens.get(token, 0) < time.monotonic():
                self.calls.append((number, "unauthorized"))
                return 401, {"title": "Unauthorized", "status": 401}
            if self.failures:
                status = self.failures.pop(0)
                self.calls.append((number, status))
                return status, {"title": "failing on demand"}, {"Retry-After": "1"} if status == 429 else {}
            n = self.stage.get(number, 0)
            if n == 0:
                self.calls.append((number, "not_found"))
                return 404, {"title": "No shipment with given tracking number found.", "status": 404}
            self.calls.append((number, "ok"))
            events = list(reversed(STAGES[:n]))  # DHL lists newest first
            shipment = {"id": number, "service": "parcel-de", "status": events[0], "events": events,
                        "details": {"product": {"productName": "DHL PAKET"}}}
            return 200, {"shipments": [shipment]}

    def revoke_tokens(self):
        with self.lock:
            self.tokens.clear()

    def set_stage(self, number, n):
        with self.lock:
            self.stage[number] = n

    def requests_for(self, number):
        with self.lock:
            return [o for t, o in self.calls if t == number]

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def polling_config(redis_url, oms, api):
    return base_config(redis_url, oms) + f"""
carriers:
  dhl:
    mapping: {MAPPINGS}/dhl/mapping.yaml
    secret: {DHL_TOKEN}
    poll:
      url: {api.url("/track/shipments?trackingNumber={tracking_number}")}
      interval: 300ms
      max_requests_per_second: 50
      headers: {{Accept: application/json}}
      auth:
        kind: oauth_client_credentials
        token_url: {api.url("/oauth/token")}
        client_id: {CLIENT_ID}
        client_secret: {CLIENT_SECRET}
"""


class CarrierPollingTest(unittest.TestCase):
    def setUp(self):
        self.redis = RedisServer()
        self.oms = FakeOms()
        self.api = FakeCarrierApi()
        self.gw = Gateway(polling_config(self.redis.url, self.oms, self.api))

    def tearDown(self):
        self.gw.close()
        self.api.close()
        self.oms.close()
        self.redis.close()

    def statuses(self, subject):
        return [ev["data"]["status"] for path, _, ev in self.oms.received()
                if path == "/tracking" and ev["subject"] == subject]

    def wait_statuses(self, subject, n, timeout=20):
        wait_until(lambda: len(self.statuses(subject)) >= n, timeout=timeout,
                   what=f"{n} tracking.updated for {subject} (have {self.statuses(subject)})")
        return self.statuses(subject)

    def register(self, number, order_key=None):
        body = {"carrier": "dhl", "tracking_number": number}
        if order_key:
            body["order_key"] = order_key
        return self.gw.json("POST", "/v1/trackings", dumps(body), ADMIN)

    def test_polls_until_delivered(self):
        number = "00340434161094099991"
        subject = "dhl:" + number
        self.api.set_stage(number, 1)
        status, body = self.register(number, "shop:1001")
        self.assertEqual(status, 201, body)
        self.assertEqual(body["state"], "following")
        status, body = self.register(number)  # idempotent
        self.assertEqual(status, 200, body)

        self.assertEqual(self.wait_statuses(subject, 1), ["label_created"])
        first = [ev for _, _, ev in self.oms.received() if ev["subject"] == subject][0]
        self.assertEqual(first["type"], "tracking.updated")
        self.assertEqual(first["source"], "/carriers/dhl")
        self.assertEqual(first["data"]["order_key"], "shop:1001")
        self.assertEqual(first["data"]["tracking_number"], number)
        # Several polls of the same history: nothing new forwarded.
        wait_until(lambda: self.api.requests_for(number).count("ok") >= 3, timeout=10, what="3 polls")
        self.assertEqual(self.statuses(subject), ["label_created"])

        self.api.set_stage(number, 2)
        self.assertEqual(self.wait_statuses(subject, 2)[-1], "in_transit")

        # Rate limited and failing: the worker backs off and carries on.
        with self.api.lock:
            self.api.failures = [429, 503, 502]
        self.api.set_stage(number, 3)
        self.assertEqual(self.wait_statuses(subject, 3)[-1], "out_for_delivery")
        self.assertIn(429, self.api.requests_for(number))
        self.assertIn(503, self.api.requests_for(number))

        # A revoked token: 401, one fresh token, the same poll again.
        self.api.revoke_tokens()
        self.api.set_stage(number, 4)
        self.assertEqual(self.wait_statuses(subject, 4), ["label_created", "in_transit",
                                                          "out_for_delivery", "delivered"])
        self.assertGreaterEqual(self.api.issued, 2)

        # Delivered is final: no more requests.
        wait_until(lambda: self.gw.json("GET", f"/v1/trackings/dhl/{number}", None, ADMIN)[1]["state"] == "done",
                   timeout=5, what="state done")
        polls = len(self.api.requests_for(number))
        time.sleep(1.5)
        self.assertEqual(len(self.api.requests_for(number)), polls)
        status, state = self.gw.json("GET", f"/v1/trackings/dhl/{number}", None, ADMIN)
        self.assertEqual(status, 200)
        self.assertEqual((state["status"], state["order_key"]), ("delivered", "shop:1001"))
        self.assertEqual(len(self.statuses(subject)), 4)
        _, metrics, _ = self.gw.request("GET", "/metrics")
        self.assertIn('ordergate_tracking_polls_total{carrier="dhl",outcome="accepted"} 4', metrics.decode())

    def test_unfollow_and_errors(self):
        number = "JJD000390007770001"
        status, body = self.register(number)
        self.assertEqual(status, 201, body)
        wait_until(lambda: "not_found" in self.api.requests_for(number), timeout=10, what="a poll")
        status, body = self.gw.json("DELETE", f"/v1/trackings/dhl/{number}", None, ADMIN)
        self.assertEqual((status, body["state"]), (200, "stopped"))
        time.sleep(0.5)
        polls = len(self.api.requests_for(number))
        time.sleep(1.0)
        self.assertEqual(len(self.api.requests_for(number)), polls)
        status, _ = self.gw.json("GET", "/v1/trackings/dhl/UNKNOWN1", None, ADMIN)
        self.assertEqual(status, 404)
        status, _ = self.gw.json("POST", "/v1/trackings", dumps({"carrier": "ups", "tracking_number": "1"}), ADMIN)
        self.assertEqual(status, 404)
        status, _ = self.gw.json("POST", "/v1/trackings", dumps({"carrier": "dhl"}), ADMIN)
        self.assertEqual(status, 400)
        status, _ = self.gw.json("POST", "/v1/trackings", dumps({"carrier": "dhl", "tracking_number": "1"}),
                                 {"Content-Type": "application/json"})
        self.assertEqual(status, 401)


class FakeUpsXml:
    """The legacy UPS Track XML API shape: POST of a TrackRequest, Basic auth; answers the
    ups-xml mapping's sample for the requested number. Thread-safe."""

    def __init__(self):
        self.lock = threading.Lock()
        self.requests = []  # (authorization, body)
        with open(os.path.join(MAPPINGS, "ups-xml", "samples", "03-returned-exception.xml"), "rb") as f:
            self.answer = f.read()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0"))).decode()
                with outer.lock:
                    outer.requests.append((self.headers.get("Authorization", ""), body))
                self.send_response(200)
                self.send_header("Content-Type", "application/xml")
                self.send_header("Content-Length", str(len(outer.answer)))
                self.end_headers()
                self.wfile.write(outer.answer)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def seen(self):
        with self.lock:
            return list(self.requests)

    def close(self):
        self.server.shutdown()
        self.server.server_close()


class XmlPollingByConfigTest(unittest.TestCase):
    """A carrier defined only by configuration: the shipped ups-xml mapping and a poll block
    with a POST XML body template and Basic auth."""

    def test_ups_xml_polled_with_post_body_template(self):
        redis, oms, ups = RedisServer(), FakeOms(), FakeUpsXml()
        body = ('<?xml version="1.0"?><TrackRequest><Request><RequestAction>Track</RequestAction>'
                '</Request><TrackingNumber>{tracking_number}</TrackingNumber></TrackRequest>')
        gw = Gateway(base_config(redis.url, oms) + f"""
carriers:
  ups:
    mapping: {MAPPINGS}/ups-xml/mapping.yaml
    poll:
      url: http://127.0.0.1:{ups.port}/ups/Track
      method: POST
      content_type: application/xml
      body: '{body}'
      interval: 200ms
      auth: {{kind: basic, username: ups-user, password: "p@ss"}}
  ups_pushes:      # callbacks through one mapping, polled answers read by another
    mapping: {MAPPINGS}/easypost/mapping.yaml
    secret: {EASYPOST_SECRET}
    poll:
      url: http://127.0.0.1:{ups.port}/ups/Track
      method: POST
      content_type: application/xml
      body: '{body}'
      interval: 200ms
      poll_mapping: {MAPPINGS}/ups-xml/mapping.yaml
""")
        try:
            status, answer = gw.json("POST", "/v1/trackings",
                                     dumps({"carrier": "ups", "tracking_number": "1Z 12345E 66 05272234"}), ADMIN)
            self.assertEqual(status, 201, answer)
            self.assertEqual(answer["tracking_number"], "1Z12345E6605272234")
            wait_until(lambda: any(ev["subject"] == "ups:1Z12345E6605272234" for _, _, ev in oms.received()),
                       timeout=15, what="the UPS update at the OMS")
            ev = [ev for _, _, ev in oms.received()][0]
            self.assertEqual((ev["data"]["carrier"], ev["data"]["status"]), ("ups", "returned_to_sender"))
            auth, sent = ups.seen()[0]
            self.assertEqual(auth, "Basic " + base64.b64encode(b"ups-user:p@ss").decode())
            self.assertIn("<TrackingNumber>1Z12345E6605272234</TrackingNumber>", sent)
            # returned_to_sender is final: polling stops after the first answer.
            time.sleep(1.0)
            self.assertEqual(len(ups.seen()), 1)
            status, state = gw.json("GET", "/v1/trackings/ups/1Z12345E6605272234", None, ADMIN)
            self.assertEqual((status, state["state"], state["status"]), (200, "done", "returned_to_sender"))

            status, answer = gw.json("POST", "/v1/trackings",
                                     dumps({"carrier": "ups_pushes", "tracking_number": "1Z12345E6605272234"}), ADMIN)
            self.assertEqual(status, 201, answer)
            wait_until(lambda: any(ev["subject"] == "ups_pushes:1Z12345E6605272234" for _, _, ev in oms.received()),
                       timeout=15, what="the poll_mapping update at the OMS")
        finally:
            gw.close()
            ups.close()
            oms.close()
            redis.close()


if __name__ == "__main__":
    unittest.main()
