#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Prints an Ignition config (spec 3.3.0) that writes a few hundred entries of every kind the
# files stage writes: users with keys and homes, groups, files (new, overwritten, appended),
# directories, symlinks, hard links, units with drop-ins, enabled, masked, and the .wants
# links that enable units by hand. With an argument, it also writes that `selinux` block to
# /etc/selinux/ignition.json, as a user's config does.
import json, sys, urllib.parse

def data(s):
    return {"source": "data:," + urllib.parse.quote(s, safe="")}

files, dirs, links, units = [], [], [], []
for i in range(60):
    files.append({"path": f"/etc/app{i % 10}/conf.d/f{i}.conf", "mode": 0o644, "contents": data(f"k={i}\n")})
for i in range(40):
    files.append({"path": f"/opt/tool{i % 5}/bin/t{i}", "mode": 0o755, "contents": data("#!/bin/sh\n")})
for i in range(40):
    files.append({"path": f"/var/lib/svc{i % 8}/data/f{i}", "mode": 0o600, "contents": data("x")})
for i in range(20):
    files.append({"path": f"/home/core/docs/d{i}.txt", "contents": data("doc"),
                  "user": {"name": "core"}, "group": {"name": "core"}})
for i in range(10):
    files.append({"path": f"/etc/ssh/sshd_config.d/{i:02d}-site.conf", "contents": data("PermitRootLogin no\n")})
for i in range(10):
    files.append({"path": f"/srv/www/site{i}/index.html", "contents": data("<p>hi</p>")})
files.append({"path": "/etc/hostname", "overwrite": True, "contents": data("node1\n")})
files.append({"path": "/etc/hosts", "append": [data("10.0.0.1 node1\n")]})
if len(sys.argv) > 1:
    files.append({"path": "/etc/selinux/ignition.json", "mode": 0o644, "contents": data(sys.argv[1])})
files.append({"path": "/root/.bash_profile", "mode": 0o600, "contents": data("umask 077\n")})
for i in range(30):
    dirs.append({"path": f"/var/log/app{i}", "mode": 0o750})
for i in range(10):
    dirs.append({"path": f"/home/core/projects/p{i}", "user": {"name": "core"}})
for i in range(25):
    links.append({"path": f"/opt/links/l{i}", "target": f"/opt/tool{i % 5}/bin/t{i}"})
for i in range(5):
    links.append({"path": f"/opt/hard/h{i}", "target": f"/opt/tool{i}/bin/t{i}", "hard": True})
for i in range(20):
    u = {"name": f"svc{i}.service",
         "contents": f"[Unit]\nDescription=svc {i}\n[Service]\nExecStart=/bin/true\n[Install]\nWantedBy=multi-user.target\n"}
    if i % 2 == 0:
        u["enabled"] = True
    if i % 3 == 0:
        u["dropins"] = [{"name": "10-env.conf", "contents": "[Service]\nEnvironment=I=%d\n" % i}]
    units.append(u)
for i in range(5):
    links.append({"path": f"/etc/systemd/system/multi-user.target.wants/svc{2 * i + 1}.service",
                  "target": f"/etc/systemd/system/svc{2 * i + 1}.service"})
units.append({"name": "systemd-journald.service",
              "dropins": [{"name": "50-size.conf", "contents": "[Journal]\nSystemMaxUse=50M\n"}]})
units.append({"name": "unwanted.service", "mask": True})
units.append({"name": "other.timer", "enabled": False})

users = [
    {"name": "core", "sshAuthorizedKeys": ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAaaaa core@a",
                                           "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAbbbb core@b"]},
    {"name": "alice", "groups": ["sudo"], "sshAuthorizedKeys": ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAcccc alice"]},
    {"name": "bob", "homeDir": "/var/home/bob"},
    {"name": "carol", "noCreateHome": True},
    {"name": "dave", "uid": 1500},
]
config = {"ignition": {"version": "3.3.0"},
          "passwd": {"users": users, "groups": [{"name": "devs", "gid": 1600}]},
          "storage": {"files": files, "directories": dirs, "links": links},
          "systemd": {"units": units}}
print(json.dumps(config, indent=1))
