#!/bin/sh
# Build the kernel for one architecture from Debian's linux-source package,
# configured as tinyconfig + kernel/base.config + kernel/$ARCH.config
# (+ any extra fragments named in KERNEL_FRAGMENTS), out of tree.
#
# Usage: image/kernel.sh ARCH OUTPUT
set -eu

arch=$1
output=$2
top=$(pwd)
ksrc_tar=${KERNEL_TARBALL:-/usr/src/linux-source-6.12.tar.xz}
ksrc=$top/build/linux-source
kobj=${KERNEL_OBJ:-$top/build/kernel-$arch}

case $arch in
amd64) karch=x86_64; image=arch/x86/boot/bzImage ;;
# Cross-built with Debian's gcc-aarch64-linux-gnu; vmlinuz.efi is the
# EFI_ZBOOT image (an EFI application holding the compressed kernel).
arm64) karch=arm64; image=arch/arm64/boot/vmlinuz.efi; export CROSS_COMPILE=aarch64-linux-gnu- ;;
*) echo "kernel.sh: unsupported ARCH '$arch' (supported: amd64, arm64)" >&2; exit 2 ;;
esac

if [ ! -r "$ksrc_tar" ]; then
	echo "kernel.sh: $ksrc_tar not found; run scripts/deps.sh (package linux-source-6.12)" >&2
	exit 1
fi

# Unpack once; the stamp names the tarball so a new package unpacks again.
stamp=$(basename "$ksrc_tar")
if [ ! -f "$ksrc/.minilinux-unpacked" ] || [ "$(cat "$ksrc/.minilinux-unpacked")" != "$stamp" ]; then
	echo ":: Unpacking $ksrc_tar"
	rm -rf "$ksrc" "$top/build/ksrc.tmp"
	mkdir -p "$top/build/ksrc.tmp"
	tar -C "$top/build/ksrc.tmp" -xf "$ksrc_tar"
	mv "$top/build/ksrc.tmp"/linux-source-* "$ksrc"
	rm -rf "$top/build/ksrc.tmp"
	echo "$stamp" > "$ksrc/.minilinux-unpacked"
fi

frags="$top/kernel/base.config $top/kernel/$arch.config"
for f in ${KERNEL_FRAGMENTS:-}; do
	case $f in /*) ;; *) f=$top/$f ;; esac
	[ -r "$f" ] || { echo "kernel.sh: fragment $f not found (KERNEL_FRAGMENTS)" >&2; exit 2; }
	frags="$frags $f"
done

# Reproducible: no host name, user or time in the kernel. Its timestamp is
# that of the last commit to change the kernel's own inputs (the fragments
# here and this script), not SOURCE_DATE_EPOCH: a commit elsewhere then
# leaves the kernel as it is instead of relinking it. KERNEL_DATE_EPOCH
# sets it; outside git it is SOURCE_DATE_EPOCH.
if [ -z "${KERNEL_DATE_EPOCH:-}" ]; then
	KERNEL_DATE_EPOCH=$(git -C "$top" log -1 --format=%ct -- kernel image/kernel.sh 2>/dev/null || true)
	[ -n "$KERNEL_DATE_EPOCH" ] || KERNEL_DATE_EPOCH=${SOURCE_DATE_EPOCH:-0}
fi
export KBUILD_BUILD_USER=minilinux KBUILD_BUILD_HOST=minilinux
export KBUILD_BUILD_TIMESTAMP="@$KERNEL_DATE_EPOCH"
export KBUILD_BUILD_VERSION=1
kmake() { make -s -C "$ksrc" O="$kobj" ARCH="$karch" "$@"; }

mkdir -p "$kobj"
# shellcheck disable=SC2086
sum=$(cat $frags | sha256sum | cut -d' ' -f1)
if [ ! -f "$kobj/.config" ] || [ "$(cat "$kobj/.minilinux-frags" 2>/dev/null)" != "$sum" ]; then
	echo ":: Configuring kernel ($arch): tinyconfig +$(for f in $frags; do printf ' %s' "${f#"$top"/}"; done)"
	kmake tinyconfig >/dev/null
	# shellcheck disable=SC2086
	"$ksrc/scripts/kconfig/merge_config.sh" -m -O "$kobj" "$kobj/.config" $frags >/dev/null
	kmake olddefconfig >/dev/null
	# Kconfig silently drops options whose dependencies are not met:
	# name every one that did not make it.
	bad=0
	# A later fragment overrides an earlier one (as in merge_config.sh):
	# only an option's last value is checked.
	# shellcheck disable=SC2086
	for line in $(cat $frags | grep -E '^CONFIG_[A-Za-z0-9_]+=' | tr -d ' ' |
		awk -F= '{ last[$1] = $0; if (!($1 in seen)) { seen[$1] = 1; order[n++] = $1 } }
			END { for (i = 0; i < n; i++) print last[order[i]] }'); do
		opt=${line%%=*}
		val=${line#*=}
		if [ "$val" = n ]; then
			if grep -q "^$opt=" "$kobj/.config"; then
				echo "kernel.sh: $opt=n was asked for but the .config has $(grep "^$opt=" "$kobj/.config")" >&2
				bad=1
			fi
		elif ! grep -qxF "$line" "$kobj/.config"; then
			got=$(grep -E "^$opt=|^# $opt is not set" "$kobj/.config" || echo "absent (unknown option or unmet dependency)")
			echo "kernel.sh: $line was asked for but the .config has: $got" >&2
			bad=1
		fi
	done
	if [ $bad -ne 0 ]; then
		echo "kernel.sh: fix the fragments above (enable the missing dependencies, see 'make -C $ksrc O=$kobj menuconfig' and search with '/')" >&2
		rm -f "$kobj/.minilinux-frags"
		exit 1
	fi
	echo "$sum" > "$kobj/.minilinux-frags"
fi

# Kbuild relinks vmlinux when the timestamp changes but not the real-mode
# setup code, which prints the same version string: rebuild it too, or the
# bzImage would depend on the build tree's history.
if [ "$(cat "$kobj/.minilinux-timestamp" 2>/dev/null)" != "$KBUILD_BUILD_TIMESTAMP" ]; then
	rm -f "$kobj/arch/x86/boot/version.o"
	echo "$KBUILD_BUILD_TIMESTAMP" > "$kobj/.minilinux-timestamp"
fi

echo ":: Building kernel ($arch)"
kmake -j"$(nproc)" "$(basename "$image")"
mkdir -p "$(dirname "$output")"
cp "$kobj/$image" "$output"
echo ":: Kernel: $output ($(stat -c %s "$output") bytes)"
