"""Nothing acknowledged is lost (issue 3): kill -9 of the gateway, a Redis restart with AOF,
and two instances sharing one Redis without double delivery. Real binary, real redis-server."""
import concurrent.futures
import datetime
import json
import re
import threading
import time
import unittest

from harness import (STOREFRONT_SECRET, FakeOms, Gateway, RedisServer, Sender, base_config,
                     canonical_order,
                     storefront_channel, version_at, wait_until)


class LoadRecorder:
    """Sends orders from worker threads and remembers which event ids were answered 2xx."""

    def __init__(self):
        self.lock = threading.Lock()
        self.acked = set()
        self.failed = 0

    def send(self, sender_fn, order, stop=None, retries=0):
        """One push; like a channel, retries a failed push (bounded) until it is acknowledged."""
        for _ in range(retries + 1):
            try:
                status, body = sender_fn(order)
            except Exception:
                status, body = None, None
            if status == 200 and body["status"] in ("accepted", "duplicate"):
                if body["status"] == "accepted":
                    with self.lock:
                        self.acked.add(body["events"][0]["id"])
                return True
            with self.lock:
                self.failed += 1
            if stop is not None and stop.is_set():
                return False
            time.sleep(0.05)
        return False


def delivered_ids(oms):
    return [ev["id"] for _, _, ev in oms.received()]


class KillTest(unittest.TestCase):
    def test_kill_9_during_load_then_restart_delivers_every_acknowledged_event(self):
        redis = RedisServer(aof=True)
        oms = FakeOms()
        # A failing OMS keeps every acknowledged event in the outbox (read, pending, being
        # retried) when the gateway dies, whatever the machine's speed.
        oms.fail_status = 503
        cfg = base_config(redis.url, oms) + storefront_channel()
        gw = Gateway(cfg)
        rec = LoadRecorder()
        try:
            sender = Sender(gw.port)
            stop = threading.Event()

            def load(offset):
                i = 0
                while not stop.is_set() and i < 400:
                    rec.send(sender.post, canonical_order(50000 + offset * 1000 + i, version_at(1)))
                    i += 1

            with concurrent.futures.ThreadPoolExecutor(max_workers=6) as pool:
                futures = [pool.submit(load, k) for k in range(6)]
                wait_until(lambda: len(rec.acked) >= 300, timeout=30, what="300 acknowledged")
                gw.proc.kill()  # SIGKILL: no shutdown, in-flight deliveries abandoned
                gw.proc.wait()
                stop.set()
                for f in futures:
                    f.result(timeout=60)
            acked_before_restart = set(rec.acked)
            self.assertGreater(len(acked_before_restart), 0)
            oms.fail_status = None
            gw.start()  # same config; a new instance takes the shards over after the lease
            wait_until(lambda: acked_before_restart <= set(delivered_ids(oms)), timeout=90,
                       what="every acknowledged event at the OMS")
        finally:
            gw.close()
            oms.close()
            redis.close()

    def test_kill_9_while_delivering_to_a_slow_oms(self):
        redis = RedisServer(aof=True)
        oms = FakeOms()
        oms.delay = 0.2  # deliveries in flight at the kill
        gw = Gateway(base_config(redis.url, oms) + storefront_channel())
        rec = LoadRecorder()
        try:
            sender = Sender(gw.port)
            with concurrent.futures.ThreadPoolExecutor(max_workers=6) as pool:
                list(pool.map(lambda i: rec.send(sender.post, canonical_order(60000 + i, version_at(2))),
                              range(600)))
            gw.proc.kill()
            gw.proc.wait()
            self.assertEqual(len(rec.acked), 600)
            gw.start()
            wait_until(lambda: rec.acked <= set(delivered_ids(oms)), timeout=90,
                       what="every acknowledged event at the OMS")
        finally:
            gw.close()
            oms.close()
            redis.close()


