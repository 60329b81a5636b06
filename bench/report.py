#!/usr/bin/env python3
"""Write BENCHMARKS.md (and the timeline picture's data) from bench/boot.py's
JSON, the size table and the HTTP benchmark's table.

Usage: bench/report.py BOOT.json SIZES.txt HTTP.md|- TIMELINE.dat OUT.md
Env:   BENCH_ACCEL (the accelerator used), BENCH_SIZES_FROM (what made the
       size table), BENCH_HTTP_NOTE (why there is no HTTP table)
"""
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import time

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

GOAL_INIT_MS = 10       # init start to serving with a lease, guest time
GOAL_MEM_MIB = 20       # direct kernel boot serves in this much RAM
GOAL_INIT_BEFORE = 1 / 3  # /init to serving: at most this share of the build before
GOAL_TRIVIAL_RATIO = 1.05  # direct boot to first 200 over the trivial /init's boot

# /init's steps from `:: Timeline:` marks: (name, from, to); a tuple of
# marks means the first one present (older builds lack some).
STEPS = [("mount the file systems", ("init",), ("mounts",)),
         ("start the DHCP client", ("mounts",), ("net",)),
         ("hostname, bring up lo", ("net", "mounts"), ("lo",)),
         ("power button, config, data partition", ("lo",), ("data",)),
         ("start the services", ("data", "lo"), ("started",)),
         ("httpd: start to listening", ("started",), ("httpd",)),
         ("DHCP client: start to lease", ("net", "started"), ("dhcp",)),
         ("last service ready to `System ready`", None, ("ready",))]


def step_ms(tl, a, b):
    """One step's length in a run's timeline, or None."""
    bb = next((k for k in b if k in tl), None)
    if bb is None:
        return None
    if a is None:
        return tl[bb] - max(tl.get("httpd", 0), tl.get("dhcp", 0))
    aa = next((k for k in a if k in tl), None)
    return None if aa is None else tl[bb] - tl[aa]


def sh(cmd):
    try:
        return subprocess.run(cmd, shell=True, capture_output=True, text=True,
                              cwd=TOP).stdout.strip()
    except OSError:
        return ""


def kernel_version(path):
    """The version string a bzImage carries (boot protocol: the setup
    header's kernel_version field at 0x20e points 0x200 before it)."""
    try:
        with open(path, "rb") as f:
            data = f.read(0x10000)
        ptr = int.from_bytes(data[0x20E:0x210], "little") + 0x200
        return data[ptr:data.index(b"\0", ptr)].decode("ascii", "replace")
    except (OSError, ValueError):
        return "unknown"


def kernel_layout(path):
    """(pref_address, init_size) from the bzImage's setup header: the
    decompressor puts the kernel no lower than pref_address
    (CONFIG_PHYSICAL_START) and needs init_size bytes from there."""
    try:
        with open(path, "rb") as f:
            data = f.read(0x300)
        return (int.from_bytes(data[0x258:0x260], "little"),
                int.from_bytes(data[0x260:0x264], "little"))
    except OSError:
        return None


def meminfo_mib():
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) // 1024
    return 0


def cpu_model():
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.machine()


def fmt(st, key="median", unit=" ms"):
    if not st:
        return "n/a"
    return f"{st[key]:.0f}{unit}"


def spread(st):
    if not st:
        return "n/a"
    return f"{st['min']:.0f}-{st['max']:.0f}"


