#!/bin/sh
# make push: upload an update bundle to a running appliance's admin API,
# reboot it into the trial, and wait until the new version is committed
# or rolled back (docs/update.md). Exits 0 on a commit, 1 on a rollback
# or an error, 2 on bad usage.
#
# Usage: scripts/push.sh HOST PORT KEYS BUNDLE
# Env:   PUSH_TIMEOUT=seconds to wait for the outcome (default 600)
#        PUSH_WAIT=seconds to wait for the admin API before the upload
#        (default 60: an appliance still booting)
# The admin certificate names "minilinux": curl is told that this name is
# HOST, so any address works with the certificate as made.
set -eu

host=${1:?usage: scripts/push.sh HOST PORT KEYS BUNDLE}
port=${2:?usage: scripts/push.sh HOST PORT KEYS BUNDLE}
keys=${3:?usage: scripts/push.sh HOST PORT KEYS BUNDLE}
bundle=${4:?usage: scripts/push.sh HOST PORT KEYS BUNDLE}
timeout=${PUSH_TIMEOUT:-600}
wait_api=${PUSH_WAIT:-60}

command -v curl >/dev/null || { echo "push.sh: curl is missing; run: make deps" >&2; exit 1; }
[ -r "$bundle" ] || { echo "push.sh: $bundle not found; run: make image" >&2; exit 1; }
if [ ! -r "$keys/admin.crt" ] || [ ! -r "$keys/admin-password" ]; then
	echo "push.sh: $keys/admin.crt or $keys/admin-password missing (the keys the image was built with)" >&2
	exit 1
fi

# The version, from the bundle's header (bytes 40..103, NUL-padded).
new=$(dd if="$bundle" bs=1 skip=40 count=64 status=none | tr -d '\000')
[ -n "$new" ] || { echo "push.sh: $bundle is not an update bundle" >&2; exit 1; }

base=https://minilinux:$port
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# The password goes to curl in a config file, not on its command line.
printf 'user = "admin:%s"\n' "$(cat "$keys/admin-password")" > "$tmp/auth"
chmod 600 "$tmp/auth"

api() { # METHOD PATH [curl args...]: the body in $tmp/body, the status printed
	m=$1 p=$2; shift 2
	curl -sS --max-time 120 --connect-to "minilinux:$port:$host:$port" --cacert "$keys/admin.crt" \
		-K "$tmp/auth" -X "$m" -o "$tmp/body" -w '%{http_code}' "$@" "$base$p"
}
# field NAME: update.NAME from the status JSON in $tmp/body ("" if none).
field() {
	python3 -c 'import json,sys
try:
    u = json.load(open(sys.argv[1])).get("update") or {}
except ValueError:
    u = {}
print(u.get(sys.argv[2], ""))' "$tmp/body" "$1"
}
now() { date +%s; }

# The admin API first: the appliance may still be booting. A wrong
# password is said at once (no point in waiting for it).
start=$(now)
old= said=
while :; do
	code=$(api GET /api/status 2>/dev/null) || code=000
	case $code in
	200) old=$(field version); break ;;
	401) echo "push.sh: 401 from $host:$port: $keys/admin-password is not this appliance's (built with other keys?)" >&2
		exit 1 ;;
	429) echo "push.sh: 429 from $host:$port: too many failed logins from this address; wait a minute, and check $keys/admin-password" >&2
		exit 1 ;;
	esac
	if [ $(( $(now) - start )) -ge "$wait_api" ]; then
		echo "push.sh: no admin API on $host:$port within $wait_api s (is the appliance up? ADMIN_PORT? PUSH_WAIT)" >&2
		exit 1
	fi
	[ -n "$said" ] || { echo ":: push: waiting for the admin API on $host:$port"; said=1; }
	sleep 1
done
echo ":: push: $bundle ($(stat -c %s "$bundle") bytes, version $new) to $host:$port${old:+ (running $old)}"
code=$(api PUT /api/update -H 'Content-Type: application/octet-stream' --data-binary "@$bundle") || {
	echo "push.sh: upload failed (is the appliance up on $host:$port?)" >&2; exit 1; }
if [ "$code" != 200 ]; then
	echo ":: push: refused: $code $(head -c 300 "$tmp/body")" >&2
	exit 1
fi
echo ":: push: staged: $(head -c 200 "$tmp/body") ($(( $(now) - start )) s)"
code=$(api POST /api/reboot 2>/dev/null) || code=000
if [ "$code" = 200 ]; then
	echo ":: push: reboot requested; waiting for $new to be committed or rolled back"
else
	# The answer may be lost when the appliance goes down first.
	echo ":: push: reboot requested (answer $code: it may have gone down before answering); waiting for $new"
fi

seen=
while [ $(( $(now) - start )) -lt "$timeout" ]; do
	sleep 2
	code=$(api GET /api/status 2>/dev/null) || continue
	[ "$code" = 200 ] || continue
	v=$(field version) state=$(field state)
	if [ "$v" = "$new" ] && [ -z "$seen" ]; then
		seen=1
		echo ":: push: $new is serving, $state ($(( $(now) - start )) s)"
	fi
	if [ "$v" = "$new" ] && [ "$state" = good ]; then
		echo ":: push: $new committed ($(( $(now) - start )) s after the upload began)"
		exit 0
	fi
	if [ "$v" != "$new" ] && [ -n "$v" ] && field last_failure | grep -q "^$new:"; then
		echo ":: push: ROLLED BACK to $v: $(field last_failure)" >&2
		exit 1
	fi
done
echo "push.sh: no outcome within $timeout s (PUSH_TIMEOUT)" >&2
exit 1
