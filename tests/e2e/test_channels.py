"""Built-in channels end to end (issues 4 and 5): Shopify webhooks and Amazon flat files through
the real binary, a real redis-server and a local OMS."""
import base64
import copy
import hashlib
import hmac
import json
import os
import subprocess
import time
import unittest
import urllib.request

from harness import BINARY, SOURCE_DIR, FakeOms, Gateway, RedisServer, base_config, wait_until

SHOPIFY_GOLDEN = os.path.join(SOURCE_DIR, "tests", "golden", "channels", "shopify")
AMAZON_GOLDEN = os.path.join(SOURCE_DIR, "tests", "unit", "amazon", "golden")
SHOPIFY_SECRET = b"e2e-shopify-app-secret"


def read(path):
    with open(path, "rb") as f:
        return f.read()


def without_received_at(data, drop_source=False):
    data = copy.deepcopy(data)
    data.get("source", {}).pop("received_at", None)
    if drop_source:  # file name and receipt time differ from the golden run
        data.pop("source", None)
    return data


class ShopifyTest(unittest.TestCase):
    def setUp(self):
        self.redis = RedisServer()
        self.oms = FakeOms()
        self.channels = f"""
channels:
  shopify:
    adapter: shopify
    secret: [old-rotated-secret, {SHOPIFY_SECRET.decode()}]
    shop: ordergate-demo.myshopify.com
"""
        self.gw = Gateway(base_config(self.redis.url, self.oms) + self.channels)

    def tearDown(self):
        self.gw.close()
        self.oms.close()
        self.redis.close()

    def post(self, case, body=None, headers=None, secret=SHOPIFY_SECRET):
        body = body if body is not None else read(os.path.join(SHOPIFY_GOLDEN, case, "body.json"))
        h = json.loads(read(os.path.join(SHOPIFY_GOLDEN, case, "headers.json")))
        h["X-Shopify-Shop-Domain"] = "ordergate-demo.myshopify.com"
        h.update(headers or {})
        h["Content-Type"] = "application/json"
        h["X-Shopify-Hmac-Sha256"] = base64.b64encode(
            hmac.new(secret, body, hashlib.sha256).digest()).decode()
        return self.gw.json("POST", "/v1/channels/shopify/webhooks", body, h)

    def test_signed_webhook_reaches_the_oms_as_the_golden_canonical_order(self):
        status, answer = self.post("multi_line_discount_tax")
        self.assertEqual(status, 200, answer)
        self.assertEqual(answer["status"], "accepted")
        wait_until(lambda: len(self.oms.received()) == 1, timeout=30, what="one OMS event")
        path, headers, ev = self.oms.received()[0]
        expected = json.loads(read(os.path.join(SHOPIFY_GOLDEN, "multi_line_discount_tax",
                                                "expected.json")))["events"][0]
        self.assertEqual(path, "/orders")
        self.assertEqual(ev["type"], "order.created")
        self.assertEqual(ev["subject"], expected["subject"])
        self.assertEqual(headers["idempotency-key"], ev["id"])
        self.assertEqual(without_received_at(ev["data"]), without_received_at(expected["data"]))

    def test_wrong_signature_is_401_and_nothing_stored(self):
        status, answer = self.post("multi_line_discount_tax", secret=b"not-the-secret")
        self.assertEqual(status, 401)
        self.assertIn("signature", answer["message"])
        status, answer = self.post("multi_line_discount_tax",
                                   headers={"X-Shopify-Shop-Domain": "intruder.myshopify.com"})
        self.assertEqual(status, 401)
        time.sleep(1.0)
        self.assertEqual(self.oms.received(), [])
        stored = subprocess.run(["redis-cli", "-p", str(self.redis.port), "--scan", "--pattern",
                                 "og:*:ver:*"], capture_output=True, text=True).stdout.split()
        self.assertEqual(stored, [])

    def test_same_delivery_twice_gives_one_event_and_older_update_is_stale(self):
        self.assertEqual(self.post("multi_line_discount_tax")[1]["status"], "accepted")
        self.assertEqual(self.post("multi_line_discount_tax")[1]["status"], "duplicate")
        body = json.loads(read(os.path.join(SHOPIFY_GOLDEN, "multi_line_discount_tax", "body.json")))
        newer = dict(body, updated_at="2030-01-01T00:00:00-05:00")
        status, answer = self.post("multi_line_discount_tax", json.dumps(newer).encode(),
                                   {"X-Shopify-Topic": "orders/updated", "X-Shopify-Event-Id": "ev-newer"})
        self.assertEqual(answer["status"], "accepted")
        self.assertEqual(answer["events"][0]["type"], "order.updated")
        older = dict(body, updated_at="2020-01-01T00:00:00-05:00")
        status, answer = self.post("multi_line_discount_tax", json.dumps(older).encode(),
                                   {"X-Shopify-Topic": "orders/updated", "X-Shopify-Event-Id": "ev-older"})
        self.assertEqual((status, answer["status"]), (200, "stale"))
        wait_until(lambda: len(self.oms.received()) == 2, timeout=30, what="two OMS events")
        time.sleep(1.0)
        self.assertEqual([ev["type"] for _, _, ev in self.oms.received()],
                         ["order.created", "order.updated"])

    def test_redelivery_is_answered_from_memory_even_with_redis_down(self):
        self.assertEqual(self.post("multi_line_discount_tax")[1]["status"], "accepted")
        self.redis.stop()
        # Shopify's retry of the same webhook (same topic and X-Shopify-Event-Id): this process
        # decided it, so it answers without Redis; a webhook it never saw needs Redis: 503.
        status, answer = self.post("multi_line_discount_tax")
        self.assertEqual((status, answer["status"], answer["events"]), (200, "duplicate", []))
        status, _ = self.post("multi_line_discount_tax", headers={"X-Shopify-Event-Id": "ev-new"})
        self.assertEqual(status, 503)
        # The same event under another topic is another delivery.
        status, _ = self.post("multi_line_discount_tax", headers={"X-Shopify-Topic": "orders/paid"})
        self.assertEqual(status, 503)
        # Still signed: a redelivery with a bad signature is refused, not answered from memory.
        status, _ = self.post("multi_line_discount_tax", secret=b"wrong")
        self.assertEqual(status, 401)

    def test_redelivery_goes_to_redis_when_recent_deliveries_is_off(self):
        self.gw.close()
        self.gw = Gateway(base_config(self.redis.url, self.oms, extra="pipeline:\n  recent_deliveries: 0")
                          + self.channels)
        self.assertEqual(self.post("multi_line_discount_tax")[1]["status"], "accepted")
        self.assertEqual(self.post("multi_line_discount_tax")[1]["status"], "duplicate")
        self.redis.stop()
        self.assertEqual(self.post("multi_line_discount_tax")[0], 503)

    def test_non_order_topic_is_ignored_and_bad_money_quarantined(self):
        status, answer = self.post("refunds_create_ignored")
        self.assertEqual((status, answer["status"]), (200, "ignored"))
        status, answer = self.post("malformed_money")
        self.assertEqual((status, answer["status"]), (202, "quarantined"))
        self.assertTrue(answer["errors"])


