#!/bin/sh
# Make an EFI System Partition image. Two layouts:
#   single (iso.sh, the El Torito EFI boot image): only the UKI, as
#     EFI/BOOT/BOOT<arch>.EFI;
#   A/B slots (disk.sh, given SLOT_SIZE and VERSION): systemd-boot as
#     EFI/BOOT/BOOT<arch>.EFI, loader/loader.conf (no menu, no editor), and
#     the UKI as EFI/Linux/minilinux-000000001-VERSION.efi, with room for a
#     second UKI of SLOT_SIZE bytes beside one of SLOT_SIZE (docs/update.md).
#
# The default is the smallest FAT that holds the file: 512-byte clusters,
# a 16-entry root directory, sized from the file (FAT12 up to ~2 MiB of
# data, FAT16 above). ESP_FAT=32 makes a FAT32 file system instead, for
# firmware that accepts nothing else (see docs/image.md): FAT32 needs at
# least 65525 clusters, so that ESP is 33 MiB, mostly zeros.
# The volume id comes from the file's hash and every timestamp from
# SOURCE_DATE_EPOCH: same inputs, same bytes.
#
# With BIOS=yes (A/B layout, amd64), the ESP also boots under legacy BIOS
# (docs/update.md): GRUB's core.img in the FAT's reserved sectors (after
# the boot sector, where no file system tool writes; disk.sh points the
# MBR at it), and grub/: grub.cfg (image/grub.cfg), grubenv, and slots.cfg
# written by BIOS_INIT (this host's /init: `init bios-cfg`).
#
# Usage: image/esp.sh ARCH UKI OUTPUT.img [HIDDEN_SECTORS [SLOT_SIZE VERSION]]
# Env:   ESP_FAT=small|32 (default small), BIOS=yes|no (default no),
#        BIOS_INIT, SOURCE_DATE_EPOCH
set -eu

arch=$1 uki=$2 output=$3 hidden=${4:-0} slot=${5:-} version=${6:-}

case $arch in
amd64) bootname=BOOTX64.EFI loader=/usr/lib/systemd/boot/efi/systemd-bootx64.efi ;;
arm64) bootname=BOOTAA64.EFI loader=/usr/lib/systemd/boot/efi/systemd-bootaa64.efi ;;
*) echo "esp.sh: unsupported ARCH '$arch'" >&2; exit 2 ;;
esac
[ -r "$uki" ] || { echo "esp.sh: $uki not found; run 'make uki'" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# GRUB for BIOS: every module it needs is in core.img (nothing else is
# read from the ESP but grub/); the prefix's empty disk is the one the
# BIOS booted from, its first partition the ESP.
reserved=1
case ${BIOS:-no} in
yes)
	[ -n "$slot" ] || { echo "esp.sh: BIOS=yes needs the A/B layout (SLOT_SIZE and VERSION)" >&2; exit 2; }
	[ "$arch" = amd64 ] || { echo "esp.sh: BIOS=yes is for ARCH=amd64 (arm64 has no BIOS)" >&2; exit 2; }
	command -v grub-mkimage >/dev/null && [ -r /usr/lib/grub/i386-pc/boot.img ] || {
		echo "esp.sh: GRUB for BIOS is missing; run scripts/deps.sh (package grub-pc-bin), or build with BIOS=no" >&2
		exit 1; }
	[ -x "${BIOS_INIT:-}" ] || { echo "esp.sh: BIOS=yes needs BIOS_INIT, this host's /init (make init)" >&2; exit 2; }
	grub-mkimage -O i386-pc -C xz -p '(,gpt1)/grub' -o "$tmp/core.img" \
		biosdisk part_gpt fat normal linux loopback loadenv test configfile echo
	# FAT32 keeps its FSInfo in sector 1 and a backup of both in 6-7:
	# core.img goes after them there (disk.sh knows the same offsets).
	core_at=1
	[ "${ESP_FAT:-small}" != 32 ] || core_at=8
	reserved=$(( core_at + ($(stat -c %s "$tmp/core.img") + 511) / 512 ))
	;;
no) ;;
*) echo "esp.sh: BIOS must be 'yes' or 'no' (got '${BIOS}')" >&2; exit 2 ;;
esac

volid=$(sha256sum "$uki" | cut -c1-8)
size=$(stat -c %s "$uki")
if [ -n "$slot" ]; then
	[ -r "$loader" ] || { echo "esp.sh: $loader missing; run scripts/deps.sh (package systemd-boot-efi)" >&2; exit 1; }
	[ "$size" -le "$slot" ] || {
		echo "esp.sh: the UKI ($size bytes) is larger than a slot (SLOT_SIZE=$slot): raise SLOT_SIZE" >&2
		exit 1; }
	# Two slots and the loader, in whole clusters, plus the directories
	# and loader.conf (the "+ 8" below holds EFI/ and EFI/BOOT/).
	lsize=$(stat -c %s "$loader")
	slot_clusters=$(( (slot + 511) / 512 )) loader_clusters=$(( (lsize + 511) / 512 ))
	size=$(( (2 * slot_clusters + loader_clusters + 8) * 512 ))
	# grub/ and its three files, and slots.cfg's temporary while /init
	# rewrites it.
	[ "${BIOS:-no}" = no ] || size=$(( size + 24 * 512 ))
