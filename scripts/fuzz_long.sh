#!/usr/bin/env bash
# The long form of the fuzz suite: every test of tests/test_fuzz.py with N random examples (default 20000),
# new inputs each run. Prints hypothesis' per-test statistics (examples tried, outcomes) and pytest's summary.
#   scripts/fuzz_long.sh            # 20,000 examples a test
#   scripts/fuzz_long.sh 2000 -x    # fewer, stop at the first failure
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-20000}"
shift || true
HADATH_FUZZ_EXAMPLES="$N" exec python -m pytest tests/test_fuzz.py -p no:warnings -q \
  --hypothesis-show-statistics "$@"
