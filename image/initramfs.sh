#!/bin/sh
# Pack the initramfs: /init and the empty mount points, nothing else.
# Sorted, fixed owners and mtimes (SOURCE_DATE_EPOCH): same inputs, same bytes.
#
# Usage: image/initramfs.sh INIT OUTPUT.cpio.xz
# Env:   INITRAMFS_COMPRESS=xz|gzip|none (default xz; the kernel has only the
#        xz decoder: gzip needs KERNEL_FRAGMENTS with CONFIG_RD_GZIP=y),
#        EXTRA_LIST=file with
#        more gen_init_cpio lines (the user's application), SEED=the data
#        partition's seed (image/seed.sh), carried as /etc/minilinux/data.seed,
#        SYSTEM_LIST=file with the system files' lines (image/system.sh).
set -eu

init=$1
output=$2
top=$(pwd)
gen=$top/build/gen_init_cpio
src=$top/build/linux-source/usr/gen_init_cpio.c

if [ ! -x "$gen" ] || [ -n "$(find "$src" -newer "$gen" 2>/dev/null)" ]; then
	[ -r "$src" ] || { echo "initramfs.sh: $src missing; run 'make kernel' first" >&2; exit 1; }
	cc -O2 -o "$gen" "$src"
fi

list=$(mktemp)
trap 'rm -f "$list" "$list.cpio"' EXIT
{
	for d in dev etc proc run sys tmp; do
		echo "dir /$d 0755 0 0"
	done
	# The kernel opens /dev/console for PID 1 before anything is mounted.
	echo "nod /dev/console 0600 0 0 c 5 1"
	echo "file /init $(realpath "$init") 0755 0 0"
	[ -z "${EXTRA_LIST:-}" ] || cat "$EXTRA_LIST"
	[ -z "${SYSTEM_LIST:-}" ] || cat "$SYSTEM_LIST"
	[ -z "${SEED:-}" ] || echo "file /etc/minilinux/data.seed $(realpath "$SEED") 0644 0 0"
} | LC_ALL=C sort -u | LC_ALL=C sort -s -k2,2 > "$list"

"$gen" -t "${SOURCE_DATE_EPOCH:-0}" "$list" > "$list.cpio"
case $(readelf -h "$init" | sed -n 's/^ *Machine: *//p') in
*X86-64*) bcj=--x86 ;;
*AArch64*) bcj=--arm64 ;;
*) bcj= ;;
esac
# shellcheck disable=SC2086 # $bcj is one option or none
case ${INITRAMFS_COMPRESS:-xz} in
# A 1 MiB dictionary: xz -9's 64 MiB would be needed again at unpack time.
# The BCJ filter for /init's machine code (the kernel fragment enables its
# decoder) saves another 4%.
xz) xz --check=crc32 $bcj --lzma2=preset=9e,dict=1MiB -c "$list.cpio" > "$output" ;;
gzip) gzip -n -9 -c "$list.cpio" > "$output" ;;
none) cp "$list.cpio" "$output" ;;
*) echo "initramfs.sh: INITRAMFS_COMPRESS must be xz, gzip or none" >&2; exit 2 ;;
esac
echo ":: Initramfs: $output ($(stat -c %s "$output") bytes)"
