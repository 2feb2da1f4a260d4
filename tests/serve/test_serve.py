"""serve.py against a real socket on loopback: types, compression, revalidation, path
escapes, methods, and the clear errors for a missing build and a taken port."""
import gzip
import http.client
import os
import socket
import subprocess
import sys
import tempfile
import unittest

SERVE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "serve.py")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(root, port, *extra):
    proc = subprocess.Popen([sys.executable, SERVE, "--root", root, "--port", str(port), "--quiet",
                             "--sync-dir", os.path.join(root, "..", "sync")] + list(extra),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = proc.stdout.readline()  # printed once listening
    return proc, line


class ServeTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.root = os.path.join(cls.tmp.name, "web")
        os.makedirs(os.path.join(cls.root, "fonts"))
        files = {
            "index.html": b"<!doctype html><title>CRM</title>" + b" " * 2000,
            "app.wasm": b"\0asm\1\0\0\0" + bytes(5000),
            "app.js": b"var x = 1;\n" * 300,
            "fonts/ui-cjk.ttf": b"\0\1\0\0" + bytes(3000),
            "icon-192.png": b"\x89PNG\r\n\x1a\n",
            "manifest.webmanifest": b'{"name": "CRM"}',
        }
        for name, body in files.items():
            with open(os.path.join(cls.root, name), "wb") as f:
                f.write(body)
        cls.files = files
        with open(os.path.join(cls.tmp.name, "secret.txt"), "w") as f:
            f.write("outside the root")
        os.symlink(os.path.join(cls.tmp.name, "secret.txt"), os.path.join(cls.root, "link.txt"))
        cls.port = free_port()
        cls.proc, cls.banner = start(cls.root, cls.port)

    @classmethod
    def tearDownClass(cls):
        cls.proc.terminate()
        cls.proc.wait(timeout=10)
        cls.proc.stdout.close()
        cls.proc.stderr.close()
        cls.tmp.cleanup()

    def request(self, path, method="GET", headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        conn.request(method, path, headers=headers or {})
        resp = conn.getresponse()
        body = resp.read()
        conn.close()
        return resp, body

    def test_banner_names_the_loopback_url(self):
        self.assertEqual(self.banner.strip(),
                         "CRM served at http://127.0.0.1:%d/  (Ctrl+C to stop)" % self.port)

    def test_types(self):
        for path, ctype in [("/", "text/html; charset=utf-8"), ("/app.wasm", "application/wasm"),
                            ("/app.js", "text/javascript; charset=utf-8"),
                            ("/fonts/ui-cjk.ttf", "font/ttf"), ("/icon-192.png", "image/png"),
                            ("/manifest.webmanifest", "application/manifest+json")]:
            resp, _ = self.request(path)
            self.assertEqual(resp.status, 200, path)
            self.assertEqual(resp.getheader("Content-Type"), ctype, path)
            self.assertEqual(resp.getheader("X-Content-Type-Options"), "nosniff")

    def test_gzip_for_wasm_js_and_fonts_only_when_accepted(self):
        for name in ["app.wasm", "app.js", "fonts/ui-cjk.ttf"]:
            resp, body = self.request("/" + name, headers={"Accept-Encoding": "gzip, br"})
            self.assertEqual(resp.getheader("Content-Encoding"), "gzip", name)
            self.assertEqual(resp.getheader("Vary"), "Accept-Encoding")
            self.assertEqual(gzip.decompress(body), self.files[name])
            self.assertLess(len(body), len(self.files[name]))
            resp, body = self.request("/" + name)
            self.assertIsNone(resp.getheader("Content-Encoding"))
            self.assertEqual(body, self.files[name])
        resp, body = self.request("/icon-192.png", headers={"Accept-Encoding": "gzip"})
        self.assertIsNone(resp.getheader("Content-Encoding"))

    def test_revalidation_with_etag(self):
        resp, _ = self.request("/app.wasm", headers={"Accept-Encoding": "gzip"})
        etag = resp.getheader("ETag")
        self.assertEqual(resp.getheader("Cache-Control"), "no-cache")
        resp, body = self.request("/app.wasm", headers={"Accept-Encoding": "gzip", "If-None-Match": etag})
        self.assertEqual(resp.status, 304)
        self.assertEqual(body, b"")
        # The plain and the gzip body are different representations with different tags.
        resp, _ = self.request("/app.wasm", headers={"If-None-Match": etag})
        self.assertEqual(resp.status, 200)
        resp, _ = self.request("/fonts/ui-cjk.ttf")
        self.assertEqual(resp.getheader("Cache-Control"), "public, max-age=86400")

    def test_head_sends_length_without_body(self):
        resp, body = self.request("/app.js", method="HEAD")
        self.assertEqual(resp.status, 200)
        self.assertEqual(int(resp.getheader("Content-Length")), len(self.files["app.js"]))
        self.assertEqual(body, b"")

    def test_no_path_escapes(self):
        for path in ["/../secret.txt", "/%2e%2e/secret.txt", "/fonts/..%2f..%2fsecret.txt",
                     "/link.txt", "/..\\secret.txt", "/missing.js"]:
            resp, body = self.request(path)
            self.assertEqual(resp.status, 404, path)
            self.assertNotIn(b"outside the root", body)

    def test_other_methods_are_refused(self):
        resp, _ = self.request("/index.html", method="PUT")
        self.assertEqual(resp.status, 405)
        self.assertEqual(resp.getheader("Allow"), "GET, HEAD")


class ServeErrorsTest(unittest.TestCase):
    def test_missing_build_is_a_clear_error(self):
        with tempfile.TemporaryDirectory() as empty:
            r = subprocess.run([sys.executable, SERVE, "--root", empty, "--port", str(free_port()),
                                "--no-sync"],
                               capture_output=True, text=True, timeout=30)
        self.assertEqual(r.returncode, 2)
        self.assertIn("the app is not built", r.stderr)
        self.assertIn("scripts/run.sh", r.stderr)

    def test_port_in_use_is_a_clear_error(self):
        with tempfile.TemporaryDirectory() as root, socket.socket() as taken:
            open(os.path.join(root, "index.html"), "w").close()
            taken.bind(("127.0.0.1", 0))
            taken.listen(1)
            port = taken.getsockname()[1]
            r = subprocess.run([sys.executable, SERVE, "--root", root, "--port", str(port), "--no-sync"],
                               capture_output=True, text=True, timeout=30)
        self.assertEqual(r.returncode, 3)
        self.assertIn("port %d" % port, r.stderr)
        self.assertIn("already in use", r.stderr)


if __name__ == "__main__":
    unittest.main()
