#!/bin/sh
# Make the update bundle: header + signature + UKI (docs/update.md). The
# signature is ECDSA P-256 over the SHA-256 of the header, by KEYS/update.key
# (openssl); the header holds the UKI's SHA-256. openssl writes the
# signature in DER: it is stored raw, r || s, 32 bytes each.
#
# The header's epoch (docs/update.md) is UPDATE_EPOCH, else
# SOURCE_DATE_EPOCH: an appliance refuses a bundle older than what it runs.
#
# Usage: image/bundle.sh ARCH VERSION UKI KEY SLOT_SIZE OUTPUT
# Env:   UPDATE_EPOCH, SOURCE_DATE_EPOCH
set -eu

arch=$1 version=$2 uki=$3 key=$4 slot=$5 output=$6
epoch=${UPDATE_EPOCH:-${SOURCE_DATE_EPOCH:-0}}
case $epoch in
'' | *[!0-9]*) echo "bundle.sh: UPDATE_EPOCH='$epoch' is not a number of seconds since 1970" >&2; exit 2 ;;
esac

[ -r "$uki" ] || { echo "bundle.sh: $uki not found; run 'make uki'" >&2; exit 1; }
[ -r "$key" ] || { echo "bundle.sh: $key missing; run 'make keys'" >&2; exit 1; }
size=$(stat -c %s "$uki")
[ "$size" -le "$slot" ] || {
	echo "bundle.sh: the UKI ($size bytes) is larger than a slot (SLOT_SIZE=$slot): raise SLOT_SIZE" >&2
	exit 1
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

python3 - "$arch" "$version" "$uki" "$tmp/header" "$epoch" <<'EOT'
import hashlib, struct, sys
arch, version, uki, out, epoch = sys.argv[1:6]
data = open(uki, "rb").read()
h = b"MLUPDATE" + struct.pack("<IIQ", 1, 160, len(data))
h += arch.encode().ljust(16, b"\0") + version.encode().ljust(64, b"\0")
h += hashlib.sha256(data).digest() + struct.pack("<Q", int(epoch)) + b"\0" * 16
assert len(h) == 160
open(out, "wb").write(h)
EOT
openssl dgst -sha256 -sign "$key" -out "$tmp/sig.der" "$tmp/header"
# DER: SEQUENCE { INTEGER r, INTEGER s } -> r || s, each 32 bytes.
python3 - "$tmp/sig.der" "$tmp/sig" <<'EOT'
import sys
d = open(sys.argv[1], "rb").read()
def der_len(b, i):
    n = b[i]
    if n < 0x80:
        return n, i + 1
    k = n & 0x7f
    return int.from_bytes(b[i + 1:i + 1 + k], "big"), i + 1 + k
assert d[0] == 0x30
_, i = der_len(d, 1)
out = b""
for _ in range(2):
    assert d[i] == 0x02
    n, i = der_len(d, i + 1)
    v = int.from_bytes(d[i:i + n], "big")
    out += v.to_bytes(32, "big")
    i += n
open(sys.argv[2], "wb").write(out)
EOT
cat "$tmp/header" "$tmp/sig" "$uki" > "$tmp/bundle"
mv "$tmp/bundle" "$output"
echo ":: Update bundle: $output ($(stat -c %s "$output") bytes, version $version, epoch $epoch)"
