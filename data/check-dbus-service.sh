#!/bin/sh
# Checks the D-Bus activation file that goes with DBusActivatable=true in the
# desktop file: the bus name must be the app id and the file name, and Exec
# must start the installed binary as a GApplication service.
#
# Usage: check-dbus-service.sh SERVICE-FILE [APP-ID]
set -u

file=${1:?usage: check-dbus-service.sh SERVICE-FILE [APP-ID]}
app_id=${2:-org.example.Mail}
failures=0

fail () {
  echo "FAIL: $*"
  failures=$((failures + 1))
}

[ -r "$file" ] || { echo "FAIL: cannot read $file"; exit 1; }

first=$(sed -n '1p' "$file")
[ "$first" = "[D-BUS Service]" ] || fail "the first line is '$first', expected '[D-BUS Service]'"

name=$(sed -n 's/^Name=//p' "$file")
exec_line=$(sed -n 's/^Exec=//p' "$file")

[ "$name" = "$app_id" ] || fail "Name is '$name', expected '$app_id'"
[ "$(basename "$file")" = "$app_id.service" ] || fail "the file must be called $app_id.service"

case $exec_line in
  '') fail "no Exec line" ;;
  *@*) fail "Exec still holds a placeholder: $exec_line" ;;
esac
case $exec_line in
  /*) ;;
  *) fail "Exec must start with an absolute path: $exec_line" ;;
esac
case $exec_line in
  *" --gapplication-service") ;;
  *) fail "Exec must end with --gapplication-service: $exec_line" ;;
esac
program=${exec_line%% *}
[ "$(basename "$program")" = "$app_id" ] || fail "Exec runs '$program', expected a binary called $app_id"

if [ "$failures" -ne 0 ]; then
  echo "$failures check(s) failed"
  exit 1
fi
echo "ok: $file starts $program as the $name service"
