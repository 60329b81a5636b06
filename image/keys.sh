#!/bin/sh
# The keys directory: made on the first build, reused by every later one.
# Usage: image/keys.sh DIR
#   admin-password      random, 128 bits from the kernel's RNG (hex)
#   admin.key/admin.crt the admin API's self-signed ECDSA P-256 certificate
#   update.key/update.pub the update bundles' ECDSA P-256 signing pair
# Only what is missing is made; nothing here is ever overwritten. The
# directory is private (0700, files 0600 except the certificate and the
# public key) and must stay out of git.
set -eu

dir=${1:?usage: image/keys.sh DIR}
command -v openssl >/dev/null || {
	echo "keys.sh: openssl is missing; run: make deps" >&2; exit 1; }

umask 077
if [ ! -d "$dir" ]; then
	mkdir -p "$dir"
	made=yes
fi
chmod 0700 "$dir"

new() { echo ":: keys: made $dir/$1"; }

# p256_key NAME DEPENDENT: a new P-256 private key NAME unless there is one;
# a new key makes the file DEPENDENT (derived from the old key) go.
p256_key() {
	[ ! -s "$dir/$1" ] || return 0
	openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 \
		-out "$dir/$1.tmp" 2>/dev/null
	mv "$dir/$1.tmp" "$dir/$1"
	rm -f "$dir/$2"
	new "$1"
}

if [ ! -s "$dir/admin-password" ]; then
	# 16 bytes from /dev/urandom as 32 hex digits: typed and quoted easily.
	od -An -tx1 -N16 /dev/urandom | tr -d ' \n' > "$dir/admin-password.tmp"
	[ "$(wc -c < "$dir/admin-password.tmp")" -eq 32 ] || {
		echo "keys.sh: could not read 16 bytes from /dev/urandom" >&2; exit 1; }
	mv "$dir/admin-password.tmp" "$dir/admin-password"
	new admin-password
fi

p256_key admin.key admin.crt
if [ ! -s "$dir/admin.crt" ]; then
	openssl req -new -x509 -key "$dir/admin.key" -sha256 -days 3650 \
		-subj "/CN=minilinux" \
		-addext "subjectAltName=DNS:minilinux,DNS:localhost,IP:127.0.0.1,IP:::1" \
		-addext "basicConstraints=critical,CA:FALSE" \
		-addext "keyUsage=critical,digitalSignature" \
		-addext "extendedKeyUsage=serverAuth" \
		-out "$dir/admin.crt.tmp"
	chmod 0644 "$dir/admin.crt.tmp"
	mv "$dir/admin.crt.tmp" "$dir/admin.crt"
	new admin.crt
fi

p256_key update.key update.pub
if [ ! -s "$dir/update.pub" ]; then
	openssl pkey -in "$dir/update.key" -pubout -out "$dir/update.pub.tmp" 2>/dev/null
	chmod 0644 "$dir/update.pub.tmp"
	mv "$dir/update.pub.tmp" "$dir/update.pub"
	new update.pub
fi

if [ "${made:-}" = yes ]; then
	echo ":: keys: $dir is new. Keep it private and backed up: it holds the admin"
	echo "   password and the key that signs updates (a lost update.key means"
	echo "   the machines built with it take no more updates)."
fi
