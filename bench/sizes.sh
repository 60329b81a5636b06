#!/bin/sh
# The size table for BENCHMARKS.md when the Makefile has no `make size`:
# the same columns (component, bytes, KiB), from the files in out/.
#
# Usage: bench/sizes.sh OUTDIR ARCH
set -eu

out=$1 arch=$2
a=$out/$arch
disk=$out/minilinux.$arch.img

for f in "$a/bzImage" "$out/init" "$a/initramfs.cpio.xz" "$a/minilinux.efi" "$disk"; do
	[ -r "$f" ] || { echo "sizes.sh: $f missing; run 'make image'" >&2; exit 1; }
done

row() { printf '%-28s %10d %9.1f\n' "$1" "$2" "$(echo "$2 / 1024" | bc -l)"; }
sz() { stat -c %s "$1"; }

printf '%-28s %10s %9s\n' component bytes KiB
row "kernel (bzImage)" "$(sz "$a/bzImage")"
row "/init" "$(sz "$out/init")"
row "initramfs (cpio.xz)" "$(sz "$a/initramfs.cpio.xz")"
row "UKI (stub+kernel+initramfs)" "$(sz "$a/minilinux.efi")"
row "total: GPT disk image" "$(sz "$disk")"
