"""serve.py's sync API (/sync/) against a real socket on loopback: ETags, listings,
create-only and If-Match writes and their atomicity, the team token, size limits, quota,
a full disk, path escapes, CORS."""
import hashlib
import http.client
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import unittest
from unittest import mock

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", ".."))
import serve  # noqa: E402
import serve_sync  # noqa: E402
from test_serve import SERVE, free_port, start  # noqa: E402

TOKEN = "t0ken-for-tests"
AUTH = {"Authorization": "Bearer " + TOKEN}


def request(port, path, method="GET", body=None, headers=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request(method, path, body=body, headers=dict(AUTH, **(headers or {})))
    resp = conn.getresponse()
    data = resp.read()
    conn.close()
    return resp, data


def raw_request(port, line):
    """Sends a request line as is (http.client refuses some of the bad names tested)."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(line.encode("latin-1") + b"\r\nHost: x\r\nAuthorization: Bearer "
                  + TOKEN.encode() + b"\r\nConnection: close\r\n\r\n")
        answer = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            answer += chunk
    return int(answer.split(b" ", 2)[1])


class SyncApiTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.root = os.path.join(cls.tmp.name, "web")
        os.makedirs(cls.root)
        with open(os.path.join(cls.root, "index.html"), "w") as f:
            f.write("<!doctype html>")
        with open(os.path.join(cls.tmp.name, "secret.txt"), "w") as f:
            f.write("outside the sync folder")
        cls.port = free_port()
        cls.proc, _ = start(cls.root, cls.port, "--sync-token", TOKEN, "--sync-max-file-mb", "2",
                            "--sync-quota-mb", "8")
        cls.data = os.path.join(cls.tmp.name, "sync")

    @classmethod
    def tearDownClass(cls):
        cls.proc.terminate()
        cls.proc.wait(timeout=10)
        cls.proc.stdout.close()
        cls.proc.stderr.close()
        cls.tmp.cleanup()

    def put_new(self, name, body):
        return request(self.port, "/sync/" + name, "PUT", body, {"If-None-Match": "*"})

    def put_if_match(self, name, body, etag):
        return request(self.port, "/sync/" + name, "PUT", body, {"If-Match": etag})

    def test_create_get_replace(self):
        resp, _ = self.put_new("t1/heads/dev-a", b"first")
        self.assertEqual(resp.status, 201)
        etag = resp.getheader("ETag")
        self.assertEqual(etag, '"%s"' % hashlib.sha256(b"first").hexdigest()[:32])
        resp, body = request(self.port, "/sync/t1/heads/dev-a")
        self.assertEqual((resp.status, body, resp.getheader("ETag")), (200, b"first", etag))
        self.assertEqual(resp.getheader("Cache-Control"), "no-store")
        # create-only refuses an existing name and keeps its bytes
        resp, _ = self.put_new("t1/heads/dev-a", b"other")
        self.assertEqual(resp.status, 412)
        resp, _ = self.put_if_match("t1/heads/dev-a", b"second", etag)
        self.assertEqual(resp.status, 200)
        etag2 = resp.getheader("ETag")
        self.assertNotEqual(etag2, etag)
        # the old ETag is stale now
        resp, _ = self.put_if_match("t1/heads/dev-a", b"third", etag)
        self.assertEqual(resp.status, 412)
        resp, body = request(self.port, "/sync/t1/heads/dev-a")
        self.assertEqual((body, resp.getheader("ETag")), (b"second", etag2))
        # If-Match on a name that does not exist fails too
        resp, _ = self.put_if_match("t1/heads/nobody", b"x", etag2)
        self.assertEqual(resp.status, 412)
        resp, _ = request(self.port, "/sync/t1/heads/nobody")
        self.assertEqual(resp.status, 404)

    def test_a_put_needs_a_precondition(self):
        resp, _ = request(self.port, "/sync/t2/x", "PUT", b"blind")
        self.assertEqual(resp.status, 428)
        resp, _ = request(self.port, "/sync/t2/x", "PUT", b"blind", {"If-None-Match": '"abc"'})
        self.assertEqual(resp.status, 428)
        resp, _ = request(self.port, "/sync/t2/x")
        self.assertEqual(resp.status, 404)

    def test_listing_sorted_and_prefix_only(self):
        for name in ["t3/seg/b/0000000002", "t3/seg/b/0000000001", "t3/seg/a/0000000001",
                     "t3/heads/a", "t3/team", "t3x/team"]:
            self.assertEqual(self.put_new(name, name.encode())[0].status, 201)
        resp, body = request(self.port, "/sync/t3/seg/?list")
        self.assertEqual(resp.status, 200)
        self.assertEqual(resp.getheader("Content-Type"), "application/json")
        files = json.loads(body)
        self.assertEqual([f["name"] for f in files],
                         ["t3/seg/a/0000000001", "t3/seg/b/0000000001", "t3/seg/b/0000000002"])
        for f in files:
            self.assertEqual(f["size"], len(f["name"]))
            self.assertEqual(f["etag"], request(self.port, "/sync/" + f["name"])[0].getheader("ETag"))
        # a prefix need not end at a "/"
        names = [f["name"] for f in json.loads(request(self.port, "/sync/t3?list")[1])]
        self.assertEqual(names, ["t3/heads/a", "t3/seg/a/0000000001", "t3/seg/b/0000000001",
                                 "t3/seg/b/0000000002", "t3/team", "t3x/team"])
        names = [f["name"] for f in json.loads(request(self.port, "/sync/t3/seg/b/000?list")[1])]
        self.assertEqual(names, ["t3/seg/b/0000000001", "t3/seg/b/0000000002"])
        self.assertEqual(json.loads(request(self.port, "/sync/t3/nothing/?list")[1]), [])
        # the server's own files never show
        whole = json.loads(request(self.port, "/sync/?list")[1])
        self.assertFalse([f for f in whole if "/." in "/" + f["name"]])

    def test_a_name_under_a_file_is_refused(self):
        self.assertEqual(self.put_new("t4/file", b"x")[0].status, 201)
        self.assertEqual(self.put_new("t4/file/child", b"x")[0].status, 409)
        self.assertEqual(self.put_new("t4", b"x")[0].status, 409)

    def test_concurrent_if_match_exactly_one_wins(self):
        resp, _ = self.put_new("t5/team", b"v0")
        etag = resp.getheader("ETag")
        results = []

        def writer(i):
            r, _ = self.put_if_match("t5/team", b"writer %d" % i, etag)
            results.append((r.status, i))

        threads = [threading.Thread(target=writer, args=(i,)) for i in range(12)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        winners = [i for status, i in results if status == 200]
        self.assertEqual(len(winners), 1, results)
        self.assertEqual(sorted(s for s, _ in results), [200] + [412] * 11)
        self.assertEqual(request(self.port, "/sync/t5/team")[1], b"writer %d" % winners[0])

    def test_concurrent_create_only_exactly_one_wins(self):
        results = []

        def writer(i):
            results.append(self.put_new("t6/seg/d/0000000001", b"writer %d" % i)[0].status)

        threads = [threading.Thread(target=writer, args=(i,)) for i in range(12)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(sorted(results), [201] + [412] * 11)

    def test_readers_never_see_a_partial_file(self):
        size = 1024 * 1024
        resp, _ = self.put_new("t7/big", b"a" * size)
        etag = resp.getheader("ETag")
        stop = threading.Event()
        seen = []

        def reader():
            while not stop.is_set():
                r, body = request(self.port, "/sync/t7/big")
                seen.append(body[:1])
                self.assertEqual(len(body), size)
                self.assertEqual(body.count(body[:1]), size)
                self.assertEqual(r.getheader("ETag"), '"%s"' % hashlib.sha256(body).hexdigest()[:32])

        t = threading.Thread(target=reader)
        t.start()
        for i in range(8):
            resp, _ = self.put_if_match("t7/big", (b"b" if i % 2 == 0 else b"a") * size, etag)
            self.assertEqual(resp.status, 200)
            etag = resp.getheader("ETag")
        stop.set()
        t.join()
        self.assertTrue(seen)
        leftovers = [f for _, _, files in os.walk(self.data) for f in files if f.startswith(".tmp")]
        self.assertEqual(leftovers, [])

    def test_token(self):
        for headers in [{"Authorization": "Bearer wrong"}, {"Authorization": ""},
                        {"Authorization": "Basic " + TOKEN}]:
            resp, _ = request(self.port, "/sync/?list", headers=headers)
            self.assertEqual(resp.status, 401, headers)
            self.assertEqual(resp.getheader("Access-Control-Allow-Origin"), "*")
            resp, _ = request(self.port, "/sync/t8/x", "PUT", b"x",
                              dict(headers, **{"If-None-Match": "*"}))
            self.assertEqual(resp.status, 401)
        self.assertEqual(request(self.port, "/sync/t8/x")[0].status, 404)

    def test_too_large_and_quota(self):
        resp, _ = self.put_new("t9/huge", b"x" * (2 * 1024 * 1024 + 1))
        self.assertEqual(resp.status, 413)
        self.assertEqual(request(self.port, "/sync/t9/huge")[0].status, 404)
        # 8 MiB quota: fill it with 2 MiB files until refused
        statuses = [self.put_new("t9/fill/%d" % i, b"y" * (2 * 1024 * 1024))[0].status for i in range(5)]
        self.assertIn(507, statuses)
        self.assertEqual(statuses[statuses.index(507):], [507] * (5 - statuses.index(507)))
        resp, body = self.put_new("t9/more", b"z" * 1024 * 1024 * 2)
        self.assertEqual(resp.status, 507)
        self.assertIn(b"quota", body)
        # replacing a file by a smaller one is still allowed
        full = "t9/fill/%d" % (statuses.index(507) - 1)
        etag = request(self.port, "/sync/" + full)[0].getheader("ETag")
        self.assertEqual(self.put_if_match(full, b"small", etag)[0].status, 200)

    def test_delete(self):
        self.assertEqual(self.put_new("t13/seg/a/0000000001", b"one")[0].status, 201)
        self.assertEqual(self.put_new("t13/seg/a/0000000002", b"two")[0].status, 201)
        resp, _ = request(self.port, "/sync/t13/seg/a/0000000001", "DELETE")
        self.assertEqual(resp.status, 204)
        self.assertEqual(resp.getheader("Access-Control-Allow-Origin"), "*")
        self.assertEqual(request(self.port, "/sync/t13/seg/a/0000000001")[0].status, 404)
        _, body = request(self.port, "/sync/t13/?list")
        self.assertEqual([f["name"] for f in json.loads(body)], ["t13/seg/a/0000000002"])
        # gone already: 404 (the client counts it as done); a folder is not a file
        self.assertEqual(request(self.port, "/sync/t13/seg/a/0000000001", "DELETE")[0].status, 404)
        self.assertEqual(request(self.port, "/sync/t13/seg/a", "DELETE")[0].status, 404)
        self.assertTrue(os.path.isdir(os.path.join(self.data, "t13", "seg", "a")))
        self.assertEqual(request(self.port, "/sync/t13/seg/a/0000000002/x", "DELETE")[0].status, 404)
        # the token is needed, and a refused delete removes nothing
        resp, _ = request(self.port, "/sync/t13/seg/a/0000000002", "DELETE", headers={"Authorization": "Bearer no"})
        self.assertEqual(resp.status, 401)
        self.assertEqual(request(self.port, "/sync/t13/seg/a/0000000002")[0].status, 200)
        # the name can be created again (create-only sees no file)
        self.assertEqual(self.put_new("t13/seg/a/0000000001", b"again")[0].status, 201)
        # a preflight allows DELETE
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        conn.request("OPTIONS", "/sync/t13/x", headers={"Origin": "https://app.example",
                                                        "Access-Control-Request-Method": "DELETE"})
        resp = conn.getresponse()
        resp.read()
        conn.close()
        self.assertIn("DELETE", resp.getheader("Access-Control-Allow-Methods"))

    def test_delete_frees_quota(self):
        statuses = [self.put_new("t14/fill/%d" % i, b"y" * (2 * 1024 * 1024))[0].status for i in range(5)]
        self.assertIn(507, statuses)
        stored = [i for i, st in enumerate(statuses) if st == 201]
        self.assertTrue(stored)
        for i in stored:
            self.assertEqual(request(self.port, "/sync/t14/fill/%d" % i, "DELETE")[0].status, 204)
        self.assertEqual(self.put_new("t14/after", b"z" * (2 * 1024 * 1024))[0].status, 201)
        self.assertEqual(request(self.port, "/sync/t14/after", "DELETE")[0].status, 204)

    def test_path_escapes_and_bad_names(self):
        for path in ["/sync/../secret.txt", "/sync/a/../../secret.txt", "/sync/%2e%2e/secret.txt",
                     "/sync/a%2f..%2f..%2fsecret.txt", "/sync/a\\..\\..\\secret.txt",
                     "/sync//etc/passwd", "/sync/a//b", "/sync/a%00b", "/sync/.token", "/sync/.lock",
                     "/sync/a/.hidden", "/sync/a:b", "/sync/a b", "/sync/%E5%BC%A0", "/sync/a/",
                     "/sync/" + "a" * 600, "/sync/?", "/sync/a?list=x"]:
            for method in ["GET", "PUT", "DELETE"]:
                status = raw_request(self.port, "%s %s HTTP/1.1" % (method, path))
                self.assertEqual(status, 400, (method, path))
        self.assertEqual(raw_request(self.port, "GET /sync/../secret.txt?list HTTP/1.1"), 400)
        self.assertEqual(raw_request(self.port, "DELETE /sync/ HTTP/1.1"), 400)
        self.assertEqual(os.listdir(self.tmp.name).count("secret.txt"), 1)

    def test_cors(self):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        conn.request("OPTIONS", "/sync/t10/x", headers={
            "Origin": "https://app.example", "Access-Control-Request-Method": "PUT",
            "Access-Control-Request-Headers": "authorization, if-match"})
        resp = conn.getresponse()
        resp.read()
        conn.close()
        self.assertEqual(resp.status, 204)
        self.assertEqual(resp.getheader("Access-Control-Allow-Origin"), "*")
        self.assertIn("PUT", resp.getheader("Access-Control-Allow-Methods"))
        for h in ["Authorization", "If-Match", "If-None-Match"]:
            self.assertIn(h, resp.getheader("Access-Control-Allow-Headers"))
        resp, _ = self.put_new("t10/x", b"x")
        self.assertEqual(resp.getheader("Access-Control-Expose-Headers"), "ETag")

    def test_head_and_a_missing_length(self):
        self.assertEqual(self.put_new("t11/x", b"12345")[0].status, 201)
        resp, body = request(self.port, "/sync/t11/x", "HEAD")
        self.assertEqual((resp.status, body, resp.getheader("Content-Length")), (200, b"", "5"))
        self.assertEqual(resp.getheader("ETag"), '"%s"' % hashlib.sha256(b"12345").hexdigest()[:32])
        # a chunked body has no length to check against the limit before reading: refused
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        conn.request("PUT", "/sync/t11/y", body=iter([b"ab", b"cd"]),
                     headers=dict(AUTH, **{"If-None-Match": "*"}), encode_chunked=True)
        resp = conn.getresponse()
        resp.read()
        conn.close()
        self.assertEqual(resp.status, 411)
        self.assertEqual(request(self.port, "/sync/t11/y")[0].status, 404)

    def test_the_app_is_still_served(self):
        resp, body = request(self.port, "/")
        self.assertEqual((resp.status, body), (200, b"<!doctype html>"))


class SyncTokenTest(unittest.TestCase):
    def test_generated_token_is_printed_kept_and_reused(self):
        with tempfile.TemporaryDirectory() as tmp:
            root = os.path.join(tmp, "web")
            os.makedirs(root)
            open(os.path.join(root, "index.html"), "w").close()
            tokens = []
            for _ in range(2):
                port = free_port()
                env = dict(os.environ)
                env.pop("CRM_SYNC_TOKEN", None)
                proc = subprocess.Popen([sys.executable, SERVE, "--root", root, "--port", str(port),
                                         "--quiet", "--sync-dir", os.path.join(tmp, "sync")],
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
                try:
                    proc.stdout.readline()
                    line = proc.stdout.readline()
                    self.assertIn("Team sync at http://127.0.0.1:%d/sync/" % port, line)
                    token = line.split("team token: ")[1].split()[0]
                    tokens.append(token)
                    self.assertGreaterEqual(len(token), 24)
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                    conn.request("GET", "/sync/?list", headers={"Authorization": "Bearer " + token})
                    self.assertEqual(conn.getresponse().status, 200)
                    conn.close()
                finally:
                    proc.terminate()
                    proc.wait(timeout=10)
                    proc.stdout.close()
                    proc.stderr.close()
            self.assertEqual(tokens[0], tokens[1])
            self.assertEqual(os.stat(os.path.join(tmp, "sync", ".token")).st_mode & 0o777, 0o600)


class FullDiskTest(unittest.TestCase):
    """ENOSPC cannot be caused on loopback without mounting a file system, so the write's
    fsync fails with it here; the server must answer 507 and leave nothing behind."""

    def test_full_disk_answers_507_and_leaves_nothing(self):
        with tempfile.TemporaryDirectory() as tmp:
            store = serve_sync.SyncStore(os.path.join(tmp, "sync"), 1024 * 1024, 0)
            server = serve.Server(("127.0.0.1", 0), tmp, True, store, TOKEN)
            thread = threading.Thread(target=server.serve_forever)
            thread.start()
            try:
                port = server.server_address[1]
                real_fsync = os.fsync

                def full(fd):
                    raise OSError(28, "No space left on device")

                with mock.patch.object(serve_sync.os, "fsync", side_effect=full):
                    resp, body = request(port, "/sync/t/x", "PUT", b"data", {"If-None-Match": "*"})
                self.assertIs(os.fsync, real_fsync)
                self.assertEqual(resp.status, 507)
                self.assertIn(b"disk is full", body)
                self.assertEqual(request(port, "/sync/t/x")[0].status, 404)
                self.assertEqual(os.listdir(os.path.join(tmp, "sync", "t")), [])
                # and once there is room again, the same write works
                resp, _ = request(port, "/sync/t/x", "PUT", b"data", {"If-None-Match": "*"})
                self.assertEqual(resp.status, 201)
            finally:
                server.shutdown()
                server.server_close()
                thread.join()


if __name__ == "__main__":
    unittest.main()