fi

case ${ESP_FAT:-small} in
small)
	# Sectors: boot sector, two FATs (2 bytes per cluster bounds FAT12 and
	# FAT16), one root directory sector, the file, EFI/ and EFI/BOOT/.
	clusters=$(( (size + 511) / 512 + 2 ))
	fat=$(( ((clusters + 2) * 2 + 511) / 512 ))
	sectors=$(( reserved + 2 * fat + 1 + clusters + 8 ))
	# mkfs.fat uses whole 64-sector "cylinders" of a file: round up to 32 KiB.
	kib=$(( (sectors + 63) / 64 * 32 ))
	fatopt="-s 1 -r 16"
	;;
32)
	# 65525 clusters of 512 bytes is the least FAT32 allows: 33400 KiB
	# gives 65724 of them after the FATs and reserved sectors.
	kib=$(( (size + 1023) / 1024 + 1024 ))
	[ "$kib" -ge $((33400 + reserved / 2)) ] || kib=$((33400 + reserved / 2))
	fatopt="-F 32 -s 1"
	;;
*) echo "esp.sh: ESP_FAT must be 'small' or '32' (got '${ESP_FAT}')" >&2; exit 2 ;;
esac

# shellcheck disable=SC2086
[ "${BIOS:-no}" = no ] || fatopt="$fatopt -R $reserved"
mkfs.vfat -C "$tmp/esp.img" "$kib" $fatopt -h "$hidden" -i "$volid" -n MINILINUX \
	--invariant >/dev/null
export MTOOLS_SKIP_CHECK=1
mmd -i "$tmp/esp.img" ::/EFI ::/EFI/BOOT
cp "$uki" "$tmp/uki" && touch -d "@${SOURCE_DATE_EPOCH:-0}" "$tmp/uki"
if [ -n "$slot" ]; then
	# systemd-boot 252: timeout 0 boots the default (the first entry in its
	# order, docs/update.md) without a menu; no editor, so the command
	# line cannot be changed at the console; no extra entries.
	printf 'timeout 0\neditor no\nauto-entries no\nauto-firmware no\n' > "$tmp/loader.conf"
	cp "$loader" "$tmp/loader" && touch -d "@${SOURCE_DATE_EPOCH:-0}" "$tmp/loader" "$tmp/loader.conf"
	mmd -i "$tmp/esp.img" ::/EFI/Linux ::/loader ::/minilinux
	mcopy -m -i "$tmp/esp.img" "$tmp/loader" "::/EFI/BOOT/$bootname"
	mcopy -m -i "$tmp/esp.img" "$tmp/loader.conf" "::/loader/loader.conf"
	target="::/EFI/Linux/minilinux-000000001-$(printf '%s' "$version" | tr + _).efi"
else
	target="::/EFI/BOOT/$bootname"
fi
mcopy -m -i "$tmp/esp.img" "$tmp/uki" "$target" || {
	echo "esp.sh: $uki does not fit in the ${kib} KiB ESP (a bug in the size estimate)" >&2
	exit 1
}
if [ "${BIOS:-no}" = yes ]; then
	# slots.cfg from the same code that keeps it in step on the appliance,
	# run on a copy of the ESP's tree.
	mkdir -p "$tmp/tree/EFI/Linux" "$tmp/tree/grub"
	ln "$tmp/uki" "$tmp/tree/EFI/Linux/${target#::/EFI/Linux/}"
	"$BIOS_INIT" bios-cfg "$tmp/tree"
	cp "$(dirname "$0")/grub.cfg" "$tmp/tree/grub/grub.cfg"
	# The environment block GRUB writes in place: 1024 bytes.
	{ printf '# GRUB Environment Block\n'; head -c $((1024 - 25)) /dev/zero | tr '\0' '#'; } \
		> "$tmp/tree/grub/grubenv"
	touch -d "@${SOURCE_DATE_EPOCH:-0}" "$tmp/tree/grub" "$tmp/tree/grub/"*
	mcopy -s -m -i "$tmp/esp.img" "$tmp/tree/grub" ::/ || {
		echo "esp.sh: grub/ does not fit in the ${kib} KiB ESP (a bug in the size estimate)" >&2
		exit 1
	}
	dd if="$tmp/core.img" of="$tmp/esp.img" bs=512 seek="$core_at" conv=notrunc status=none
fi
mv "$tmp/esp.img" "$output"
