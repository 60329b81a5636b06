#!/bin/sh
# Boot a minilinux image in QEMU: a disk image (raw GPT disk, qcow2, or the
# hybrid ISO written to a disk) or a CD-ROM (the ISO) under OVMF (UEFI) or
# SeaBIOS (legacy BIOS), or a kernel and initramfs directly. User networking
# with a host port forwarded to the guest's 8080, virtio-rng, serial console.
# --arch arm64: QEMU -M virt with AAVMF (UEFI) firmware and a disk image,
# emulated (TCG) on other hosts.
#
# Usage: scripts/qemu.sh (--disk IMG | --cdrom ISO | --kernel BZIMAGE --initrd FILE
#          [--append CMDLINE]) [--firmware uefi|bios] [--port N]
#          [--accel auto|kvm|tcg] [--mem SIZE] [--serial FILE] [--qmp SOCKET] [--cpus N]
#          [--arch amd64|arm64] [--net user|isolated|tap:IFNAME] [--rtc BASE] [--persist]
#          [--admin-port HOST[:GUEST]] [--watchdog] [-- QEMU-ARGS...]
# --admin-port: also forward host port HOST to the guest's admin API (GUEST,
# default 9443); only when asked, so that parallel boots do not collide.
# --watchdog: an i6300esb watchdog (PCI), whose expiry resets the machine
# (docs/update.md). Reboots stay in this QEMU (no -no-reboot): a trial
# update and its fallback run in one process, with the disk kept.
# --rtc BASE: the guest's real-time clock starts at BASE (QEMU -rtc base=,
# e.g. 2001-01-01), for tests of the clock being set.
# --persist: the disk's writes are kept (make run's working copy); without
# it they go to a temporary snapshot. Arguments after -- go to QEMU as
# they are (a second disk, another controller).
# --net isolated: the network card is there but its cable leads nowhere
# (a QEMU hub with no other port): no DHCP server, no forwarded port.
# --net tap:IFNAME: the card on an existing tap device (a test network in a
# namespace, with a bridge and servers of its own); no forwarded port.
# A disk's format is qcow2 when its name ends in .qcow2, raw otherwise.
set -eu

disk='' cdrom='' kernel='' initrd='' append='' port=8080 accel=${ACCEL:-auto} mem=128M admin=
serial='' qmp='' cpus=1 firmware=uefi arch=amd64 net=user rtc='' snapshot=,snapshot=on
watchdog=''
while [ $# -gt 0 ]; do
	case $1 in
	--disk) disk=$2; shift 2 ;;
	--cdrom) cdrom=$2; shift 2 ;;
	--firmware) firmware=$2; shift 2 ;;
	--kernel) kernel=$2; shift 2 ;;
	--initrd) initrd=$2; shift 2 ;;
	--append) append=$2; shift 2 ;;
	--port) port=$2; shift 2 ;;
	--accel) accel=$2; shift 2 ;;
	--mem) mem=$2; shift 2 ;;
	--serial) serial=$2; shift 2 ;;
	--qmp) qmp=$2; shift 2 ;;
	--cpus) cpus=$2; shift 2 ;;
	--arch) arch=$2; shift 2 ;;
	--net) net=$2; shift 2 ;;
	--rtc) rtc=$2; shift 2 ;;
	--persist) snapshot=; shift ;;
	--admin-port) admin=$2; shift 2 ;;
	--watchdog) watchdog=1; shift ;;
	--) shift; break ;;
	*) echo "qemu.sh: unknown option '$1' (see the usage at the top of scripts/qemu.sh)" >&2; exit 2 ;;
	esac
done

case $port in
''|*[!0-9]*) echo "qemu.sh: PORT must be a number (got '$port')" >&2; exit 2 ;;
esac
admin_fwd=''
case $admin in
'') ;;
*[!0-9:]* | :* | *: | *:*:*)
	echo "qemu.sh: --admin-port takes HOST or HOST:GUEST port numbers (got '$admin')" >&2; exit 2 ;;
*:*) admin_fwd=",hostfwd=tcp::${admin%%:*}-:${admin#*:}" ;;
*) admin_fwd=",hostfwd=tcp::$admin-:9443" ;;
esac

case $arch in
amd64)
	qemu=qemu-system-x86_64 machine=q35
	code=/usr/share/OVMF/OVMF_CODE.fd vars=/usr/share/OVMF/OVMF_VARS.fd fwpkg=ovmf
	accel=$(sh "$(dirname "$0")/accel.sh" "$accel")
	case $accel in
	kvm) accel_args="-accel kvm -cpu host" ;;
	tcg) accel_args="-accel tcg -cpu max" ;;
	esac ;;
