#!/bin/sh
# Make an EFI System Partition image: a FAT file system holding only
# EFI/BOOT/BOOT<arch>.EFI. Used by disk.sh (the GPT disk's partition) and
# iso.sh (the El Torito EFI boot image).
#
# The default is the smallest FAT that holds the file: 512-byte clusters,
# a 16-entry root directory, sized from the file (FAT12 up to ~2 MiB of
# data, FAT16 above). ESP_FAT=32 makes a FAT32 file system instead, for
# firmware that accepts nothing else (see docs/image.md): FAT32 needs at
# least 65525 clusters, so that ESP is 33 MiB, mostly zeros.
# The volume id comes from the file's hash and every timestamp from
# SOURCE_DATE_EPOCH: same inputs, same bytes.
#
# Usage: image/esp.sh ARCH UKI OUTPUT.img [HIDDEN_SECTORS]
# Env:   ESP_FAT=small|32 (default small), SOURCE_DATE_EPOCH
set -eu

arch=$1 uki=$2 output=$3 hidden=${4:-0}

case $arch in
amd64) bootname=BOOTX64.EFI ;;
arm64) bootname=BOOTAA64.EFI ;;
*) echo "esp.sh: unsupported ARCH '$arch'" >&2; exit 2 ;;
esac
[ -r "$uki" ] || { echo "esp.sh: $uki not found; run 'make uki'" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

volid=$(sha256sum "$uki" | cut -c1-8)
size=$(stat -c %s "$uki")

case ${ESP_FAT:-small} in
small)
	# Sectors: boot sector, two FATs (2 bytes per cluster bounds FAT12 and
	# FAT16), one root directory sector, the file, EFI/ and EFI/BOOT/.
	clusters=$(( (size + 511) / 512 + 2 ))
	fat=$(( ((clusters + 2) * 2 + 511) / 512 ))
	sectors=$(( 1 + 2 * fat + 1 + clusters + 8 ))
	# mkfs.fat uses whole 64-sector "cylinders" of a file: round up to 32 KiB.
	kib=$(( (sectors + 63) / 64 * 32 ))
	fatopt="-s 1 -r 16"
	;;
32)
	# 65525 clusters of 512 bytes is the least FAT32 allows: 33400 KiB
	# gives 65724 of them after the FATs and reserved sectors.
	kib=$(( (size + 1023) / 1024 + 1024 ))
	[ "$kib" -ge 33400 ] || kib=33400
	fatopt="-F 32 -s 1"
	;;
*) echo "esp.sh: ESP_FAT must be 'small' or '32' (got '${ESP_FAT}')" >&2; exit 2 ;;
esac

# shellcheck disable=SC2086
mkfs.vfat -C "$tmp/esp.img" "$kib" $fatopt -h "$hidden" -i "$volid" -n MINILINUX \
	--invariant >/dev/null
export MTOOLS_SKIP_CHECK=1
mmd -i "$tmp/esp.img" ::/EFI ::/EFI/BOOT
cp "$uki" "$tmp/uki" && touch -d "@${SOURCE_DATE_EPOCH:-0}" "$tmp/uki"
mcopy -m -i "$tmp/esp.img" "$tmp/uki" "::/EFI/BOOT/$bootname" || {
	echo "esp.sh: $uki does not fit in the ${kib} KiB ESP (a bug in the size estimate)" >&2
	exit 1
}
mv "$tmp/esp.img" "$output"
