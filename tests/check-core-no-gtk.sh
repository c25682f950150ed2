#!/bin/sh
# Fails when anything under src/core includes GTK, GDK, libadwaita or WebKit, or when
# src/core/meson.build names them as dependencies: the core must run without a display.
set -u
core=${1:?usage: check-core-no-gtk.sh SRC_CORE_DIR}
status=0

hits=$(grep -rnE '^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"](gtk|gdk|adwaita|webkit)[^>"]*[>"]' \
  --include='*.c' --include='*.h' "$core")
if [ -n "$hits" ]; then
  echo "src/core must not include GTK, GDK, libadwaita or WebKit:"
  echo "$hits"
  status=1
fi

deps=$(grep -nE "(gtk_dep|adw_dep|webkit_dep|'gtk4'|'libadwaita-1'|'webkitgtk)" "$core/meson.build")
if [ -n "$deps" ]; then
  echo "src/core/meson.build must not depend on GTK, libadwaita or WebKit:"
  echo "$deps"
  status=1
fi

[ $status -eq 0 ] && echo "src/core is free of GTK"
exit $status
