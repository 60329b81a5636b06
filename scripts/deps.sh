#!/bin/sh
# Install the Debian packages the build and tests need, when missing.
# Usage: scripts/deps.sh [init|build|arm64|test|all]   (default: all)
# init is what /init alone needs (make init); build adds the kernel and
# the image tools.
# arm64 is build plus the arm64 cross tools, firmware and multiarch
# packages; test and all include it (make test boots an arm64 image too).
set -eu

what=${1:-all}

init_pkgs="make gcc libc6-dev musl-tools linux-libc-dev libbearssl-dev"
build_pkgs="$init_pkgs libc6-dev musl-tools binutils linux-source-6.12 xz-utils
flex bison bc libelf-dev libssl-dev cpio systemd-boot-efi
mtools dosfstools fdisk qemu-system-x86 ovmf python3 curl
xorriso isolinux syslinux-common grub-pc-bin qemu-utils e2fsprogs openssl"
# arm64: cross compiler, musl and kernel UAPI headers for arm64 (Debian
# multiarch), systemd-stub for arm64, QEMU -M virt and its UEFI firmware.
arm64_pkgs="gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu musl-dev:arm64
linux-libc-dev:arm64 libbearssl-dev:arm64 systemd-boot-efi:arm64 qemu-system-arm qemu-efi-aarch64"
test_pkgs="clang libclang-rt-14-dev iproute2 dnsmasq-base tcpdump busybox-static nginx-light wrk strace util-linux
chrony tesseract-ocr tesseract-ocr-eng chromium fonts-dejavu-core"

case $what in
init) pkgs=$init_pkgs ;;
build) pkgs=$build_pkgs ;;
arm64) pkgs="$build_pkgs $arm64_pkgs" ;;
test|all) pkgs="$build_pkgs $arm64_pkgs $test_pkgs" ;;
*) echo "deps.sh: unknown set '$what' (use init, build, arm64, test or all)" >&2; exit 2 ;;
esac

missing=
for p in $pkgs; do
	if ! dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$'; then
		missing="$missing $p"
	fi
done

[ -z "$missing" ] && exit 0

echo ":: Installing Debian packages:$missing"
if [ "$(id -u)" -ne 0 ]; then
	echo "deps.sh: not root; install them with: sudo apt-get install$missing" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
# Packages named pkg:arm64 need the foreign architecture (and then an
# apt-get update, which the retry below does).
case $missing in
*:arm64*)
	dpkg --print-foreign-architectures | grep -qx arm64 || dpkg --add-architecture arm64 ;;
esac
# shellcheck disable=SC2086
if ! apt-get install -y --no-install-recommends $missing; then
	apt-get update
	# shellcheck disable=SC2086
	apt-get install -y --no-install-recommends $missing || {
		echo "deps.sh: apt-get failed; install by hand: apt-get install$missing" >&2
		exit 1
	}
fi
