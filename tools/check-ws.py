#!/usr/bin/env python3
"""WebSocket conformance of event_rs against an independent implementation, the `websockets`
package (PyPI): it is the client of our server (examples-c/ws_chat, a chat that echoes to a lone
client) and the server for our client (tools/ws-client.c, which echoes). Frames that websockets
will not send (bad ones) come from raw sockets here, with the handshake values computed by
hashlib/base64, not by our code.
    check-ws.py --chat build/examples/ws_chat --client build/ws-client
No duration is asserted: timeouts only stop a hang."""
import argparse, base64, hashlib, os, socket, ssl, struct, subprocess, sys, tempfile, threading, traceback
import http.client
from websockets.sync.client import connect
from websockets.sync.server import serve
from websockets.exceptions import ConnectionClosed

GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
T = 20  # seconds before a step counts as hung
results = []


def case(name):
    def wrap(f):
        def run(*a):
            try:
                f(*a)
                results.append((name, None))
                print(f"ws: {name}: ok", flush=True)
            except Exception as e:  # noqa: BLE001 - any failure is reported
                results.append((name, e))
                print(f"ws: {name}: FAIL ({type(e).__name__}: {e})", flush=True)
                if os.environ.get("WS_DEBUG"):
                    traceback.print_exc()
        run.__name__ = f.__name__
        return run
    return wrap


def check(cond, what):
    if not cond:
        raise AssertionError(what)


# ---- raw frames

def frame(op, payload=b"", fin=True, rsv=0, mask=True, length=None):
    n = len(payload) if length is None else length
    h = bytes([(0x80 if fin else 0) | (rsv << 4) | op])
    m = 0x80 if mask else 0
    if n < 126:
        h += bytes([m | n])
    elif n < 65536:
        h += bytes([m | 126]) + struct.pack("!H", n)
    else:
        h += bytes([m | 127]) + struct.pack("!Q", n)
    if mask:
        k = os.urandom(4)
        return h + k + bytes(b ^ k[i % 4] for i, b in enumerate(payload))
    return h + payload


class Raw:
    """A socket speaking frames by hand."""
    def __init__(self, sock, buf=b""):
        self.s, self.buf = sock, buf

    def need(self, n):
        while len(self.buf) < n:
            d = self.s.recv(65536)
            if not d:
                raise EOFError("connection closed")
            self.buf += d
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def read_frame(self):
        b0, b1 = self.need(2)
        n = b1 & 0x7F
        if n == 126:
            n = struct.unpack("!H", self.need(2))[0]
        elif n == 127:
            n = struct.unpack("!Q", self.need(8))[0]
        k = self.need(4) if b1 & 0x80 else None
        p = self.need(n)
        if k:
            p = bytes(b ^ k[i % 4] for i, b in enumerate(p))
        return bool(b0 & 0x80), b0 & 0x0F, p, k is not None

    def expect_close(self, code, masked):
        """Reads up to the peer's close frame: its code must be `code` (None: no code) and its
        masking `masked`; answers it, then the peer must end the connection."""
        while True:
            fin, op, p, m = self.read_frame()
            if op == 8:
                break
        check(m == masked, f"close frame masked={m}, expected {masked}")
        got = struct.unpack("!H", p[:2])[0] if len(p) >= 2 else None
        check(got == code, f"close code {got}, expected {code}")
        try:
            self.s.sendall(frame(8, p[:2], mask=not masked))
            while self.s.recv(65536):
                pass
        except OSError:
            pass
        return got

    def expect_eof(self):
        try:
            while self.s.recv(65536):
                pass
        except OSError:
            pass


def accept_of(key):
    return base64.b64encode(hashlib.sha1(key.encode() + GUID).digest()).decode()


