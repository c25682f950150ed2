#!/bin/sh
# The command-line entry points answer --version and --help, and refuse what they do not
# know with a usage error (exit status 2) rather than a crash.
set -u
tool=${1:?usage: test-cli.sh MAIL_TOOL APP}
app=${2:?usage: test-cli.sh MAIL_TOOL APP}
n=0
failed=0

check () {
  description=$1; shift
  n=$((n + 1))
  if "$@"; then
    echo "ok $n - $description"
  else
    echo "not ok $n - $description"
    failed=1
  fi
}

version=$(grep -E "^ *version:" "$(dirname "$0")/../../meson.build" | head -n1 | sed -E "s/.*'(.*)'.*/\1/")

echo "1..7"
check "mail-tool --version prints the version" \
  sh -c "out=\$('$tool' --version) && [ \"\$out\" = 'mail-tool $version' ]"
check "mail-tool --help prints usage and succeeds" \
  sh -c "'$tool' --help | grep -q '^Usage: mail-tool'"
check "mail-tool with no command is a usage error" \
  sh -c "'$tool' >/dev/null 2>&1; [ \$? -eq 2 ]"
check "mail-tool with an unknown command is a usage error that names it" \
  sh -c "'$tool' frobnicate 2>&1 >/dev/null | grep -q frobnicate && { '$tool' frobnicate 2>/dev/null; [ \$? -eq 2 ]; }"
check "mail-tool --help lists the options" \
  sh -c "'$tool' --help | grep -q -- '--version'"
check "the app answers --version without a display" \
  sh -c "out=\$(env -u DISPLAY -u WAYLAND_DISPLAY '$app' --version) && [ \"\$out\" = 'org.example.Mail $version' ]"
check "the app's --help mentions the CA option" \
  sh -c "env -u DISPLAY -u WAYLAND_DISPLAY '$app' --help | grep -q -- '--ca-file'"
exit $failed
