"""The team sync API of serve.py: a flat namespace of names stored as files in one folder.

Python standard library only. What the names and bytes mean is docs/SYNC_FORMAT.md; the
server sees only sealed ciphertext. Protocol (every request: Authorization: Bearer <token>):

    GET  /sync/<name>                 200 bytes + strong ETag (content hash), 404
    GET  /sync/<prefix>?list          200 JSON [{"name", "etag", "size"}] sorted by name
    PUT  /sync/<name>  If-None-Match: *      201 + ETag, 412 when the name exists
    PUT  /sync/<name>  If-Match: "<etag>"    200 + new ETag, 412 when the ETag differs
    OPTIONS                            CORS preflight (no token needed)

A PUT without one of the two preconditions is refused (428): blind overwrites would lose
another device's write. Errors: 400 bad name, 401 token, 409 a name under a file, 411 no
length, 413 file too large, 507 quota reached or disk full. Every answer is text/plain
except listings.
"""
import errno
import fcntl
import hashlib
import hmac
import json
import os
import re
import secrets
import threading
import urllib.parse

PREFIX = "/sync/"
# A name: 1-16 parts of [A-Za-z0-9._-], none starting with "." (so no "..", and the
# server's own ".lock", ".token" and ".tmp-*" files can never be named), 512 characters at most.
PART = r"[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}"
NAME_RE = re.compile(r"(?:%s/){0,15}%s" % (PART, PART))
# A listing prefix: whole parts, then possibly the start of one (may be empty).
PREFIX_RE = re.compile(r"(?:%s/){0,15}(?:%s)?" % (PART, PART))
MAX_NAME = 512
MIB = 1024 * 1024
CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "ETag",
}
PREFLIGHT = {
    "Access-Control-Allow-Methods": "GET, HEAD, PUT, DELETE, OPTIONS",
    "Access-Control-Allow-Headers": "Authorization, Content-Type, If-Match, If-None-Match",
    "Access-Control-Max-Age": "600",
}


class SyncError(Exception):
    def __init__(self, status, message):
        super().__init__(message)
        self.status = status
        self.message = message


def valid_name(name):
    return len(name) <= MAX_NAME and NAME_RE.fullmatch(name) is not None


def valid_prefix(prefix):
    return len(prefix) <= MAX_NAME and PREFIX_RE.fullmatch(prefix) is not None


def load_token(data_dir, given):
    """The team token: the one given, else the one kept in <data_dir>/.token, else a new one
    (kept there, mode 0600, so the devices' saved token survives a restart). Returns
    (token, where it came from)."""
    if given:
        return given, "given"
    os.makedirs(data_dir, exist_ok=True)
    path = os.path.join(data_dir, ".token")
    try:
        with open(path) as f:
            token = f.read().strip()
        if token:
            return token, path
    except FileNotFoundError:
        pass
    token = secrets.token_urlsafe(24)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(token + "\n")
    return token, path



def fsync_dir(path):
    """Makes the folder holding `path` durable: a name created or removed survives a crash."""
    dfd = os.open(os.path.dirname(path), os.O_RDONLY)
    try:
        os.fsync(dfd)
    finally:
        os.close(dfd)

