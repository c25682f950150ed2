#!/usr/bin/env python3
"""Static checks of the Flatpak manifest.

For machines that cannot run flatpak-builder or Flathub's linter (no network,
no GNOME SDK): checks the rules that Flathub reviewers and flatpak-builder-lint
apply to permissions and sources. Standard library only.

Usage: check-manifest.py MANIFEST [--metainfo METAINFO] [--app-id ID]
"""

import argparse
import json
import re
import sys
import xml.etree.ElementTree as ET

REQUIRED_FINISH_ARGS = [
    "--share=network",
    "--share=ipc",
    "--socket=wayland",
    "--socket=fallback-x11",
    "--device=dri",
]

# Whole-bus access and the filesystem-wide grants Flathub refuses for an
# app that can use portals.
FORBIDDEN_FINISH_ARGS = {
    "--socket=session-bus": "talks to the whole session bus",
    "--socket=system-bus": "talks to the whole system bus",
    "--filesystem=host": "exposes every file; use the file chooser portal",
    "--filesystem=home": "exposes the home folder; use the file chooser portal",
    "--filesystem=/tmp": "shares the host /tmp",
    "--device=all": "exposes every device",
}

SHA256_RE = re.compile(r"^[0-9a-f]{64}$")
COMMIT_RE = re.compile(r"^[0-9a-f]{40}$")


class Checker:
    def __init__(self):
        self.failures = []

    def fail(self, message):
        self.failures.append(message)
        print("FAIL: " + message)

    def ok(self, message):
        print("ok: " + message)

    def expect(self, condition, good, bad):
        if condition:
            self.ok(good)
        else:
            self.fail(bad)


def metainfo_id(path):
    root = ET.parse(path).getroot()
    node = root.find("id")
    return node.text.strip() if node is not None and node.text else None


def check_finish_args(c, args):
    if not isinstance(args, list) or not all(isinstance(a, str) for a in args):
        c.fail("finish-args must be a list of strings")
        return

    for arg in REQUIRED_FINISH_ARGS:
        c.expect(arg in args, arg + " is granted", arg + " is missing")

    if "--socket=wayland" in args:
        c.expect("--socket=x11" not in args,
                 "no plain --socket=x11 next to wayland",
                 "--socket=x11 next to --socket=wayland: use --socket=fallback-x11")

    for arg in args:
        if arg in FORBIDDEN_FINISH_ARGS:
            c.fail(arg + " " + FORBIDDEN_FINISH_ARGS[arg])
        if "dconf" in arg.lower():
            c.fail(arg + ": GSettings uses its keyfile backend in the sandbox, no dconf access")
        if arg.startswith("--talk-name=") or arg.startswith("--own-name="):
            name = arg.split("=", 1)[1]
            if name.lower() == "org.freedesktop.secrets" and name != "org.freedesktop.secrets":
                c.fail(arg + ": the Secret Service bus name is all lower case, org.freedesktop.secrets")
        if arg.startswith("--own-name="):
            c.fail(arg + ": an app may already own its own id; other names need a reason")
        if arg.startswith("--system-talk-name=") or arg.startswith("--system-own-name="):
            c.fail(arg + ": system bus access needs a written reason and is not used here")

    if len(set(args)) != len(args):
        c.fail("finish-args has duplicates")


def check_sources(c, module_name, sources, is_last):
    if not isinstance(sources, list) or not sources:
        c.fail("module %s has no sources" % module_name)
        return
    for source in sources:
        if isinstance(source, str):
            continue  # a path to a JSON file holding sources
        kind = source.get("type")
        if kind in ("archive", "file"):
            url = source.get("url", "")
            c.expect(url.startswith("https://"),
                     "%s: %s is fetched over HTTPS" % (module_name, url),
                     "%s: %s is not an https:// URL" % (module_name, url or "(no url)"))
            digest = source.get("sha256", "")
            c.expect(bool(SHA256_RE.match(digest)),
                     "%s: the %s has a sha256" % (module_name, kind),
                     "%s: the %s needs a 64-digit lower-case sha256" % (module_name, kind))
        elif kind == "git":
            c.expect("tag" in source and bool(COMMIT_RE.match(source.get("commit", ""))),
                     "%s: git source pinned by tag and commit" % module_name,
                     "%s: a git source needs a tag and a full commit id" % module_name)
            if "branch" in source:
                c.fail("%s: a git source must not follow a branch" % module_name)
        elif kind == "dir":
            c.expect(is_last,
                     "%s: the app is built from this checkout" % module_name,
                     "%s: only the app itself may come from a local directory" % module_name)
        elif kind == "patch":
            continue
        else:
            c.fail("%s: unexpected source type %r" % (module_name, kind))


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("manifest")
    parser.add_argument("--metainfo", help="metainfo file whose <id> must equal the app id")
    parser.add_argument("--app-id", default="org.example.Mail")
    options = parser.parse_args()

    c = Checker()

    try:
        with open(options.manifest, encoding="utf-8") as f:
            text = f.read()
        manifest = json.loads(text)
    except (OSError, ValueError) as e:
        print("FAIL: cannot read %s: %s" % (options.manifest, e))
        return 1

    c.expect(text.endswith("\n") and "\r" not in text,
             "LF line endings and a final newline",
             "the manifest must use LF line endings and end with a newline")

    app_id = manifest.get("id", manifest.get("app-id"))
    c.expect(app_id == options.app_id,
             "id is " + options.app_id,
             "id is %r, expected %r" % (app_id, options.app_id))
    c.expect("id" in manifest and "app-id" not in manifest,
             "uses the key \"id\"",
             "use the key \"id\" (not \"app-id\"), and only once")

    if options.metainfo:
        mid = metainfo_id(options.metainfo)
        c.expect(mid == app_id,
                 "metainfo <id> matches the manifest",
                 "metainfo <id> is %r but the manifest id is %r" % (mid, app_id))

    c.expect(manifest.get("runtime") == "org.gnome.Platform",
             "runtime is org.gnome.Platform",
             "runtime is %r, expected org.gnome.Platform" % manifest.get("runtime"))
    c.expect(manifest.get("sdk") == "org.gnome.Sdk",
             "sdk is org.gnome.Sdk",
             "sdk is %r, expected org.gnome.Sdk" % manifest.get("sdk"))
    version = manifest.get("runtime-version")
    c.expect(isinstance(version, str) and version != "",
             "runtime-version is the string %r" % version,
             "runtime-version must be a non-empty string, got %r" % (version,))
    c.expect(manifest.get("command") == app_id,
             "command is the app id",
             "command is %r, expected %r" % (manifest.get("command"), app_id))
    c.expect("branch" not in manifest,
             "no top-level branch",
             "drop the top-level \"branch\": Flathub sets it")

    check_finish_args(c, manifest.get("finish-args", []))

    modules = manifest.get("modules", [])
    if not modules:
        c.fail("no modules")
    for index, module in enumerate(modules):
        if isinstance(module, str):
            continue  # a path to a shared module file
        name = module.get("name", "(unnamed)")
        check_sources(c, name, module.get("sources", []), index == len(modules) - 1)
    if modules and isinstance(modules[-1], dict):
        last = modules[-1]
        c.expect(last.get("name") == app_id and last.get("buildsystem") == "meson",
                 "the last module builds the app with meson",
                 "the last module must be %s with \"buildsystem\": \"meson\"" % app_id)

    if c.failures:
        print("%d check(s) failed" % len(c.failures))
        return 1
    print("all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
