#!/bin/bash
# What Ignition wrote gets the labels setfiles would give it. Flatcar's Ignition labels
# nothing; Debian's Ignition runs here the same way (its setfiles a no-op that records what
# upstream Ignition would have labelled), writing a few hundred entries of every kind on a
# Flatcar-like root. Then `apply` must leave every label of the tree exactly as the real
# `setfiles -F` leaves them on a copy, given upstream Ignition's own list; plan lists them;
# a second run changes nothing; "disabled" labels nothing; a missing or bad cache only warns.
. "$(dirname "$0")/../lib/common.sh"
. "$LIB/ignition.sh"

root="$TMP/root"; mkroot new "$root"; flatcarish "$root"
"$TOP/tests/data/ignition/gen-config.py" '{"selinux": {"mode": "enforcing"}}' >"$TMP/ign.json"
ignition_files "$root" "$TMP/ign.json" "$TMP/upstream-list"
fc="$root/etc/selinux/mcs/contexts/files/file_contexts"
unlabelled=$(cd "$root" && getfattr -R -h -n security.selinux . 2>&1 | grep -c 'No such attribute' || true)
[ "$unlabelled" -gt 300 ] || fail "Ignition left only $unlabelled unlabelled entries; the test needs hundreds"
note "Ignition wrote $unlabelled unlabelled entries; upstream would label $(tr -cd '\0' <"$TMP/upstream-list" | wc -c) paths"

oracle="$TMP/oracle"; cp -a "$root" "$oracle"
# Upstream's list comes in Go's map order, random from run to run; setfiles gives a file with
# several hard links the label of the first of its paths it meets: sorted, as the program
# takes them, the outcome is defined.
sed -z "s#^$root#$oracle#" "$TMP/upstream-list" | sort -z >"$TMP/oracle-list"
setfiles -F0 -r "$oracle" "$oracle/etc/selinux/mcs/contexts/files/file_contexts" -f - <"$TMP/oracle-list" ||
        fail "setfiles on the oracle copy"

run_plan "$root" --ignition-config "$TMP/ign.json" -v
assert_eq "$rc" 0 "plan"
assert_contains "$out" "label $unlabelled unlabelled entries Ignition wrote" "plan counts the unlabelled entries"
assert_contains "$out" "unlabelled: /home/core/.ssh/authorized_keys.d/ignition" "plan -v lists them"
assert_contains "$out" "unlabelled: /etc/systemd/system/svc0.service.d/10-env.conf" "drop-ins"
run_plan "$root" --ignition-config "$TMP/ign.json"
assert_not_contains "$out" "unlabelled: " "only -v lists every entry"

# The program's own writes (config, copies) are labelled too; both trees get those from the
# same oracle: the policy directory's copy is compared by test-apply-layouts.
run_apply "$root" --ignition-config "$TMP/ign.json"
assert_eq "$rc" 0 "apply: $err"
# (a file with several hard links is one label: fewer than the paths listed)
grep -qE "labelled 3[0-9]{2} entries in [0-9]+ places Ignition wrote" <<<"$err" ||
        fail "the journal says how many were labelled: $err"
setfiles -F -r "$oracle" "$oracle/etc/selinux/mcs/contexts/files/file_contexts" "$oracle/etc/selinux/config"
# Every entry outside what the program itself replaces carries setfiles' label.
only_ignition() { labels "$1" | grep -v '^\./etc/selinux/\|^\./var/lib/selinux'; }
diff <(only_ignition "$root") <(only_ignition "$oracle") >"$TMP/diff" ||
        fail "labels differ from setfiles': $(head -20 "$TMP/diff")"
