#!/bin/sh
# Make a Unified Kernel Image: systemd-stub + .osrel + .cmdline + .linux +
# .initrd in one PE file. The sections go above the stub's own image, at
# addresses read from its headers (fixed offsets break on other stubs).
#
# Usage: image/uki.sh ARCH KERNEL INITRD CMDLINE OUTPUT.efi
set -eu

arch=$1 kernel=$2 initrd=$3 cmdline=$4 output=$5

case $arch in
amd64) stub=/usr/lib/systemd/boot/efi/linuxx64.efi.stub ;;
# The host's binutils do not read arm64 PE files; the cross binutils do.
arm64) stub=/usr/lib/systemd/boot/efi/linuxaa64.efi.stub
	OBJDUMP=aarch64-linux-gnu-objdump OBJCOPY=aarch64-linux-gnu-objcopy ;;
*) echo "uki.sh: unsupported ARCH '$arch'" >&2; exit 2 ;;
esac
[ -r "$stub" ] || { echo "uki.sh: $stub missing; run scripts/deps.sh (package systemd-boot-efi, for arm64 systemd-boot-efi:arm64)" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

printf 'NAME="minilinux"\nID=minilinux\nPRETTY_NAME="minilinux"\n' > "$tmp/osrel"
printf '%s' "$cmdline" > "$tmp/cmdline"

hdr() { ${OBJDUMP:-objdump} -p "$stub" | awk -v k="$1" '$1 == k { print $2 }'; }
base=$((0x$(hdr ImageBase)))
size=$((0x$(hdr SizeOfImage)))
align=4096
# next_vma ADDR LEN: the first aligned address after ADDR+LEN.
next() { echo $(( ($1 + $2 + align - 1) / align * align )); }

osrel=$(next "$base" "$size")
cmd=$(next "$osrel" "$(stat -c %s "$tmp/osrel")")
linux=$(next "$cmd" "$(stat -c %s "$tmp/cmdline")")
initrd_vma=$(next "$linux" "$(stat -c %s "$kernel")")

${OBJCOPY:-objcopy} \
	--add-section .osrel="$tmp/osrel" --change-section-vma .osrel="$(printf 0x%x "$osrel")" \
	--add-section .cmdline="$tmp/cmdline" --change-section-vma .cmdline="$(printf 0x%x "$cmd")" \
	--add-section .linux="$kernel" --change-section-vma .linux="$(printf 0x%x "$linux")" \
	--add-section .initrd="$initrd" --change-section-vma .initrd="$(printf 0x%x "$initrd_vma")" \
	--set-section-flags .osrel=data,readonly --set-section-flags .cmdline=data,readonly \
	--set-section-flags .linux=code,readonly --set-section-flags .initrd=data,readonly \
	"$stub" "$tmp/uki.efi"

# objcopy (binutils < 2.42) stamps the PE header with the current time:
# put SOURCE_DATE_EPOCH there instead and recompute the PE checksum.
python3 - "$tmp/uki.efi" "${SOURCE_DATE_EPOCH:-0}" <<'EOT'
import struct, sys
path, epoch = sys.argv[1], int(sys.argv[2])
b = bytearray(open(path, "rb").read())
pe = struct.unpack_from("<I", b, 0x3c)[0]
struct.pack_into("<I", b, pe + 8, epoch & 0xffffffff)
csum_off = pe + 24 + 64
struct.pack_into("<I", b, csum_off, 0)
data = b + b"\0" * (len(b) % 2)
s = 0
for (w,) in struct.iter_unpack("<H", data):
    s += w
    s = (s & 0xffff) + (s >> 16)
struct.pack_into("<I", b, csum_off, (s + len(b)) & 0xffffffff)
open(path, "wb").write(b)
EOT
mv "$tmp/uki.efi" "$output"
echo ":: UKI: $output ($(stat -c %s "$output") bytes)"
