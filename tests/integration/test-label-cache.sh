#!/bin/bash
# The lookup cache of src/selinux/labelcache.c gives, for every path, the label libselinux gives
# on its own: the target's file_contexts against every entry of the fake root and of this host's
# /etc, /usr and /var, and a store tree placed under directories with specs of every shape
# (optional characters, alternations, home directories, substituted paths). And the labels
# apply sets equal what setfiles, an independent oracle, finds right.
. "$(dirname "$0")/../lib/common.sh"
tool="$TOOLS/label-tool"
root="$TMP/root"; mkroot old-rel "$root"
pol="$root/usr/lib/selinux/mcs"
check() {
        local res
        res=$("$tool" compare "$pol" "$@") || fail "labels differ ($*): $(grep DIFF <<<"$res" | head -5)"
        note "$* — $(tail -1 <<<"$res")"
}
check "$root" /
for t in /etc /var /usr/bin /usr/sbin /usr/lib/systemd /usr/share/selinux; do [ -d "$t" ] && check "$t"; done
for p in /etc/dhcp /etc/dhcp3 /var/run /run /home/alice /home/alice/.ssh /root /var/lib/selinux /etc/selinux/mcs \
        /etc/systemd/system /usr/bin /tmp /opt/app/bin; do
        check "$root/usr/lib/selinux/policy/mcs" "$p"
done
r1="$TMP/r1"; mkroot old-rel "$r1"; block_file "$r1" '{"selinux": {"mode": "enforcing"}}'
run_apply "$r1"; assert_eq "$rc" 0 "apply"
labels_ok "$r1" /etc/selinux/mcs /var/lib/selinux
echo ok
