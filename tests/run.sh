#!/bin/sh
# The test runner. Every test program prints "N passed, M failed" as its
# last such line; a program that exits non-zero without one counts as one
# failure. The runner ends with the sum, on one line.
#
# Usage: tests/run.sh unit|host|boot|all [build/unit/test_*] [build/fuzz/fuzz_*]
#   unit: the given unit tests; host: tests/host/*; boot: tests/boot/*;
#   all: the given unit tests and fuzz targets, then host and boot.
# Env: TESTS_ONLY=pattern runs only host/boot tests whose name matches.
#      FUZZ_QUICK=seconds per fuzz target in `make test` (default 10).
set -eu

mode=$1; shift
passed=0
failed=0
failures=
logdir=build/test-logs
mkdir -p "$logdir"

# run_one NAME CMD...: run, tee the output to a log, add up its counts.
run_one() {
	name=$1; shift
	log=$logdir/$(echo "$name" | tr '/ ' '__').log
	echo "== $name"
	set +e
	"$@" >"$log" 2>&1
	rc=$?
	set -e
	cat "$log"
	line=$(grep -E '^([A-Za-z0-9_./-]+: )?[0-9]+ passed, [0-9]+ failed' "$log" | tail -1 || true)
	if [ -n "$line" ]; then
		p=$(echo "$line" | sed -E 's/^([^:]*: )?([0-9]+) passed, ([0-9]+) failed.*/\2/')
		f=$(echo "$line" | sed -E 's/^([^:]*: )?([0-9]+) passed, ([0-9]+) failed.*/\3/')
		if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
			f=1
		fi
	elif [ "$rc" -eq 0 ]; then
		p=1; f=0
	else
		p=0; f=1
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	[ "$f" -eq 0 ] || failures="$failures $name"
}

case $mode in
unit) groups= ;;
host) groups="tests/host/test_*" ;;
boot) groups="tests/boot/test_*" ;;
all) groups="tests/host/test_* tests/boot/test_*" ;;
*) echo "run.sh: unknown mode '$mode' (unit, host, boot or all)" >&2; exit 2 ;;
esac

fuzz=
for t in "$@"; do
	case $t in
	*/fuzz/*) fuzz="$fuzz $t" ;;
	*) run_one "unit $(basename "$t")" "$t" ;;
	esac
done

if [ "$mode" = all ]; then
	for t in $fuzz; do
		run_one "fuzz $(basename "$t")" sh tests/fuzz/run.sh "${FUZZ_QUICK:-10}" "$t"
	done
fi
if [ -n "$groups" ]; then
	# shellcheck disable=SC2086  # the globs are meant to expand
	for t in $groups; do
		[ -x "$t" ] || continue
		case $t in *"${TESTS_ONLY:-}"*) ;; *) continue ;; esac
		run_one "$t" "$t"
	done
fi

echo
[ -z "$failures" ] || echo "failed:$failures"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
