#!/bin/sh
# The benchmark suite behind `make bench`: boot times (direct and UEFI, and
# a trivial /init as the lower bound), memory floor, the boot timeline
# picture, image sizes and the HTTP benchmark; writes BENCHMARKS.md.
#
# Usage: bench/run.sh [OUT.md]      (run from the top of the tree, after make image)
# Env:   BENCH_RUNS=5  BENCH_MEM=1 (0: skip the memory floor)  BENCH_HTTP=1 (0: skip)
#        BENCH_MEM_LO=8 BENCH_MEM_HI=256 (MiB)
#        BENCH_BEFORE=DIR: an earlier build (its OUT directory) booted beside
#        this one, interleaved, for before/after figures (bench/boot.py)
#        BENCH_REPORT_ONLY=1: no boots; rewrite OUT.md and the picture from the
#        last run's figures (build/bench/boot.json, sizes.txt, http.md)
set -eu
export PYTHONDONTWRITEBYTECODE=1

out=${1:-BENCHMARKS.md}
work=build/bench
mkdir -p "$work"

die() { echo "bench/run.sh: $*" >&2; exit 1; }

for f in out/amd64/bzImage out/amd64/initramfs.cpio.xz out/minilinux.amd64.img out/init build/gen_init_cpio; do
	[ -e "$f" ] || die "$f missing; run 'make image' first"
done
command -v musl-gcc >/dev/null 2>&1 || die "musl-gcc missing; run: make deps"

# gnuplot draws the timeline picture (Debian package gnuplot-nox).
if ! command -v gnuplot >/dev/null 2>&1; then
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
		echo ":: bench: installing gnuplot-nox" >&2
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q gnuplot-nox >/dev/null ||
			{ apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q gnuplot-nox >/dev/null; } ||
			die "could not install gnuplot-nox; install it with: apt-get install gnuplot-nox"
	else
		die "gnuplot is missing; install it with: apt-get install gnuplot-nox (as root)"
	fi
fi

if [ "${BENCH_REPORT_ONLY:-0}" = 1 ]; then
	for f in "$work/boot.json" "$work/sizes.txt"; do
		[ -r "$f" ] || die "no earlier run ($f); run without BENCH_REPORT_ONLY"
	done
	accel=$(sh scripts/accel.sh auto)
	http=-; [ ! -r "$work/http.md" ] || http=$work/http.md
	sizes_from=$(cat "$work/sizes.from" 2>/dev/null || echo "the last run's size table")
else
# The lower bound's initramfs: the same packing, a trivial /init.
echo ":: bench: trivial /init" >&2
musl-gcc -std=c11 -D_GNU_SOURCE -Wall -Wextra -static -Os -s \
	-o "$work/trivial-init" bench/trivial-init.c
EXTRA_LIST='' sh image/initramfs.sh "$work/trivial-init" "$work/trivial.cpio.xz" >&2

accel=$(sh scripts/accel.sh auto)
echo ":: bench: boot times and memory floor (accelerator: $accel)" >&2
TRIVIAL_INITRD=$work/trivial.cpio.xz python3 bench/boot.py "$work/boot.json"

# Sizes: `make size` where the Makefile has it, else the files in out/.
if grep -q '^size:' Makefile; then
	make --no-print-directory -s size >"$work/sizes.txt" || die "make size failed"
	# shellcheck disable=SC2016 # Markdown code, not a command
	sizes_from='`make size`'
else
	sh bench/sizes.sh out amd64 >"$work/sizes.txt"
	sizes_from='bench/sizes.sh (the files in out/)'
fi
echo "$sizes_from" >"$work/sizes.from"

http=-
http_note=
if [ "${BENCH_HTTP:-1}" != 0 ]; then
	echo ":: bench: HTTP server against nginx (about 2 minutes)" >&2
	if bash bench/http.sh "$work/http.md" >&2; then
		http=$work/http.md
	else
		http_note="bench/http.sh failed this time (see above; it needs wrk and nginx: make deps)"
	fi
fi
fi

BENCH_ACCEL=$accel BENCH_SIZES_FROM=$sizes_from BENCH_HTTP_NOTE=${http_note:-Not run this time (BENCH_HTTP=0)} \
	python3 bench/report.py "$work/boot.json" "$work/sizes.txt" "$http" "$work/timeline.dat" "$out"

rows0=$(awk 'NF && !/^#/ { n++ } /^$/ { exit } END { print n + 0 }' "$work/timeline.dat")
rows1=$(awk 'BEGIN { b = 0 } /^$/ { if (!blank) b++; blank = 1; next } { blank = 0 } b >= 1 && !/^#/ { n++ } END { print n + 0 }' "$work/timeline.dat")
[ "$rows1" -gt 0 ] || die "no /init timeline in $work/timeline.dat (did the boots fail?)"
gnuplot -e "data='$work/timeline.dat'; out='bench/timeline.svg'; n0=$rows0; n1=$rows1" bench/timeline.gp
gnuplot -e "data='$work/timeline.dat'; out='$work/timeline.png'; n0=$rows0; n1=$rows1; term='png'" bench/timeline.gp
echo ":: bench: wrote $out and bench/timeline.svg" >&2
