#!/usr/bin/env python3
"""Boot-time and memory-floor benchmark: writes the raw figures as JSON.

Boot time is measured from the host: from QEMU's start to the first
HTTP 200 on the forwarded port, for direct kernel boot, the disk image under
UEFI (OVMF) and under legacy BIOS (SeaBIOS, GRUB), and direct boot on
QEMU's microvm machine, BENCH_RUNS times each, the modes
interleaved. With BENCH_BEFORE=DIR (an OUT directory of an earlier build,
e.g. `make OUT=out-before image` on an older commit) that build's direct,
UEFI and trivial boots are interleaved with these, on the machine its
runner gave it (q35 with its SATA controller), for figures side by side. The guest's own split
comes from /init's console lines (':: System ready in ...' and
':: Timeline: ...'). The lower bound is the same kernel with a trivial /init
that powers off at once (bench/trivial-init.c), timed from QEMU's start to
QEMU's exit.

The memory floor is a binary search over QEMU's -m (MiB) for the smallest
RAM with which the image boots and answers HTTP 200.

Usage: bench/boot.py OUT.json
Env:   BENCH_RUNS=5  BENCH_MEM=1 (0 skips the memory floor)
       BENCH_MEM_LO=8 BENCH_MEM_HI=256  TRIVIAL_INITRD=build/bench/trivial.cpio.xz
       BENCH_OUT=out  BENCH_BEFORE=  (an earlier build's OUT directory)
"""
import json
import os
import re
import selectors
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(TOP, "tests", "boot"))
from vm import VM  # noqa: E402

OUT = os.path.join(TOP, os.environ.get("BENCH_OUT", "out"))
BEFORE = os.environ.get("BENCH_BEFORE", "")
# Per build: kernel, initramfs, disk image, QEMU arguments added.
BUILDS = {"": (os.path.join(OUT, "amd64/bzImage"), os.path.join(OUT, "amd64/initramfs.cpio.xz"),
               os.path.join(OUT, "minilinux.amd64.img"), ())}
if BEFORE:
    b = os.path.join(TOP, BEFORE)
    # The earlier runner booted q35 with its SATA controller.
    BUILDS["before_"] = (os.path.join(b, "amd64/bzImage"), os.path.join(b, "amd64/initramfs.cpio.xz"),
                         os.path.join(b, "minilinux.amd64.img"), ("-M", "q35,sata=on"))
KERNEL, INITRD, DISK = BUILDS[""][:3]
APPEND = "console=ttyS0 quiet"
TRIVIAL = os.environ.get("TRIVIAL_INITRD", os.path.join(TOP, "build/bench/trivial.cpio.xz"))

POLL = 0.005          # a new connection attempt every 5 ms
CONN_AGE = 0.5        # give up on one connection after this long
REQUEST = b"GET / HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n"
FATAL = re.compile(r"Kernel panic|Out of memory|Killed process|invalid opcode")

RX_READY = re.compile(r":: System ready in (\d+) ms \(kernel (\d+) ms, init (\d+) ms\)")
RX_TIMELINE = re.compile(r":: Timeline:((?: \w+=\d+)+) *\n")
RX_TRIVIAL = re.compile(r":: Trivial init at (\d+) ms")


def note(msg):
    print(f"bench: {msg}", file=sys.stderr, flush=True)


class Serial:
    """The serial log read incrementally, with the host time each pattern
    first appeared (to within one poll)."""

    def __init__(self, path):
        self.path = path
        self.text = ""
        self.pos = 0
        self.seen = {}

    def poll(self, now, patterns):
        try:
            with open(self.path, "rb") as f:
                f.seek(self.pos)
                data = f.read()
        except OSError:
            return
        if not data:
            return
        self.pos += len(data)
        self.text += data.decode("utf-8", "replace").replace("\r", "")
        for name, rx in patterns.items():
            if name not in self.seen and rx.search(self.text):
                self.seen[name] = now


