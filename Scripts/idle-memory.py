#!/usr/bin/env python3
"""Server memory per idle joined connection, plain TCP or WebSocket.

Usage: Scripts/idle-memory.py .build/release/server N tcp|web

Starts the server on 127.0.0.1 (free ports, a throwaway data directory), opens 50 warm-up connections, then N more
that each join under their own nickname and then stay silent, and prints the growth of the server's RSS divided by N.
Needs `ulimit -n` above N + 100. Every loop is bounded: at most 30 s of reading.
"""
import socket, base64, os, sys, struct, time, subprocess, re
if len(sys.argv) < 3:
    sys.exit(__doc__)
binary, n = sys.argv[1], int(sys.argv[2])
kind = sys.argv[3] if len(sys.argv) > 3 else "web"
d = f"/tmp/wsidle-{os.getpid()}"
p = subprocess.Popen([binary, "127.0.0.1", "0", "--web-port", "0", "--data-dir", d, "--max-clients-per-address", "0",
                      "--history", "0"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
lines = [p.stdout.readline().strip() for _ in range(2)]
tcp = int(lines[0].rsplit(":", 1)[1]); web = int(lines[1].split(":")[-1].split()[0])
def rss():
    return int(re.search(r"VmRSS:\s+(\d+)", open(f"/proc/{p.pid}/status").read()).group(1))
def frame(data):
    mask = os.urandom(4)
    return bytes([0x81, 0x80 | len(data)]) + mask + bytes(x ^ mask[i % 4] for i, x in enumerate(data))
def connect(i):
    if kind == "tcp":
        s = socket.create_connection(("127.0.0.1", tcp)); s.sendall(f"u{i}\n".encode()); return s
    s = socket.create_connection(("127.0.0.1", web))
    s.sendall(f"GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n".encode())
    s.sendall(frame(f"u{i}".encode())); return s
warm = [connect(i) for i in range(50)]
time.sleep(2)
before = rss()
socks = [connect(1000 + i) for i in range(n)]
# read and discard what arrives, so nothing waits in the server
deadline = time.time() + 30
import selectors
sel = selectors.DefaultSelector()
for s in socks + warm: sel.register(s, selectors.EVENT_READ)
while time.time() < deadline:
    ready = sel.select(1.0)
    if not ready: break
    for key, _ in ready:
        try: key.fileobj.recv(65536)
        except Exception: pass
time.sleep(2)
after = rss()
print(f"{kind}: {n} idle joined connections: {(after - before) * 1024 / n:.0f} bytes each (RSS {before} -> {after} KiB)")
p.terminate(); p.wait()
subprocess.run(["rm", "-rf", d])
