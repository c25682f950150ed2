#!/bin/sh
# Runs one yelp-check command over the Mallard pages and fails when it exits
# with an error or prints anything: "links", "orphans" and "ids" report
# problems on standard output, some of them with exit status 0.
#
# Usage: check-help.sh YELP-CHECK COMMAND DIRECTORY
set -u

yelp_check=${1:?usage: check-help.sh YELP-CHECK COMMAND DIRECTORY}
command=${2:?usage: check-help.sh YELP-CHECK COMMAND DIRECTORY}
dir=${3:?usage: check-help.sh YELP-CHECK COMMAND DIRECTORY}

cd "$dir" || exit 1
output=$("$yelp_check" "$command" .)
status=$?

if [ "$status" -ne 0 ] || [ -n "$output" ]; then
  echo "yelp-check $command found problems (exit status $status):"
  printf '%s\n' "$output"
  exit 1
fi
echo "yelp-check $command: no problems"