def first_200(vm, timeout, serial, patterns):
    """Open a connection to the forwarded port every POLL s, each kept up to
    CONN_AGE s; return the host time (monotonic) when the first complete
    'HTTP/1.x 200' status line arrived, or None (timeout, QEMU exited, or
    the kernel died)."""
    sel = selectors.DefaultSelector()
    conns = {}
    deadline = vm.started + timeout
    next_open = 0.0
    try:
        while True:
            now = time.monotonic()
            if now > deadline:
                return None
            if now >= next_open:
                next_open = now + POLL
                s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                s.setblocking(False)
                err = s.connect_ex(("127.0.0.1", vm.port))
                if err in (0, 115):  # connected, or EINPROGRESS
                    conns[s] = [now, b"", False]
                    sel.register(s, selectors.EVENT_READ | selectors.EVENT_WRITE)
                else:
                    s.close()
            for key, ev in sel.select(timeout=POLL / 2):
                s = key.fileobj
                st = conns[s]
                if ev & selectors.EVENT_WRITE and not st[2]:
                    if s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR):
                        sel.unregister(s); s.close(); del conns[s]
                        continue
                    try:
                        s.send(REQUEST)
                    except OSError:
                        sel.unregister(s); s.close(); del conns[s]
                        continue
                    st[2] = True
                    sel.modify(s, selectors.EVENT_READ)
                if ev & selectors.EVENT_READ:
                    try:
                        data = s.recv(4096)
                    except OSError:
                        data = b""
                    if data:
                        st[1] += data
                        if b"\r\n" in st[1]:
                            if re.match(rb"HTTP/1\.[01] 200 ", st[1]):
                                return time.monotonic()
                            data = b""
                    if not data:
                        sel.unregister(s); s.close(); del conns[s]
            now = time.monotonic()
            for s in [s for s, st in conns.items() if now - st[0] > CONN_AGE]:
                sel.unregister(s); s.close(); del conns[s]
            serial.poll(now, patterns)
            if vm.proc.poll() is not None or FATAL.search(serial.text):
                return None
    finally:
        for s in conns:
            s.close()
        sel.close()


def stop(vm):
    """End the VM: SIGTERM to QEMU alone, so that scripts/qemu.sh removes its
    copy of the UEFI variable store; SIGKILL to the group if that fails."""
    if vm.proc.poll() is None:
        try:
            with open(f"/proc/{vm.proc.pid}/task/{vm.proc.pid}/children") as f:
                kids = [int(p) for p in f.read().split()]
        except OSError:
            kids = []
        for pid in kids:
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        if vm.wait_exit(5) is None:
            vm.kill()
    shutil.rmtree(vm.dir, ignore_errors=True)


def split_mode(mode):
    """'before_uefi' -> (the before build, 'uefi')."""
    for prefix in sorted(BUILDS, key=len, reverse=True):
        if prefix and mode.startswith(prefix):
            return BUILDS[prefix], mode[len(prefix):]
    return BUILDS[""], mode


def boot_serve(mode, mem="128M", timeout=120.0):
    """One boot of the real image; returns a dict of figures, or None."""
    (kernel, initrd, disk, qargs), kind = split_mode(mode)
    if kind == "direct":
        vm = VM(kernel=kernel, initrd=initrd, append=APPEND, mem=mem, qemu_args=qargs)
    elif kind == "micro":
        vm = VM(kernel=kernel, initrd=initrd, append=APPEND, mem=mem, extra=["--micro"])
    elif kind == "bios":
        vm = VM(disk=disk, mem=mem, qemu_args=qargs, firmware="bios")
    else:
        vm = VM(disk=disk, mem=mem, qemu_args=qargs)
    serial = Serial(vm.serial)
    pats = {"ready": RX_READY, "timeline": RX_TIMELINE}
    try:
        t200 = first_200(vm, timeout, serial, pats)
        if t200 is None:
            return None
        # The Timeline line comes before the first 200 in practice (the
        # server is reachable only once the lease is there); allow a moment.
        end = time.monotonic() + 5
        while "timeline" not in serial.seen and time.monotonic() < end:
            time.sleep(0.01)
            serial.poll(time.monotonic(), pats)
        r = {"mode": mode, "mem": mem, "http200_ms": (t200 - vm.started) * 1000}
        m = RX_READY.search(serial.text)
        if m:
            r.update(ready_ms=int(m[1]), kernel_ms=int(m[2]), init_ms=int(m[3]))
            # Host time before the kernel's clock started: QEMU start-up,
            # firmware, loading and decompressing the kernel.
            r["host_ready_ms"] = (serial.seen["ready"] - vm.started) * 1000
            r["pre_kernel_ms"] = r["host_ready_ms"] - r["ready_ms"]
        m = RX_TIMELINE.search(serial.text)
        if m:
            r["timeline"] = {k: int(v) for k, v in (p.split("=") for p in m[1].split())}
        return r
    finally:
        stop(vm)


def boot_trivial(mode="trivial", timeout=60.0):
    """The same kernel with the trivial /init: QEMU start to QEMU exit."""
    (kernel, _, _, qargs), _ = split_mode(mode)
    vm = VM(kernel=kernel, initrd=TRIVIAL, append=APPEND, mem="128M", qemu_args=qargs)
    try:
        rc = vm.wait_exit(timeout)
        t = time.monotonic()
        if rc is None:
            return None
        r = {"mode": mode, "exit_ms": (t - vm.started) * 1000}
        m = RX_TRIVIAL.search(vm.log())
        if m:
            r["kernel_ms"] = int(m[1])
        return r
    finally:
        stop(vm)


