#!/usr/bin/python3
# SPDX-License-Identifier: MIT
# The boot tests' realistic Ignition config (tests/boot/scenarios/13-17): what Flatcar users
# write, with the `selinux` block in the file form.
#   realistic-config.py MODE [--var-fs DEVICE]   the config (Ignition spec 3.3.0)
#   realistic-config.py --paths [--var-fs DEVICE]  every entry Ignition creates or rewrites,
#       one a line; "?" marks the ones that exist only on some images (backups, lock, subuid),
#       "=" a directory to check alone, not with what lies under it
# It has: a user with an SSH key (useradd makes the home; Ignition writes
# ~/.ssh/authorized_keys.d/ignition) and a group; files and directories under /etc, /var, /opt
# and /home (some with parents Ignition creates); demo-unit.service with a drop-in, enabled
# through `systemd.units` (Ignition's preset file; systemd applies it on its first boot);
# demo-link.service, enabled by a `storage.links` link in multi-user.target.wants. Both units
# run /opt/demo/bin/demo-check, which fails unless the drop-in is applied (for demo-unit) and
# /etc/demo/app.conf can be read.
# --var-fs DEVICE adds a filesystem Ignition creates on DEVICE (ext4, wipeFilesystem) and
# mounts on /var in the initramfs, a var.mount unit enabled the same way for the real root, and
# puts /var/lib/demo on it.
import json
import sys
import urllib.parse

args = sys.argv[1:]
var_fs = None
if "--var-fs" in args:
    i = args.index("--var-fs")
    var_fs = args[i + 1]
    del args[i:i + 2]
paths_only = args == ["--paths"]
if not paths_only and (len(args) != 1 or args[0] not in ("enforcing", "permissive", "disabled")):
    sys.exit("usage: realistic-config.py enforcing|permissive|disabled|--paths [--var-fs DEVICE]")


def data(text):
    return {"source": "data:," + urllib.parse.quote(text, safe="")}


KEY = ("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHt8Gm4T6Mkm2p7o0l2ZC5wS2m0uGqJxQmQZ1wVY0rEA "
       "core@ignition-selinux-test")
CHECK = """#!/bin/sh
# demo-check unit|link: run by demo-unit.service (with its drop-in) and demo-link.service.
if [ "$1" = unit ] && [ "$DEMO_DROPIN" != applied ]; then
        echo "demo-check unit: the drop-in was not applied"
        exit 1
fi
read -r conf </etc/demo/app.conf || { echo "demo-check $1: cannot read /etc/demo/app.conf"; exit 1; }
echo "demo-check $1: ran as $(tr -d '\\0' </proc/self/attr/current), drop-in ${DEMO_DROPIN:-none}, $conf"
"""
UNIT = """[Unit]
Description=Demo unit enabled through systemd.units (ignition-selinux boot test)
[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=/opt/demo/bin/demo-check unit
[Install]
WantedBy=multi-user.target
"""
LINKED = """[Unit]
Description=Demo unit enabled by a storage.links link (ignition-selinux boot test)
[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=/opt/demo/bin/demo-check link
"""
VAR_MOUNT = """[Unit]
Description=/var on its own filesystem, made by Ignition (ignition-selinux boot test)
Before=local-fs.target
[Mount]
What=/dev/disk/by-label/var
Where=/var
Type=ext4
[Install]
RequiredBy=local-fs.target
"""

if paths_only:
    paths = [
        "/etc/selinux/ignition.json",
        "/etc/demo", "/etc/demo/app.conf",
        "/opt/demo", "/opt/demo/bin", "/opt/demo/bin/demo-check", "/opt/demo/data",
        "/var/lib/demo", "/var/lib/demo/seed",
        "/home/core", "/home/core/.ssh", "/home/core/.ssh/authorized_keys.d",
        "/home/core/.ssh/authorized_keys.d/ignition", "/home/core/projects",
        "/home/core/notes.txt",
        "/etc/systemd/system/demo-unit.service", "/etc/systemd/system/demo-unit.service.d",
        "/etc/systemd/system/demo-unit.service.d/10-dropin.conf",
        "/etc/systemd/system/demo-link.service",
        "/etc/systemd/system/multi-user.target.wants/demo-link.service",
        "?/etc/systemd/system-preset", "/etc/systemd/system-preset/20-ignition.preset",
        "/etc/passwd", "/etc/group", "/etc/shadow", "/etc/gshadow",
        "?/etc/passwd-", "?/etc/group-", "?/etc/shadow-", "?/etc/gshadow-",
        "?/etc/subuid", "?/etc/subgid", "?/etc/subuid-", "?/etc/subgid-", "?/etc/.pwd.lock",
        "/etc/.ignition-result.json",
    ]
    if var_fs:
        # The filesystem's root and /var/lib (made by Ignition as a parent) alone: the
        # running system fills them.
        paths += ["=/var", "=/var/lib", "?/var/lost+found", "/etc/systemd/system/var.mount"]
    print("\n".join(paths))
    sys.exit(0)

mode = args[0]
config = {
    "ignition": {"version": "3.3.0"},
    "passwd": {
        "groups": [{"name": "demo"}],
        "users": [{"name": "core", "sshAuthorizedKeys": [KEY], "groups": ["demo"]}],
    },
    "storage": {
        "directories": [
            {"path": "/var/lib/demo", "mode": 0o755},
            {"path": "/opt/demo/data", "mode": 0o750},
            {"path": "/home/core/projects", "mode": 0o750,
             "user": {"name": "core"}, "group": {"name": "core"}},
        ],
        "files": [
            {"path": "/etc/selinux/ignition.json", "mode": 0o644,
             "contents": data(json.dumps({"selinux": {"mode": mode}}))},
            {"path": "/etc/demo/app.conf", "mode": 0o644, "contents": data("greeting=hello\n")},
            {"path": "/opt/demo/bin/demo-check", "mode": 0o755, "contents": data(CHECK)},
            {"path": "/var/lib/demo/seed", "mode": 0o600, "contents": data("42\n")},
            {"path": "/home/core/notes.txt", "mode": 0o644, "contents": data("notes\n"),
             "user": {"name": "core"}, "group": {"name": "core"}},
        ],
        "links": [
            {"path": "/etc/systemd/system/multi-user.target.wants/demo-link.service",
             "target": "/etc/systemd/system/demo-link.service"},
        ],
    },
    "systemd": {
        "units": [
            {"name": "demo-unit.service", "enabled": True, "contents": UNIT,
             "dropins": [{"name": "10-dropin.conf",
                          "contents": "[Service]\nEnvironment=DEMO_DROPIN=applied\n"}]},
            {"name": "demo-link.service", "contents": LINKED},
        ],
    },
}
if var_fs:
    config["storage"]["filesystems"] = [
        {"device": var_fs, "format": "ext4", "wipeFilesystem": True, "label": "var", "path": "/var"},
    ]
    config["systemd"]["units"].append({"name": "var.mount", "enabled": True, "contents": VAR_MOUNT})
print(json.dumps(config, indent=1))
