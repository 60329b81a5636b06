#!/bin/bash
# Benchmark the built-in HTTP server against nginx on loopback.
#
# Both servers are pinned to the same single core (SERVER_CPU) and wrk to
# another (CLIENT_CPU); runs alternate between the servers, ROUNDS times,
# with keep-alive and with "Connection: close". Prints a markdown table of
# median requests/s and p99 latency, and writes it to OUT if given. It also
# reports the server's CPU time per request (user + system, from
# /proc/PID/stat), which a noisy neighbour on a shared host disturbs far
# less than requests/s.
#
# Usage: bench/http.sh [OUT.md]
# Env:   DURATION=10 ROUNDS=3 CONNS=64 SERVER_CPU=0 CLIENT_CPU=1 INIT=out/init
set -eu

out=${1:-}
duration=${DURATION:-10}
rounds=${ROUNDS:-3}
conns=${CONNS:-64}
server_cpu=${SERVER_CPU:-0}
client_cpu=${CLIENT_CPU:-1}
init=${INIT:-out/init}
here=$(cd "$(dirname "$0")" && pwd)

die() { echo "bench/http.sh: $*" >&2; exit 1; }

for tool in wrk nginx taskset curl; do
	command -v "$tool" >/dev/null 2>&1 ||
		PATH=$PATH:/usr/sbin command -v "$tool" >/dev/null 2>&1 ||
		die "$tool is missing; run: sh scripts/deps.sh all"
done
PATH=$PATH:/usr/sbin
[ -x "$init" ] || die "$init is missing; run: make init"
[ "$(nproc)" -ge 2 ] || die "needs 2 CPUs (server on one, wrk on another)"

free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

dir=$(mktemp -d)
ours_pid=
nginx_pid=
cleanup() {
	[ -z "$ours_pid" ] || kill "$ours_pid" 2>/dev/null || true
	[ -z "$nginx_pid" ] || kill "$nginx_pid" 2>/dev/null || true
	wait 2>/dev/null || true
	rm -rf "$dir"
}
trap cleanup EXIT INT TERM

ours_port=$(free_port)
nginx_port=$(free_port)
sed -e "s|@PORT@|$nginx_port|g" -e "s|@DIR@|$dir|g" "$here/nginx.conf" >"$dir/nginx.conf"

taskset -c "$server_cpu" "$init" httpd --port "$ours_port" 2>"$dir/ours.log" &
ours_pid=$!
taskset -c "$server_cpu" nginx -c "$dir/nginx.conf" -p "$dir" 2>"$dir/nginx.log" &
nginx_pid=$!

