#!/usr/bin/env python3
"""Send one QMP command to a running QEMU: scripts/qmp.py SOCKET COMMAND [JSON-ARGS]."""
import json
import socket
import sys


def qmp(path, command, arguments=None, timeout=5.0):
    """Connect, negotiate capabilities, run COMMAND, return its reply."""
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(timeout)
    s.connect(path)
    f = s.makefile("rw")
    json.loads(f.readline())  # greeting
    for cmd in ({"execute": "qmp_capabilities"},
                {"execute": command, **({"arguments": arguments} if arguments else {})}):
        f.write(json.dumps(cmd) + "\n")
        f.flush()
        while True:
            reply = json.loads(f.readline())
            if "return" in reply or "error" in reply:
                break
    s.close()
    return reply


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit("usage: scripts/qmp.py SOCKET COMMAND [JSON-ARGS]")
    args = json.loads(sys.argv[3]) if len(sys.argv) > 3 else None
    r = qmp(sys.argv[1], sys.argv[2], args)
    print(json.dumps(r))
    sys.exit(1 if "error" in r else 0)
