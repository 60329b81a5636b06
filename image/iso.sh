#!/bin/sh
# Make the hybrid ISO: one file that boots
#   - UEFI from CD: El Torito EFI entry -> FAT image with the UKI;
#   - UEFI from a disk (the ISO written raw): the same FAT image is also a
#     GPT partition of type ESP (-isohybrid-gpt-basdat);
#   - BIOS from CD: El Torito entry -> ISOLINUX -> bzImage + initramfs;
#   - BIOS from a disk: the isohybrid MBR (isohdpfx.bin) -> ISOLINUX.
# arm64 (UEFI only): the first two, without ISOLINUX.
# ISOLINUX (isolinux.bin + ldlinux.c32, 155 KiB) is the BIOS loader
# because it is the smallest one that boots from both CD and disk; GRUB's
# BIOS core plus the modules it needs to load Linux from ISO 9660 are
# larger (see docs/image.md).
# All dates come from SOURCE_DATE_EPOCH and the GPT GUIDs from it too:
# same inputs, same bytes.
#
# Usage: image/iso.sh ARCH UKI KERNEL INITRD CMDLINE OUTPUT.iso
# Env:   ISO_VOLID=volume id (default MINILINUX; the installer ISO has its
#        own, by which the installer knows its medium)
set -eu

arch=$1 uki=$2 kernel=$3 initrd=$4 cmdline=$5 output=$6
here=$(dirname "$0")
isolinux=/usr/lib/ISOLINUX
syslinux=/usr/lib/syslinux/modules/bios

volid=${ISO_VOLID:-MINILINUX}
case $arch in
amd64) bios=yes ;;
arm64) bios=no ;;
*) echo "iso.sh: unsupported ARCH '$arch'" >&2; exit 2 ;;
esac
if [ $bios = yes ]; then
	for f in "$isolinux/isolinux.bin" "$isolinux/isohdpfx.bin" "$syslinux/ldlinux.c32"; do
		[ -r "$f" ] || { echo "iso.sh: $f missing; run scripts/deps.sh (packages isolinux, syslinux-common)" >&2; exit 1; }
	done
fi
command -v xorriso >/dev/null || { echo "iso.sh: xorriso missing; run scripts/deps.sh (package xorriso)" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
root=$tmp/root
mkdir -p "$root/boot"

BIOS=no sh "$here/esp.sh" "$arch" "$uki" "$root/boot/efi.img"
if [ $bios = yes ]; then
	mkdir -p "$root/isolinux"
	cp "$isolinux/isolinux.bin" "$syslinux/ldlinux.c32" "$root/isolinux/"
	cp "$kernel" "$root/boot/linux"
	cp "$initrd" "$root/boot/initrd"
	cat > "$root/isolinux/isolinux.cfg" <<EOT
SERIAL 0 115200
DEFAULT minilinux
PROMPT 0
TIMEOUT 0
LABEL minilinux
  KERNEL /boot/linux
  INITRD /boot/initrd
  APPEND $cmdline
EOT
fi

epoch=${SOURCE_DATE_EPOCH:-0}
date=$(date -u -d "@$epoch" +%Y%m%d%H%M%S00)
find "$root" -exec touch -h -d "@$epoch" {} +

# No padding to whole "cylinders" (1 MiB): -partition_cyl_align must come
# after -isohybrid-mbr, which turns it back on.
# xorriso reads SOURCE_DATE_EPOCH: every file date, the volume dates and
# the GPT GUIDs (from the volume uuid) follow it.
# UEFI only (arm64): the EFI image is also the GPT's EFI System partition
# (-efi-boot-part), for a USB stick; no MBR boot code.
if [ $bios = yes ]; then
	set -- -isohybrid-mbr "$isolinux/isohdpfx.bin" -partition_cyl_align off \
		-b isolinux/isolinux.bin -c isolinux/boot.cat \
		-no-emul-boot -boot-load-size 4 -boot-info-table \
		-eltorito-alt-boot -e boot/efi.img -no-emul-boot -isohybrid-gpt-basdat
else
	set -- -partition_cyl_align off -c boot/boot.cat \
		-e boot/efi.img -no-emul-boot -efi-boot-part --efi-boot-image
fi
SOURCE_DATE_EPOCH=$epoch xorriso -report_about SORRY -as mkisofs \
	-o "$tmp/out.iso" -R -V "$volid" -no-pad \
	--modification-date="$date" \
	"$@" \
	"$root" 2>"$tmp/xorriso.log" || {
	cat "$tmp/xorriso.log" >&2
	echo "iso.sh: xorriso failed (messages above)" >&2
	exit 1
}
mv "$tmp/out.iso" "$output"
echo ":: ISO: $output ($(stat -c %s "$output") bytes)"
