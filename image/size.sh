#!/bin/sh
# Print the size of every component of the build, from the files
# themselves, against the project's targets.
#
# Usage: image/size.sh OUTDIR ARCH
set -eu

out=$1 arch=$2
a=$out/$arch
disk=$out/minilinux.$arch.img
case $arch in
amd64) kernel=$a/bzImage init=$out/init ;;
arm64) kernel=$a/vmlinuz.efi init=$a/init ;;
*) echo "size.sh: unsupported ARCH '$arch'" >&2; exit 2 ;;
esac

for f in "$kernel" "$init" "$a/initramfs.cpio.xz" "$a/minilinux.efi" "$disk"; do
	[ -r "$f" ] || { echo "size.sh: $f missing; run 'make image'" >&2; exit 1; }
done

# The ESP is the disk's one partition: its size from the partition table.
esp_sectors=$(sfdisk -d "$disk" | sed -n 's/.*size= *\([0-9]*\).*/\1/p' | head -1)
esp=$((esp_sectors * 512))
total=$(stat -c %s "$disk")

# row NAME BYTES [TARGET_BYTES TARGET_TEXT]
row() {
	if [ -n "${3:-}" ]; then
		if [ "$2" -le "$3" ]; then st="ok, target <= $4"; else st="OVER the target of $4"; fi
	else
		st=
	fi
	printf '%-28s %10d %9.1f  %s\n' "$1" "$2" "$(echo "$2 / 1024" | bc -l)" "$st"
}
sz() { stat -c %s "$1"; }

printf '%-28s %10s %9s  %s\n' component bytes KiB target
row "kernel (${kernel##*/})" "$(sz "$kernel")" 1572864 "1.5 MiB"
row "/init" "$(sz "$init")" 196608 "192 KiB"
row "initramfs (cpio.xz)" "$(sz "$a/initramfs.cpio.xz")"
row "UKI (stub+kernel+initramfs)" "$(sz "$a/minilinux.efi")" 1782579 "1.7 MiB"
row "ESP file system (FAT)" "$esp"
row "partition overhead (GPT)" $((total - esp))
# The ESP holds the loader and two slots, one of them empty (docs/update.md).
case $arch in amd64) loader=systemd-bootx64.efi ;; *) loader=systemd-bootaa64.efi ;; esac
[ ! -r "/usr/lib/systemd/boot/efi/$loader" ] || row "  loader ($loader)" "$(sz "/usr/lib/systemd/boot/efi/$loader")"
[ ! -r "$a/system/slot-size" ] || row "  slot (SLOT_SIZE), two" "$(cat "$a/system/slot-size")"
# BIOS=yes: GRUB's core.img in the FAT's reserved sectors after the boot sector.
esp_start=$(sfdisk -d "$disk" | sed -n 's/.*start= *\([0-9]*\).*/\1/p' | head -1)
reserved=$(od -An -tu2 -j $((esp_start * 512 + 14)) -N2 "$disk" | tr -d ' ')
[ "${reserved:-1}" -le 1 ] || row "  reserved: GRUB (BIOS)" $(( (reserved - 1) * 512 ))
row "total: GPT disk image" "$total" 6291456 "6 MiB"
# Issue 7: the Go reference's arm64 image (EFI zboot) is about 7 MiB.
[ "$arch" != arm64 ] ||
	echo "  (the Go reference's arm64 image: about 7 MiB = 7340032 bytes, $(echo "scale=1; 7340032 / $total" | bc) times this one)"
[ ! -r "$out/minilinux.$arch.qcow2" ] || row "qcow2: minilinux.$arch.qcow2" "$(sz "$out/minilinux.$arch.qcow2")" 2621440 "2.5 MiB"
[ ! -r "$out/minilinux.$arch.update" ] || row "update bundle" "$(sz "$out/minilinux.$arch.update")"
[ ! -r "$out/minilinux.$arch.iso" ] || row "iso: minilinux.$arch.iso" "$(sz "$out/minilinux.$arch.iso")"
