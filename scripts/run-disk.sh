#!/bin/sh
# make run's working copy of the disk image: the image grown (sparse) to
# a size with room for the data partition, kept across runs so that data
# survives. A rebuilt image refreshes the working copy's system partition
# (the ESP) and leaves its data partition alone (docs/storage.md).
#
# Usage: scripts/run-disk.sh IMAGE WORKING-COPY SIZE [fresh]
#   SIZE as truncate(1) takes it (1G); the working copy never shrinks.
#   fresh: start again from the image (the data is lost).
set -eu

image=$1 work=$2 size=$3 fresh=${4:-}

[ -r "$image" ] || { echo "run-disk.sh: $image missing; run 'make image'" >&2; exit 1; }
bytes=$(numfmt --from=iec "$size" 2>/dev/null) || {
	echo "run-disk.sh: RUN_DISK=$size is not a size (use e.g. 1G or 512M)" >&2; exit 2; }

# part FILE N: "start size" of partition N, in sectors, or nothing.
part() {
	sfdisk -d "$1" 2>/dev/null | sed -n "s|^$1$2 : start= *\([0-9]*\), size= *\([0-9]*\).*|\1 \2|p"
}

mkdir -p "$(dirname "$work")"
if [ -n "$fresh" ] || [ ! -f "$work" ]; then
	cp --sparse=always "$image" "$work.tmp"
	[ "$(stat -c %s "$work.tmp")" -ge "$bytes" ] || truncate -s "$bytes" "$work.tmp"
	mv "$work.tmp" "$work"
	echo ":: Working copy: $work ($size, new: the data partition is made at first boot)"
	exit 0
fi

# The system partition: the new image's ESP into the working copy's,
# when it fits before the data partition.
# shellcheck disable=SC2046 # two numbers
set -- $(part "$image" 1) $(part "$work" 1) $(part "$work" 2)
[ $# -ge 4 ] || { echo "run-disk.sh: $work has no system partition; make run-fresh starts again" >&2; exit 1; }
new_start=$1 new_size=$2 old_start=$3 old_size=$4 data_start=${5:-}
if [ "$new_start" != "$old_start" ] ||
	{ [ -n "$data_start" ] && [ $((new_start + new_size)) -gt "$data_start" ]; }; then
	echo "run-disk.sh: the new system partition ($((new_size / 2)) KiB) does not fit in $work" >&2
	echo "  before its data partition; 'make run-fresh' starts again (the data is lost)" >&2
	exit 1
fi
if [ "$new_size" != "$old_size" ]; then
	echo ",$new_size" | sfdisk --quiet --no-reread --no-tell-kernel -N 1 "$work" >/dev/null
fi
dd if="$image" of="$work" bs=512 skip="$new_start" seek="$new_start" count="$new_size" \
	conv=notrunc,sparse status=none
# The MBR's boot code (GRUB's, for BIOS, or none): its first 440 bytes,
# before the disk signature and the partition table.
dd if="$image" of="$work" bs=440 count=1 conv=notrunc status=none
[ "$(stat -c %s "$work")" -ge "$bytes" ] || truncate -s "$bytes" "$work"
echo ":: Working copy: $work (system partition refreshed from $image; data kept)"