def timeline_data(res, path):
    """Two blocks for bench/timeline.gp.
    Block 0, whole boots from the host (ms since QEMU start), one row per
    mode: y "row" start end colour "segment" last-of-its-row row-end.
    Block 1, /init's milestones in the median direct run (guest ms since
    the kernel started): y "milestone" start end colour."""
    s = res["summary"]
    rows0 = []
    runs = res.get("timeline_run", {})
    for y, mode, name in ((0, "direct", "direct kernel boot"), (1, "uefi", "UEFI disk boot"),
                          (2, "micro", "microvm (direct)")):
        r = runs.get(mode)
        if not r or "pre_kernel_ms" not in r:
            continue
        # The console line can reach the host after the first 200 (the
        # lease is in place before PID 1 logs it), so no bar goes past the
        # first 200, which is where the row ends.
        end = r["http200_ms"]
        pre = min(max(r["pre_kernel_ms"], 0), end)
        k = min(pre + r["kernel_ms"], end)
        ready = min(pre + r["ready_ms"], end)
        rows0 += [(y, name, 0, pre, 1, "QEMU start-up, firmware, loading", end),
                  (y, name, pre, k, 2, "kernel", end),
                  (y, name, k, ready, 3, "/init to ready", end),
                  (y, name, ready, end, 4, "to the first HTTP 200", end)]
    t = s["trivial"]["exit_ms"]
    if t:
        tk = s["trivial"]["kernel_ms"]
        # The trivial run has no host-side mark of the kernel's start; the
        # direct run's pre-kernel time stands in for it.
        d = runs.get("direct", {})
        pre = max(d.get("pre_kernel_ms", 0), 0)
        name = "trivial /init (lower bound)"
        te = t["median"]
        if tk and pre and pre + tk["median"] < te:
            rows0 += [(3, name, 0, pre, 1, "", te), (3, name, pre, pre + tk["median"], 2, "", te),
                      (3, name, pre + tk["median"], te, 5, "power-off", te)]
        else:
            rows0 += [(3, name, 0, te, 5, "", te)]
    rows1 = []
    tl = runs.get("direct", {}).get("timeline")
    if tl:
        init = tl.get("init", 0)
        prev = init
        order = [("mounts", "file systems mounted"), ("net", "DHCP client started"),
                 ("lo", "hostname, lo up"), ("data", "config, data partition"),
                 ("started", "services started")]
        y = 0
        for key, name in order:
            if key in tl:
                rows1.append((y, name, prev - init, tl[key] - init, 2 + y % 2))
                prev = tl[key]
                y += 1
        started = tl.get("started", prev)
        for key, name in (("httpd", "httpd listening"), ("dhcp", "DHCP lease")):
            if key in tl:
                begin = tl.get("net", started) if key == "dhcp" else started
                rows1.append((y, name, begin - init, tl[key] - init, 4 if key == "httpd" else 6))
                y += 1
        if "ready" in tl:
            rows1.append((y, "system ready", 0, tl["ready"] - init, 1))
    with open(path, "w") as f:
        f.write("# whole boots, ms since QEMU start (host)\n")
        last = {r[0]: i for i, r in enumerate(rows0)}
        for i, r in enumerate(rows0):
            f.write(f'{r[0]} "{r[1]}" {r[2]:.1f} {r[3]:.1f} {r[4]} "{r[5]}" '
                    f'{1 if last[r[0]] == i else 0} {r[6]:.0f}\n')
        f.write("\n\n# /init milestones, ms since /init started (guest)\n")
        for r in rows1:
            f.write(f'{r[0]} "{r[1]}" {r[2]:.1f} {r[3]:.1f} {r[4]}\n')
    return len(rows0), len(rows1)


