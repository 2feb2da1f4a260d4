#!/usr/bin/env python3
"""Serves the built CRM app (build/web) on localhost.

Python standard library only. The app itself needs no server of ours: build/web is a plain
folder of static files that any static host can serve. This server adds what a good static
host does (correct types, compression, revalidation) and the team sync API under /sync/
(serve_sync.py: a folder of sealed files with ETags, a team token, quotas).

    python3 serve.py [--host 127.0.0.1] [--port 8000] [--root build/web]
                     [--sync-dir build/sync-data] [--sync-token T] [--no-sync]

Exit codes: 2 = the app is not built, 3 = the port is taken.
"""
import argparse
import email.utils
import errno
import gzip
import http.server
import os
import posixpath
import sys
import threading
import urllib.parse

import serve_sync

ROOT_DEFAULT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "build", "web")
SYNC_DIR_DEFAULT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "build", "sync-data")
MIB = 1024 * 1024

TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".wasm": "application/wasm",
    ".json": "application/json",
    ".webmanifest": "application/manifest+json",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
    ".ttf": "font/ttf",
    ".woff2": "font/woff2",
    ".txt": "text/plain; charset=utf-8",
}
# Worth compressing: text and wasm shrink 3-5x; png and woff2 are compressed already.
COMPRESSIBLE = {".html", ".js", ".mjs", ".wasm", ".json", ".webmanifest", ".css", ".svg",
                ".ttf", ".txt"}
# File names carry no content hash, so most files must be revalidated on every load (a
# 304 costs one round trip). Fonts and icons change only when set-up changes them.
LONG_LIVED = {".ttf", ".woff2", ".png", ".ico"}


class GzipCache:
    """Compressed bodies by (path, size, mtime): each file is compressed once per change."""

    def __init__(self):
        self._lock = threading.Lock()
        self._entries = {}

    def get(self, path, stat):
        key = (path, stat.st_size, stat.st_mtime_ns)
        with self._lock:
            body = self._entries.get(key)
        if body is None:
            with open(path, "rb") as f:
                body = gzip.compress(f.read(), compresslevel=6, mtime=0)
            with self._lock:
                self._entries = {k: v for k, v in self._entries.items() if k[0] != path}
                self._entries[key] = body
        return body


class Handler(serve_sync.SyncHandlerMixin, http.server.BaseHTTPRequestHandler):
    server_version = "crm-serve"
    protocol_version = "HTTP/1.1"

    # (method, path prefix, handler method name), first match wins.
    ROUTES = [
        ("GET", serve_sync.PREFIX, "sync_get"),
        ("HEAD", serve_sync.PREFIX, "sync_get"),
        ("PUT", serve_sync.PREFIX, "sync_put"),
        ("DELETE", serve_sync.PREFIX, "sync_delete"),
        ("OPTIONS", serve_sync.PREFIX, "sync_options"),
        ("GET", "/", "serve_static"),
        ("HEAD", "/", "serve_static"),
    ]

    def handle_any(self):
        path = urllib.parse.urlsplit(self.path).path
        routes = self.ROUTES
        if self.server.sync is None or not path.startswith(serve_sync.PREFIX):
            routes = [r for r in routes if r[1] != serve_sync.PREFIX]
        else:
            routes = [r for r in routes if r[1] == serve_sync.PREFIX]
        allowed = sorted({m for m, prefix, _ in routes if path.startswith(prefix)})
        for method, prefix, name in routes:
            if method == self.command and path.startswith(prefix):
                return getattr(self, name)(path)
        self.send_error_text(405, "method not allowed", {"Allow": ", ".join(allowed)})

    do_GET = do_HEAD = do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = handle_any

    # ---- static files ------------------------------------------------------------------
    def resolve(self, url_path):
        """The file for a URL path inside the root, or None (never a path outside it)."""
        parts = urllib.parse.unquote(url_path).split("/")
        if any(p in ("..", ".") or "\\" in p or "\0" in p for p in parts):
            return None
        rel = posixpath.normpath("/" + "/".join(p for p in parts if p)).lstrip("/")
        full = os.path.realpath(os.path.join(self.server.root, rel))
        if full != self.server.root and not full.startswith(self.server.root + os.sep):
            return None  # a symlink pointing out of the root
        if os.path.isdir(full):
            full = os.path.join(full, "index.html")
        return full if os.path.isfile(full) else None

    def serve_static(self, url_path):
        full = self.resolve(url_path)
        if full is None:
            return self.send_error_text(404, "not found")
        stat = os.stat(full)
        ext = os.path.splitext(full)[1].lower()
        gzip_ok = ext in COMPRESSIBLE and "gzip" in self.headers.get("Accept-Encoding", "")
        etag = '"%x-%x%s"' % (stat.st_mtime_ns, stat.st_size, "-gz" if gzip_ok else "")
        headers = {
            "Content-Type": TYPES.get(ext, "application/octet-stream"),
            "ETag": etag,
            "Last-Modified": email.utils.formatdate(stat.st_mtime, usegmt=True),
            "Cache-Control": "public, max-age=86400" if ext in LONG_LIVED else "no-cache",
            "X-Content-Type-Options": "nosniff",
        }
        if ext in COMPRESSIBLE:
            headers["Vary"] = "Accept-Encoding"
        if etag in [t.strip() for t in self.headers.get("If-None-Match", "").split(",")]:
            return self.send_body(304, headers, b"")
        if gzip_ok:
            body = self.server.gzip_cache.get(full, stat)
            headers["Content-Encoding"] = "gzip"
        else:
            with open(full, "rb") as f:
                body = f.read()
        self.send_body(200, headers, body)

    # ---- responses -----------------------------------------------------------------------
    def send_body(self, status, headers, body):
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if status != 304:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD" and status != 304:
            self.wfile.write(body)

    def send_error_text(self, status, message, extra=None):
        headers = {"Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store"}
        headers.update(extra or {})
        self.send_body(status, headers, (message + "\n").encode())

    def log_message(self, fmt, *args):
        if not self.server.quiet:
            sys.stderr.write("%s %s\n" % (self.log_date_time_string(), fmt % args))


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address, root, quiet, sync=None, sync_token=None):
        self.root = os.path.realpath(root)
        self.quiet = quiet
        self.gzip_cache = GzipCache()
        self.sync = sync              # serve_sync.SyncStore, or None: no sync API
        self.sync_token = sync_token
        super().__init__(address, Handler)


