#!/bin/bash
# SPDX-License-Identifier: MIT
# replica.sh MODE ROOT — the manual steps of Flatcar's "SELinux on Flatcar
# Container Linux" page, as a shell replica run against a target root ROOT
# (old layout, policy type mcs) instead of /. MODE:
#   plain    make the config enforcing: copy etc/selinux/mcs and
#            var/lib/selinux out of /usr, replace the config symlink, sed it
#   audit    plain, then remove the two audit rule files and
#            `semodule -p ROOT -s mcs -n -DB` (no reload: nothing is loaded here)
#   sync     plain, then flush the filesystem (sync -f): the same copies made
#            durable, which apply does too, without the labels
#   relabel  plain, then relabel the two copies with the target's file_contexts
#            (setfiles) and flush the filesystem (sync -f): the work
#            `ignition-selinux apply` does on top of plain
# Neither relabels nor flushes unless asked: the documented steps do not.
set -eu
mode=$1
R=$2
rm "$R/etc/selinux/mcs"
cp -a "$R/usr/lib/selinux/mcs" "$R/etc/selinux/"
rm "$R/var/lib/selinux"
cp -a "$R/usr/lib/selinux/policy" "$R/var/lib/selinux"
cp --remove-destination "$R/usr/lib/selinux/config" "$R/etc/selinux/config"
sed -i s/SELINUX=permissive/SELINUX=enforcing/ "$R/etc/selinux/config"
case $mode in
plain) ;;
sync) sync -f "$R/etc/selinux/mcs" ;;
audit)
        rm "$R/etc/audit/rules.d/80-selinux.rules" "$R/etc/audit/rules.d/99-default.rules"
        semodule -p "$R" -s mcs -n -DB
        ;;
relabel)
        setfiles -F -r "$R" "$R/etc/selinux/mcs/contexts/files/file_contexts" \
                "$R/etc/selinux/mcs" "$R/var/lib/selinux"
        sync -f "$R/etc/selinux/mcs"
        ;;
*)
        echo "replica.sh: unknown mode '$mode'" >&2
        exit 2
        ;;
esac
