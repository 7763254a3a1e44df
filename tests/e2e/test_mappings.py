"""Config-defined channels (issue 8) end to end: a WooCommerce mapping live in the gateway,
its signature declared in YAML, and hot reload (file change and SIGHUP) that never takes a
running gateway down."""
import base64
import hashlib
import hmac
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
import unittest

from harness import BINARY, SOURCE_DIR, FakeOms, Gateway, RedisServer, base_config, wait_until

WOO = os.path.join(SOURCE_DIR, "mappings", "woocommerce")
SECRET = b"woo-e2e-secret"


def read(path):
    with open(path, "rb") as f:
        return f.read()


class WooCommerceMappingTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="og-map-")
        self.mapping = os.path.join(self.dir, "mapping.yaml")
        shutil.copy(os.path.join(WOO, "mapping.yaml"), self.mapping)
        self.redis = RedisServer()
        self.oms = FakeOms()
        extra = f"""
channels:
  woo:
    mapping: {self.mapping}
    secret: {SECRET.decode()}
"""
        self.gw = Gateway(base_config(self.redis.url, self.oms) + extra)

    def tearDown(self):
        self.gw.close()
        self.oms.close()
        self.redis.close()
        shutil.rmtree(self.dir, ignore_errors=True)

    def post(self, sample="01-created", body=None, secret=SECRET, extra_headers=None):
        body = body if body is not None else read(os.path.join(WOO, "samples", sample + ".json"))
        headers = json.loads(read(os.path.join(WOO, "samples", sample + ".headers.json")))
        headers.update(extra_headers or {})
        headers["Content-Type"] = "application/json"
        headers["X-WC-Webhook-Signature"] = base64.b64encode(
            hmac.new(secret, body, hashlib.sha256).digest()).decode()
        return self.gw.json("POST", "/v1/channels/woo/webhooks", body, headers)

    def readyz_detail(self):
        return self.gw.json("GET", "/readyz")[1]["checks"].get("mapping:woo")

    def test_signed_webhook_is_normalised_by_the_mapping_and_forwarded(self):
        status, answer = self.post()
        self.assertEqual((status, answer["status"]), (200, "accepted"), answer)
        wait_until(lambda: len(self.oms.received()) == 1, timeout=30, what="one OMS event")
        ev = self.oms.received()[0][2]
        expected = json.loads(read(os.path.join(WOO, "samples", "01-created.expected.json")))[0]
        self.assertEqual(ev["type"], "order.created")
        self.assertEqual(ev["subject"], "woo:" + expected["data"]["channel"]["order_id"])
        self.assertEqual(ev["data"]["totals"], expected["data"]["totals"])
        self.assertEqual(ev["data"]["lines"], expected["data"]["lines"])
        self.assertEqual(ev["data"]["channel"]["id"], "woo")
        status, _ = self.post(secret=b"wrong")
        self.assertEqual(status, 401)
        self.assertEqual(self.post()[1]["status"], "duplicate")

    def test_broken_mapping_keeps_the_old_plan_then_a_fix_is_picked_up(self):
        self.assertEqual(self.readyz_detail(), "ok")
        good = read(self.mapping)
        with open(self.mapping, "wb") as f:
            f.write(good + b"\nthis_is_not_a_mapping_key: 1\n")
        wait_until(lambda: (self.readyz_detail() or "").startswith("reload failed"), timeout=15,
                   what="the reload error in /readyz")
        self.assertIn("this_is_not_a_mapping_key", self.readyz_detail())
        self.assertEqual(self.gw.json("GET", "/readyz")[0], 200)
        text = self.gw.request("GET", "/metrics")[1].decode()
        self.assertIn('ordergate_mapping_reload_failing{id="woo"} 1', text)
        # Still serving on the previous plan.
        self.assertEqual(self.post()[1]["status"], "accepted")
        with open(self.mapping, "wb") as f:
            f.write(good)
        os.utime(self.mapping, (time.time() + 5, time.time() + 5))
        wait_until(lambda: self.readyz_detail() == "ok", timeout=15, what="the fixed mapping")

    def test_sighup_reloads(self):
        changed = read(self.mapping).replace(b"name: woocommerce", b"name: woocommerce")
        with open(self.mapping, "wb") as f:
            f.write(changed + b"\nbogus: 1\n")
        # Same mtime second is possible: SIGHUP must reload regardless of timestamps.
        self.gw.proc.send_signal(signal.SIGHUP)
        wait_until(lambda: (self.readyz_detail() or "").startswith("reload failed"), timeout=15,
                   what="SIGHUP reload")
        self.assertIsNone(self.gw.proc.poll(), "a broken mapping must not stop the gateway")


class MappingConfigErrorTest(unittest.TestCase):
    def test_broken_mapping_at_start_is_a_config_error_naming_file_and_rule(self):
        d = tempfile.mkdtemp(prefix="og-map-")
        try:
            path = os.path.join(d, "mapping.yaml")
            text = read(os.path.join(WOO, "mapping.yaml")) + b"\nbogus_rule: 1\n"
            with open(path, "wb") as f:
                f.write(text)
            gw = Gateway(base_config("redis://127.0.0.1:1/0") +
                         f"\nchannels:\n  woo: {{mapping: {path}, secret: s}}\n", start=False)
            try:
                out = subprocess.run([BINARY, "serve", "--config", gw.config_path, "--check-config"],
                                     capture_output=True, text=True, timeout=30)
                self.assertEqual(out.returncode, 2, out.stderr)
                self.assertIn("channels.woo.mapping", out.stderr)
                self.assertIn(path, out.stderr)
                self.assertIn("bogus_rule", out.stderr)
            finally:
                gw.close()
        finally:
            shutil.rmtree(d, ignore_errors=True)

    def test_mapping_test_cli(self):
        out = subprocess.run([BINARY, "mapping", "test", "--mapping", os.path.join(WOO, "mapping.yaml"),
                              os.path.join(WOO, "samples", "01-created.json"),
                              "--header", "X-WC-Webhook-Topic: order.created"],
                             capture_output=True, text=True, timeout=30)
        self.assertEqual(out.returncode, 0, out.stderr)
        events = json.loads(out.stdout)
        expected = json.loads(read(os.path.join(WOO, "samples", "01-created.expected.json")))
        self.assertEqual(events[0]["data"]["totals"], expected[0]["data"]["totals"])
        out = subprocess.run([BINARY, "mapping", "test", "--mapping", os.path.join(WOO, "mapping.yaml"),
                              os.path.join(WOO, "samples", "01-created.headers.json")],
                             capture_output=True, text=True, timeout=30)
        self.assertEqual(out.returncode, 1)
        self.assertIn("mapping.yaml:", out.stderr)


if __name__ == "__main__":
    unittest.main()
