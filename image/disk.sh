#!/bin/sh
# Make the GPT disk image: one EFI System Partition (FAT, from esp.sh):
# given SLOT_SIZE and VERSION, systemd-boot and the UKI in the first of two
# A/B slots (docs/update.md); without, only EFI/BOOT/BOOT<arch>.EFI. No root, no loop devices: sfdisk
# writes the partition table into a file, dd places the partition.
# GUIDs and the FAT volume id are derived from the UKI's bytes, so the same
# inputs give the same image.
#
# With BIOS=yes, GRUB's boot code goes into the protective MBR too, so that
# the disk boots under legacy BIOS as well (esp.sh, docs/update.md).
#
# Usage: image/disk.sh ARCH UKI OUTPUT.img [SLOT_SIZE VERSION]
# Env:   ESP_FAT=small|32 (see esp.sh), BIOS=yes|no, BIOS_INIT (see esp.sh)
set -eu

arch=$1 uki=$2 output=$3 slot=${4:-} version=${5:-}
here=$(dirname "$0")

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

# The ESP's name, minilinux-esp, is how /init finds the disk it booted
# from (docs/storage.md).
# GPT: the protective MBR, the header and a 128-entry table take LBA 0-33;
# the partition starts at LBA 40 (4 KiB aligned; the usual 2048 would
# waste 1 MiB); 33 sectors at the end hold the backup table.
start=40
sh "$here/esp.sh" "$arch" "$uki" "$tmp/esp.img" "$start" "$slot" "$version"
esp_sectors=$(( $(stat -c %s "$tmp/esp.img") / 512 ))
total=$((start + esp_sectors + 33))
truncate -s $((total * 512)) "$tmp/disk.img"
sfdisk --quiet --no-reread --no-tell-kernel "$tmp/disk.img" <<EOT
label: gpt
label-id: $disk_guid
first-lba: $start
unit: sectors
start=$start, size=$esp_sectors, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B, uuid=$part_guid, name="minilinux-esp"
EOT
dd if="$tmp/esp.img" of="$tmp/disk.img" bs=512 seek=$start conv=notrunc,sparse status=none
if [ "${BIOS:-no}" = yes ]; then
	# Legacy BIOS: GRUB's boot.img as the MBR's boot code (the partition
	# table stays), pointed at core.img in the ESP's reserved sectors
	# (esp.sh), whose first sector in turn lists where the rest is.
	core_at=1
	[ "${ESP_FAT:-small}" != 32 ] || core_at=8
	python3 - "$tmp/disk.img" $((start + core_at)) /usr/lib/grub/i386-pc/boot.img <<'EOT'
import struct, sys
path, core, boot = sys.argv[1], int(sys.argv[2]), open(sys.argv[3], "rb").read()
d = bytearray(open(path, "rb").read())
assert len(boot) == 512 and d[510:512] == b"\x55\xaa"
d[0:0x1b8] = boot[0:0x1b8]            # code; 0x1b8.. is the disk signature and table
struct.pack_into("<Q", d, 0x5c, core)  # boot.img: the LBA of core.img
d[0x66:0x68] = b"\x90\x90"            # a hard disk: trust the drive the BIOS passes
c = core * 512                         # core.img's first sector (diskboot.img):
assert struct.unpack_from("<H", d, c + 0x1fe)[0] == 0x0820, "core.img is not where esp.sh put it"
struct.pack_into("<Q", d, c + 0x1f4, core + 1)  # the rest follows it
open(path, "wb").write(d)
EOT
fi
mv "$tmp/disk.img" "$output"
echo ":: Disk image: $output ($(stat -c %s "$output") bytes, ESP $((esp_sectors / 2)) KiB)"
