"""Carrier callbacks through the shipped mappings (issue 7), end to end: the real binary, a real
redis-server and a local OMS. Payloads are the mappings' own samples, signed the way each
carrier signs them."""
import base64
import copy
import hashlib
import hmac
import json
import os
import threading
import time
import unittest
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from harness import SOURCE_DIR, FakeOms, Gateway, RedisServer, base_config, wait_until

MAPPINGS = os.path.abspath(os.path.join(SOURCE_DIR, "mappings"))
EASYPOST_SECRET = "ep-webhook-secret"
AFTERSHIP_SECRET = "as-webhook-secret"
FEDEX_SECRET = "fdx-webhook-secret"
DHL_TOKEN = "dhl-push-token"


def sample(carrier, name):
    with open(os.path.join(MAPPINGS, carrier, "samples", name), "rb") as f:
        return json.load(f)


def dumps(payload):
    return json.dumps(payload, separators=(",", ":")).encode()


def hmac_hex(secret, body):
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def hmac_b64(secret, body):
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def carriers_config(redis_url, oms):
    return base_config(redis_url, oms) + f"""
carriers:
  easypost:
    mapping: {MAPPINGS}/easypost/mapping.yaml
    secret: {EASYPOST_SECRET}
  aftership:
    mapping: {MAPPINGS}/aftership/mapping.yaml
    secret: {AFTERSHIP_SECRET}
  fedex:
    mapping: {MAPPINGS}/fedex/mapping.yaml
    secret: {FEDEX_SECRET}
  dhl:
    mapping: {MAPPINGS}/dhl/mapping.yaml
    secret: {DHL_TOKEN}
"""


def easypost_event(event_id, updated_at, details):
    """An EasyPost tracker.updated Event whose history is `details` [(status, detail, time)]."""
    base = sample("easypost", "02-pickup-then-delivered.json")
    ev = copy.deepcopy(base)
    ev["id"] = event_id
    ev["result"]["updated_at"] = updated_at
    template = base["result"]["tracking_details"][0]
    ev["result"]["tracking_details"] = []
    for status, detail, at in details:
        d = copy.deepcopy(template)
        d.update({"status": status, "status_detail": detail, "datetime": at, "message": status})
        ev["result"]["tracking_details"].append(d)
    ev["result"]["status"] = details[-1][0]
    return ev


HISTORY = [("pre_transit", "label_created", "2026-03-04T08:00:00Z"),
           ("in_transit", "arrived_at_facility", "2026-03-05T09:00:00Z")]
NUMBER = "9420111899223856192701"


class CarrierCallbackTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.redis = RedisServer()
        cls.oms = FakeOms()
        cls.gw = Gateway(carriers_config(cls.redis.url, cls.oms))

    @classmethod
    def tearDownClass(cls):
        cls.gw.close()
        cls.oms.close()
        cls.redis.close()

    def post(self, carrier, body, headers):
        h = {"Content-Type": "application/json"}
        h.update(headers)
        return self.gw.json("POST", f"/v1/carriers/{carrier}/callbacks", body, h)

    def easypost(self, payload, secret=EASYPOST_SECRET):
        body = dumps(payload)
        return self.post("easypost", body, {"X-Hmac-Signature": "hmac-sha256-hex=" + hmac_hex(secret, body)})

    def tracking_events(self, subject):
        return [ev for path, _, ev in self.oms.received()
                if path == "/tracking" and ev["subject"] == subject]

    def wait_tracking(self, subject, n, timeout=15):
        wait_until(lambda: len(self.tracking_events(subject)) >= n, timeout=timeout,
                   what=f"{n} tracking.updated for {subject}")
        return self.tracking_events(subject)

    def test_easypost_history_duplicates_and_late_event(self):
        number = "EP" + NUMBER
        subject = "easypost:" + number
        first = easypost_event("evt_a1", "2026-03-05T09:01:00Z", HISTORY)
        first["result"]["tracking_code"] = number
        status, body = self.easypost(first)
        self.assertEqual(status, 200, body)
        self.assertEqual(body["status"], "accepted")
        ev = self.wait_tracking(subject, 1)[0]
        self.assertEqual(ev["type"], "tracking.updated")
        self.assertEqual(ev["source"], "/carriers/easypost")
        data = ev["data"]
        self.assertEqual(data["carrier"], "easypost")
        self.assertEqual(data["tracking_number"], number)
        self.assertEqual(data["status"], "in_transit")
        self.assertEqual(data["occurred_at"], "2026-03-05T09:00:00Z")
        self.assertEqual(data["carrier_status"]["code"], "in_transit")
        self.assertEqual(data["location"]["country_code"], "US")
        self.assertEqual([e["status"] for e in data["events"]], ["label_created", "in_transit"])

        # The same history again (new delivery id): nothing new is forwarded.
        again = copy.deepcopy(first)
        again["id"] = "evt_a2"
        status, body = self.easypost(again)
        self.assertEqual(status, 200, body)
        self.assertIn(body["status"], ("duplicate", "stale"))
        # The very same delivery again.
        status, body = self.easypost(first)
        self.assertEqual(body["status"], "duplicate")

        # One more event: one new forward with the new status.
        more = easypost_event("evt_a3", "2026-03-06T07:00:00Z",
                              HISTORY + [("out_for_delivery", "out_for_delivery", "2026-03-06T06:55:00Z")])
        more["result"]["tracking_code"] = number
        status, body = self.easypost(more)
        self.assertEqual(body["status"], "accepted", body)
        events = self.wait_tracking(subject, 2)
        self.assertEqual(events[1]["data"]["status"], "out_for_delivery")

        # A late, older snapshot never overrides the newer status.
        late = easypost_event("evt_a4", "2026-03-05T12:00:00Z",
                              HISTORY + [("in_transit", "departed_facility", "2026-03-05T11:00:00Z")])
        late["result"]["tracking_code"] = number
        status, body = self.easypost(late)
        self.assertEqual(body["status"], "stale", body)
        time.sleep(0.5)
        self.assertEqual(len(self.tracking_events(subject)), 2)

    def test_easypost_wrong_signature_is_401(self):
        payload = easypost_event("evt_bad", "2026-03-05T09:01:00Z", HISTORY)
        status, body = self.easypost(payload, secret="not-the-secret")
        self.assertEqual(status, 401, body)
        status, _ = self.post("easypost", dumps(payload), {})
        self.assertEqual(status, 401)

    def test_aftership_base64_signature(self):
        payload = sample("aftership", "01-out-for-delivery.json")
        body = dumps(payload)
        status, answer = self.post("aftership", body, {"aftership-hmac-sha256": hmac_b64(AFTERSHIP_SECRET, body)})
        self.assertEqual(status, 200, answer)
        ev = self.wait_tracking("aftership:1Z999AA10123456784", 1)[0]
        self.assertEqual(ev["data"]["status"], "out_for_delivery")
        self.assertEqual(ev["data"]["carrier"], "aftership")
        status, _ = self.post("aftership", body, {"aftership-hmac-sha256": hmac_b64("wrong", body)})
        self.assertEqual(status, 401)

    def test_fedex_signature_and_skipped_not_found(self):
        payload = sample("fedex", "01-out-for-delivery-and-notfound.json")
        body = dumps(payload)
        status, answer = self.post("fedex", body, {"fdx-signature": hmac_b64(FEDEX_SECRET, body)})
        self.assertEqual(status, 200, answer)
        self.assertEqual(len(answer["events"]), 1, answer)
        ev = self.wait_tracking("fedex:794843185271", 1)[0]
        self.assertEqual(ev["data"]["status"], "out_for_delivery")
        status, _ = self.post("fedex", body, {"fdx-signature": hmac_b64("wrong", body)})
        self.assertEqual(status, 401)

    def test_dhl_token_and_multi_shipment(self):
        payload = sample("dhl", "02-delivered-and-returned.json")
        body = dumps(payload)
        status, _ = self.post("dhl", body, {"X-DHL-Push-Token": "wrong"})
        self.assertEqual(status, 401)
        status, answer = self.post("dhl", body, {"X-DHL-Push-Token": DHL_TOKEN})
        self.assertEqual(status, 200, answer)
        self.assertEqual(len(answer["events"]), 2, answer)
        delivered = self.wait_tracking("dhl:00340434161094042558", 1)[0]
        returned = self.wait_tracking("dhl:00340434161094042559", 1)[0]
        self.assertEqual(delivered["data"]["status"], "delivered")
        self.assertEqual(returned["data"]["status"], "returned_to_sender")
        # The same payload twice: nothing new.
        status, answer = self.post("dhl", body, {"X-DHL-Push-Token": DHL_TOKEN})
        self.assertEqual(answer["status"], "duplicate", answer)
        time.sleep(0.5)
        self.assertEqual(len(self.tracking_events("dhl:00340434161094042558")), 1)


# ---------------------------------------------------------------------------------------------
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
        finally:
            gw.close()
            ups.close()
            oms.close()
            redis.close()


if __name__ == "__main__":
    unittest.main()
