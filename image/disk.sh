#!/bin/sh
# Make the GPT disk image: one EFI System Partition (FAT) holding only
# EFI/BOOT/BOOT<arch>.EFI. No root, no loop devices: sfdisk writes the
# partition table into a file, mkfs.vfat and mtools fill the partition.
# GUIDs and the FAT volume id are derived from the UKI's bytes, so the same
# inputs give the same image.
#
# Usage: image/disk.sh ARCH UKI OUTPUT.img
set -eu

arch=$1 uki=$2 output=$3

case $arch in
amd64) bootname=BOOTX64.EFI ;;
arm64) bootname=BOOTAA64.EFI ;;
*) echo "disk.sh: unsupported ARCH '$arch'" >&2; exit 2 ;;
esac

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

sum=$(sha256sum "$uki" | cut -c1-64)
# guid_from TAG: a version-4-shaped GUID from the UKI hash and a tag.
guid_from() {
	h=$(printf '%s%s' "$sum" "$1" | sha256sum | cut -c1-32)
	echo "$h" | sed -E 's/^(.{8})(.{4}).(.{3}).(.{3})(.{12})$/\1-\2-4\3-8\4-\5/'
}
disk_guid=$(guid_from disk)
part_guid=$(guid_from esp)
volid=$(echo "$sum" | cut -c1-8)

# ESP: the UKI plus room for FAT metadata, in 64 KiB steps.
uki_kib=$(( ($(stat -c %s "$uki") + 1023) / 1024 ))
esp_kib=$(( (uki_kib + uki_kib / 32 + 64 + 63) / 64 * 64 ))
mkfs.vfat -C "$tmp/esp.img" "$esp_kib" -i "$volid" -n MINILINUX --invariant >/dev/null
export MTOOLS_SKIP_CHECK=1
mmd -i "$tmp/esp.img" ::/EFI ::/EFI/BOOT
cp "$uki" "$tmp/uki" && touch -d "@${SOURCE_DATE_EPOCH:-0}" "$tmp/uki"
mcopy -m -i "$tmp/esp.img" "$tmp/uki" "::/EFI/BOOT/$bootname"

# GPT: the partition starts at LBA 64 (32 KiB aligned; 2048 would waste
# 1 MiB); 33 sectors at the end hold the backup table.
start=64
esp_sectors=$((esp_kib * 2))
total=$((start + esp_sectors + 33))
rm -f "$tmp/disk.img"
truncate -s $((total * 512)) "$tmp/disk.img"
sfdisk --quiet --no-reread --no-tell-kernel "$tmp/disk.img" <<EOT
label: gpt
label-id: $disk_guid
first-lba: $start
unit: sectors
start=$start, size=$esp_sectors, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B, uuid=$part_guid, name="EFI System Partition"
EOT
dd if="$tmp/esp.img" of="$tmp/disk.img" bs=512 seek=$start conv=notrunc status=none
mv "$tmp/disk.img" "$output"
echo ":: Disk image: $output ($(stat -c %s "$output") bytes)"