arm64)
	# -M virt: GIC, PL011 UART, ECAM PCI; with firmware, QEMU gives the
	# guest ACPI tables and the power button as an ACPI GED event.
	# Cortex-A57 emulates faster under TCG than -cpu max (no pointer
	# authentication to emulate). QEMU 7.2 cannot load an EFI zboot
	# kernel without firmware, and virt has no IDE for the ISO.
	[ -n "$disk" ] && [ "$firmware" = uefi ] || {
		echo "qemu.sh: arm64 boots only the disk image under UEFI (make run ARCH=arm64)" >&2; exit 2; }
	qemu=qemu-system-aarch64 machine=virt
	code=/usr/share/AAVMF/AAVMF_CODE.fd vars=/usr/share/AAVMF/AAVMF_VARS.fd fwpkg=qemu-efi-aarch64
	if [ "$accel" = kvm ] || { [ "$accel" = auto ] && [ "$(uname -m)" = aarch64 ] && [ -w /dev/kvm ]; }; then
		accel=kvm accel_args="-accel kvm -cpu host"
	else
		accel=tcg accel_args="-accel tcg -cpu cortex-a57"
	fi ;;
*) echo "qemu.sh: --arch must be amd64 or arm64 (got '$arch')" >&2; exit 2 ;;
esac

case $net in
user) netdev="user,id=net0,hostfwd=tcp::$port-:8080$admin_fwd" ;;
isolated) netdev="hubport,id=net0,hubid=0" ;;
tap:?*) netdev="tap,id=net0,ifname=${net#tap:},script=no,downscript=no" ;;
*) echo "qemu.sh: --net must be user, isolated or tap:IFNAME (got '$net')" >&2; exit 2 ;;
esac

# shellcheck disable=SC2086 # accel_args is several words
set -- -M "$machine" $accel_args -smp "$cpus" -m "$mem" -no-user-config -nodefaults \
	-display none \
	-netdev "$netdev" \
	-device virtio-net-pci,netdev=net0,romfile= \
	-object rng-random,id=rng0,filename=/dev/urandom \
	-device virtio-rng-pci,rng=rng0 "$@"

case $firmware in
uefi|bios) ;;
*) echo "qemu.sh: --firmware must be uefi or bios (got '$firmware')" >&2; exit 2 ;;
esac

if [ -n "$disk$cdrom" ] && [ "$firmware" = uefi ]; then
	[ -r "$code" ] || { echo "qemu.sh: $code missing; run scripts/deps.sh (package $fwpkg)" >&2; exit 1; }
	# A fresh copy of the UEFI variable store for every boot.
	varcopy=$(mktemp /tmp/minilinux-vars.XXXXXX)
	trap 'rm -f "$varcopy"' EXIT
	trap 'exit 143' TERM INT
	cp "$vars" "$varcopy"
	set -- "$@" -drive "if=pflash,format=raw,unit=0,readonly=on,file=$code" \
		-drive "if=pflash,format=raw,unit=1,file=$varcopy"
fi
# With no -bios and no pflash, QEMU boots SeaBIOS, its default firmware.

if [ -n "$disk" ]; then
	[ -r "$disk" ] || { echo "qemu.sh: $disk not found; run 'make image' (or iso, qcow2)" >&2; exit 1; }
	case $disk in *.qcow2) fmt=qcow2 ;; *) fmt=raw ;; esac
	set -- "$@" -drive "if=virtio,format=$fmt,file=$disk$snapshot"
elif [ -n "$cdrom" ]; then
	[ -r "$cdrom" ] || { echo "qemu.sh: $cdrom not found; run 'make iso'" >&2; exit 1; }
	set -- "$@" -drive "if=none,id=cd0,media=cdrom,format=raw,readonly=on,file=$cdrom" \
		-device ide-cd,drive=cd0,bootindex=0
elif [ -n "$kernel" ]; then
	if [ ! -r "$kernel" ] || [ ! -r "$initrd" ]; then
		echo "qemu.sh: kernel or initrd not found; run 'make kernel initramfs'" >&2
		exit 1
	fi
	set -- "$@" -kernel "$kernel" -initrd "$initrd" -append "$append"
else
	echo "qemu.sh: give --disk IMG, --cdrom ISO or --kernel K --initrd I" >&2
	exit 2
fi

[ -z "$qmp" ] || set -- "$@" -qmp "unix:$qmp,server=on,wait=off"
[ -z "$rtc" ] || set -- "$@" -rtc "base=$rtc"
[ -z "$watchdog" ] || set -- "$@" -device i6300esb -action watchdog=reset

if [ -n "$serial" ]; then
	set -- "$@" -serial "file:$serial"
else
	set -- "$@" -serial mon:stdio
	echo ":: QEMU ($accel): guest port 8080 on localhost:$port; press Ctrl-A then X to quit" >&2
	[ -z "$admin_fwd" ] || echo ":: QEMU: the admin API on https://localhost:${admin%%:*}/" >&2
fi

set +e
$qemu "$@"
rc=$?
exit $rc