def raw_client(port, path="/ws", extra=""):
    s = socket.create_connection(("127.0.0.1", port), timeout=T)
    key = base64.b64encode(os.urandom(16)).decode()
    s.sendall((f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\n"
               f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n{extra}\r\n").encode())
    buf = b""
    while b"\r\n\r\n" not in buf:
        d = s.recv(4096)
        check(d, "no handshake reply")
        buf += d
    head, rest = buf.split(b"\r\n\r\n", 1)
    lines = head.decode().split("\r\n")
    check(lines[0].split()[1] == "101", f"status line {lines[0]!r}")
    hdr = {k.strip().lower(): v.strip() for k, v in (l.split(":", 1) for l in lines[1:])}
    check(hdr.get("sec-websocket-accept") == accept_of(key), "wrong Sec-WebSocket-Accept")
    check(hdr.get("upgrade", "").lower() == "websocket", "no Upgrade: websocket")
    return Raw(s, rest)


# ---- our server (ws_chat) with websockets as its client

def server_cases(port):
    uri = f"ws://127.0.0.1:{port}/ws"

    def ws():
        return connect(uri, max_size=None, open_timeout=T, close_timeout=T)

    @case("server: messages echoed (text, binary, 0/125/126/65535/65536 bytes, 1 MiB, UTF-8, U+0000)")
    def messages():
        with ws() as c:
            msgs = ["hello", "", b"", "h\u00e9llo \u20ac \U0001F600", "nul\x00inside", b"\x00\xff" * 3]
            msgs += [bytes(range(256)) * (n // 256) + bytes(range(n % 256)) for n in (125, 126, 65535, 65536, 1 << 20)]
            msgs += ["t" * 70000]
            for m in msgs:
                c.send(m)
                r = c.recv(timeout=T)
                check(type(r) is type(m) and r == m, f"echo of a {type(m).__name__} of {len(m)} differs")
    messages()

    @case("server: fragmented messages joined (text split inside a UTF-8 character, binary)")
    def fragmented():
        with ws() as c:
            c.send(["frag", "men", "ted \u20ac"])
            check(c.recv(timeout=T) == "fragmented \u20ac", "fragmented text")
            c.send([b"\x01" * 100000, b"", b"\x02" * 3])
            check(c.recv(timeout=T) == b"\x01" * 100000 + b"\x02" * 3, "fragmented binary")
        r = raw_client(port)
        r.s.sendall(frame(1, b"\xe2\x82", fin=False) + frame(9, b"mid") + frame(0, b"\xac"))
        _, op, p, _ = r.read_frame()
        check(op == 10 and p == b"mid", "pong inside a fragmented message")
        _, op, p, m = r.read_frame()
        check(op == 1 and p == "\u20ac".encode() and not m, "text split across frames")
        r.s.sendall(frame(8, struct.pack("!H", 1000)))
        r.expect_close(1000, False)
    fragmented()

    @case("server: ping answered by pong, unsolicited pong ignored")
    def ping():
        with ws() as c:
            check(c.ping(b"are you there").wait(T), "no pong")
            check(c.ping(b"").wait(T), "no pong to an empty ping")
            c.pong(b"unasked")
            c.send("after pong")
            check(c.recv(timeout=T) == "after pong", "echo after a pong")
    ping()

    @case("server: close codes echoed (1000, 4001 with reason, no code)")
    def closes():
        for code in (1000, 4001):
            with ws() as c:
                c.close(code, "bye")
                rc = c.protocol.close_rcvd
                check(rc is not None and rc.code == code, f"close echo {rc}")
        r = raw_client(port)
        r.s.sendall(frame(8, b""))
        r.expect_close(None, False)
    closes()

    @case("server: 16 MiB message refused with 1009 (cap 10 MiB)")
    def big():
        with ws() as c:
            try:
                c.send(b"\x00" * (16 << 20))
                c.recv(timeout=T)
                raise AssertionError("the 16 MiB message was accepted")
            except ConnectionClosed as e:
                check(e.rcvd is not None and e.rcvd.code == 1009, f"closed with {e.rcvd}, expected 1009")
        r = raw_client(port)  # fragments adding up to more than 10 MiB
        r.s.sendall(frame(2, b"\x00" * (6 << 20), fin=False))
        r.s.sendall(frame(0, b"\x00" * (6 << 20)))
        r.expect_close(1009, False)
    big()

    bad = [
        ("unmasked client frame", frame(1, b"hi", mask=False), 1002),
        ("reserved bit RSV1", frame(1, b"hi", rsv=4), 1002),
        ("reserved bits RSV2+RSV3", frame(2, b"hi", rsv=3), 1002),
        ("bad UTF-8 in text", frame(1, b"ok \xff\xfe"), 1007),
        ("bad UTF-8 in a fragment", frame(1, b"\xc3\x28", fin=False), 1007),
        ("text ending inside a character", frame(1, b"\xe2\x82"), 1007),
        ("ping of 126 bytes", frame(9, b"p" * 126), 1002),
        ("close of 126 bytes", frame(8, struct.pack("!H", 1000) + b"r" * 124), 1002),
        ("fragmented ping", frame(9, b"p", fin=False), 1002),
        ("continuation without a message", frame(0, b"x"), 1002),
        ("new message inside a fragmented one", frame(1, b"a", fin=False) + frame(1, b"b"), 1002),
        ("unknown opcode 3", frame(3, b"x"), 1002),
        ("unknown opcode 0xB", frame(11, b"x"), 1002),
        ("close with a 1-byte payload", frame(8, b"\x03"), 1002),
        ("close with code 1005", frame(8, struct.pack("!H", 1005)), 1002),
        ("close with code 999", frame(8, struct.pack("!H", 999)), 1002),
        ("close with a bad UTF-8 reason", frame(8, struct.pack("!H", 1000) + b"\xff"), 1007),
        ("64-bit length with its top bit set", bytes([0x82, 0xFF]) + b"\x80" + b"\x00" * 7 + os.urandom(4), 1002),
    ]
    for name, data, code in bad:
        @case(f"server: bad frame ({name}) -> close {code}")
        def one():
            r = raw_client(port)
            r.s.sendall(data)
            r.expect_close(code, False)
        one()

    @case("server: abrupt disconnects (mid-head, mid-payload, after the handshake) leave it serving")
    def abrupt():
        for data in (b"", b"\x81", frame(2, b"z" * 1000)[:500]):
            r = raw_client(port)
            r.s.sendall(data)
            r.s.close()
        with ws() as c:
            c.send("still here")
            check(c.recv(timeout=T) == "still here", "echo after abrupt disconnects")
            c.socket.shutdown(socket.SHUT_RDWR)  # websockets' connection dropped without a close
        with ws() as c:
            c.send("again")
            check(c.recv(timeout=T) == "again", "echo after a dropped websockets connection")
    abrupt()

    @case("server: chat between two clients")
    def chat():
        with ws() as a, ws() as b:
            a.send("from a")
            check(a.recv(timeout=T) == "from a" and b.recv(timeout=T) == "from a", "broadcast")
            b.send(b"\x01\x02")
            check(a.recv(timeout=T) == b"\x01\x02" and b.recv(timeout=T) == b"\x01\x02", "binary broadcast")
    chat()

    @case("server: handshake refusals (no upgrade, wrong version, bad key, POST) get 400; the page is served")
    def http_side():
        def req(method, headers):
            h = http.client.HTTPConnection("127.0.0.1", port, timeout=T)
            h.request(method, "/ws", headers=headers)
            r = h.getresponse()
            r.read()
            h.close()
            return r
        up = {"Upgrade": "websocket", "Connection": "Upgrade", "Sec-WebSocket-Version": "13",
              "Sec-WebSocket-Key": base64.b64encode(os.urandom(16)).decode()}
        check(req("GET", {}).status == 400, "plain GET on /ws")
        r = req("GET", dict(up, **{"Sec-WebSocket-Version": "8"}))
        check(r.status == 400 and r.getheader("Sec-WebSocket-Version") == "13", "wrong version")
        check(req("GET", dict(up, **{"Sec-WebSocket-Key": "short"})).status == 400, "bad key")
        check(req("POST", up).status == 400, "POST upgrade")
        h = http.client.HTTPConnection("127.0.0.1", port, timeout=T)
        h.request("GET", "/")
        r = h.getresponse()
        body = r.read().decode()
        check(r.status == 200 and "new WebSocket(" in body and "/ws" in body, "the chat page")
    http_side()


# ---- our client (ws-client) with websockets as its server

def run_client(binary, uri, env=None):
    p = subprocess.run([binary, uri], capture_output=True, text=True, timeout=60, env=env)
    return p.stdout.split("\n")


def client_cases(binary, certdir):
    state, finished = {}, {}

    def handler(ws):
        path = ws.request.path
        try:
            if path == "/echo":
                msgs = ["hello", "", b"", "h\u00e9llo \u20ac", "nul\x00inside"]
                msgs += [os.urandom(n) for n in (125, 126, 65535, 65536, 1 << 20)]
                for m in msgs:
                    ws.send(m)
                    r = ws.recv(timeout=T)
                    check(type(r) is type(m) and r == m, f"echo of a {type(m).__name__} of {len(m)}")
                ws.send(["frag", "men", "ted \u20ac"])
                check(ws.recv(timeout=T) == "fragmented \u20ac", "fragmented text")
                ws.send([b"\x05" * 70000, b"\x06"])
                check(ws.recv(timeout=T) == b"\x05" * 70000 + b"\x06", "fragmented binary")
                check(ws.ping(b"ping?").wait(T), "no pong from the client")
                ws.close(4001, "done")
                rc = ws.protocol.close_rcvd
                check(rc is not None and rc.code == 4001, f"close echo {rc}")
            elif path == "/big":
                ws.send(b"\x00" * (16 << 20))
                try:
                    ws.recv(timeout=T)
                    raise AssertionError("accepted 16 MiB")
                except ConnectionClosed as e:
                    check(e.rcvd is not None and e.rcvd.code == 1009, f"closed with {e.rcvd}")
            elif path == "/cmdclose":
                ws.send("cmd:close 4002")
                try:
                    ws.recv(timeout=T)
                    raise AssertionError("no close")
                except ConnectionClosed as e:
                    check(e.rcvd is not None and e.rcvd.code == 4002, f"closed with {e.rcvd}")
            elif path == "/drop":
                ws.send("one")
                check(ws.recv(timeout=T) == "one", "echo before the drop")
                ws.socket.shutdown(socket.SHUT_RDWR)
            state[path] = None
        except Exception as e:  # noqa: BLE001
            state[path] = e
        finished.setdefault(path, threading.Event()).set()

    def server_side(path):
        """What the handler for `path` found, once it has returned."""
        finished.setdefault(path, threading.Event()).wait(T)
        return state.get(path, "no handler")

    with serve(handler, "127.0.0.1", 0, max_size=None, close_timeout=T) as server:
        port = server.socket.getsockname()[1]
        threading.Thread(target=server.serve_forever, daemon=True).start()
        for path, want in (("/echo", "close 4001"), ("/big", "close 1009"), ("/cmdclose", "close 4002"), ("/drop", "close 1006")):
            @case(f"client: {path[1:]} against websockets' server -> {want}")
            def one():
                out = run_client(binary, f"ws://127.0.0.1:{port}{path}")
                check(out[0] == "open" and want in out, f"client printed {out}")
                err = server_side(path)
                check(err is None, f"server side: {err}")
            one()
        server.shutdown()

    # TLS: websockets over ssl, our client trusting the test's certificate through SSL_CERT_FILE
    cert, key = os.path.join(certdir, "cert.pem"), os.path.join(certdir, "key.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
                    "-days", "2", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"],
                   check=True, capture_output=True)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    with serve(handler, "127.0.0.1", 0, ssl=ctx, max_size=None, close_timeout=T) as server:
        port = server.socket.getsockname()[1]
        threading.Thread(target=server.serve_forever, daemon=True).start()

        @case("client: wss:// (TLS, certificate and host name checked) echo -> close 4001")
        def wss():
            env = dict(os.environ, SSL_CERT_FILE=cert)
            finished.pop("/echo", None)
            state.pop("/echo", None)
            out = run_client(binary, f"wss://localhost:{port}/echo", env)
            check(out[0] == "open" and "close 4001" in out, f"client printed {out}")
            err = server_side("/echo")
            check(err is None, f"server side: {err}")
        wss()

        @case("client: wss:// with an untrusted certificate -> no open, close 1006")
        def untrusted():
            env = {k: v for k, v in os.environ.items() if k not in ("SSL_CERT_FILE", "SSL_CERT_DIR")}
            out = run_client(binary, f"wss://localhost:{port}/echo", env)
            check("open" not in out and "close 1006" in out, f"client printed {out}")
        untrusted()
        server.shutdown()

    # bad frames and handshakes from a raw server
    def raw_server(reply, then, want):
        ls = socket.socket()
        ls.bind(("127.0.0.1", 0))
        ls.listen(1)
        ls.settimeout(T)
        p = subprocess.Popen([binary, f"ws://127.0.0.1:{ls.getsockname()[1]}/raw"], stdout=subprocess.PIPE, text=True)
        try:
            s, _ = ls.accept()
            s.settimeout(T)
            buf = b""
            while b"\r\n\r\n" not in buf:
                d = s.recv(4096)
                check(d, "no handshake request")
                buf += d
            lines = buf.split(b"\r\n\r\n")[0].decode().split("\r\n")
            check(lines[0].startswith("GET /raw HTTP/1.1"), f"request line {lines[0]!r}")
            hdr = {k.strip().lower(): v.strip() for k, v in (l.split(":", 1) for l in lines[1:])}
            check(len(base64.b64decode(hdr["sec-websocket-key"])) == 16, "key is not 16 bytes")
            check(hdr["sec-websocket-version"] == "13" and hdr["upgrade"].lower() == "websocket", "upgrade headers")
            s.sendall(reply(accept_of(hdr["sec-websocket-key"])).encode())
            r = Raw(s)
            if then is not None:
                s.sendall(then)
                r.expect_close(want, True)
            else:
                r.expect_eof()
            s.close()
            out = p.communicate(timeout=T)[0].split("\n")
            return out
        finally:
            if p.poll() is None:
                p.kill()
                p.wait()
            ls.close()

    ok101 = lambda acc: f"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: {acc}\r\n\r\n"
    for name, then, code in (
        ("masked server frame", frame(1, b"hi", mask=True), 1002),
        ("reserved bit", frame(1, b"hi", rsv=4, mask=False), 1002),
        ("bad UTF-8 in text", frame(1, b"\xff", mask=False), 1007),
        ("ping of 126 bytes", frame(9, b"p" * 126, mask=False), 1002),
        ("unknown opcode", frame(5, b"", mask=False), 1002),
    ):
        @case(f"client: bad frame from the server ({name}) -> masked close {code}")
        def one():
            out = raw_server(ok101, then, code)
            check(out[0] == "open" and f"close {code}" in out, f"client printed {out}")
        one()

    for name, reply in (
        ("wrong Sec-WebSocket-Accept", lambda acc: ok101(base64.b64encode(b"x" * 20).decode())),
        ("200 instead of 101", lambda acc: "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"),
        ("no Upgrade header", lambda acc: f"HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: {acc}\r\n\r\n"),
    ):
        @case(f"client: handshake refused ({name}) -> no open, close 1006")
        def one():
            out = raw_server(reply, None, None)
            check("open" not in out and "close 1006" in out, f"client printed {out}")
        one()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--chat", required=True)
    ap.add_argument("--client", required=True)
    a = ap.parse_args()
    chat = subprocess.Popen([a.chat], stdout=subprocess.PIPE, text=True)
    try:
        port = int(chat.stdout.readline())
        server_cases(port)
        chat.send_signal(2)
        try:
            chat.communicate(timeout=T)
            code = chat.returncode
        except subprocess.TimeoutExpired:
            code = "hung"

        @case("server: ws_chat stops cleanly on SIGINT")
        def stopped():
            check(code == 0, f"exit status {code}")
        stopped()
    finally:
        if chat.poll() is None:
            chat.kill()
    with tempfile.TemporaryDirectory() as d:
        client_cases(a.client, d)
    failed = [n for n, e in results if e]
    print(f"ws: {len(results) - len(failed)} passed, {len(failed)} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