class RedisRestartTest(unittest.TestCase):
    def test_redis_restart_with_aof_loses_no_acknowledged_event(self):
        redis = RedisServer(aof=True)
        oms = FakeOms()
        cfg = base_config(redis.url, oms) + storefront_channel()
        gw = Gateway(cfg)
        rec = LoadRecorder()
        try:
            sender = Sender(gw.port)
            stop = threading.Event()
            counter = iter(range(10**6))
            counter_lock = threading.Lock()

            def load():
                while not stop.is_set():
                    with counter_lock:
                        i = next(counter)
                    if i >= 3000:
                        return
                    rec.send(sender.post, canonical_order(70000 + i, version_at(2)), stop, retries=200)

            with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
                futures = [pool.submit(load) for _ in range(4)]
                wait_until(lambda: len(rec.acked) >= 300, timeout=30, what="300 acknowledged")
                redis.kill()  # the hardest restart: SIGKILL, then start on the same AOF
                time.sleep(1.0)
                redis.start()
                wait_until(lambda: len(rec.acked) >= 600, timeout=60, what="load to resume")
                stop.set()
                for f in futures:
                    f.result(timeout=60)
            self.assertGreater(rec.failed, 0, "no push failed while Redis was down: test is void")
            wait_until(lambda: rec.acked <= set(delivered_ids(oms)), timeout=90,
                       what="every acknowledged event at the OMS")
        finally:
            gw.close()
            oms.close()
            redis.close()


class TwoInstancesTest(unittest.TestCase):
    def test_two_instances_share_the_work_without_double_delivery(self):
        redis = RedisServer()
        oms = FakeOms()
        cfg = base_config(redis.url, oms) + storefront_channel()
        a = Gateway(cfg)
        b = Gateway(cfg)
        try:
            def owned(gw):
                text = gw.request("GET", "/metrics")[1].decode()
                m = re.search(r"^ordergate_forwarder_shards_owned (\d+)", text, re.M)
                return int(m.group(1)) if m else 0

            wait_until(lambda: owned(a) > 0 and owned(b) > 0 and owned(a) + owned(b) == 8,
                       timeout=20, what="both instances to own shards")
            senders = [Sender(a.port), Sender(b.port)]
            orders = [canonical_order(90000 + i, version_at(3)) for i in range(1000)]
            acked = set()
            with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
                results = pool.map(lambda io: senders[io[0] % 2].post(io[1]), enumerate(orders))
                for status, body in results:
                    self.assertEqual(status, 200)
                    acked.add(body["events"][0]["id"])
            self.assertEqual(len(acked), 1000)
            wait_until(lambda: len(oms.received()) >= 1000, timeout=60, what="1000 deliveries")
            time.sleep(2.0)
            ids = delivered_ids(oms)
            self.assertEqual(set(ids), acked)
            self.assertEqual(len(ids), 1000, "an event was delivered twice")
        finally:
            a.close()
            b.close()
            oms.close()
            redis.close()

    def test_a_shard_given_back_is_taken_within_a_moment_not_a_lease_period(self):
        # lease_ttl 30s: renewals every 10 s. A takes all 8 shards alone; when B joins, A gives
        # half back at its next renewal, and B, under its share, takes each within ~200 ms
        # instead of at its own next renewal (here ≈ 5 s later, while the shard's events wait).
        redis = RedisServer()
        oms = FakeOms()
        cfg = base_config(redis.url, oms) + f"""
forwarder:
  threads: 1
  lease_ttl: 30s
channels:
  storefront:
    adapter: canonical
    secret: {STOREFRONT_SECRET}
"""
        a = Gateway(cfg)
        b = None
        try:
            def holders():
                return [redis.cli("GET", "og:{s%d}:lease" % k) for k in range(8)]
            wait_until(lambda: len(set(holders())) == 1 and "" not in holders(), timeout=20,
                       what="the first instance to own all 8 shards")
            # Half a renewal period later, so B's own renewals are out of step with A's.
            time.sleep(5)
            b = Gateway(cfg)
            wait_until(lambda: len(set(holders())) == 2 and "" not in holders()
                       and holders().count(holders()[0]) == 4, timeout=30,
                       what="4 shards each")

            def times(gw, msg):
                out = {}
                for line in gw.logs().splitlines():
                    if f'"msg":"{msg}"' in line:
                        event = json.loads(line)
                        ts = datetime.datetime.strptime(event["ts"], "%Y-%m-%dT%H:%M:%S.%fZ")
                        out[event["shard"]] = ts
                return out
            released, acquired = times(a, "shard released"), times(b, "shard acquired")
            self.assertEqual(len(released), 4, a.logs())
            for shard, at in released.items():
                gap = (acquired[shard] - at).total_seconds()
                self.assertLess(gap, 1.5, f"shard {shard} was without an owner for {gap:.2f} s")
        finally:
            a.close()
            if b is not None:
                b.close()
            oms.close()
            redis.close()


if __name__ == "__main__":
    unittest.main()