def main():
    boot_json, sizes_txt, http_md, tl_dat, out_md = sys.argv[1:6]
    with open(boot_json) as f:
        res = json.load(f)
    s = res["summary"]
    timeline_data(res, tl_dat)

    ovmf = sh("dpkg-query -W -f '${Version}' ovmf") or "unknown"
    qemu = sh("qemu-system-x86_64 --version | head -1")
    accel = os.environ.get("BENCH_ACCEL") or sh("sh scripts/accel.sh auto")
    kver = kernel_version(os.path.join(TOP, "out/amd64/bzImage"))
    commit = sh("git rev-parse --short HEAD")
    dirty = " (with uncommitted changes)" if sh("git status --porcelain -uno") else ""
    runs = res["runs"]
    d, u, t = s["direct"], s["uefi"], s["trivial"]
    mc = s.get("micro", {})
    bi = s.get("bios", {})
    before = res.get("before") or ""
    bd, bu, bt = s.get("before_direct"), s.get("before_uefi"), s.get("before_trivial")

    L = []
    w = L.append
    w("# minilinux benchmarks")
    w("")
    w("Generated by `make bench` (bench/run.sh); rerun it to refresh this file.")
    w("")
    w("## Machine")
    w("")
    w(f"- measured: {res.get('date', time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime()))}, "
      f"source commit {res.get('commit', commit + dirty)}")
    w(f"- host: {cpu_model()}, {os.cpu_count()} CPUs, {meminfo_mib()} MiB RAM, Linux {platform.release()}")
    if "loadavg_start" in res:
        w(f"- load average (1 min) at the start of the boots: {res['loadavg_start'][0]:.2f}, "
          f"at their end: {res['loadavg_end'][0]:.2f} (a shared machine: other jobs run beside the benchmark)")
    w(f"- {qemu}; OVMF (Debian package ovmf) {ovmf}")
    w(f"- accelerator: **{accel}** (scripts/accel.sh)"
      + ("; KVM is not usable here, so every guest figure is TCG emulation, many times slower than on hardware" if accel == "tcg" else ""))
    w(f"- guest kernel: {kver}; command line `console=ttyS0 quiet`; QEMU q35 (without its SATA controller: scripts/qemu.sh), or microvm for the microvm column; 1 vCPU, user networking with a forwarded port")
    w("")

    w("## Boot time")
    w("")
    w(f"Host-side: from starting QEMU (scripts/qemu.sh) to the first `HTTP/1.1 200` on the forwarded port, "
      f"with a new connection tried every 5 ms. {runs} runs of each mode, interleaved, -m 128M; "
      "median and (min-max).")
    w("")
    w("| | direct kernel boot | UEFI disk boot (OVMF) | BIOS disk boot (SeaBIOS, GRUB) | microvm, direct (`make run-micro`) |")
    w("|---|---:|---:|---:|---:|")
    rows = [
        ("**QEMU start to first HTTP 200** (host)", "http200_ms"),
        ("QEMU start to `System ready` on the console (host)", "host_ready_ms"),
        ("before the kernel's clock starts: QEMU, firmware, loader, decompression (host)", "pre_kernel_ms"),
        ("guest: kernel start to /init (`kernel N ms`)", "kernel_ms"),
        ("guest: /init start to ready with a lease (`init N ms`)", "init_ms"),
        ("guest: kernel start to ready (`System ready in N ms`)", "ready_ms"),
    ]
    for name, key in rows:
        w(f"| {name} | {fmt(d.get(key))} ({spread(d.get(key))}) | {fmt(u.get(key))} ({spread(u.get(key))}) "
          f"| {fmt(bi.get(key))} ({spread(bi.get(key))}) | {fmt(mc.get(key))} ({spread(mc.get(key))}) |")
    w("")
    w("The host-side mark of `System ready` is when the line reached the serial log; "
      "it can come after the first 200, because the DHCP client configures the "
      "address before PID 1 hears that it is ready and logs the line, and the "
      "emulated UART is slow. The pre-kernel row is that mark less the guest's "
      "`System ready in N ms`, so it slightly overstates QEMU's and the firmware's share.")
    fails = res.get("failed", {})
    if fails:
        w("")
        w("Failed runs (no HTTP 200 within the time limit): "
          + ", ".join(f"{k} {v}" for k, v in fails.items()) + ".")
    w("")
    w("### Lower bound: the same kernel with a trivial /init")
    w("")
    w("bench/trivial-init.c prints CLOCK_BOOTTIME and powers off at once; it is packed "
      "into its own initramfs by image/initramfs.sh and booted directly, "
      "timed from QEMU start to QEMU exit.")
    w("")
    w("| | median | min-max |")
    w("|---|---:|---:|")
    w(f"| trivial /init: QEMU start to QEMU exit (host) | {fmt(t['exit_ms'])} | {spread(t['exit_ms'])} |")
    w(f"| trivial /init: kernel start to /init (guest) | {fmt(t['kernel_ms'])} | {spread(t['kernel_ms'])} |")
    w(f"| minilinux: QEMU start to first HTTP 200, direct (host) | {fmt(d['http200_ms'])} | {spread(d['http200_ms'])} |")
    if t["exit_ms"] and d["http200_ms"]:
        ratio = d["http200_ms"]["median"] / t["exit_ms"]["median"]
        extra = d["http200_ms"]["median"] - t["exit_ms"]["median"]
        w("")
        w(f"Ratio: a boot to serving HTTP takes **{ratio:.2f}x** the trivial boot's "
          f"time ({extra:+.0f} ms). The difference is all that our /init adds "
          "(mounts, netlink, DHCP, the server) plus the larger initramfs to unpack, "
          "less the trivial /init's power-off.")
    w("")
    if bd and bt:
        w("### Before and after, in this run")
        w("")
        w(f"The build in `{before}/` (`make OUT={before} image` on the earlier commit), "
          "booted on the machine its runner gave it (q35 with its SATA controller), "
          "interleaved with this build's boots, medians:")
        w("")
        w("| | before | after | after / before |")
        w("|---|---:|---:|---:|")

        def ba(name, x, y):
            if x and y:
                w(f"| {name} | {fmt(x)} ({spread(x)}) | {fmt(y)} ({spread(y)}) | "
                  f"{y['median'] / x['median']:.2f} |")
        ba("**QEMU start to first HTTP 200, direct** (host)", bd.get("http200_ms"), d.get("http200_ms"))
        ba("QEMU start to first HTTP 200, UEFI (host)", (bu or {}).get("http200_ms"), u.get("http200_ms"))
        ba("guest: kernel start to /init, direct", bd.get("kernel_ms"), d.get("kernel_ms"))
        ba("guest: kernel start to /init, UEFI", (bu or {}).get("kernel_ms"), u.get("kernel_ms"))
        ba("**guest: /init start to ready with a lease, direct**", bd.get("init_ms"), d.get("init_ms"))
        ba("guest: /init start to ready with a lease, UEFI", (bu or {}).get("init_ms"), u.get("init_ms"))
        ba("trivial /init: QEMU start to QEMU exit (host)", bt.get("exit_ms"), t.get("exit_ms"))
        ba("trivial /init: kernel start to /init (guest)", bt.get("kernel_ms"), t.get("kernel_ms"))
        if bd.get("http200_ms") and bt.get("exit_ms") and d.get("http200_ms") and t.get("exit_ms"):
            w(f"| direct boot to first 200 over the trivial boot, same build | "
              f"{bd['http200_ms']['median'] / bt['exit_ms']['median']:.2f}x | "
              f"{d['http200_ms']['median'] / t['exit_ms']['median']:.2f}x | |")
        w("")

    w("## Boot timeline")
    w("")
    w("![boot timeline](bench/timeline.svg)")
    w("")
    w("Top: the median run of each mode from the host's view (the kernel's "
      "share and /init's come from the guest's console; the rest is host time). "
      "Bottom: /init's milestones in the median direct run, from its "
      "`:: Timeline:` console line, in guest ms since /init started.")
    tl = res.get("timeline_run", {})
    names = {"direct": "Direct", "uefi": "UEFI", "micro": "microvm",
             "before_direct": "Before, direct", "before_uefi": "Before, UEFI"}
    for mode in names:
        if mode in tl and "timeline" in tl[mode]:
            line = " ".join(f"{k}={v}" for k, v in tl[mode]["timeline"].items())
            w("")
            w(f"{names[mode]} (median run): `:: Timeline: {line}` "
              "(ms since the kernel started)")
    w("")

    w("### Where /init's time goes")
    w("")
    cols = [m for m in ("direct", "uefi", "micro", "before_direct") if res.get(m)]
    w(f"Medians over the {runs} runs of each mode of the steps in `:: Timeline:` "
      "(guest ms). The DHCP client starts first and runs beside the rest; "
      "httpd starts with the other services. A step that a build does not "
      "mark is n/a.")
    w("")
    w("| step | " + " | ".join(names[m] for m in cols) + " |")
    w("|---|" + "---:|" * len(cols))
    for name, a, b in STEPS:
        cells = []
        for mode in cols:
            vals = [v for v in (step_ms(r.get("timeline", {}), a, b) for r in res[mode]) if v is not None]
            cells.append(f"{statistics.median(vals):.0f} ms ({min(vals)}-{max(vals)})" if vals else "n/a")
        w(f"| {name} | " + " | ".join(cells) + " |")
    w("")
    w("The DHCP step is the exchange with QEMU's server under emulation; the "
      "RFC 5227 ARP check of the leased address (init/pure/dhcp_state.h: 2 "
      "probes 20 ms apart, then 100 ms of waiting) now runs after the address "
      "is in use, so it is no longer in it (docs/boot-time.md). On one "
      "emulated CPU the steps that run side by side share it: a step's time "
      "includes the others' work.")
    w("")

    w("## Memory floor")
    w("")
    mf = res.get("memfloor")
    if mf:
        w("Binary search over QEMU's `-m` (MiB) for the smallest RAM with which "
          "the image boots and answers HTTP 200 (one boot per probe; a probe fails "
          "on a kernel panic or OOM message, QEMU exiting, or no 200 within the time limit).")
        w("")
        w("| | smallest -m that serves | searched | probes (MiB: pass/fail) | time limit per probe |")
        w("|---|---:|---:|---|---:|")
        for mode, name in (("direct", "direct kernel boot"), ("uefi", "UEFI disk boot")):
            m = mf.get(mode)
            if not m:
                continue
            floor = m["floor_mib"]
            fl = "none" if floor is None else (f"<= {floor} MiB" if floor == m["lo"] else f"**{floor} MiB**")
            pr = ", ".join(f"{p['mem']}:{'ok' if p['pass'] else 'fail'}" for p in m["probes"])
            w(f"| {name} | {fl} | {m['lo']}-{m['hi']} MiB | {pr} | {m['timeout_s']:.0f} s |")
        lay = kernel_layout(os.path.join(TOP, "out/amd64/bzImage"))
        if lay and lay[0]:
            pref, init_size = (x / 1048576 for x in lay)
            w("")
            w(f"Why the direct floor is where it is: the bzImage's setup header asks for "
              f"{init_size:.1f} MiB (`init_size`: decompressed kernel, BSS, early page "
              f"tables) from its load address, and the decompressor puts the kernel no "
              f"lower than `pref_address` = {pref:.0f} MiB (CONFIG_PHYSICAL_START), so the "
              f"kernel alone needs {pref + init_size:.1f} MiB of address space before the "
              "initramfs and the first page allocation. Below that the guest prints "
              "nothing at all, even with earlyprintk.")
    else:
        w("Not measured in this run (BENCH_MEM=0).")
    w("")

    w("## Image sizes")
    w("")
    with open(sizes_txt) as f:
        sizes = f.read().rstrip()
    w(f"From {os.environ.get('BENCH_SIZES_FROM', 'the files in out/')}:")
    w("")
    w("```")
    w(sizes)
    w("```")
    w("")

    w("## Beside the Go reference")
    w("")
    szmap = {}
    for line in sizes.splitlines():
        mm = re.match(r"(.+?)\s{2,}(\d+)\s", line)
        if mm:
            szmap[mm[1].strip()] = int(mm[2])

    def mib(name):
        for k, v in szmap.items():
            if k.startswith(name):
                return f"{v / 1048576:.2f} MiB"
        return "n/a"

    w("| | bootable image | init binary | kernel | initramfs |")
    w("|---|---:|---:|---:|---:|")
    w(f"| minilinux (this build) | {mib('total: GPT disk image')} | {mib('/init')} | "
      f"{mib('kernel')} | {mib('initramfs')} |")
    w("| Go reference | 7.7 MiB | about 2 MiB | | |")
    w("| GoAsPID1 | | | 9.3 MB | 1.9 MB |")
    w("")

    w("## HTTP server")
    w("")
    if http_md != "-" and os.path.exists(http_md):
        w("bench/http.sh: the built-in server against nginx on the host's loopback, "
          "both pinned to one core.")
        w("")
        with open(http_md) as f:
            w(f.read().rstrip())
    else:
        w(os.environ.get("BENCH_HTTP_NOTE", "Not run this time (BENCH_HTTP=0)")
          + "; the last recorded results are in bench/results-http.md (`make bench-http`).")
    w("")

    w("## Goals")
    w("")
    w("| goal | measured | met |")
    w("|---|---:|:---:|")
    im = d.get("init_ms")
    if im:
        w(f"| /init start to serving with a lease: at most {GOAL_INIT_MS} ms of guest time "
          f"(direct, median) | {im['median']:.0f} ms ({spread(im)}) | "
          f"{'yes' if im['median'] <= GOAL_INIT_MS else 'no'} |")
    if im and bd and bd.get("init_ms"):
        share = im["median"] / bd["init_ms"]["median"]
        w(f"| /init start to serving with a lease: at most a third of the build before's "
          f"(direct, median, same run) | {im['median']:.0f} ms against {bd['init_ms']['median']:.0f} ms: "
          f"{share:.2f} | {'yes' if share <= GOAL_INIT_BEFORE else 'no'} |")
    if d.get("http200_ms") and t.get("exit_ms"):
        ratio = d["http200_ms"]["median"] / t["exit_ms"]["median"]
        w(f"| QEMU start to first 200 (direct) at most {GOAL_TRIVIAL_RATIO:.2f}x the trivial /init's "
          f"boot (same run) | {ratio:.2f}x | {'yes' if ratio <= GOAL_TRIVIAL_RATIO else 'no'} |")
    if mf and mf.get("direct"):
        floor = mf["direct"]["floor_mib"]
        w(f"| direct kernel boot serves in {GOAL_MEM_MIB} MiB of RAM | "
          f"{'n/a' if floor is None else f'{floor} MiB'} | "
          f"{'yes' if floor is not None and floor <= GOAL_MEM_MIB else 'no'} |")
    if accel == "tcg":
        w("")
        w("Guest times here are under TCG emulation; on KVM or hardware the "
          "same code runs many times faster.")
    w("")

    w("## How to reproduce")
    w("")
    w("    make image")
    w("    make bench                    # everything: about 10-15 minutes under TCG")
    w("    make bench BENCH_HTTP=0       # without the 2-minute HTTP benchmark")
    w("    make bench BENCH_MEM=0 BENCH_RUNS=3   # boot times only, quicker")
    w("    git worktree add /tmp/old OLD-COMMIT && make -C /tmp/old image && ln -s /tmp/old/out out-before")
    w("    make bench BENCH_BEFORE=out-before    # an earlier build interleaved, side by side")
    w("")
    w("bench/run.sh builds the trivial /init, runs bench/boot.py (boot times, "
      "memory floor; raw figures in build/bench/boot.json), draws "
      "bench/timeline.svg with gnuplot (bench/timeline.gp), takes the size table, "
      "runs bench/http.sh, and writes this file with bench/report.py. "
      f"This run: {runs} boots per mode, boot part {res.get('boot_seconds', 0):.0f} s, "
      f"memory floor {res.get('mem_seconds', 0):.0f} s.")
    w("")
    with open(out_md, "w") as f:
        f.write("\n".join(L) + "\n")


if __name__ == "__main__":
    main()
