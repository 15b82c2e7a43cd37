#!/usr/bin/env python3
"""Drives the programs of examples-c/ (built into build/examples by `make examples`) over
loopback and checks what they do. Prints "NAME: ok" or "NAME: FAIL (why)" per check, then
"N passed, N failed". Every wait is bounded; every program is stopped at the end. A server
must still answer a new client after each scripted one. With --valgrind, the programs run
under valgrind: an invalid access or a definite leak fails the check (the proxy then moves
less data, and its memory is not measured).

usage: check-examples.py [--bin build/examples] [--only NAME[,NAME]] [--valgrind]
"""
import os, re, signal, socket, subprocess, sys, threading, time

BIN = "build/examples"
T = 10.0
VALGRIND = []
results = []


class Fail(Exception):
    pass


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def start(name, *args, stdin=subprocess.DEVNULL):
    p = subprocess.Popen([*VALGRIND, os.path.join(BIN, name), *map(str, args)], stdin=stdin,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return p


def valgrind_clean(err):
    """Fails on valgrind's reports in a program's stderr (it exits by a signal, so its exit
    code cannot tell)."""
    found = re.findall(r"^==\d+== [A-Z].*$", err, re.M)
    if VALGRIND and found:
        raise Fail("valgrind: " + " ".join(found[:2]))


def still_echoes(port, transform=lambda b: b):
    """A new client after the scripted ones: the server still answers."""
    c = connect(port)
    c.sendall(b"still there?\n")
    want = transform(b"still there?\n")
    if recv_exact(c, len(want)) != want:
        raise Fail("a new client got no answer after the scripted ones")
    c.close()


def wait_line(p, text, timeout=T):
    """Reads the program's stdout until a line containing `text`; returns the lines read."""
    lines = []
    deadline = time.time() + timeout
    while time.time() < deadline:
        line = p.stdout.readline().decode(errors="replace")
        if not line:
            break
        lines.append(line)
        if text in line:
            return lines
    raise Fail(f"no line with {text!r} (got {''.join(lines)[-200:]!r})")


def stop(p, sig=signal.SIGTERM, timeout=None):
    if timeout is None:
        timeout = 30 if VALGRIND else 5  # valgrind's leak check takes a while at exit
    if p.poll() is None:
        p.send_signal(sig)
    try:
        out, err = p.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        p.kill()
        out, err = p.communicate()
        raise Fail(f"did not exit after {sig.name}")
    err = err.decode(errors="replace")
    valgrind_clean(err)
    return p.returncode, out.decode(errors="replace"), err


def connect(port):
    deadline = time.time() + T
    while True:
        try:
            return socket.create_connection(("127.0.0.1", port), timeout=T)
        except OSError:
            if time.time() > deadline:
                raise
            time.sleep(0.05)


def recv_exact(s, n):
    buf = b""
    while len(buf) < n:
        chunk = s.recv(min(65536, n - len(buf)))
        if not chunk:
            raise Fail(f"connection closed after {len(buf)} of {n} bytes")
        buf += chunk
    return buf


def recv_all(s):
    buf = b""
    while True:
        chunk = s.recv(65536)
        if not chunk:
            return buf
        buf += chunk


def rot13(data):
    out = bytearray(data)
    for i, c in enumerate(out):
        if 65 <= c <= 90:
            out[i] = 65 + (c - 65 + 13) % 26
        elif 97 <= c <= 122:
            out[i] = 97 + (c - 97 + 13) % 26
    return bytes(out)


def peak_rss_kb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


def check(name):
    def wrap(fn):
        def run():
            try:
                fn()
                results.append((name, None))
                print(f"{name}: ok", flush=True)
            except Exception as e:  # noqa: BLE001 - every failure is reported the same way
                results.append((name, str(e)))
                print(f"{name}: FAIL ({e})", flush=True)
        run.name = name
        return run
    return wrap


# ---- echo_events: raw events, several clients at once, a large message ------------------------

@check("echo_events")
def echo_events():
    port = free_port()
    p = start("echo_events", port)
    try:
        wait_line(p, "listening")
        clients = [connect(port) for _ in range(5)]
        for i, c in enumerate(clients):
            msg = f"client {i} says hello\n".encode()
            c.sendall(msg)
            if recv_exact(c, len(msg)) != msg:
                raise Fail("echo differs")
        big = bytes(range(256)) * 1024  # 256 KiB, read back while it is sent
        got = bytearray()
        reader = threading.Thread(target=lambda: got.extend(recv_exact(clients[0], len(big))))
        reader.start()
        clients[0].sendall(big)
        reader.join(T)
        if bytes(got) != big:
            raise Fail(f"large echo: {len(got)} of {len(big)} bytes, or different")
        for c in clients:
            c.close()
        wait_line(p, "closed after")
        still_echoes(port)
    finally:
        rc, out, err = stop(p)


# ---- line_server: listener + bufferevents, lines split across packets, quit, shutdown ---------

@check("line_server")
def line_server():
    port = free_port()
    p = start("line_server", port)
    try:
        wait_line(p, "listening")
        a, b = connect(port), connect(port)
        a.sendall(b"hello\nwor")
        time.sleep(0.05)
        a.sendall(b"ld\r\n")
        if recv_exact(a, len(b"1: HELLO\n2: WORLD\n")) != b"1: HELLO\n2: WORLD\n":
            raise Fail("answers to client a")
        b.sendall(b"other client\n")
        if recv_exact(b, len(b"1: OTHER CLIENT\n")) != b"1: OTHER CLIENT\n":
            raise Fail("answer to client b")
        a.sendall(b"quit\n")
        if recv_all(a) != b"bye\n":
            raise Fail("quit: expected bye, then the end")
        still_echoes(port, lambda m: b"1: " + m.upper())
        b.sendall(b"shutdown\n")
        if recv_exact(b, 4) != b"bye\n":
            raise Fail("shutdown: expected bye")
        rc = p.wait(timeout=5 * (1 + 5 * bool(VALGRIND)))
        out = p.stdout.read().decode()
        valgrind_clean(p.stderr.read().decode(errors="replace"))
        if rc != 0 or "line_server done" not in out:
            raise Fail(f"exit {rc}, output {out!r}")
    finally:
        if p.poll() is None:
            stop(p, signal.SIGKILL)


# ---- stdin_client: lines from a pipe to a server, replies printed, half-close at the end ------

@check("stdin_client")
def stdin_client():
    port = free_port()
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", port))
    srv.listen(1)
    srv.settimeout(T)
    seen = []

    def serve():
        c, _ = srv.accept()
        c.settimeout(T)
        c.sendall(b"welcome\n")
        data = recv_all(c)  # until the client half-closes
        seen.append(data)
        c.sendall(data.upper() + b"done\n")
        c.close()

    t = threading.Thread(target=serve)
    t.start()
    r, w = os.pipe()
    p = start("stdin_client", "127.0.0.1", port, stdin=r)
    os.close(r)
    os.write(w, b"ping\npong\n")
    time.sleep(0.2)
    os.write(w, b"last line without end")
    os.close(w)
    try:
        out, err = p.communicate(timeout=T)
    except subprocess.TimeoutExpired:
        p.kill()
        raise Fail("client did not exit")
    t.join(T)
    out = out.decode()
    valgrind_clean(err.decode(errors="replace"))
    if seen != [b"ping\npong\nlast line without end"]:
        raise Fail(f"server got {seen!r}")
    want = "welcome\nPING\nPONG\nLAST LINE WITHOUT ENDdone\n"
    if p.returncode != 0 or out != want:
        raise Fail(f"exit {p.returncode}, printed {out!r}, stderr {err.decode()!r}")


# ---- graceful: SIGTERM with clients connected, SIGINT with none --------------------------------

@check("graceful")
def graceful():
    port = free_port()
    p = start("graceful", port)
    wait_line(p, "listening")
    clients = [connect(port) for _ in range(3)]
    for c in clients:
        c.sendall(b"x")
        if recv_exact(c, 1) != b"x":
            raise Fail("echo before shutdown")
    wait_line(p, "client connected (3)")
    rc, out, err = stop(p, signal.SIGTERM)
    for c in clients:
        if recv_all(c) != b"server shutting down\n":
            raise Fail("a client did not get the goodbye, then the end")
    if rc != 0 or "caught SIGTERM" not in out or "clean exit: 3 client(s) said goodbye, 0 forced" not in out:
        raise Fail(f"exit {rc}, output {out!r}")
    p = start("graceful", port)
    wait_line(p, "listening")
    rc, out, err = stop(p, signal.SIGINT)
    if rc != 0 or "caught SIGINT" not in out or "clean exit: 0" not in out:
        raise Fail(f"SIGINT with no client: exit {rc}, output {out!r}")


# ---- proxy: the cipher each way, backpressure from a slow upstream and from a slow client ------

def proxy_session(mode, total):
    """mode 'echo': the upstream echoes (slowly); the client sends `total` bytes and reads them
    back. mode 'flood': the upstream sends `total` bytes at once; the client reads slowly."""
    up_port, px_port = free_port(), free_port()
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", up_port))
    srv.listen(1)
    srv.settimeout(T)
    upstream_got = bytearray()
    plain = (b"The quick brown fox jumps over the lazy dog. " * 1000)[:45000]
    payload = (plain * (total // len(plain) + 1))[:total]

    def upstream():
        c, _ = srv.accept()
        c.settimeout(30)
        if mode == "echo":
            while len(upstream_got) < total:
                chunk = c.recv(16384)
                if not chunk:
                    break
                upstream_got.extend(chunk)
                c.sendall(chunk)
                time.sleep(0.002)  # a slow reader
        else:
            c.sendall(rot13(payload))
            upstream_got.extend(c.recv(16))
        c.close()
        # The client after the scripted one: its line echoed. It comes once the client has
        # read everything back, which takes a while on a loaded machine.
        srv.settimeout(60)
        c, _ = srv.accept()
        c.settimeout(T)
        c.sendall(c.recv(64))
        c.close()

    t = threading.Thread(target=upstream)
    t.start()
    p = start("proxy", px_port, up_port)
    try:
        wait_line(p, "listening")
        c = connect(px_port)
        c.settimeout(30)
        got = bytearray()
        if mode == "echo":
            def read_back():
                while len(got) < total:
                    chunk = c.recv(65536)
                    if not chunk:
                        break
                    got.extend(chunk)
            reader = threading.Thread(target=read_back)
            reader.start()
            c.sendall(payload)
            reader.join(60)
            if bytes(upstream_got) != rot13(payload):
                raise Fail(f"{mode}: upstream got {len(upstream_got)} bytes, not the cipher text of what was sent")
        else:
            while len(got) < total:
                chunk = c.recv(16384)
                if not chunk:
                    break
                got.extend(chunk)
                time.sleep(0.002)  # a slow client
        if bytes(got) != payload:
            raise Fail(f"{mode}: client got {len(got)} of {total} bytes, or different")
        c.close()
        lines = wait_line(p, "session 1 closed")
        rss = peak_rss_kb(p.pid)
        still_echoes(px_port)
        queued = int(lines[-1].split("at most ")[1].split()[0])
        return queued, rss
    finally:
        t.join(T)
        srv.close()
        stop(p)


@check("proxy")
def proxy():
    global VALGRIND
    # Under valgrind a smaller load (its memory not measured), then the full one without.
    runs = [(VALGRIND, 2), ([], 16)] if VALGRIND else [([], 16)]
    saved = VALGRIND
    try:
        for VALGRIND, mib in runs:
            total = mib * 1024 * 1024
            for mode in ("echo", "flood"):
                queued, rss = proxy_session(mode, total)
                vg = ", valgrind" if VALGRIND else ""
                print(f"# proxy {mode}{vg}: {total} bytes through, at most {queued} queued, peak RSS {rss} KiB", flush=True)
                # The proxy holds back at MAX_QUEUED (256 KiB) per direction; allow for one
                # read on top and the layers of the filter.
                if queued > 1024 * 1024:
                    raise Fail(f"{mode}: {queued} bytes queued: backpressure does not hold")
                if rss > 32 * 1024 and not VALGRIND:
                    raise Fail(f"{mode}: peak RSS {rss} KiB for {total} bytes through")
    finally:
        VALGRIND = saved


def main():
    global BIN
    args = sys.argv[1:]
    only = None
    while args:
        if args[0] == "--bin":
            BIN = args[1]
            args = args[2:]
        elif args[0] == "--valgrind":
            VALGRIND[:] = ["valgrind", "-q", "--error-exitcode=99", "--leak-check=full",
                           "--errors-for-leak-kinds=definite", "--show-leak-kinds=definite"]
            args = args[1:]
        elif args[0] == "--only":
            only = set(args[1].split(","))
            args = args[2:]
        else:
            print(f"unknown argument {args[0]}", file=sys.stderr)
            return 2
    for fn in (echo_events, line_server, stdin_client, graceful, proxy):
        if only is None or fn.name in only:
            fn()
    failed = sum(1 for _, e in results if e)
    print(f"{len(results) - failed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
