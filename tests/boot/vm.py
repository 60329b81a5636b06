"""Boot a minilinux image under QEMU and check it from the host.

Used by the tests/boot/test_* scripts: start a VM on a free port with its
serial console in a file and a QMP socket, wait for console lines, talk
HTTP to the forwarded port, press the power button, require a clean exit.
"""
import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(TOP, "scripts"))
from qmp import qmp  # noqa: E402


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Checks:
    """[OK]/[FAIL] lines and the closing 'N passed, M failed' line."""

    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, name, ok, why=""):
        if ok:
            self.passed += 1
            print(f"[OK] {name}", flush=True)
        else:
            self.failed += 1
            print(f"[FAIL] {name}" + (f": {why}" if why else ""), flush=True)
        return ok

    def done(self):
        print(f"{self.passed} passed, {self.failed} failed", flush=True)
        sys.exit(1 if self.failed else 0)


class VM:
    def __init__(self, disk=None, kernel=None, initrd=None, append=None,
                 mem="128M", extra=(), cdrom=None, firmware="uefi", arch="amd64",
                 net="user", persist=False, qemu_args=(), nic=None, screen=False,
                 console_input=False):
        self.dir = tempfile.mkdtemp(prefix="minilinux-vm.")
        self.serial = os.path.join(self.dir, "serial.log")
        self.qmp_sock = os.path.join(self.dir, "qmp.sock")
        self.port = free_port()
        cmd = ["sh", os.path.join(TOP, "scripts/qemu.sh"), "--port", str(self.port),
               "--serial", self.serial, "--qmp", self.qmp_sock, "--mem", mem,
               "--arch", arch, "--net", net]
        if disk or cdrom:
            cmd += ["--disk", disk] if disk else ["--cdrom", cdrom]
            cmd += ["--firmware", firmware]
            if persist:
                cmd += ["--persist"]  # the disk's writes are kept
        else:
            cmd += ["--kernel", kernel, "--initrd", initrd, "--append", append or ""]
        if nic:  # the network card's model (e1000, e1000e, vmxnet3)
            cmd += ["--nic", nic]
        if screen:  # a VGA card, for screendump
            cmd += ["--screen"]
        self.fifo = os.path.join(self.dir, "console") if console_input else None
        self.console = None
        if self.fifo:  # the serial port's input, for type()
            os.mkfifo(self.fifo + ".in")
            os.mkfifo(self.fifo + ".out")
            threading.Thread(target=self._drain, daemon=True).start()
            cmd += ["--serial-fifo", self.fifo]
        cmd += list(extra)
        if qemu_args:  # to QEMU itself (a second disk, another controller)
            cmd += ["--"] + list(qemu_args)
        open(self.serial, "w").close()
        self.started = time.monotonic()
        self.proc = subprocess.Popen(cmd, cwd=TOP, stdin=subprocess.DEVNULL,
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                     start_new_session=True)

    def log(self):
        with open(self.serial, "rb") as f:
            return f.read().decode("utf-8", "replace").replace("\r", "")

    def wait_for(self, pattern, timeout):
        """Wait until the serial log matches PATTERN; return the match or None."""
        deadline = time.monotonic() + timeout
        rx = re.compile(pattern)
        while time.monotonic() < deadline:
            m = rx.search(self.log())
            if m:
                return m
            if self.proc.poll() is not None:
                return rx.search(self.log())
            time.sleep(0.05)
        return None

    def http(self, method="GET", path="/", timeout=5.0, tries=20):
        """One request to the forwarded port; returns (status, headers, body)."""
        last = None
        for _ in range(tries):
            try:
                c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
                c.request(method, path)
                r = c.getresponse()
                body = r.read()
                c.close()
                return r.status, dict(r.getheaders()), body
            except (OSError, http.client.HTTPException) as e:
                last = e
                time.sleep(0.25)
        raise OSError(f"no HTTP answer on port {self.port}: {last}")

    def type(self, text):
        """Type TEXT on the serial console (VM(console_input=True))."""
        if self.console is None:
            self.console = open(self.fifo + ".in", "wb", buffering=0)
        self.console.write(text.encode())

    def _drain(self):
        """QEMU's copy of the console output, in the FIFO: read and
        dropped (the serial log has it), so that it never fills."""
        try:
            with open(self.fifo + ".out", "rb", buffering=0) as f:
                while f.read(4096):
                    pass
        except OSError:
            pass

    def screendump(self, path):
        """The screen as a PPM file (QMP screendump); returns (width,
        height, rows of RGB bytes)."""
        r = self.qmp("screendump", {"filename": path})
        if "error" in r:
            raise OSError(f"screendump: {r['error']}")
        with open(path, "rb") as f:
            data = f.read()
        # P6 header: magic, width, height, maxval, one whitespace byte.
        fields, pos = [], 0
        while len(fields) < 4:
            while data[pos:pos + 1].isspace():
                pos += 1
            end = pos
            while not data[end:end + 1].isspace():
                end += 1
            fields.append(data[pos:end])
            pos = end
        pos += 1
        if fields[0] != b"P6":
            raise OSError(f"screendump: not a P6 PPM ({fields[0]!r})")
        w, h = int(fields[1]), int(fields[2])
        rows = [data[pos + y * w * 3:pos + (y + 1) * w * 3] for y in range(h)]
        return w, h, rows

    def qmp(self, command, arguments=None):
        return qmp(self.qmp_sock, command, arguments)

    def wait_exit(self, timeout):
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            return None

    def kill(self):
        """Stop QEMU if it still runs (TERM first, so that scripts/qemu.sh
        removes its copy of the UEFI variables), and remove the VM's files."""
        for sig, grace in ((signal.SIGTERM, 5), (signal.SIGKILL, None)):
            if self.proc.poll() is not None:
                break
            try:
                os.killpg(self.proc.pid, sig)
            except ProcessLookupError:
                break
            try:
                self.proc.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                pass
        if self.console is not None:
            self.console.close()
        shutil.rmtree(self.dir, ignore_errors=True)

    def dump(self, lines=80):
        print("---- serial console (last %d lines) ----" % lines)
        print("\n".join(self.log().splitlines()[-lines:]))
        out = self.proc.stdout.read().decode("utf-8", "replace") if self.proc.poll() is not None else ""
        if out.strip():
            print("---- qemu ----")
            print(out)
        print("----")


