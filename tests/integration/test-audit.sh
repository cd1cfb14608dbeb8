#!/bin/bash
# auditDenials: the rules that hide AVC records stop applying, the store is
# marked like `semodule -D`, the policy loses its dontaudit rules; `false`
# afterwards restores every original byte.
. "$(dirname "$0")/../lib/common.sh"

for layout in old-rel new plain; do
        note "layout $layout"
        root="$TMP/$layout"
        mkroot "$layout" "$root"
        rules_before=$(files_meta "$root/etc/audit")
        pol="$root/etc/selinux/mcs/policy/policy.33"
        kern="$root/var/lib/selinux/mcs/active/policy.kern"
        pol_sum=$(sha256sum <"$pol") kern_sum=$(sha256sum <"$kern")
        # Every xattr but the label (of its place, set anew) and the mtime.
        meta() { (getfattr -h -d -m - -e hex "$1" | grep -v '^security.selinux=\|^#'; stat -c %Y "$1") 2>/dev/null; }
        pol_meta=$(meta "$pol") kern_meta=$(meta "$kern")
        n=$(dontaudit_count "$pol")
        [ "$n" -gt 10000 ] || fail "expected a policy with dontaudit rules, got $n"
        if command -v seinfo >/dev/null; then
                grep -Eq 'Dontaudit: +[1-9]' <<<"$(seinfo "$pol")" || fail "seinfo sees no dontaudit rules before"
        fi

        block_file "$root" '{"selinux": {"mode": "enforcing", "auditDenials": true}}'
        run_apply "$root"
        assert_eq "$rc" 0 "apply auditDenials=true ($err)"
        assert_eq "$(dontaudit_count "$pol")" 0 "loaded policy has no dontaudit rules"
        assert_eq "$(dontaudit_count "$kern")" 0 "store policy.kern has no dontaudit rules"
        if command -v seinfo >/dev/null; then
                grep -Eq 'Dontaudit: +0$' <<<"$(seinfo "$pol")" || fail "seinfo still sees dontaudit rules"
        fi
        [ -f "$root/var/lib/selinux/mcs/active/disable_dontaudit" ] || fail "store not marked"
        [ ! -e "$root/etc/audit/rules.d/80-selinux.rules" ] || fail "80-selinux.rules still applies"
        ! grep -q 'msgtype>0' "$root/etc/audit/rules.d/99-default.rules" || fail "catch-all exclude still there"
        grep -q 'msgtype=CONFIG_CHANGE' "$root/etc/audit/rules.d/99-default.rules" || fail "other rules must stay"
        labels_ok "$root" /etc/selinux/mcs /var/lib/selinux /etc/audit/rules.d/99-default.rules
        [ -z "$(find "$root" -name '*.ignition-selinux')" ] || fail "staged leftovers"
        assert_eq "$(getfattr -h --only-values -n user.ignition-selinux "$pol")" "dontaudit-removed" "our policy is tagged"
        before=$(snap --ctime "$root")
        assert_eq "$(writes_of "$BIN" apply --root "$root" --cmdline "$CMDLINE" --source-root "$TMP/nosources" --no-load)" 0 "second run makes no write call"
        run_apply "$root"
        assert_contains "$err" "nothing to change" "second run with auditDenials"
        assert_eq "$(snap --ctime "$root")" "$before" "second run changed nothing"

        block_file "$root" '{"selinux": {"mode": "enforcing", "auditDenials": false}}'
        run_apply "$root"
        assert_eq "$rc" 0 "apply auditDenials=false ($err)"
        assert_eq "$(sha256sum <"$pol")" "$pol_sum" "policy restored byte for byte"
        assert_eq "$(sha256sum <"$kern")" "$kern_sum" "policy.kern restored byte for byte"
        assert_eq "$(meta "$pol")" "$pol_meta" "policy restored with its xattrs (user.test) and mtime"
        assert_eq "$(meta "$kern")" "$kern_meta" "policy.kern restored with its xattrs and mtime"
        assert_eq "$(dontaudit_count "$pol")" "$n" "dontaudit rules back"
        [ ! -e "$root/var/lib/selinux/mcs/active/disable_dontaudit" ] || fail "store still marked"
        [ ! -e "$root/var/lib/selinux/mcs/ignition-selinux" ] || fail "saved copies left behind"
        assert_eq "$(files_meta "$root/etc/audit")" "$rules_before" "audit rules restored"
        run_apply "$root"
        assert_contains "$err" "nothing to change" "second run after undo"
done

note "a policy rewritten with the same content (untagged) is checked, then restored"
root="$TMP/rewritten"; mkroot plain "$root"
pol="$root/etc/selinux/mcs/policy/policy.33"; orig=$(sha256sum <"$pol")
block_file "$root" '{"selinux": {"auditDenials": true}}'
run_apply "$root"; assert_eq "$rc" 0 "enable"
cp "$pol" "$TMP/same"; cp "$TMP/same" "$pol.new"; mv "$pol.new" "$pol"
getfattr -h -n user.ignition-selinux "$pol" >/dev/null 2>&1 && fail "a rewritten file must not carry the tag"
block_file "$root" '{"selinux": {"auditDenials": false}}'
run_apply "$root"; assert_eq "$rc" 0 "undo after an identical rewrite ($err)"
assert_eq "$(sha256sum <"$pol")" "$orig" "original restored"

note "dontaudit rules gone with no saved original: the slow path rebuilds with libsemanage"
root="$TMP/rebuilt"; mkroot plain "$root"
pol="$root/etc/selinux/mcs/policy/policy.33"
block_file "$root" '{"selinux": {"auditDenials": true}}'
run_apply "$root"; assert_eq "$rc" 0 "enable"
rm -r "$root/var/lib/selinux/mcs/ignition-selinux"
block_file "$root" '{"selinux": {"auditDenials": false}}'
run_plan "$root"; assert_contains "$out" "rebuild the policy with libsemanage to restore the dontaudit rules" "plan says so"
run_apply "$root"
assert_eq "$rc" 0 "undo without the saved originals rebuilds ($err)"
[ "$(dontaudit_count "$pol")" -gt 10000 ] || fail "dontaudit rules back in $pol"
[ "$(dontaudit_count "$root/var/lib/selinux/mcs/active/policy.kern")" -gt 10000 ] || fail "dontaudit rules back in policy.kern"
[ ! -e "$root/var/lib/selinux/mcs/active/disable_dontaudit" ] || fail "marker gone"
labels_ok "$root" /etc/selinux/mcs /var/lib/selinux
run_apply "$root"; assert_contains "$err" "nothing to change" "second run after the rebuild"
echo ok
