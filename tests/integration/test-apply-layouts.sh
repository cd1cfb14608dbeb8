#!/bin/bash
# `apply` on the three Flatcar layouts (old with relative and absolute links,
# new) and a plain writable one: a real config file, writable labelled copies
# equal to their sources, /usr untouched, and a second run that writes nothing.
. "$(dirname "$0")/../lib/common.sh"

for layout in old-rel old-abs new plain; do
        note "layout $layout"
        root="$TMP/$layout"
        mkroot "$layout" "$root"
        usr_before=$(tree_meta "$root/usr")
        case $layout in old-*) cfg_src=usr/lib/selinux/config ;; *) cfg_src=etc/selinux/config ;; esac
        cfg_before=$(cat "$root/$cfg_src")
        src_mcs="$root/usr/lib/selinux/mcs" src_store="$root/usr/lib/selinux/policy"
        [ "$layout" = plain ] && { src_mcs="$root/etc/selinux/mcs"; src_store="$root/var/lib/selinux"; }
        [ "$layout" = new ] && src_mcs="$root/etc/selinux/mcs"
        mcs_before=$(tree_meta "$src_mcs")
        store_before=$(tree_meta "$src_store")
        block_file "$root" '{"selinux": {"mode": "enforcing"}}'

        run_plan "$root"
        assert_eq "$rc" 0 "plan exit status"
        assert_contains "$out" "this boot: enforcing" "plan names the boot mode"
        case $layout in
        old-*) assert_contains "$out" "replace symlink /etc/selinux/mcs" "plan copies the policy"
               assert_contains "$out" "replace symlink /var/lib/selinux" "plan copies the store" ;;
        new)   assert_not_contains "$out" "replace symlink /etc/selinux/mcs" "new layout has a real policy dir"
               assert_contains "$out" "replace symlink /var/lib/selinux" "plan copies the store" ;;
        plain) assert_not_contains "$out" "replace symlink" "plain layout copies nothing" ;;
        esac
        [ "$(tree_meta "$root/usr")" == "$usr_before" ] || fail "plan changed /usr"

        run_apply "$root"
        assert_eq "$rc" 0 "apply exit status ($err)"
        [ -f "$root/etc/selinux/config" ] && [ ! -L "$root/etc/selinux/config" ] || fail "config is not a regular file"
        grep -qx 'SELINUX=enforcing' "$root/etc/selinux/config" || fail "SELINUX=enforcing missing"
        grep -qx 'SELINUXTYPE=mcs' "$root/etc/selinux/config" || fail "SELINUXTYPE=mcs missing"
        assert_eq "$(grep -v '^SELINUX' "$root/etc/selinux/config")" "$(grep -v '^SELINUX' <<<"$cfg_before")" "other config lines kept"
        for d in etc/selinux/mcs var/lib/selinux; do
                [ -d "$root/$d" ] && [ ! -L "$root/$d" ] || fail "$d is not a real directory"
        done
        assert_eq "$(tree_meta "$root/etc/selinux/mcs")" "$mcs_before" "policy copy equals its source"
        assert_eq "$(tree_meta "$root/var/lib/selinux")" "$store_before" "store copy equals its source"
        [ "$(tree_meta "$root/usr")" == "$usr_before" ] || fail "apply changed /usr"
        getfattr -h -n user.test "$root/etc/selinux/mcs/policy/policy.33" >/dev/null 2>&1 || fail "user.* xattr not copied"
        labels_ok "$root" /etc/selinux/config /etc/selinux/mcs /var/lib/selinux
        [ -z "$(find "$root" -name '*.ignition-selinux')" ] || fail "staged leftovers"

        before=$(snap --ctime "$root")
        run_apply "$root"
        assert_eq "$rc" 0 "second apply"
        assert_contains "$err" "nothing to change" "second apply says so"
        assert_eq "$(snap --ctime "$root")" "$before" "second apply changed nothing, times included"
        assert_eq "$(writes_of "$BIN" apply --root "$root" --cmdline "$CMDLINE" --source-root "$TMP/nosources" --no-load)" 0 "second apply makes no write call"
        run_plan "$root"
        assert_contains "$out" "nothing to change" "plan after apply"
done

note "permissive then disabled on old-rel"
root="$TMP/modes"; mkroot old-rel "$root"
block_file "$root" '{"selinux": {"mode": "permissive"}}'
run_apply "$root"; assert_eq "$rc" 0 "permissive apply"
grep -qx 'SELINUX=permissive' "$root/etc/selinux/config" || fail "permissive not written"
[ -d "$root/etc/selinux/mcs" ] && [ ! -L "$root/etc/selinux/mcs" ] || fail "permissive makes the store writable too"

root="$TMP/disabled"; mkroot old-rel "$root"
block_file "$root" '{"selinux": {"mode": "disabled"}}'
run_apply "$root"; assert_eq "$rc" 0 "disabled apply"
grep -qx 'SELINUX=disabled' "$root/etc/selinux/config" || fail "disabled not written"
[ -L "$root/etc/selinux/mcs" ] && [ -L "$root/var/lib/selinux" ] || fail "disabled must not copy"
labels_ok "$root" /etc/selinux/config

note "no block at all: nothing changes"
root="$TMP/none"; mkroot old-rel "$root"
before=$(snap --ctime "$root")
run_apply "$root"; assert_eq "$rc" 0 "apply without block"
assert_eq "$(snap --ctime "$root")" "$before" "no block, no change"
echo ok

# Durability in order at the fewest flushes (commit.c): every rename that
# publishes a step comes after a flush, the last one is followed by one, and
# a run of K steps flushes at most K + 1 times (an fsync of file and
# directory at each step would be 2K).
for block in '{"selinux": {"mode": "enforcing"}}' '{"selinux": {"mode": "enforcing", "auditDenials": true}}'; do
        note "flushes: $block"
        root="$TMP/flush"; rm -rf "$root"; mkroot old-rel "$root"
        block_file "$root" "$block"
        run_plan "$root"
        K=$(grep -cE '^ +[0-9]+\. ' <<<"$out" || true)
        seq=$(FAULT_TRACE=1 LD_PRELOAD="$FAULTINJECT" "$BIN" apply --root "$root" --cmdline "$CMDLINE" \
                --source-root "$TMP/nosources" --no-load 2>&1 >/dev/null |
                awk '$1 == "fault-point" { if ($3 ~ /^rename/) printf "R"; else if ($3 ~ /sync/) printf "F" }')
        [ -n "$seq" ] && [ "$K" -gt 2 ] || fail "no trace or too few steps ($K): '$seq'"
        [[ $seq == F* ]] || fail "a rename before the first flush (of what it publishes): $seq"
        [[ $seq != *RR* ]] || fail "two renames with no flush between them: $seq"
        [[ $seq == *RF ]] || fail "the last rename is not flushed: $seq"
        flushes=${seq//R/}
        [ "${#flushes}" -le $((K + 1)) ] || fail "${#flushes} flushes for $K steps: $seq"
        note "trace: $seq"
        grep -qx 'SELINUX=enforcing' "$root/etc/selinux/config" || fail "traced apply did not finish"
done
