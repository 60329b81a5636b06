#!/bin/sh
# Make the installer ISO: the same hybrid ISO as `make iso` (image/iso.sh:
# UEFI and, on amd64, legacy BIOS; a CD or written to a USB stick), whose
# system boots into the installer (init/install/install.c) instead of the
# services. Its initramfs is the image's, plus the disk image to write as
# /install/minilinux.img; its command line adds minilinux.install (or
# minilinux.install=DISK: unattended). The ISO's volume id
# MINILINUX_INSTALL is how the installer knows, and refuses, its own
# medium.
#
# Usage: image/installer.sh ARCH KERNEL INIT EXTRA_LIST SEED DISK_IMAGE CMDLINE OUTPUT.iso
# Env:   INSTALL_DISK=name (unattended: install to this disk, ask nothing),
#        SYSTEM_LIST=the image's system files (image/system.sh), as the image's.
set -eu

arch=$1 kernel=$2 init=$3 extra=$4 seed=$5 disk=$6 cmdline=$7 output=$8
here=$(dirname "$0")
target=${INSTALL_DISK:-}

case $target in
'') cmdline="$cmdline minilinux.install" ;;
*[!a-z0-9]*) echo "installer.sh: INSTALL_DISK='$target' is not a disk name (such as vda, sda, nvme0n1)" >&2; exit 2 ;;
*) cmdline="$cmdline minilinux.install=$target" ;;
esac
[ -r "$disk" ] || { echo "installer.sh: $disk not found; run 'make image'" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
{
	cat "$extra"
	echo "dir /install 0755 0 0"
	echo "file /install/minilinux.img $(realpath "$disk") 0644 0 0"
} > "$tmp/extra.list"
EXTRA_LIST=$tmp/extra.list SEED=$seed SYSTEM_LIST=${SYSTEM_LIST:-} sh "$here/initramfs.sh" "$init" "$tmp/initrd"
sh "$here/uki.sh" "$arch" "$kernel" "$tmp/initrd" "$cmdline" "$tmp/installer.efi"
ISO_VOLID=MINILINUX_INSTALL sh "$here/iso.sh" "$arch" "$tmp/installer.efi" "$kernel" "$tmp/initrd" \
	"$cmdline" "$tmp/out.iso"
mv "$tmp/out.iso" "$output"
echo ":: Installer ISO: $output ($(stat -c %s "$output") bytes; ${target:+unattended, to $target}${target:-interactive})"
