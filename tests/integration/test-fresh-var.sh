#!/bin/bash
# /var on a filesystem Ignition has just made (storage.filesystems, wipeFilesystem): no
# /var/lib, no /var/lib/selinux link into /usr (Flatcar's tmpfiles make that only after
# switch-root). The store becomes a labelled copy of /usr/lib/selinux/policy, as the link would
# have been replaced, so booleans, audit mode and later `setsebool -P` work; a second run
# changes nothing; "disabled" makes nothing.
. "$(dirname "$0")/../lib/common.sh"
command -v seinfo >/dev/null || skip "seinfo (setools) is not installed"
default_of() { seinfo "$1" -x -b "$2" | awk '/^ *bool /{print $3}' | tr -d ';'; }

for layout in old-rel new; do
        note "$layout"
        root="$TMP/root-$layout"; mkroot "$layout" "$root"
        rm -rf "$root/var/lib"
        block_file "$root" '{"selinux": {"mode": "enforcing", "auditDenials": true, "booleans": {"allow_execmem": true}}}'
        run_plan "$root"
        assert_eq "$rc" 0 "plan: $err"
        assert_contains "$out" "create /var/lib (a fresh /var)" "plan creates /var/lib"
        assert_contains "$out" "create /var/lib/selinux as a labelled copy of /usr/lib/selinux/policy" "plan copies the store"
        assert_contains "$out" "write /var/lib/selinux/mcs/active/policy.kern" "the store's policy is planned like the image's"

        run_apply "$root"
        assert_eq "$rc" 0 "apply: $err"
        [ -d "$root/var/lib/selinux" ] && [ ! -L "$root/var/lib/selinux" ] || fail "/var/lib/selinux is no directory"
        diff -r "$root/usr/lib/selinux/policy/mcs/active/modules" "$root/var/lib/selinux/mcs/active/modules" >/dev/null ||
                fail "the store's modules differ from /usr's"
        kern="$root/var/lib/selinux/mcs/active/policy.kern"
        assert_eq "$(default_of "$kern" allow_execmem)" true "the boolean in the store's policy.kern"
        assert_eq "$(cat "$root/var/lib/selinux/mcs/active/booleans.local")" "allow_execmem=1" "booleans.local"
        [ "$(dontaudit_count "$kern")" -eq 0 ] || fail "the store's policy.kern keeps dontaudit rules"
        [ -f "$root/var/lib/selinux/mcs/ignition-selinux/policy.kern" ] || fail "the original policy.kern not saved"
        labels_ok "$root" /var/lib /var/lib/selinux

        before=$(snap --ctime "$root")
        run_plan "$root"
        assert_contains "$out" "nothing to change" "plan after apply"
        assert_eq "$(writes_of "$BIN" apply --root "$root" --cmdline "$CMDLINE" --source-root "$TMP/nosources" \
                --no-load)" 0 "filesystem-changing calls of a second run"
        assert_eq "$(snap --ctime "$root")" "$before" "a second run changed nothing"
done

note "disabled: nothing made"
root="$TMP/root-disabled"; mkroot tiny-old-rel "$root"
rm -rf "$root/var/lib"
block_file "$root" '{"selinux": {"mode": "disabled"}}'
run_apply "$root"
assert_eq "$rc" 0 "apply disabled: $err"
[ ! -e "$root/var/lib" ] || fail "disabled made /var/lib"