note "every label equals setfiles -F's ($(only_ignition "$root" | wc -l) entries compared)"
label_of() { getfattr -h --only-values -n security.selinux "$root$1" 2>/dev/null | tr -d '\0'; }
assert_eq "$(label_of /etc/shadow)" "system_u:object_r:shadow_t:s0" "/etc/shadow"
assert_eq "$(label_of /home/core/.ssh/authorized_keys.d/ignition)" "unconfined_u:object_r:ssh_home_t:s0" "authorized_keys"
assert_eq "$(label_of /etc/systemd/system/svc0.service)" "system_u:object_r:systemd_unit_t:s0" "a unit"
assert_eq "$(label_of /etc/systemd/system/multi-user.target.wants/svc1.service)" "system_u:object_r:systemd_unit_t:s0" "a .wants link"
assert_eq "$(label_of /var/home/bob)" "$(getfattr -h --only-values -n security.selinux "$oracle/var/home/bob" | tr -d '\0')" "a home elsewhere"
labels_ok "$root" /etc/selinux/ignition.json /etc/passwd /etc/shadow /home /srv /var/lib/svc0 /var/log /var/home /root

note "a second run changes nothing"
before=$(snap --ctime "$root")
run_plan "$root" --ignition-config "$TMP/ign.json"
assert_contains "$out" "nothing to change" "plan after apply"
assert_eq "$(writes_of "$BIN" apply --root "$root" --cmdline "$CMDLINE" --source-root "$TMP/nosources" \
        --ignition-config "$TMP/ign.json" --no-load)" 0 "filesystem-changing calls of a second run"
assert_eq "$(snap --ctime "$root")" "$before" "nothing changed, not even times"

note "mode disabled: nothing is labelled"
r2="$TMP/r2"; mkroot tiny-new "$r2"; flatcarish "$r2"
ignition_files "$r2" "$TMP/ign.json"
printf '{"selinux": {"mode": "disabled"}}' >"$r2/etc/selinux/ignition.json"
run_apply "$r2" --ignition-config "$TMP/ign.json"
assert_eq "$rc" 0 "apply disabled: $err"
assert_not_contains "$err" "labelled" "no labels with disabled"
[ -z "$(getfattr -h -n security.selinux "$r2/etc/shadow" 2>/dev/null)" ] || fail "disabled labelled /etc/shadow"

note "no selinux block: the image's own mode (permissive) decides, and labels are set"
r4="$TMP/r4"; mkroot tiny-new "$r4"; flatcarish "$r4"
ignition_files "$r4" "$TMP/ign.json"
rm "$r4/etc/selinux/ignition.json"
run_apply "$r4" --ignition-config "$TMP/ign.json"
assert_eq "$rc" 0 "apply without a block: $err"
assert_contains "$err" "labelled" "labels without a block"
labels_ok "$r4" /etc/shadow /home /srv

note "Ignition's cache missing on its first boot: a warning, the passwd files labelled"
r3="$TMP/r3"; mkroot tiny-old-rel "$r3"; flatcarish "$r3"
ignition_files "$r3" "$TMP/ign.json"
echo "console=ttyS0 flatcar.first_boot=detected" >"$TMP/firstboot"
set +e
err=$("$BIN" apply --root "$r3" --cmdline "$TMP/firstboot" --source-root "$TMP/nosources" --no-load 2>&1); rc=$?
set -e
assert_eq "$rc" 0 "apply without the cache"
assert_contains "$err" "warning: $TMP/nosources/run/ignition.json: cannot read: No such file or directory" "missing cache warned"
assert_contains "$err" "only what Ignition writes on its own" "and what that means"
labels_ok "$r3" /etc/passwd /etc/shadow /etc/group /etc/.ignition-result.json
[ -z "$(getfattr -h -n security.selinux "$r3/opt/tool0/bin/t0" 2>/dev/null)" ] || fail "labelled what it could not know of"
echo '{"storage": ' >"$TMP/bad.json"
run_apply "$r3" --ignition-config "$TMP/bad.json"
assert_eq "$rc" 0 "a bad cache does not fail the run"
assert_contains "$err" "warning: $TMP/bad.json: not an Ignition config" "bad cache warned"
mkfifo "$TMP/fifo"
run_apply "$r3" --ignition-config "$TMP/fifo"
assert_eq "$rc" 0 "a FIFO for a cache"
assert_contains "$err" "warning: $TMP/fifo: not a regular file" "a FIFO is not read"
echo ok
