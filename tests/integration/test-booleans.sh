#!/bin/bash
# "booleans": defaults set in the compiled policy (in effect from the first
# load), recorded in the store's booleans.local (kept by later rebuilds),
# kept across auditDenials and its undo; unknown names rejected with a hint.
. "$(dirname "$0")/../lib/common.sh"
command -v seinfo >/dev/null || skip "seinfo (setools) is not installed"

default_of() { seinfo "$1" -x -b "$2" | awk '/^ *bool /{print $3}' | tr -d ';'; }
root="$TMP/root"; mkroot old-rel "$root"
pol="$root/etc/selinux/mcs/policy/policy.33"
kern="$root/var/lib/selinux/mcs/active/policy.kern"
assert_eq "$(default_of "$pol" allow_execmem)" false "allow_execmem is off in Debian's policy"

block_file "$root" '{"selinux": {"mode": "enforcing", "booleans": {"allow_execmem": true, "httpd_use_nfs": true}}}'
run_apply "$root"; assert_eq "$rc" 0 "apply booleans ($err)"
for f in "$pol" "$kern"; do
        assert_eq "$(default_of "$f" allow_execmem)" true "allow_execmem on in $f"
        assert_eq "$(default_of "$f" httpd_use_nfs)" true "httpd_use_nfs on in $f"
done
assert_eq "$(cat "$root/var/lib/selinux/mcs/active/booleans.local")" $'allow_execmem=1\nhttpd_use_nfs=1' "booleans.local as setsebool -P writes it"
labels_ok "$root" /etc/selinux/mcs /var/lib/selinux
run_apply "$root"; assert_contains "$err" "nothing to change" "second run"

note "with auditDenials, and back"
block_file "$root" '{"selinux": {"auditDenials": true, "booleans": {"httpd_use_nfs": false}}}'
run_apply "$root"; assert_eq "$rc" 0 "auditDenials with booleans ($err)"
assert_eq "$(dontaudit_count "$pol")" 0 "stripped"
assert_eq "$(default_of "$pol" allow_execmem)" true "earlier boolean kept"
assert_eq "$(default_of "$pol" httpd_use_nfs)" false "boolean turned off again"
assert_eq "$(cat "$root/var/lib/selinux/mcs/active/booleans.local")" $'allow_execmem=1\nhttpd_use_nfs=0' "booleans.local merged"
block_file "$root" '{"selinux": {"auditDenials": false}}'
run_apply "$root"; assert_eq "$rc" 0 "undo ($err)"
[ "$(dontaudit_count "$pol")" -gt 10000 ] || fail "dontaudit rules back"
assert_eq "$(default_of "$pol" allow_execmem)" true "booleans survive the undo"
assert_eq "$(default_of "$kern" httpd_use_nfs)" false "booleans survive the undo in policy.kern"

note "bad booleans change nothing"
for case in '{"allow_execmen": true}|did you mean "allow_execmem"' \
            '{"allow_execmem": "yes"}|$.selinux.booleans.allow_execmem: expected true or false' \
            '{"no such": true}|expected a boolean name' \
            '[1]|$.selinux.booleans: expected an object'; do
        before=$(snap --ctime "$root")
        block_file "$root" "{\"selinux\": {\"booleans\": ${case%%|*}}}"
        before=$(snap --ctime "$root")
        run_apply "$root"
        assert_eq "$rc" 1 "bad booleans ${case%%|*}"
        assert_contains "$err" "${case#*|}" "message for ${case%%|*}"
        assert_eq "$(snap --ctime "$root")" "$before" "nothing changed for ${case%%|*}"
done
echo ok
