#!/bin/bash
# SPDX-License-Identifier: MIT
# Test guest only (tests/boot): the manual steps Flatcar's documentation gives for enforcing
# SELinux with visible denials, as a shell replica, each step timed (ms), on the booted real
# root of the old layout (links into /usr). For the figures in docs/boot.md.
set -u
now() { date +%s%N; }
total=0 db=0
step() {
        local name=$1 s e rc=0 ms; shift
        s=$(now)
        "$@" || rc=$?
        e=$(now)
        ms=$(( (e - s) / 1000000 ))
        echo "step=$name ms=$ms rc=$rc"
        total=$((total + ms))
        [ "$name" = semodule_DB ] && db=$ms
        return 0
}
type=$(sed -n 's/^SELINUXTYPE=//p' /etc/selinux/config)
step cp_config cp -a --remove-destination "$(readlink -f /etc/selinux/config)" /etc/selinux/config
step edit_config sed -i 's/^SELINUX=.*/SELINUX=enforcing/' /etc/selinux/config
src=$(readlink -f "/etc/selinux/$type")
step cp_policydir sh -c "rm /etc/selinux/$type && cp -a $src /etc/selinux/$type"
src=$(readlink -f /var/lib/selinux)
step cp_store sh -c "rm /var/lib/selinux && cp -a $src /var/lib/selinux"
step semodule_DB semodule -DB
step load_policy load_policy
step setenforce setenforce 1
echo "total_without_DB_ms=$((total - db))"
echo "semodule_DB_ms=$db"
echo "total_with_DB_ms=$total"
echo "mode=$(getenforce)"
