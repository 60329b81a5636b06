#!/bin/sh
# The system files the initramfs carries besides /init and the services:
# /etc/minilinux/version; update.pub, the update key's public point (65
# raw bytes, 04 || X || Y, for BearSSL) and slot-size, the largest UKI a
# slot takes, and epoch, the build's UPDATE_EPOCH (docs/update.md); the admin role adds its keys material here. Writes AOUT/system.list (gen_init_cpio lines) and the files
# it names under AOUT/system/, rewriting only what changed so that make
# rebuilds the initramfs only then.
# Usage: image/system.sh AOUT VERSION KEYS [SLOT_SIZE]
set -eu

aout=$1
version=$2
keys=$3
slot_size=${4:-0}

# A version is what `git describe` prints or what VERSION= says: it goes on
# the console, into JSON and into update bundles, so only a safe alphabet.
case $version in
'' | *[!A-Za-z0-9._+~-]*)
	echo "system.sh: VERSION='$version' is not a version: use 1 to 64 of A-Z a-z 0-9 . _ + ~ -" >&2
	exit 2 ;;
esac
[ "${#version}" -le 64 ] || {
	echo "system.sh: VERSION is ${#version} characters long; at most 64" >&2; exit 2; }
[ -d "$keys" ] || { echo "system.sh: keys directory $keys missing (make makes it)" >&2; exit 1; }

mkdir -p "$aout/system"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# put NAME: install $tmp/NAME as $aout/system/NAME if it differs (and
# then system.list too, which the initramfs depends on).
changed=
put() {
	cmp -s "$tmp/$1" "$aout/system/$1" 2>/dev/null || { cp "$tmp/$1" "$aout/system/$1"; changed=1; }
}

printf '%s\n' "$version" > "$tmp/version"
put version
# The SubjectPublicKeyInfo of a P-256 key ends in its 65-byte point.
openssl pkey -pubin -in "$keys/update.pub" -outform DER 2>/dev/null | tail -c 65 > "$tmp/update.pub"
[ "$(od -An -tx1 -N1 "$tmp/update.pub" | tr -d ' ')" = 04 ] || {
	echo "system.sh: $keys/update.pub is not an EC P-256 public key" >&2; exit 1; }
put update.pub
printf '%s\n' "$slot_size" > "$tmp/slot-size"
put slot-size
# The epoch of this version: no bundle older than it is taken.
epoch=${UPDATE_EPOCH:-${SOURCE_DATE_EPOCH:-0}}
case $epoch in
'' | *[!0-9]*) echo "system.sh: UPDATE_EPOCH='$epoch' is not a number of seconds since 1970" >&2; exit 2 ;;
esac
printf '%s\n' "$epoch" > "$tmp/epoch"
put epoch

# The admin API (docs/admin.md), unless ADMIN=no: its certificate and key
# as DER (what BearSSL reads), and a salted SHA-256 of the password, never
# the password. The salt is a hash of the certificate: the same keys give
# the same bytes (reproducible), other keys another salt. Key and hash are
# readable by the admin role's group (102) alone.
admin=${ADMIN:-yes}
if [ "$admin" = yes ]; then
	for f in admin.crt admin.key admin-password; do
		[ -s "$keys/$f" ] || { echo "system.sh: $keys/$f missing (run: make keys)" >&2; exit 1; }
	done
	openssl x509 -in "$keys/admin.crt" -outform DER -out "$tmp/admin-cert.der"
	openssl ec -in "$keys/admin.key" -outform DER -out "$tmp/admin-key.der" 2>/dev/null
	salt=$(openssl dgst -sha256 -r "$tmp/admin-cert.der" | cut -c1-32)
	hash=$( { printf '%s:' "$salt"; tr -d '\n' < "$keys/admin-password"; } |
		openssl dgst -sha256 -r | cut -c1-64)
	printf '%s %s\n' "$salt" "$hash" > "$tmp/admin-password.hash"
	for f in admin-cert.der admin-key.der admin-password.hash; do
		chmod 0600 "$tmp/$f"
		put "$f"
	done
fi
top=$(cd "$aout/system" && pwd)
{
	echo "dir /etc/minilinux 0755 0 0"
	echo "file /etc/minilinux/version $top/version 0644 0 0"
	echo "file /etc/minilinux/update.pub $top/update.pub 0644 0 0"
	echo "file /etc/minilinux/slot-size $top/slot-size 0644 0 0"
	echo "file /etc/minilinux/epoch $top/epoch 0644 0 0"
	if [ "$admin" = yes ]; then
		echo "dir /etc/minilinux/admin 0750 0 102"
		echo "file /etc/minilinux/admin/cert.der $top/admin-cert.der 0644 0 102"
		echo "file /etc/minilinux/admin/key.der $top/admin-key.der 0440 0 102"
		echo "file /etc/minilinux/admin/password.hash $top/admin-password.hash 0440 0 102"
	fi
} > "$tmp/system.list"
[ -z "$changed" ] && cmp -s "$tmp/system.list" "$aout/system.list" 2>/dev/null ||
	cp "$tmp/system.list" "$aout/system.list"