class AmazonTest(unittest.TestCase):
    def setUp(self):
        self.redis = RedisServer()
        self.oms = FakeOms()
        extra = """
channels:
  amazon:
    adapter: amazon_flat_file
    marketplace: ATVPDKIKX0DER
"""
        self.gw = Gateway(base_config(self.redis.url, self.oms) + extra)

    def tearDown(self):
        self.gw.close()
        self.oms.close()
        self.redis.close()

    def upload(self, data, name="report.tsv"):
        return self.gw.json("POST", f"/v1/channels/amazon/files?name={name}", data,
                            {"Content-Type": "text/tab-separated-values"})

    def test_upload_forwards_good_orders_and_quarantines_bad_ones_whole(self):
        data = read(os.path.join(AMAZON_GOLDEN, "all_orders_us.tsv"))
        expected = json.loads(read(os.path.join(AMAZON_GOLDEN, "all_orders_us.expected.json")))
        status, answer = self.upload(data)
        self.assertEqual(status, 200, answer)
        good = [o for o in expected["orders"] if "event" in o]
        bad = [o for o in expected["orders"] if "problems" in o]
        self.assertEqual(answer["counts"].get("accepted"), len(good))
        self.assertEqual(answer["counts"].get("quarantined"), len(bad))
        for o in answer["orders"]:
            if o["status"] == "quarantined":
                self.assertTrue(all(e["line"] > 0 and e["column"] for e in o["errors"]), o)
        wait_until(lambda: len(self.oms.received()) == len(good), timeout=30, what="good orders at the OMS")
        got = {ev["subject"]: ev for _, _, ev in self.oms.received()}
        for o in good:
            ev = got[o["event"]["subject"]]
            self.assertEqual(without_received_at(ev["data"], True),
                             without_received_at(o["event"]["data"], True))
        # The same file again: nothing forwarded twice.
        status, again = self.upload(data)
        self.assertEqual(again["counts"].get("duplicate"), len(good))
        time.sleep(1.0)
        self.assertEqual(len(self.oms.received()), len(good))

    def test_overlapping_report_forwards_only_status_changes(self):
        data = read(os.path.join(AMAZON_GOLDEN, "all_orders_us.tsv")).decode()
        _, first = self.upload(data.encode())
        before = first["counts"]["accepted"]
        wait_until(lambda: len(self.oms.received()) == before, timeout=30, what="first report forwarded")
        lines = data.split("\n")
        header = lines[0].split("\t")
        status_col = header.index("order-status")
        item_col = header.index("item-status")
        updated_col = header.index("last-updated-date")
        changed = None
        out = [lines[0]]
        for line in lines[1:]:
            cells = line.split("\t")
            if changed is None and len(cells) > status_col and cells[status_col] == "Shipped":
                changed = cells[0]
            if len(cells) > status_col and cells[0] == changed:
                cells[status_col] = "Cancelled"
                cells[item_col] = "Cancelled"
                cells[updated_col] = "2026-03-05T10:00:00+00:00"
            out.append("\t".join(cells))
        status, answer = self.upload("\n".join(out).encode(), name="today.tsv")
        self.assertEqual(status, 200, answer)
        self.assertEqual(answer["counts"].get("accepted"), 1, answer["counts"])
        wait_until(lambda: len(self.oms.received()) == before + 1, timeout=30, what="the status change")
        ev = self.oms.received()[-1][2]
        self.assertEqual(ev["type"], "order.cancelled")
        self.assertEqual(ev["data"]["channel"]["order_id"], changed)

    def test_missing_column_is_a_file_error(self):
        status, answer = self.upload(read(os.path.join(AMAZON_GOLDEN, "missing_column.tsv")))
        self.assertEqual(status, 422)
        self.assertEqual(answer["status"], "rejected")
        self.assertTrue(answer["errors"][0]["message"])

    def test_ingest_cli_same_summary_and_exit_status(self):
        path = os.path.join(AMAZON_GOLDEN, "all_orders_eu.tsv")
        out = subprocess.run([BINARY, "ingest", "--config", self.gw.config_path, "--channel",
                              "amazon", path], capture_output=True, text=True, timeout=60)
        summary = json.loads(out.stdout.splitlines()[0])
        self.assertEqual(summary["status"], "processed")
        self.assertGreater(summary["counts"].get("accepted", 0), 0)
        self.assertEqual(out.returncode, 0 if "quarantined" not in summary["counts"] else 1)
        bad = os.path.join(AMAZON_GOLDEN, "all_orders_us.tsv")
        out = subprocess.run([BINARY, "ingest", "--config", self.gw.config_path, "--channel",
                              "amazon", bad], capture_output=True, text=True, timeout=60)
        self.assertEqual(out.returncode, 1, "quarantined orders must make ingest fail")
        out = subprocess.run([BINARY, "ingest", "--config", self.gw.config_path, "--channel",
                              "nope", bad], capture_output=True, text=True, timeout=60)
        self.assertEqual(out.returncode, 2)