class SyncStore:
    """Names to files under root. Writes hold an exclusive flock on root/.lock (also between
    several server processes on one folder), write a temp file, fsync, then link (create-only)
    or rename (replace) it into place: a reader sees the old file or the new one, never part."""

    def __init__(self, root, max_file, quota):
        self.root = os.path.realpath(root)
        os.makedirs(self.root, exist_ok=True)
        self.max_file = max_file
        self.quota = quota          # total bytes of all files, 0 = no limit
        self._etags = {}            # (path, inode, mtime_ns, size) -> etag
        self._etags_lock = threading.Lock()
        self._used = None           # total bytes, counted once, then kept up to date

    # ---- reading -----------------------------------------------------------------------
    def path(self, name):
        return os.path.join(self.root, *name.split("/"))

    def etag(self, path):
        """(etag, size) of the file at path, from one open file (a replacement in between
        cannot mix two versions); FileNotFoundError when there is none."""
        with open(path, "rb") as f:
            st = os.fstat(f.fileno())
            key = (path, st.st_ino, st.st_mtime_ns, st.st_size)
            with self._etags_lock:
                tag = self._etags.get(key)
            if tag is None:
                tag = '"%s"' % hashlib.sha256(f.read()).hexdigest()[:32]
                with self._etags_lock:
                    if len(self._etags) > 100000:
                        self._etags.clear()
                    self._etags[key] = tag
        return tag, st.st_size

    def get(self, name):
        """(bytes, etag); SyncError 404 when there is no such file."""
        path = self.path(name)
        try:
            with open(path, "rb") as f:
                st = os.fstat(f.fileno())
                data = f.read()
        except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
            raise SyncError(404, "no such file: " + name)
        tag = '"%s"' % hashlib.sha256(data).hexdigest()[:32]
        with self._etags_lock:
            self._etags[(path, st.st_ino, st.st_mtime_ns, st.st_size)] = tag
        return data, tag

    def list(self, prefix):
        """Every file whose name starts with prefix, sorted by name."""
        base = prefix.rsplit("/", 1)[0] if "/" in prefix else ""
        top = self.path(base) if base else self.root
        out = []
        for dirpath, dirs, files in os.walk(top):
            dirs[:] = [d for d in dirs if not d.startswith(".")]
            rel = os.path.relpath(dirpath, self.root)
            rel = "" if rel == "." else rel.replace(os.sep, "/") + "/"
            for fname in files:
                name = rel + fname
                if fname.startswith(".") or not name.startswith(prefix):
                    continue
                full = os.path.join(dirpath, fname)
                try:
                    tag, size = self.etag(full)
                    out.append({"name": name, "etag": tag, "size": size})
                except FileNotFoundError:
                    continue  # replaced between the walk and the stat: its new version is next time's
        out.sort(key=lambda f: f["name"])
        return out

    # ---- writing -----------------------------------------------------------------------
    def put(self, name, data, if_match):
        """if_match None: create only (412 when it exists). Else replace only while the
        current ETag is if_match. Returns (status, new etag)."""
        if len(data) > self.max_file:
            raise SyncError(413, "file too large: %d bytes, the limit is %d" % (len(data), self.max_file))
        path = self.path(name)
        with open(os.path.join(self.root, ".lock"), "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            old_size = 0
            try:
                st = os.stat(path)
            except FileNotFoundError:
                st = None
            except NotADirectoryError:
                raise SyncError(409, "a part of the name is a file: " + name)
            if st is not None and not os.path.isfile(path):
                raise SyncError(409, "the name is a folder: " + name)
            if if_match is None and st is not None:
                raise SyncError(412, "exists: " + name)
            if if_match is not None:
                if st is None or self.etag(path)[0] != if_match:
                    raise SyncError(412, "changed since read: " + name)
                old_size = st.st_size
            used = self.used()
            if self.quota and used - old_size + len(data) > self.quota:
                raise SyncError(507, "quota reached: %d of %d bytes used" % (used, self.quota))
            self.write(path, name, data, replace=if_match is not None)
            self._used = used - old_size + len(data)
        tag = '"%s"' % hashlib.sha256(data).hexdigest()[:32]
        return (200 if if_match is not None else 201), tag

    def remove(self, name):
        """Deletes the file (a segment or snapshot part a snapshot covers); SyncError 404
        when there is none. Under the lock, so a replacement in between is never undone."""
        path = self.path(name)
        with open(os.path.join(self.root, ".lock"), "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                if not os.path.isfile(path):
                    raise SyncError(404, "no such file: " + name)
                size = os.stat(path).st_size
                used = self.used()
                os.unlink(path)
                fsync_dir(path)
            except (FileNotFoundError, NotADirectoryError):
                raise SyncError(404, "no such file: " + name)
            self._used = used - size

    def write(self, path, name, data, replace):
        try:
            os.makedirs(os.path.dirname(path), exist_ok=True)
        except (FileExistsError, NotADirectoryError):
            raise SyncError(409, "a part of the name is a file: " + name)
        except OSError as e:
            raise self.disk_error(e)
        tmp = os.path.join(os.path.dirname(path), ".tmp-%s" % secrets.token_hex(8))
        try:
            with open(tmp, "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            if replace:
                os.replace(tmp, path)
            else:
                os.link(tmp, path)  # fails if the name appeared anyway: never overwrites
                os.unlink(tmp)
            fsync_dir(path)
        except FileExistsError:
            raise SyncError(412, "exists: " + name)
        except OSError as e:
            raise self.disk_error(e)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)

    @staticmethod
    def disk_error(e):
        if e.errno in (errno.ENOSPC, errno.EDQUOT):
            return SyncError(507, "the server's disk is full")
        return e

    def used(self):
        if self._used is None:
            total = 0
            for dirpath, dirs, files in os.walk(self.root):
                dirs[:] = [d for d in dirs if not d.startswith(".")]
                for fname in files:
                    if not fname.startswith("."):
                        try:
                            total += os.stat(os.path.join(dirpath, fname)).st_size
                        except FileNotFoundError:
                            pass
            self._used = total
        return self._used


class SyncHandlerMixin:
    """Request handling for the routes under PREFIX; mixed into serve.py's Handler."""

    def sync_send(self, status, body=b"", ctype="text/plain; charset=utf-8", extra=None):
        headers = {"Content-Type": ctype, "Cache-Control": "no-store"}
        headers.update(CORS)
        headers.update(extra or {})
        self.send_body(status, headers, body)

    def sync_fail(self, status, message, extra=None):
        self.sync_send(status, (message + "\n").encode(), extra=extra)

    def sync_name(self, url_path):
        """The name after PREFIX, decoded; SyncError 400 for anything not a valid name."""
        raw = url_path[len(PREFIX):]
        if "%" in raw:  # names need no escapes: an escaped "/", "." or "\" is an attempt to escape
            raise SyncError(400, "bad name: escapes are not allowed")
        return urllib.parse.unquote(raw)

    def authorized_file(self, url_path):
        """The one file a PUT or DELETE names, once the token is right; SyncError otherwise."""
        if not self.authorized():
            raise SyncError(401, "wrong or missing team token")
        name = self.sync_name(url_path)
        if not valid_name(name) or "?" in self.path:
            raise SyncError(400, "bad name: " + name)
        return name

    def authorized(self):
        expected = "Bearer " + self.server.sync_token
        given = self.headers.get("Authorization", "")
        return hmac.compare_digest(given.encode(), expected.encode())

    def sync_options(self, url_path):
        self.sync_send(204, extra=PREFLIGHT)

    def sync_get(self, url_path):
        try:
            if not self.authorized():
                raise SyncError(401, "wrong or missing team token")
            name = self.sync_name(url_path)
            query = urllib.parse.urlsplit(self.path).query
            if query == "list":
                if not valid_prefix(name):
                    raise SyncError(400, "bad prefix: " + name)
                body = json.dumps(self.server.sync.list(name), separators=(",", ":")).encode()
                return self.sync_send(200, body, "application/json")
            if query:
                raise SyncError(400, "unknown query: " + query)
            if not valid_name(name):
                raise SyncError(400, "bad name: " + name)
            data, tag = self.server.sync.get(name)
            self.sync_send(200, data, "application/octet-stream", {"ETag": tag})
        except SyncError as e:
            self.sync_fail(e.status, e.message,
                           {"WWW-Authenticate": 'Bearer realm="crm-sync"'} if e.status == 401 else None)

    def drain_body(self):
        """Reads and drops an unwanted body, so the client (a browser's fetch) gets the
        answer instead of a reset connection; a body far over the limit is not worth it."""
        length = self.headers.get("Content-Length", "0")
        length = int(length) if length.isdigit() else 0
        if length > max(64 * MIB, 2 * self.server.sync.max_file) or self.headers.get("Transfer-Encoding"):
            self.close_connection = True
            return
        while length > 0:
            chunk = self.rfile.read(min(length, MIB))
            if not chunk:
                break
            length -= len(chunk)

    def sync_put(self, url_path):
        self.body_read = False
        try:
            name = self.authorized_file(url_path)
            if_none = self.headers.get("If-None-Match")
            if_match = self.headers.get("If-Match")
            if (if_none is None) == (if_match is None) or (if_none is not None and if_none.strip() != "*"):
                raise SyncError(428, "a PUT needs either If-None-Match: * or If-Match: <etag>")
            length = self.headers.get("Content-Length")
            if length is None or not length.isdigit():
                raise SyncError(411, "Content-Length is required")
            length = int(length)
            if length > self.server.sync.max_file:
                raise SyncError(413, "file too large: %d bytes, the limit is %d"
                                % (length, self.server.sync.max_file))
            data = self.rfile.read(length)
            self.body_read = True
            if len(data) != length:
                self.close_connection = True
                raise SyncError(400, "the body ended early")
            status, tag = self.server.sync.put(name, data, None if if_match is None else if_match.strip())
            self.sync_send(status, b"", extra={"ETag": tag})
        except SyncError as e:
            if not getattr(self, "body_read", False):
                self.drain_body()
            self.sync_fail(e.status, e.message,
                           {"WWW-Authenticate": 'Bearer realm="crm-sync"'} if e.status == 401 else None)

    def sync_delete(self, url_path):
        try:
            name = self.authorized_file(url_path)
            self.drain_body()
            self.server.sync.remove(name)
            self.sync_send(204)
        except SyncError as e:
            self.sync_fail(e.status, e.message,
                           {"WWW-Authenticate": 'Bearer realm="crm-sync"'} if e.status == 401 else None)
