#!/bin/sh
# Print the QEMU accelerator to use: kvm when KVM works, tcg otherwise.
# /dev/kvm can exist while guests hang under it (nested virtualisation), so
# "works" is decided by booting a probe guest: the kernel we built, with no
# root file system, panics and QEMU exits within a second under a working KVM;
# a hang or a QEMU abort means TCG. The answer is cached in build/accel-probe.
#
# Usage: scripts/accel.sh [auto|kvm|tcg]   (ACCEL in the environment works too)
set -eu

want=${1:-${ACCEL:-auto}}
case $want in
kvm|tcg) echo "$want"; exit 0 ;;
auto) ;;
*) echo "accel.sh: ACCEL must be auto, kvm or tcg (got '$want')" >&2; exit 2 ;;
esac

if [ ! -r /dev/kvm ] || [ ! -w /dev/kvm ]; then
	echo tcg
	exit 0
fi

cache=build/accel-probe
probe=bios; [ -r "${PROBE_KERNEL:-out/amd64/bzImage}" ] && probe=kernel
key="$(uname -r) $(qemu-system-x86_64 --version | head -1) $probe"
if [ -f "$cache" ] && [ "$(sed -n 1p "$cache")" = "$key" ]; then
	sed -n 2p "$cache"
	exit 0
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
kernel=${PROBE_KERNEL:-out/amd64/bzImage}
set +e
if [ -r "$kernel" ]; then
	# Boot the real kernel with no root file system: it panics at once, and
	# -no-reboot turns the panic's reboot into a QEMU exit (status 0).
	timeout -s KILL "${PROBE_TIMEOUT:-8}" qemu-system-x86_64 -accel kvm -cpu host -M q35 -m 64 \
		-kernel "$kernel" -append "console=ttyS0 panic=-1 root=/dev/none" -no-reboot \
		-display none -nodefaults -no-user-config -serial "file:$tmp/serial" >/dev/null 2>&1
	rc=$?
	[ $rc -eq 0 ] && grep -q 'Kernel panic' "$tmp/serial" && rc=3
else
	# No kernel built yet: 64 KiB of firmware whose reset vector does
	# mov al,1; out 0xf4,al; hlt (isa-debug-exit makes QEMU exit with 3).
	head -c 65520 /dev/zero | tr '\0' '\364' > "$tmp/probe.bin"
	printf '\260\001\346\364\364\353\375\364\364\364\364\364\364\364\364\364' >> "$tmp/probe.bin"
	timeout -s KILL "${PROBE_TIMEOUT:-8}" qemu-system-x86_64 -accel kvm -cpu host -M pc -m 16 \
		-bios "$tmp/probe.bin" -display none -nodefaults -no-user-config \
		-device isa-debug-exit,iobase=0xf4,iosize=4 >/dev/null 2>&1
	rc=$?
fi
set -e
if [ $rc -eq 3 ]; then result=kvm; else result=tcg; fi
mkdir -p build
printf '%s\n%s\n' "$key" "$result" > "$cache"
echo "$result"