def boot_serves_and_powers_off(c, vm, label, boot_timeout=120, poweroff_timeout=30):
    """The checks every image format must pass: the HTTP server comes up,
    GET / through the forwarded port is 200 Hello, World!, and the ACPI
    power button makes QEMU exit by itself after a clean shutdown.
    Prints the serial log when a check fails."""
    failed = c.failed
    try:
        ok = c.check(f"{label}: HTTP server listening",
                     vm.wait_for(r":: HTTP server listening on :8080", boot_timeout),
                     f"not within {boot_timeout} s")
        if ok:
            try:
                status, _, body = vm.http("GET", "/")
                c.check(f"{label}: GET / is 200 Hello, World!",
                        status == 200 and body == b"Hello, World!\n", f"got {status} {body!r}")
                print(f"{label}: first HTTP answer {time.monotonic() - vm.started:.1f} s after QEMU start",
                      flush=True)
            except OSError as e:
                c.check(f"{label}: GET / answers through the forwarded port", False, str(e))
        try:
            vm.qmp("system_powerdown")
        except OSError as e:
            print(f"{label}: QMP: {e}")
        rc = vm.wait_exit(poweroff_timeout)
        log = vm.log()
        c.check(f"{label}: power button gives a clean power-off",
                rc is not None and "reboot: Power down" in log and "Kernel panic" not in log,
                "QEMU still running" if rc is None else "no 'reboot: Power down' on the console")
    finally:
        if c.failed != failed:
            vm.dump()
        vm.kill()