wait_up() {
	i=0
	until curl -sf -o /dev/null "http://127.0.0.1:$1/"; do
		i=$((i + 1))
		[ "$i" -lt 50 ] || die "server on port $1 did not answer; see $2"
		sleep 0.1
	done
}
wait_up "$ours_port" "$dir/ours.log"
wait_up "$nginx_port" "$dir/nginx.log"
body=$(curl -s "http://127.0.0.1:$nginx_port/")
[ "$body" = "$(curl -s "http://127.0.0.1:$ours_port/")" ] ||
	die "the two servers do not return the same body"

# The processes that serve: ours (one worker, no parent, since it sees one
# CPU), and the nginx master with its worker.
nginx_pids=$nginx_pid
for _ in 1 2 3 4 5 6 7 8 9 10; do
	w=$(pgrep -P "$nginx_pid" || true)
	[ -z "$w" ] || break
	sleep 0.1
done
nginx_pids="$nginx_pids $w"

# cpu_ticks PID... -> utime + stime summed, in clock ticks
cpu_ticks() {
	t=0
	for p in "$@"; do
		t=$((t + $(awk '{ print $14 + $15 }' "/proc/$p/stat")))
	done
	echo "$t"
}
hz=$(getconf CLK_TCK)

# run_wrk PORT MODE PID... -> "REQ_PER_S P99_US CPU_NS_PER_REQ FLAG" on stdout
run_wrk() {
	port=$1 mode=$2
	shift 2
	t0=$(cpu_ticks "$@")
	hdr=()
	[ "$mode" = close ] && hdr=(-H "Connection: close")
	taskset -c "$client_cpu" wrk -t1 -c"$conns" -d"${duration}s" --latency \
		"${hdr[@]}" "http://127.0.0.1:$port/" >"$dir/wrk.out" 2>&1 ||
		die "wrk failed: $(cat "$dir/wrk.out")"
	t1=$(cpu_ticks "$@")
	awk -v ticks=$((t1 - t0)) -v hz="$hz" '
		/requests in/ { n = $1 }
		/Requests\/sec:/ { rps = $2 }
		$1 == "99%" {
			v = $2
			if (v ~ /us$/) { sub(/us$/, "", v); p = v }
			else if (v ~ /ms$/) { sub(/ms$/, "", v); p = v * 1000 }
			else if (v ~ /s$/) { sub(/s$/, "", v); p = v * 1000000 }
		}
		/Non-2xx|Socket errors/ { err = err $0 " " }
		END { printf "%.0f %.0f %.0f %s\n", rps, p, ticks * 1e9 / hz / (n ? n : 1),
		      (err == "" ? "-" : "E") }
	' "$dir/wrk.out"
}

median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

: >"$dir/results"
for r in $(seq 1 "$rounds"); do
	for mode in keepalive close; do
		# Alternate which server goes first, so neither always runs warm.
		if [ $((r % 2)) -eq 1 ]; then order="minilinux nginx"; else order="nginx minilinux"; fi
		for s in $order; do
			if [ "$s" = minilinux ]; then
				# shellcheck disable=SC2086 # a list of pids
				res=$(run_wrk "$ours_port" "$mode" $ours_pid)
			else
				# shellcheck disable=SC2086
				res=$(run_wrk "$nginx_port" "$mode" $nginx_pids)
			fi
			echo "round $r $mode $s: $res" >&2
			echo "$mode $s $res" >>"$dir/results"
		done
	done
done

col() { awk -v m="$1" -v s="$2" -v c="$3" '$1 == m && $2 == s { print $c }' "$dir/results" | median; }

{
	echo "| mode | server | requests/s | p99 latency | server CPU per request | req/s ours/nginx | p99 ours/nginx | CPU/req ours/nginx |"
	echo "|---|---|---:|---:|---:|---:|---:|---:|"
	for mode in keepalive close; do
		or=$(col "$mode" minilinux 3); op=$(col "$mode" minilinux 4); oc=$(col "$mode" minilinux 5)
		nr=$(col "$mode" nginx 3); np=$(col "$mode" nginx 4); nc=$(col "$mode" nginx 5)
		ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2fx", (b ? a / b : 0) }'; }
		echo "| $mode | minilinux | $or | ${op} us | ${oc} ns | $(ratio "$or" "$nr") | $(ratio "$op" "$np") | $(ratio "$oc" "$nc") |"
		echo "| $mode | nginx | $nr | ${np} us | ${nc} ns | | | |"
	done
	echo
	echo "Medians of $rounds interleaved rounds of ${duration} s each; wrk -t1 -c$conns on CPU $client_cpu;"
	echo "both servers pinned to CPU $server_cpu (minilinux: one worker; nginx: one worker, \`return 200\`)."
	echo "Host: $(uname -sr), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'),"
	echo "$(nginx -v 2>&1 | sed 's/^nginx version: //'), $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2), $(date -u +%Y-%m-%d)."
	if grep -q ' E$' "$dir/results"; then
		echo "Note: some runs reported socket errors or non-2xx answers."
	fi
} >"$dir/table"
cat "$dir/table"
[ -z "$out" ] || cp "$dir/table" "$out"
