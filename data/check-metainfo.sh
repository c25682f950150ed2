#!/bin/sh
# Checks the things Flathub requires of a metainfo file that appstreamcli 0.16
# (Debian 12) does not enforce: a developer, releases, a content rating, a
# screenshot, a launchable and so on.
#
# Usage: check-metainfo.sh METAINFO-FILE [APP-ID]
set -u

file=${1:?usage: check-metainfo.sh METAINFO-FILE [APP-ID]}
app_id=${2:-org.example.Mail}
failures=0

value () {
  xmllint --xpath "string($1)" "$file" 2>/dev/null
}

# expect_value XPATH EXPECTED: the string value of XPATH must equal EXPECTED.
expect_value () {
  got=$(value "$1")
  if [ "$got" = "$2" ]; then
    echo "ok: $1 = $2"
  else
    echo "FAIL: $1 is '$got', expected '$2'"
    failures=$((failures + 1))
  fi
}

# expect_some XPATH: XPATH must match at least one non-empty node.
expect_some () {
  n=$(xmllint --xpath "count($1[normalize-space(.) != ''])" "$file" 2>/dev/null)
  case $n in
    ''|0)
      echo "FAIL: nothing at $1"
      failures=$((failures + 1))
      ;;
    *)
      echo "ok: $1 ($n)"
      ;;
  esac
}

# expect_node XPATH: XPATH must match at least one node, empty or not.
expect_node () {
  n=$(xmllint --xpath "count($1)" "$file" 2>/dev/null)
  case $n in
    ''|0)
      echo "FAIL: nothing at $1"
      failures=$((failures + 1))
      ;;
    *)
      echo "ok: $1 ($n)"
      ;;
  esac
}

if ! xmllint --noout "$file"; then
  echo "FAIL: $file is not well-formed XML"
  exit 1
fi

expect_value "/component/@type" "desktop-application"
expect_value "/component/id" "$app_id"
expect_value "/component/launchable[@type='desktop-id']" "$app_id.desktop"
expect_some "/component/developer/@id"
expect_some "/component/developer/name"
expect_some "/component/name"
expect_some "/component/summary"
expect_some "/component/description"
expect_some "/component/url[@type='homepage']"
expect_some "/component/screenshots/screenshot[@type='default']/image"
expect_node "/component/releases/release[@version and @date]"
expect_node "/component/content_rating[@type='oars-1.1']"
expect_some "/component/project_license"
expect_value "/component/metadata_license" "CC0-1.0"

# Flathub: the newest release comes first and every release has notes.
dates=$(xmllint --xpath "/component/releases/release/@date" "$file" 2>/dev/null \
        | tr ' ' '\n' | sed -n 's/^date="\(.*\)"$/\1/p')
if ! printf '%s\n' "$dates" | sort -r -c 2>/dev/null; then
  echo "FAIL: releases are not listed newest first"
  failures=$((failures + 1))
fi
missing=$(xmllint --xpath "count(/component/releases/release[not(description)])" "$file" 2>/dev/null)
if [ "$missing" != "0" ]; then
  echo "FAIL: $missing release(s) without a description"
  failures=$((failures + 1))
fi

# Flathub: screenshot captions do not end with a full stop.
dotted=$(xmllint --xpath "count(//screenshot/caption[substring(normalize-space(.), string-length(normalize-space(.))) = '.'])" "$file" 2>/dev/null)
if [ "$dotted" != "0" ]; then
  echo "FAIL: $dotted screenshot caption(s) end with a full stop"
  failures=$((failures + 1))
fi

if [ "$failures" -ne 0 ]; then
  echo "$failures check(s) failed"
  exit 1
fi
echo "all checks passed"
