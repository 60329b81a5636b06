"""A tiny DNS server for the host tests (run inside a network namespace
of the test's own: it binds 127.0.0.1:53) and a resolv.conf pointing at it."""
import os
import socket
import struct
import tempfile
import threading


class DnsServer:
    """A tiny DNS server on 127.0.0.1:53: A records from NAMES (with TTL),
    NXDOMAIN for anything else; it counts the queries for each name."""

    def __init__(self, names, ttl=60):
        self.names = names
        self.ttl = ttl
        self.queries = {}
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 53))
        self.sock.settimeout(0.2)
        self.stopping = False
        self.dir = tempfile.mkdtemp(prefix="minilinux-dns.")
        os.chmod(self.dir, 0o755)
        self.conf = os.path.join(self.dir, "resolv.conf")
        with open(self.conf, "w") as f:
            f.write("# test\nsearch example\nnameserver 127.0.0.1\n")
        os.chmod(self.conf, 0o644)
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        while not self.stopping:
            try:
                q, peer = self.sock.recvfrom(512)
            except socket.timeout:
                continue
            if len(q) < 12:
                continue
            p, labels = 12, []
            while p < len(q) and q[p]:
                labels.append(q[p + 1:p + 1 + q[p]].decode("ascii", "replace"))
                p += 1 + q[p]
            qend = p + 5
            name = ".".join(labels).lower()
            qtype = int.from_bytes(q[p + 1:p + 3], "big")
            self.queries[name] = self.queries.get(name, 0) + 1
            if name in self.names:
                ans = b""
                if qtype == 1:
                    ans = b"\xc0\x0c" + struct.pack(">HHIH", 1, 1, self.ttl, 4) + socket.inet_aton(self.names[name])
                flags, an = 0x8180, 1 if ans else 0
            else:
                ans, flags, an = b"", 0x8183, 0
            self.sock.sendto(q[:2] + struct.pack(">HHHHH", flags, 1, an, 0, 0) + q[12:qend] + ans, peer)

    def stop(self):
        self.stopping = True
        self.thread.join(2)
        self.sock.close()
