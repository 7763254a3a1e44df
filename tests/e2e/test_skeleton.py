"""Walking skeleton, end to end: the real binary with a real redis-server."""
import os
import re
import signal
import socket
import subprocess
import time
import unittest

from harness import BINARY, Gateway, RedisServer, base_config, wait_until

METRIC_LINE = re.compile(
    r'^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\]|\\.)*",?)*\})? '
    r'(-?[0-9.e+-]+|\+Inf|-Inf|NaN)$')


class SkeletonTest(unittest.TestCase):
    def setUp(self):
        self.redis = RedisServer()
        self.gw = Gateway(base_config(self.redis.url))

    def tearDown(self):
        self.gw.close()
        self.redis.close()

    def test_healthz(self):
        status, body = self.gw.json("GET", "/healthz")
        self.assertEqual(status, 200)
        self.assertEqual(body["status"], "ok")

    def test_readyz_follows_redis(self):
        status, body = self.gw.json("GET", "/readyz")
        self.assertEqual(status, 200, body)
        self.redis.stop()
        wait_until(lambda: self.gw.json("GET", "/readyz")[0] == 503, timeout=10,
                   what="readyz to turn 503")
        status, body = self.gw.json("GET", "/readyz")
        self.assertEqual(body["status"], "unavailable")
        self.assertIn("redis", body["checks"])
        self.assertNotEqual(body["checks"]["redis"], "ok")
        self.redis.start()
        wait_until(lambda: self.gw.json("GET", "/readyz")[0] == 200, timeout=15,
                   what="readyz to recover")

    def test_metrics_parse(self):
        self.gw.request("GET", "/healthz")
        self.gw.request("GET", "/nope")
        status, data, headers = self.gw.request("GET", "/metrics")
        self.assertEqual(status, 200)
        self.assertTrue(headers["Content-Type"].startswith("text/plain"))
        text = data.decode()
        for line in text.splitlines():
            if not line or line.startswith("#"):
                continue
            self.assertRegex(line, METRIC_LINE)
        self.assertIn('ordergate_build_info{version="', text)
        self.assertRegex(text, r'ordergate_http_requests_total\{route="healthz",code="200"\} [1-9]')
        self.assertRegex(text, r'ordergate_http_requests_total\{route="unmatched",code="404"\} [1-9]')
        self.assertIn("ordergate_http_request_duration_seconds_bucket", text)

    def test_unknown_route_and_method_are_json_errors(self):
        status, body = self.gw.json("GET", "/v1/nothing")
        self.assertEqual(status, 404)
        self.assertEqual(body["error"], "not_found")
        status, body = self.gw.json("DELETE", "/healthz")
        self.assertEqual(status, 405)
        self.assertEqual(body["error"], "method_not_allowed")

    def test_admin_routes_need_the_bearer_token(self):
        # Every admin route (DLQ, quarantine, pulls, trackings) goes through one guard.
        for path in ("/v1/admin/dlq", "/v1/admin/quarantine"):
            for headers in ({}, {"Authorization": "Bearer wrong"},
                            {"Authorization": "test-admin-token"},
                            {"Authorization": "Bearer test-admin-tokenX"}):
                status, body = self.gw.json("GET", path, headers=headers)
                self.assertEqual(status, 401, (path, headers))
                self.assertEqual(body["error"], "unauthorized")
            status, _ = self.gw.json("GET", "/v1/admin/dlq",
                                     headers={"Authorization": "Bearer test-admin-token"})
            self.assertEqual(status, 200)

    def test_admin_api_is_off_without_a_token(self):
        self.gw.close()
        self.gw = Gateway(base_config(self.redis.url).replace("token: test-admin-token", 'token: ""'))
        status, body = self.gw.json("GET", "/v1/admin/dlq", headers={"Authorization": "Bearer "})
        self.assertEqual(status, 401)
        self.assertIn("admin.token is empty", body["message"])

    def test_body_too_large_is_413(self):
        big = b"x" * (3 * 1024 * 1024)
        try:
            status, data, _ = self.gw.request("POST", "/v1/channels/none/webhooks", big,
                                              {"Content-Type": "application/json"})
        except (ConnectionResetError, BrokenPipeError):
            self.fail("connection reset instead of a 413 answer")
        self.assertEqual(status, 413)

    def test_sigterm_lets_inflight_request_finish(self):
        port = self.gw.port
        body = b'{"hello": "world"}'
        with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
            head = (f"POST /v1/channels/none/webhooks HTTP/1.1\r\nHost: x\r\n"
                    f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n")
            s.sendall(head.encode() + body[:5])
            time.sleep(0.3)  # the request is now being read
            self.gw.proc.send_signal(signal.SIGTERM)
            time.sleep(0.3)
            self.assertIsNone(self.gw.proc.poll(), "gateway exited with a request in flight")
            s.sendall(body[5:])
            response = b""
            while b"\r\n\r\n" not in response:
                chunk = s.recv(4096)
                if not chunk:
                    break
                response += chunk
        self.assertTrue(response.startswith(b"HTTP/1.1 "), response)
        self.assertEqual(self.gw.proc.wait(timeout=15), 0)


class ConfigErrorTest(unittest.TestCase):
    def run_config(self, text, env=None):
        gw = Gateway(text, env=env, start=False)
        try:
            out = subprocess.run([BINARY, "serve", "--config", gw.config_path], capture_output=True,
                                 text=True, timeout=30, env=gw.env)
            return out.returncode, out.stderr
        finally:
            gw.close()

    def test_unknown_key_exits_2_naming_the_key(self):
        code, err = self.run_config(base_config("redis://127.0.0.1:1/0") +
                                    "\nserver_x:\n  a: 1\n")
        self.assertEqual(code, 2, err)
        self.assertIn("server_x", err)
        self.assertIn("unknown key", err)

    def test_nested_unknown_key_and_bad_type(self):
        cfg = base_config("redis://127.0.0.1:1/0").replace("io_threads: 2", "io_threads: lots")
        code, err = self.run_config(cfg)
        self.assertEqual(code, 2, err)
        self.assertIn("server.io_threads", err)

    def test_missing_env_variable_is_named(self):
        cfg = base_config("redis://127.0.0.1:1/0").replace("test-admin-token", "${OG_TEST_NOT_SET}")
        env = dict(os.environ)
        env.pop("OG_TEST_NOT_SET", None)
        code, err = self.run_config(cfg, env=env)
        self.assertEqual(code, 2, err)
        self.assertIn("OG_TEST_NOT_SET", err)
        self.assertIn("admin.token", err)

    def test_bad_arguments_exit_2(self):
        out = subprocess.run([BINARY, "serve"], capture_output=True, text=True, timeout=30)
        self.assertEqual(out.returncode, 2)
        out = subprocess.run([BINARY, "--version"], capture_output=True, text=True, timeout=30)
        self.assertEqual(out.returncode, 0)
        self.assertIn("ordergate", out.stdout)


if __name__ == "__main__":
    unittest.main()