def stats(values):
    values = [v for v in values if v is not None]
    if not values:
        return None
    return {"median": statistics.median(values), "min": min(values),
            "max": max(values), "n": len(values)}


def mem_floor(mode, lo, hi, timeout):
    """Smallest -m in [lo, hi] MiB that serves HTTP 200 (boots assumed
    monotonic in RAM). Returns (floor or None, probes)."""
    probes = []

    def ok(mib):
        t0 = time.monotonic()
        r = boot_serve(mode, mem=f"{mib}M", timeout=timeout)
        probes.append({"mem": mib, "pass": r is not None,
                       "seconds": round(time.monotonic() - t0, 1)})
        note(f"memory {mode} {mib} MiB: {'serves' if r else 'fails'}")
        return r is not None

    if not ok(hi):
        return None, probes
    while lo < hi:
        mid = (lo + hi) // 2
        if ok(mid):
            hi = mid
        else:
            lo = mid + 1
    return hi, probes


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(TOP, "build/bench/boot.json")
    runs = int(os.environ.get("BENCH_RUNS", "5"))
    for build in BUILDS.values():
        for f in build[:3]:
            if not os.path.exists(f):
                sys.exit(f"bench/boot.py: {f} missing; run 'make image'"
                         + (" (and for BENCH_BEFORE, 'make OUT=... image' on the older commit)"
                            if BEFORE else ""))
    if not os.path.exists(TRIVIAL):
        sys.exit(f"bench/boot.py: {TRIVIAL} missing; bench/run.sh builds it")

    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=TOP,
                            capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run(["git", "status", "--porcelain", "-uno"], cwd=TOP,
                           capture_output=True, text=True).stdout.strip()
    serve = ["direct", "uefi", "bios", "micro"]
    trivial = ["trivial"]
    if BEFORE:
        serve += ["before_direct", "before_uefi"]
        trivial += ["before_trivial"]
    order = ["direct", "uefi", "bios", "micro", "trivial"]
    if BEFORE:
        order = ["before_direct", "direct", "before_uefi", "uefi", "bios", "micro",
                 "before_trivial", "trivial"]
    res = {"runs": runs, "failed": {}, "before": BEFORE,
           "commit": commit + (" (with uncommitted changes)" if dirty else ""),
           "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
           "loadavg_start": os.getloadavg()}
    for mode in order:
        res[mode] = []
    t_start = time.monotonic()
    for i in range(runs):
        for mode in order:
            r = boot_trivial(mode) if mode in trivial else boot_serve(mode)
            if r is None:
                res["failed"][mode] = res["failed"].get(mode, 0) + 1
                note(f"run {i + 1}/{runs} {mode}: FAILED")
                continue
            res[mode].append(r)
            fig = r.get("exit_ms", r.get("http200_ms"))
            note(f"run {i + 1}/{runs} {mode}: {fig:.0f} ms"
                 + (f" (guest: kernel {r['kernel_ms']} ms, init {r['init_ms']} ms)"
                    if "init_ms" in r else ""))

    summary = {}
    for mode in serve:
        rs = res[mode]
        summary[mode] = {k: stats([r.get(k) for r in rs]) for k in
                         ("http200_ms", "host_ready_ms", "pre_kernel_ms",
                          "ready_ms", "kernel_ms", "init_ms")}
    for mode in trivial:
        summary[mode] = {k: stats([r.get(k) for r in res[mode]])
                         for k in ("exit_ms", "kernel_ms")}
    res["summary"] = summary
    res["loadavg_end"] = os.getloadavg()
    res["boot_seconds"] = round(time.monotonic() - t_start, 1)

    # The timeline picture uses the run with the median HTTP time.
    for mode in serve:
        rs = sorted((r for r in res[mode] if "timeline" in r), key=lambda r: r["http200_ms"])
        if rs:
            res.setdefault("timeline_run", {})[mode] = rs[(len(rs) - 1) // 2]

    if os.environ.get("BENCH_MEM", "1") != "0":
        lo = int(os.environ.get("BENCH_MEM_LO", "8"))
        hi = int(os.environ.get("BENCH_MEM_HI", "256"))
        res["memfloor"] = {}
        t_mem = time.monotonic()
        for mode in ("direct", "uefi"):
            med = (summary[mode]["http200_ms"] or {}).get("median", 20000) / 1000
            timeout = max(20.0, 3 * med)
            floor, probes = mem_floor(mode, lo, hi, timeout)
            res["memfloor"][mode] = {"floor_mib": floor, "lo": lo, "hi": hi,
                                     "timeout_s": round(timeout, 1), "probes": probes}
            note(f"memory floor {mode}: {floor} MiB")
        res["mem_seconds"] = round(time.monotonic() - t_mem, 1)

    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    with open(out, "w") as f:
        json.dump(res, f, indent=1)
    note(f"wrote {out}")


if __name__ == "__main__":
    main()
