#!/bin/sh
# Make the data partition's seed: a small ext4 file system, with journal,
# made by e2fsprogs' mke2fs (no root needed: it writes a file), which
# /init writes into a new data partition at first boot and the kernel then
# grows online to fill it (docs/storage.md).
#
# Stored sparse: most of a new file system is zeros (inode tables, the
# journal), which /init writes with BLKZEROOUT instead of carrying them.
# The format (all numbers little-endian u32):
#   "MLSEED01", block size, blocks in the file system, extent count N,
#   N x (first block, block count), then the extents' blocks in order.
# Reproducible: the UUID and the directory hash seed come from this
# script and image/mke2fs.conf, every time stamp is SOURCE_DATE_EPOCH.
#
# Usage: image/seed.sh OUTPUT
set -eu

output=$1
here=$(dirname "$0")
# 32 MiB, one block group of 8192 4 KiB blocks, an 8 MiB journal (what
# mke2fs gives a file system of 128 MiB to 1 GiB would be 16-32 MiB; the
# journal does not grow with the file system) and 8192 inodes: inodes
# per group are fixed at mke2fs time, and 8192 per 128 MiB group is
# mke2fs's usual one per 16 KiB once the file system has grown.
blocks=8192
inodes=8192
journal_mib=8
command -v mke2fs >/dev/null 2>&1 || command -v /sbin/mke2fs >/dev/null 2>&1 || {
	echo "seed.sh: mke2fs not found; run scripts/deps.sh (package e2fsprogs)" >&2; exit 1; }
PATH=$PATH:/sbin:/usr/sbin

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

sum=$(cat "$0" "$here/mke2fs.conf" | sha256sum | cut -c1-32)
uuid=$(echo "$sum" | sed -E 's/^(.{8})(.{4}).(.{3}).(.{3})(.{12})$/\1-\2-4\3-8\4-\5/')
export MKE2FS_CONFIG="$here/mke2fs.conf"
export E2FSPROGS_FAKE_TIME="${SOURCE_DATE_EPOCH:-0}"
truncate -s $((blocks * 4096)) "$tmp/seed.ext4"
mke2fs -q -F -t ext4 -b 4096 -N "$inodes" -m 0 -J size="$journal_mib" -L minilinux-data \
	-U "$uuid" -E "root_owner=0:0,hash_seed=$uuid,nodiscard" "$tmp/seed.ext4" "$blocks"
e2fsck -fn "$tmp/seed.ext4" >/dev/null 2>&1 || {
	echo "seed.sh: e2fsck does not accept the new file system" >&2; exit 1; }

# The non-zero blocks, as extents: cmp -l lists every byte that differs
# from /dev/zero (1-based offsets) and stops at the file's end.
cmp -l "$tmp/seed.ext4" /dev/zero 2>/dev/null |
	awk 'BEGIN { last = -1 } { b = int(($1 - 1) / 4096); if (b != last) print b; last = b }' |
	awk 'BEGIN { s = -1 }
	     { if (s >= 0 && $1 == s + n) { n++ } else { if (s >= 0) print s, n; s = $1; n = 1 } }
	     END { if (s >= 0) print s, n }' > "$tmp/extents"

# shellcheck disable=SC2059 # the format is the four octal escapes
le32() {
	printf "$(printf '\\%03o\\%03o\\%03o\\%03o' $(($1 & 255)) $(($1 >> 8 & 255)) \
		$(($1 >> 16 & 255)) $(($1 >> 24 & 255)))"
}
{
	printf 'MLSEED01'
	le32 4096
	le32 "$blocks"
	le32 "$(wc -l < "$tmp/extents")"
	while read -r start count; do
		le32 "$start"
		le32 "$count"
	done < "$tmp/extents"
	while read -r start count; do
		dd if="$tmp/seed.ext4" bs=4096 skip="$start" count="$count" status=none
	done < "$tmp/extents"
} > "$tmp/seed"
mv "$tmp/seed" "$output"
echo ":: Data seed: $output ($(stat -c %s "$output") bytes: ext4 of $((blocks * 4)) KiB, $(awk '{ n += $2 } END { print n }' "$tmp/extents") non-zero blocks)"
