#!/bin/sh
# Run each libFuzzer target for SECONDS on a copy of its seed corpus.
# Usage: tests/fuzz/run.sh SECONDS build/fuzz/fuzz_NAME...
set -eu
secs=$1; shift
rc=0
for t in "$@"; do
	name=$(basename "$t"); name=${name#fuzz_}
	seeds=tests/fuzz/corpus/$name
	work=build/fuzz/corpus-$name
	mkdir -p "$work"
	[ -d "$seeds" ] && cp -n "$seeds"/* "$work"/ 2>/dev/null || true
	echo ":: fuzz $name for ${secs}s"
	if ! "$t" -max_total_time="$secs" -print_final_stats=1 "$work" >"build/fuzz/$name.log" 2>&1; then
		echo "[FAIL] fuzz $name: see build/fuzz/$name.log"
		tail -40 "build/fuzz/$name.log"
		rc=1
	else
		echo "[OK] fuzz $name: $(grep -E 'stat::number_of_executed_units' "build/fuzz/$name.log" | awk '{print $2}') runs"
	fi
done
exit $rc
