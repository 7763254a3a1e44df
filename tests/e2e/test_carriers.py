"""Carrier callbacks through the shipped mappings (issue 7), end to end: the real binary, a real
redis-server and a local OMS. Payloads are the mappings' own samples, signed the way each
carrier signs them."""
import base64
import copy
import hashlib
import hmac
import json
import os
import time
import unittest

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


if __name__ == "__main__":
    unittest.main()
