"""Durable pipeline (issue 3), end to end: real binary, real redis-server, a local OMS."""
import base64
import concurrent.futures
import hashlib
import hmac
import json
import time
import unittest

from harness import (FakeOms, Gateway, RedisServer, Sender, base_config, canonical_order,
                     storefront_channel, version_at, wait_until)


def admin(gw, method, path):
    return gw.json(method, path, headers={"Authorization": "Bearer test-admin-token"})


class PipelineTest(unittest.TestCase):
    def setUp(self):
        self.redis = RedisServer()
        self.oms = FakeOms()
        self.gw = Gateway(base_config(self.redis.url, self.oms) + storefront_channel())
        self.sender = Sender(self.gw.port)

    def tearDown(self):
        self.gw.close()
        self.oms.close()
        self.redis.close()

    def wait_events(self, n, timeout=30):
        wait_until(lambda: len(self.oms.received()) >= n, timeout=timeout,
                   what=f"{n} events at the OMS (have {len(self.oms.received())})")
        return self.oms.received()

    def test_push_is_forwarded_as_cloudevent(self):
        status, body = self.sender.post(canonical_order(1001, version_at(0)))
        self.assertEqual(status, 200, body)
        self.assertEqual(body["status"], "accepted")
        self.assertEqual(body["events"][0]["type"], "order.created")
        event_id = body["events"][0]["id"]
        path, headers, ev = self.wait_events(1)[0]
        self.assertEqual(path, "/orders")
        self.assertEqual(headers["content-type"], "application/cloudevents+json")
        self.assertEqual(headers["idempotency-key"], event_id)
        self.assertEqual(ev["specversion"], "1.0")
        self.assertEqual(ev["id"], event_id)
        self.assertEqual(ev["type"], "order.created")
        self.assertEqual(ev["source"], "/channels/storefront")
        self.assertEqual(ev["subject"], "storefront:1001")
        self.assertEqual(ev["datacontenttype"], "application/json")
        self.assertIn("receivedat", ev)
        self.assertEqual(ev["data"]["order_key"], "storefront:1001")
        self.assertEqual(ev["data"]["totals"]["total"], 1999)
        self.assertIn("received_at", ev["data"]["source"])

    def test_duplicate_stale_and_bad_signature(self):
        order = canonical_order(2002, version_at(5))
        self.assertEqual(self.sender.post(order)[1]["status"], "accepted")
        # The same push again (same delivery id): duplicate, cheap path.
        status, body = self.sender.post(order)
        self.assertEqual((status, body["status"]), (200, "duplicate"))
        # The same change through another delivery: business dedup.
        status, body = self.sender.post(order, msg_id="msg_other_path")
        self.assertEqual((status, body["status"]), (200, "duplicate"))
        # An older version: stale.
        status, body = self.sender.post(canonical_order(2002, version_at(1)), msg_id="msg_old")
        self.assertEqual((status, body["status"]), (200, "stale"))
        # Wrong key: 401 and nothing stored.
        status, body = self.sender.post(canonical_order(2003, version_at(1)), secret_key=b"wrong")
        self.assertEqual(status, 401)
        self.assertIn("signature", body["message"])
        time.sleep(1.0)
        subjects = [ev["subject"] for _, _, ev in self.oms.received()]
        self.assertEqual(subjects, ["storefront:2002"])
        self.assertEqual(self.redis.cli("EXISTS", "og:{s%d}:ver:storefront:2003" % 0), "0")

    def test_out_of_order_updates_only_newest_forwarded(self):
        self.sender.post(canonical_order(3003, version_at(0)))
        self.wait_events(1)
        results = [self.sender.post(canonical_order(3003, version_at(m)))[1]["status"]
                   for m in (3, 1, 2)]
        self.assertEqual(results, ["accepted", "stale", "stale"])
        time.sleep(1.0)
        got = [(ev["type"], ev["data"]["version"]) for _, _, ev in self.oms.received()]
        self.assertEqual(got, [("order.created", version_at(0)), ("order.updated", version_at(3))])

    def test_first_message_update_becomes_created_and_cancel_type(self):
        self.sender.post(canonical_order(4004, version_at(1)))
        self.sender.post(canonical_order(4004, version_at(2), status="cancelled"))
        events = self.wait_events(2)
        self.assertEqual([ev["type"] for _, _, ev in events], ["order.created", "order.cancelled"])

    def test_malformed_order_is_quarantined_and_replayable(self):
        bad = canonical_order(5005, version_at(1))
        bad["lines"][0]["quantity"] = 0
        bad["currency"] = "XYZ"
        status, body = self.sender.post(bad)
        self.assertEqual(status, 202, body)
        self.assertEqual(body["status"], "quarantined")
        fields = {e["field"] for e in body["errors"]}
        self.assertIn("lines[0].quantity", fields)
        self.assertIn("currency", fields)
        status, listing = admin(self.gw, "GET", "/v1/admin/quarantine")
        self.assertEqual(status, 200)
        self.assertEqual(listing["total"], 1)
        qid = listing["items"][0]["id"]
        self.assertEqual(qid, body["quarantine_id"])
        status, entry = admin(self.gw, "GET", f"/v1/admin/quarantine/{qid}")
        self.assertEqual(json.loads(entry["body"])["currency"], "XYZ")
        # Still broken with the current config: replay answers the errors and keeps it.
        status, _ = admin(self.gw, "POST", f"/v1/admin/quarantine/{qid}/replay")
        self.assertEqual(status, 422)
        self.assertEqual(admin(self.gw, "GET", "/v1/admin/quarantine")[1]["total"], 1)
        status, _ = admin(self.gw, "DELETE", f"/v1/admin/quarantine/{qid}")
        self.assertEqual(status, 200)
        self.assertEqual(admin(self.gw, "GET", "/v1/admin/quarantine")[1]["total"], 0)
        self.assertEqual(len(self.oms.received()), 0)

    def test_admin_requires_token(self):
        status, _ = self.gw.json("GET", "/v1/admin/dlq")
        self.assertEqual(status, 401)
        status, _ = self.gw.json("GET", "/v1/admin/dlq", headers={"Authorization": "Bearer nope"})
        self.assertEqual(status, 401)

    def test_2000_orders_and_500_redeliveries_concurrently(self):
        orders = [canonical_order(10000 + i, version_at(i % 60, i % 50)) for i in range(2000)]
        redeliveries = orders[:500]
        answers = []
        with concurrent.futures.ThreadPoolExecutor(max_workers=16) as pool:
            for status, body in pool.map(self.sender.post, orders + redeliveries):
                answers.append((status, body["status"]))
        self.assertEqual(sum(1 for a in answers if a == (200, "accepted")), 2000)
        self.assertEqual(sum(1 for a in answers if a == (200, "duplicate")), 500)
        events = self.wait_events(2000, timeout=60)
        time.sleep(1.0)
        ids = [ev["id"] for _, _, ev in self.oms.received()]
        self.assertEqual(len(set(ids)), 2000)
        self.assertEqual(len(ids), 2000, "an event was delivered twice")

    def test_forwarder_lanes_split_the_shards_and_deliver_each_event_once(self):
        self.gw.close()
        self.gw = Gateway(base_config(self.redis.url, self.oms,
                                      extra="forwarder:\n  threads: 3\npipeline:\n  outbox_shards: 8")
                          + storefront_channel())
        self.sender = Sender(self.gw.port)

        def owned():
            _, data, _ = self.gw.request("GET", "/metrics")
            for line in data.decode().splitlines():
                if line.startswith("ordergate_forwarder_shards_owned "):
                    return float(line.split()[1])
            return -1
        def holders():
            return {self.redis.cli("GET", "og:{s%d}:lease" % k) for k in range(8)}
        # Three lanes register as three instances and split the 8 shards (3 + 3 + 2).
        wait_until(lambda: owned() == 8 and len(holders()) == 3 and "" not in holders(),
                   timeout=30, what="8 shards split between 3 lanes")
        self.assertEqual(self.redis.cli("ZCARD", "og:instances"), "3")
        orders = [canonical_order(30000 + i, version_at(i % 60)) for i in range(300)]
        with concurrent.futures.ThreadPoolExecutor(max_workers=16) as pool:
            statuses = [status for status, _ in pool.map(self.sender.post, orders)]
        self.assertEqual(statuses.count(200), 300)
        self.wait_events(300, timeout=60)
        time.sleep(1.0)
        ids = [ev["id"] for _, _, ev in self.oms.received()]
        self.assertEqual(len(ids), 300, "an event was delivered twice")
        self.assertEqual(owned(), 8)

    def test_oms_400_dead_letters_then_replay_delivers(self):
        self.oms.fail_status = 400
        status, body = self.sender.post(canonical_order(6006, version_at(1)))
        event_id = body["events"][0]["id"]
        wait_until(lambda: admin(self.gw, "GET", "/v1/admin/dlq")[1]["total"] == 1, timeout=30,
                   what="a dead letter")
        status, item = admin(self.gw, "GET", f"/v1/admin/dlq/{event_id}")
        self.assertEqual(status, 200)
        self.assertEqual(item["subject"], "storefront:6006")
        self.assertIn("400", item["reason"])
        self.assertEqual(item["attempts"][-1]["status"], 400)
        self.assertEqual(item["data"]["order_key"], "storefront:6006")
        self.assertEqual(len(self.oms.received()), 0)
        # Filters.
        self.assertEqual(admin(self.gw, "GET", "/v1/admin/dlq?channel=other")[1]["items"], [])
        self.assertEqual(len(admin(self.gw, "GET", "/v1/admin/dlq?type=order.created")[1]["items"]), 1)
        self.oms.fail_status = None
        status, body = admin(self.gw, "POST", f"/v1/admin/dlq/{event_id}/replay")
        self.assertEqual(status, 200, body)
        events = self.wait_events(1)
        self.assertEqual(events[0][2]["id"], event_id)
        self.assertEqual(admin(self.gw, "GET", "/v1/admin/dlq")[1]["total"], 0)

    def test_retried_message_is_answered_from_memory_even_with_redis_down(self):
        order = canonical_order(6206, version_at(1))
        self.assertEqual(self.sender.post(order, msg_id="msg_retried")[1]["status"], "accepted")
        self.redis.stop()
        # The sender's retry of that message (same webhook-id, new timestamp and signature).
        status, body = self.sender.post(order, msg_id="msg_retried")
        self.assertEqual((status, body["status"], body["events"]), (200, "duplicate", []))
        # The same order under another webhook-id is another message: it needs Redis.
        status, _ = self.sender.post(order, msg_id="msg_other")
        self.assertEqual(status, 503)

    def test_oms_down_30s_then_healthy_keeps_order_and_loses_nothing(self):
        self.oms.fail_status = 503
        n_orders = 200
        sent = []
        with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
            for minute in (1, 2, 3):
                batch = [canonical_order(20000 + i, version_at(minute)) for i in range(n_orders)]
                for status, body in pool.map(self.sender.post, batch):
                    self.assertEqual(status, 200)
                    sent.append(body["events"][0]["id"])
        time.sleep(30)
        self.assertEqual(len(self.oms.received()), 0)
        self.oms.fail_status = None
        events = self.wait_events(3 * n_orders, timeout=60)
        time.sleep(1.0)
        events = self.oms.received()
        self.assertEqual(len(events), 3 * n_orders)
        by_subject = {}
        for _, _, ev in events:
            by_subject.setdefault(ev["subject"], []).append(ev["data"]["version"])
        for subject, versions in by_subject.items():
            self.assertEqual(versions, [version_at(1), version_at(2), version_at(3)], subject)
        self.assertEqual(admin(self.gw, "GET", "/v1/admin/dlq")[1]["total"], 0)


