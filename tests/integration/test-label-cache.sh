#!/bin/bash
# The lookup cache of src/labelcache.c gives, for every path, the label
# libselinux gives on its own: the target's file_contexts against every
# entry of the fake root and of this host's /etc, /usr and /var, and a store
# tree placed under directories with specs of every shape (optional
# characters, alternations, home directories, substituted paths).
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
for p in /etc/dhcp /etc/dhcp3 /var/run /run /home/alice /root /var/lib/selinux /etc/selinux/mcs /usr/bin /tmp; do
        check "$root/usr/lib/selinux/policy/mcs" "$p"
done

note "the cache stands aside where it cannot be sure, and apply labels alike with the file_contexts subset, the whole with the cache, and the whole alone"
r1="$TMP/r1"; r2="$TMP/r2"; r3="$TMP/r3"
for r in "$r1" "$r2" "$r3"; do mkroot old-rel "$r"; block_file "$r" '{"selinux": {"mode": "enforcing"}}'; done
run_apply "$r1"; assert_eq "$rc" 0 "apply with the subset"
IGNITION_SELINUX_NO_FC_SUBSET=1 run_apply "$r2"; assert_eq "$rc" 0 "apply with the whole and the cache"
IGNITION_SELINUX_NO_FC_SUBSET=1 IGNITION_SELINUX_NO_LABEL_CACHE=1 run_apply "$r3"; assert_eq "$rc" 0 "apply with libselinux alone"
dump() { (cd "$1" && getfattr -R -h -n security.selinux --absolute-names etc var 2>/dev/null | sort); }
[ "$(dump "$r1")" == "$(dump "$r3")" ] || fail "labels of the copies differ with the subset and with libselinux alone"
[ "$(dump "$r2")" == "$(dump "$r3")" ] || fail "labels of the copies differ with and without the cache"
labels_ok "$r1" /etc/selinux/mcs /var/lib/selinux
echo ok
