#!/bin/sh
# Convert the raw GPT disk image to qcow2, the format Proxmox (qm
# importdisk), libvirt and OpenStack (Glance) take. Compressed (zlib, which
# every qemu-img reads; zstd would need QEMU >= 5.1) with 4 KiB clusters:
# the image is never written to, so small clusters cost nothing and keep
# the metadata small. qemu-img writes no timestamps: same input, same bytes.
#
# Usage: image/qcow2.sh DISK.img OUTPUT.qcow2
set -eu

disk=$1 output=$2
command -v qemu-img >/dev/null || { echo "qcow2.sh: qemu-img missing; run scripts/deps.sh (package qemu-utils)" >&2; exit 1; }
[ -r "$disk" ] || { echo "qcow2.sh: $disk not found; run 'make image'" >&2; exit 1; }

qemu-img convert -q -f raw -O qcow2 -c -o cluster_size=4096,compression_type=zlib \
	"$disk" "$output.tmp"
mv "$output.tmp" "$output"
echo ":: qcow2: $output ($(stat -c %s "$output") bytes)"
