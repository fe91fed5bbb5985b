#!/usr/bin/env python3
"""A small, independent STOMP 1.2 peer for Sealscope's interop tests, built on stomp.py.

    peer.py send    --url stomp://127.0.0.1:61613 [--login L] [--ca CA.pem]
                    --destination /queue/x [--header k:v]... [--seq-header NAME] FILE...
    peer.py receive --url stomp://127.0.0.1:61613 [--login L] [--ca CA.pem]
                    --destination /queue/x --count N --out DIR [--timeout 20]

send: one SEND per file (the file's bytes, content-length set, a fresh `receipt` header), waiting
  up to --receipt-timeout (10 s) for each RECEIPT; prints `sent FILE receipt=ID` per file. With
  --seq-header NAME, each SEND also carries NAME:N, N counting the files from 1 (a file may be
  given several times, so each copy can be told apart).
receive: SUBSCRIBE with ack=client-individual; each MESSAGE body goes to DIR/NNN.body (raw bytes)
  and its headers to DIR/NNN.headers (JSON); each is ACKed. Stops after --count messages, or
  fails after --timeout seconds saying how many arrived.

URLs: stomp://HOST:PORT (plain, default port 61613) and stomp+ssl://HOST:PORT (TLS, default port
61614; also ssl:// and stomp+tls://). For TLS the server certificate is verified against --ca
(default $STOMP_CA, else the system store), host name / IP included.
--url, --login and --ca default to $STOMP_URL, $STOMP_LOGIN, $STOMP_CA (as written by
scripts/broker/start.sh into broker.env). The passcode is read from $STOMP_PASSCODE only: a secret
on a command line can be read by every user of the machine.

Bodies are binary-safe: bytes are sent as they are with content-length, and the connection is
made with auto_decode=False so MESSAGE bodies arrive as the exact bytes.
Every wait is bounded; a watchdog ends the process if anything hangs anyway.
Exit status: 0 ok, 1 failure (refused, ERROR frame, missing receipt, too few messages), 2 usage.
"""

import argparse
import hashlib
import json
import os
import sys
import threading
import time
import urllib.parse
import uuid

# stomp.py resolves this machine's host names at import unless told not to (slow without DNS).
os.environ.setdefault("STOMP_SKIP_HOSTNAME_SCAN", "1")

try:
    import stomp
except ImportError:  # pragma: no cover - environment problem
    sys.exit("peer.py: the stomp.py package is missing: run scripts/broker/python-deps.sh")


class PeerError(Exception):
    pass


def log(msg):
    print(f"peer.py: {msg}", file=sys.stderr, flush=True)


class Listener(stomp.ConnectionListener):
    """Records what the broker sends; the main thread polls it with deadlines."""

    def __init__(self):
        self.lock = threading.Lock()
        self.connected = False
        self.connected_headers = {}
        self.disconnected = False
        self.errors = []
        self.receipts = set()
        self.messages = []

    def on_connected(self, frame):
        with self.lock:
            self.connected = True
            self.connected_headers = dict(frame.headers)

    def on_error(self, frame):
        body = frame.body
        if isinstance(body, bytes):
            body = body.decode("utf-8", "replace")
        with self.lock:
            self.errors.append(f"{frame.headers.get('message', '')} {body or ''}".strip())

    def on_receipt(self, frame):
        with self.lock:
            self.receipts.add(frame.headers.get("receipt-id"))

    def on_message(self, frame):
        with self.lock:
            self.messages.append(frame)

    def on_disconnected(self):
        with self.lock:
            self.disconnected = True


def wait_until(pred, timeout, what, listener):
    """Poll pred() until true; fail early on an ERROR frame or a closed connection."""
    deadline = time.monotonic() + timeout
    while True:
        with listener.lock:
            if pred():
                return
            if listener.errors:
                raise PeerError(f"broker sent ERROR while waiting for {what}: {listener.errors[-1]}")
            if listener.disconnected:
                raise PeerError(f"connection closed while waiting for {what}")
        if time.monotonic() >= deadline:
            raise PeerError(f"timed out after {timeout:g} s waiting for {what}")
        time.sleep(0.02)