class DlqCliTest(unittest.TestCase):
    def test_dlq_cli_list_show_replay_purge(self):
        from harness import Sender, canonical_order, storefront_channel, version_at
        redis = RedisServer()
        oms = FakeOms()
        gw = Gateway(base_config(redis.url, oms) + storefront_channel())
        try:
            oms.fail_status = 422
            sender = Sender(gw.port)
            ids = [sender.post(canonical_order(8000 + i, version_at(1)))[1]["events"][0]["id"]
                   for i in range(3)]

            def cli(*args):
                out = subprocess.run([BINARY, "dlq", *args, "--config", gw.config_path],
                                     capture_output=True, text=True, timeout=60)
                return out.returncode, out.stdout, out.stderr

            wait_until(lambda: len(json.loads(cli("list")[1])["items"]) == 3, timeout=30,
                       what="three dead letters")
            code, out, _ = cli("show", ids[0])
            self.assertEqual(code, 0)
            self.assertEqual(json.loads(out)["attempts"][0]["status"], 422)
            self.assertEqual(cli("show", "0" * 32)[0], 1)
            self.assertEqual(cli("purge", ids[2])[0], 0)
            oms.fail_status = None
            self.assertEqual(cli("replay", ids[0])[0], 0)
            wait_until(lambda: len(oms.received()) == 1, timeout=30, what="replayed event")
            code, out, _ = cli("replay", "--all")
            self.assertEqual(json.loads(out)["replayed"], [ids[1]])
            wait_until(lambda: len(oms.received()) == 2, timeout=30, what="second replay")
            self.assertEqual(json.loads(cli("list")[1])["items"], [])
            self.assertEqual(cli("replay")[0], 2)
        finally:
            gw.close()
            oms.close()
            redis.close()


if __name__ == "__main__":
    unittest.main()
