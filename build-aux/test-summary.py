#!/usr/bin/env python3
"""Prints one line "N passed, N failed" over the meson test logs of the given build dirs,
plus checks run outside meson, given as "--passed NAME" or "--failed NAME".

Skipped and expected-failure tests count as neither. A build dir without a test log
counts as one failure: its tests did not run. Exits 1 when anything failed.
"""

import json
import os
import sys

PASSED = {"OK", "EXPECTEDFAIL"}
NEUTRAL = {"SKIP"}


def main(args):
    passed = failed = 0
    build_dirs = []
    while args:
        arg = args.pop(0)
        if arg in ("--passed", "--failed"):
            name = args.pop(0)
            if arg == "--passed":
                passed += 1
            else:
                print(f"{name}: failed", file=sys.stderr)
                failed += 1
        else:
            build_dirs.append(arg)
    for build_dir in build_dirs:
        log = os.path.join(build_dir, "meson-logs", "testlog.json")
        try:
            with open(log, encoding="utf-8") as f:
                for line in f:
                    if not line.strip():
                        continue
                    result = json.loads(line).get("result")
                    if result in PASSED:
                        passed += 1
                    elif result not in NEUTRAL:
                        failed += 1
        except OSError:
            print(f"{log}: missing, counted as a failure", file=sys.stderr)
            failed += 1
    print(f"{passed} passed, {failed} failed")
    return 1 if failed or passed == 0 else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