def parse_url(url):
    u = urllib.parse.urlsplit(url)
    scheme = u.scheme.lower()
    if scheme in ("stomp", "tcp"):
        tls, default_port = False, 61613
    elif scheme in ("stomp+ssl", "stomp+tls", "ssl", "tls", "stomps"):
        tls, default_port = True, 61614
    else:
        raise PeerError(f"unsupported URL scheme in {url!r} (stomp:// or stomp+ssl://)")
    if not u.hostname:
        raise PeerError(f"no host in {url!r}")
    return u.hostname, u.port or default_port, tls


def connect(args):
    host, port, tls = parse_url(args.url)
    listener = Listener()
    conn = stomp.Connection12(
        [(host, port)],
        # No silent detours: don't reorder or add 127.0.0.1 (stomp.py keys TLS settings on the
        # exact (host, port), so an added loopback entry would connect without TLS).
        prefer_localhost=False,
        try_loopback_connect=False,
        reconnect_attempts_max=1,
        timeout=args.connect_timeout,  # TCP connect and TLS handshake
        heartbeats=(0, 0),
        vhost=args.vhost,
        auto_decode=False,  # MESSAGE bodies stay bytes
        auto_content_length=True,  # SEND carries content-length: NULs in bodies are fine
    )
    if tls:
        conn.set_ssl(for_hosts=[(host, port)], ca_certs=args.ca or None)
    conn.set_listener("peer", listener)
    try:
        conn.connect(args.login, os.environ.get("STOMP_PASSCODE"), wait=False)
    except stomp.exception.ConnectFailedException as e:
        why = str(e) or "connection or TLS handshake failed (stomp.py's warning above says why)"
        raise PeerError(f"cannot connect to {host}:{port}{' (TLS)' if tls else ''}: {why}")
    except OSError as e:
        raise PeerError(f"cannot connect to {host}:{port}{' (TLS)' if tls else ''}: {e}")
    wait_until(lambda: listener.connected, args.connect_timeout, "CONNECTED", listener)
    server = listener.connected_headers.get("server", "?")
    version = listener.connected_headers.get("version", "?")
    log(f"connected to {args.url} ({server}, STOMP {version})")
    return conn, listener


def disconnect(conn, listener, timeout=5.0):
    """DISCONNECT with a receipt (the broker has then seen every earlier frame), bounded."""
    rid = f"disconnect-{uuid.uuid4()}"
    try:
        with listener.lock:
            gone = listener.disconnected
        if not gone:
            # Protocol12.disconnect directly: Connection12.disconnect(receipt=...) would then
            # block in transport.stop() for as long as the broker takes, without a bound.
            stomp.protocol.Protocol12.disconnect(conn, receipt=rid)
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                with listener.lock:
                    if rid in listener.receipts or listener.disconnected:
                        break
                time.sleep(0.02)
            else:
                log(f"no RECEIPT for DISCONNECT within {timeout:g} s")
    except Exception as e:  # closing is best effort
        log(f"disconnect: {e}")
    finally:
        try:
            conn.transport.disconnect_socket()
        except Exception:
            pass


def parse_headers(items):
    headers = {}
    for item in items or []:
        key, sep, value = item.partition(":")
        if not sep or not key:
            raise PeerError(f"--header wants k:v, got {item!r}")
        headers[key] = value
    return headers


def cmd_send(args):
    extra = parse_headers(args.header)
    for reserved in ("receipt", "destination", "content-length"):
        if reserved in extra:
            raise PeerError(f"--header {reserved}: is set by peer.py itself")
    bodies = []
    for path in args.files:
        with open(path, "rb") as f:
            bodies.append((path, f.read()))
    conn, listener = connect(args)
    try:
        for n, (path, body) in enumerate(bodies, start=1):
            rid = f"peer-{uuid.uuid4()}"
            headers = dict(extra)
            if args.seq_header:
                headers[args.seq_header] = str(n)
            headers["receipt"] = rid
            if not body:
                headers["content-length"] = "0"
            conn.send(args.destination, body, headers=headers)
            wait_until(lambda: rid in listener.receipts, args.receipt_timeout,
                       f"RECEIPT {rid} for {path}", listener)
            print(f"sent {path} receipt={rid}", flush=True)
    finally:
        disconnect(conn, listener)
    return 0