def main(argv=None):
    parser = argparse.ArgumentParser(description="Serve the built CRM app.")
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    parser.add_argument("--root", default=ROOT_DEFAULT, help="folder of the built app")
    parser.add_argument("--quiet", action="store_true", help="do not log requests")
    parser.add_argument("--sync-dir", default=SYNC_DIR_DEFAULT,
                        help="folder holding the teams' sync files (default build/sync-data)")
    parser.add_argument("--sync-token", default=os.environ.get("CRM_SYNC_TOKEN", ""),
                        help="team token the devices send (default: $CRM_SYNC_TOKEN, else one "
                             "generated once and kept in <sync-dir>/.token)")
    parser.add_argument("--sync-max-file-mb", type=float, default=32,
                        help="largest sync file in MiB (default 32)")
    parser.add_argument("--sync-quota-mb", type=float, default=0,
                        help="total size of all sync files in MiB (default 0 = no limit)")
    parser.add_argument("--no-sync", action="store_true", help="serve the app only, no sync API")
    args = parser.parse_args(argv)

    if not os.path.isfile(os.path.join(args.root, "index.html")):
        print("serve.py: the app is not built (no %s/index.html).\n"
              "Run scripts/run.sh, or scripts/build.sh wasm, then try again." % args.root,
              file=sys.stderr)
        return 2
    sync = token = None
    if not args.no_sync:
        sync = serve_sync.SyncStore(args.sync_dir, int(args.sync_max_file_mb * MIB),
                                    int(args.sync_quota_mb * MIB))
        token, token_from = serve_sync.load_token(sync.root, args.sync_token)
    try:
        server = Server((args.host, args.port), args.root, args.quiet, sync, token)
    except OSError as e:
        if e.errno == errno.EADDRINUSE:
            print("serve.py: port %d on %s is already in use.\n"
                  "Stop the other server, or choose another port: --port %d"
                  % (args.port, args.host, args.port + 1), file=sys.stderr)
            return 3
        raise
    host = "[%s]" % args.host if ":" in args.host else args.host
    print("CRM served at http://%s:%d/  (Ctrl+C to stop)" % (host, server.server_address[1]),
          flush=True)
    if sync is not None:
        print("Team sync at http://%s:%d%s  folder %s  team token: %s%s"
              % (host, server.server_address[1], serve_sync.PREFIX, sync.root,
                 token if token_from != "given" else "(as given)",
                 "" if token_from == "given" else "  (kept in %s)" % token_from), flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