class UnixSocketRedisTest(unittest.TestCase):
    """redis.url: unix:///…: the whole pipeline over Redis' unix socket (the co-located case)."""

    def test_accepts_deduplicates_and_forwards_over_the_unix_socket(self):
        redis = RedisServer()
        oms = FakeOms()
        gw = Gateway(base_config(redis.socket_url, oms) + storefront_channel())
        try:
            wait_until(lambda: gw.request("GET", "/readyz")[0] == 200, timeout=10,
                       what="/readyz over the socket")
            sender = Sender(gw.port)
            order = canonical_order(7007, version_at(0))
            self.assertEqual(sender.post(order)[1]["status"], "accepted")
            self.assertEqual(sender.post(order)[1]["status"], "duplicate")
            wait_until(lambda: len(oms.received()) >= 1, timeout=30, what="the event at the OMS")
            self.assertEqual(oms.received()[0][2]["subject"], "storefront:7007")
            # Every client but redis-cli itself (the CLIENT LIST) is the gateway's.
            gateway = [c for c in redis.cli("CLIENT", "LIST").splitlines()
                       if "cmd=client|list" not in c]
            self.assertGreater(len(gateway), 2)
            for c in gateway:
                self.assertIn("addr=" + redis.socket, c, "the gateway talks over the socket")
        finally:
            gw.close()
            oms.close()
            redis.close()


class SigningTest(unittest.TestCase):
    def test_oms_signing_secret_adds_standard_webhooks_headers(self):
        redis = RedisServer()
        oms = FakeOms()
        key = b"oms-signing-key-for-tests"
        secret = "whsec_" + base64.b64encode(key).decode()
        cfg = base_config(redis.url, oms).replace(
            "  tracking_url:", f"  signing_secret: {secret}\n  tracking_url:") + storefront_channel()
        gw = Gateway(cfg)
        try:
            Sender(gw.port).post(canonical_order(7007, version_at(1)))
            wait_until(lambda: len(oms.received()) == 1, timeout=30, what="a delivery")
            _, headers, ev = oms.received()[0]
            raw = oms.raw_bodies[0]
            self.assertEqual(headers["webhook-id"], ev["id"])
            ts = headers["webhook-timestamp"]
            self.assertLess(abs(int(ts) - time.time()), 60)
            expected = base64.b64encode(hmac.new(key, f"{ev['id']}.{ts}.".encode() + raw,
                                                 hashlib.sha256).digest()).decode()
            self.assertEqual(headers["webhook-signature"], "v1," + expected)
        finally:
            gw.close()
            oms.close()
            redis.close()


if __name__ == "__main__":
    unittest.main()