def cmd_receive(args):
    if args.count < 1:
        raise PeerError("--count must be at least 1")
    os.makedirs(args.out, exist_ok=True)
    conn, listener = connect(args)
    got = 0
    try:
        sub_receipt = f"sub-{uuid.uuid4()}"
        conn.subscribe(args.destination, id=args.subscription_id, ack="client-individual",
                       headers={"receipt": sub_receipt})
        wait_until(lambda: sub_receipt in listener.receipts, args.receipt_timeout,
                   f"RECEIPT for SUBSCRIBE {args.destination}", listener)
        deadline = time.monotonic() + args.timeout
        while got < args.count:
            with listener.lock:
                pending, listener.messages = listener.messages, []
                errors = list(listener.errors)
                closed = listener.disconnected
            for frame in pending:
                if got >= args.count:
                    break  # more than asked for: not ACKed, the broker redelivers them later
                got += 1
                body = frame.body if frame.body is not None else b""
                if isinstance(body, str):  # only if auto_decode were on
                    body = body.encode("utf-8")
                stem = os.path.join(args.out, f"{got:03d}")
                with open(stem + ".body", "wb") as f:
                    f.write(body)
                with open(stem + ".headers", "w", encoding="utf-8") as f:
                    json.dump(dict(frame.headers), f, indent=2, sort_keys=True)
                    f.write("\n")
                conn.ack(frame.headers["ack"])
                print(f"received {stem}.body bytes={len(body)} "
                      f"sha256={hashlib.sha256(body).hexdigest()} "
                      f"message-id={frame.headers.get('message-id', '?')}", flush=True)
            if got >= args.count:
                break
            if errors:
                raise PeerError(f"broker sent ERROR after {got} of {args.count} messages: {errors[-1]}")
            if closed:
                raise PeerError(f"connection closed after {got} of {args.count} messages")
            if time.monotonic() >= deadline:
                raise PeerError(f"timed out after {args.timeout:g} s: {got} of {args.count} messages arrived")
            time.sleep(0.02)
    finally:
        disconnect(conn, listener)
    log(f"received {got} message(s) into {args.out}")
    return 0


def main(argv=None):
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--url", default=os.environ.get("STOMP_URL"),
                        help="stomp://HOST:PORT or stomp+ssl://HOST:PORT (default $STOMP_URL)")
    common.add_argument("--login", default=os.environ.get("STOMP_LOGIN"))
    common.add_argument("--ca", default=os.environ.get("STOMP_CA") or None,
                        help="PEM CA file to verify the broker's TLS certificate (default $STOMP_CA)")
    common.add_argument("--vhost", default=None, help="host header of CONNECT (default: the URL's host)")
    common.add_argument("--destination", required=True)
    common.add_argument("--connect-timeout", type=float, default=10.0)
    common.add_argument("--receipt-timeout", type=float, default=10.0)

    parser = argparse.ArgumentParser(description="STOMP peer for Sealscope's interop tests (stomp.py)")
    sub = parser.add_subparsers(dest="command", required=True)
    p_send = sub.add_parser("send", parents=[common], help="SEND each file, wait for its RECEIPT")
    p_send.add_argument("--header", action="append", metavar="K:V", help="extra SEND header (repeatable)")
    p_send.add_argument("--seq-header", metavar="NAME", help="number the messages 1, 2, ... in this header")
    p_send.add_argument("files", nargs="+", metavar="FILE")
    p_recv = sub.add_parser("receive", parents=[common], help="SUBSCRIBE, store and ACK N messages")
    p_recv.add_argument("--count", type=int, required=True)
    p_recv.add_argument("--out", required=True, metavar="DIR")
    p_recv.add_argument("--timeout", type=float, default=20.0, help="seconds for all N messages")
    p_recv.add_argument("--subscription-id", default="peer-1")
    args = parser.parse_args(argv)
    if not args.url:
        parser.error("--url is required (or set STOMP_URL)")

    # Watchdog: whatever happens inside stomp.py, the process ends in bounded time.
    limit = args.connect_timeout + args.receipt_timeout + 30.0
    if args.command == "send":
        limit += args.receipt_timeout * len(args.files)
    else:
        limit += args.timeout

    def watchdog():
        log(f"watchdog: still running after {limit:g} s, giving up")
        sys.stdout.flush()
        os._exit(3)

    timer = threading.Timer(limit, watchdog)
    timer.daemon = True
    timer.start()
    try:
        return cmd_send(args) if args.command == "send" else cmd_receive(args)
    except (PeerError, OSError) as e:
        log(f"error: {e}")
        return 1
    finally:
        timer.cancel()


if __name__ == "__main__":
    sys.exit(main())
