#!/bin/bash
# "modules" and "permissiveDomains": CIL modules installed into the target's
# store by libsemanage and the policy rebuilt with them (rules in policy.N
# and policy.kern, `semodule -l` lists them, labels as file_contexts says);
# permissive domains as `semanage permissive -a` makes them; a second run
# changes nothing; removal; bad CIL named by module with the compiler's
# message and nothing installed; kept together with auditDenials and booleans.
. "$(dirname "$0")/../lib/common.sh"
command -v sesearch >/dev/null || skip "sesearch (setools) is not installed"
command -v semodule >/dev/null || skip "semodule is not installed"

has_rule() { [ -n "$(sesearch -A -s "$2" -t "$3" -c "$4" -p "$5" "$1")" ]; }
permissive_types() {
        /usr/bin/python3 -c 'import sys, setools
print(" ".join(sorted(str(t) for t in setools.SELinuxPolicy(sys.argv[1]).types() if t.ispermissive)))' "$1"
}
modules_of() { semodule -p "$1" -s mcs -l | grep -E '^(flannel-cni|from-url|permissive_|bad)' | tr '\n' ' '; }
default_of() { seinfo "$1" -x -b "$2" | awk '/^ *bool /{print $3}' | tr -d ';'; }

root="$TMP/root"; mkroot old-rel "$root"
pol="$root/etc/selinux/mcs/policy/policy.33"
kern="$root/var/lib/selinux/mcs/active/policy.kern"
has_rule "$pol" ntpd_t shadow_t file read && fail "Debian's policy already allows the test rule"
url="data:;base64,$(printf '(allow ntpd_t etc_runtime_t (sock_file (write)))' | base64 -w0)"
block_file "$root" '{"selinux": {"mode": "enforcing",
  "modules": [{"name": "flannel-cni", "cil": "(allow ntpd_t shadow_t (file (read)))"},
              {"name": "from-url", "source": "'"$url"'", "priority": 450}],
  "permissiveDomains": ["ntpd_t"],
  "booleans": {"allow_execmem": true}}}'
run_plan "$root"
assert_contains "$out" "install module flannel-cni (priority 400), install module from-url (priority 450), install module permissive_ntpd_t (priority 400)" "plan"
assert_contains "$(tail -2 <<<"$out")" "write /etc/selinux/config" "the mode is persisted last"
run_apply "$root"; assert_eq "$rc" 0 "apply modules ($err)"
for f in "$pol" "$kern"; do
        has_rule "$f" ntpd_t shadow_t file read || fail "the cil module's rule is in $f"
        has_rule "$f" ntpd_t etc_runtime_t sock_file write || fail "the data: URL module's rule is in $f"
        assert_eq "$(default_of "$f" allow_execmem)" true "the boolean holds through the rebuild in $f"
done
assert_eq "$(permissive_types "$pol")" ntpd_t "ntpd_t is permissive"
assert_eq "$(modules_of "$root")" "flannel-cni from-url permissive_ntpd_t " "semodule -l lists them"
assert_eq "$(semodule -p "$root" -s mcs --list-modules=full | awk '$2=="from-url"{print $1, $3}')" "450 cil" "priority and language"
assert_eq "$(grep ^SELINUX= "$root/etc/selinux/config")" "SELINUX=enforcing" "mode persisted"
labels_ok "$root" /etc/selinux/mcs /var/lib/selinux
[ ! -e "$root/var/lib/selinux/mcs/ignition-selinux.relabel" ] || fail "relabel marker removed"
before=$(snap --ctime "$root")
run_apply "$root"; assert_contains "$err" "nothing to change" "second run"
assert_eq "$(snap --ctime "$root")" "$before" "the second run writes nothing"
semodule -p "$root" -s mcs -n -B || fail "semodule -B on the store we left"
has_rule "$root/var/lib/selinux/mcs/active/policy.kern" ntpd_t shadow_t file read || fail "a later semodule -B keeps the module"

note "removal"
block_file "$root" '{"selinux": {"modules": [{"name": "flannel-cni", "remove": true}]}}'
run_apply "$root"; assert_eq "$rc" 0 "remove ($err)"
has_rule "$pol" ntpd_t shadow_t file read && fail "the removed module's rule is gone"
assert_eq "$(modules_of "$root")" "from-url permissive_ntpd_t " "only the removed one is gone"
run_apply "$root"; assert_contains "$err" "nothing to change" "removing an absent module is nothing to do"

note "a CIL syntax error is named by module and changes nothing"
root="$TMP/syntax"; mkroot old-rel "$root"
block_file "$root" '{"selinux": {"mode": "enforcing", "modules": [{"name": "bad", "cil": "(allow ntpd_t shadow_t (file (read))"}]}}'
before=$(snap --ctime "$root")
run_apply "$root"; assert_eq "$rc" 1 "syntax error"
assert_contains "$err" 'module "bad": CIL syntax error: Open parenthesis without matching close at line 1 of bad' "message"
assert_contains "$err" "ignition.json:1:" "position of the module"
assert_eq "$(snap --ctime "$root")" "$before" "nothing changed"

note "validate, on a workstation, finds the same syntax error"
printf '{"ignition": {"version": "3.4.0"}, "selinux": {"modules": [{"name": "bad", "cil": "(allow a b (file (read))"}]}}' >"$TMP/v.ign"
set +e; out=$("$BIN" validate "$TMP/v.ign" 2>&1); rc=$?; set -e
assert_eq "$rc" 1 "validate fails"
assert_contains "$out" 'v.ign:1:60: $.selinux.modules[0]: module "bad": CIL syntax error: Open parenthesis without matching close at line 1 of bad' "validate's message"

note "an unknown type is named by module with the compiler's message; nothing installed, mode not persisted"
root="$TMP/unknown"; mkroot old-rel "$root"
block_file "$root" '{"selinux": {"mode": "enforcing", "modules": [{"name": "bad", "cil": "(allow nosuch_t self (file (read)))"}]}}'
run_apply "$root"; assert_eq "$rc" 3 "unknown type fails the apply"
assert_contains "$err" 'module "bad": the policy rebuild failed; nothing was installed' "message names the module"
assert_contains "$err" "Failed to resolve allow statement at" "the compiler's message"
assert_eq "$(modules_of "$root")" "" "nothing installed"
[ -L "$root/etc/selinux/config" ] || fail "the config is not written when the rebuild fails"
[ ! -e "$root/var/lib/selinux/mcs/tmp" ] || fail "libsemanage's sandbox is cleaned up"
[ ! -e "$root/var/lib/selinux/mcs/ignition-selinux.relabel" ] || fail "no relabel marker after a failed rebuild"
[ ! -e "$root/var/lib/selinux/final" ] || fail "libsemanage's final/ build directory is removed: $(find "$root/var/lib/selinux/final" | head -3)"

note "a module named base replaces the store's base: the message says so, not another module's name"
root="$TMP/base"; mkroot plain "$root"
block_file "$root" '{"selinux": {"mode": "enforcing", "modules": [{"name": "base", "cil": "(allow ntpd_t shadow_t (file (read)))"}]}}'
before=$(find "$root" -printf '%p %y %m\n' | sort)
run_apply "$root"; assert_eq "$rc" 3 "a rebuild without the base module fails"
assert_contains "$err" 'module "base": it replaces the store'"'"'s module "base" of priority 100, and the policy no longer builds' "names the module that broke it"
assert_eq "$(find "$root" -printf '%p %y %m\n' | sort)" "$before" "nothing left behind"

note "permissiveDomains: an unknown type gets a hint and changes nothing"
block_file "$root" '{"selinux": {"permissiveDomains": ["ntpd_tt"]}}'
before=$(snap --ctime "$root")
run_apply "$root"; assert_eq "$rc" 1 "unknown permissive type"
assert_contains "$err" 'expected a type the mcs policy defines, got "ntpd_tt" (did you mean "ntpd_t"?)' "hint"
assert_eq "$(snap --ctime "$root")" "$before" "nothing changed"

note "modules with auditDenials: one rebuild without dontaudit rules; the undo rebuilds with them"
root="$TMP/audit"; mkroot new "$root"
pol="$root/etc/selinux/mcs/policy/policy.33"
block_file "$root" '{"selinux": {"mode": "enforcing", "auditDenials": true, "permissiveDomains": ["ntpd_t"]}}'
run_apply "$root"; assert_eq "$rc" 0 "audit + module ($err)"
assert_eq "$(dontaudit_count "$pol")" 0 "built without dontaudit rules"
assert_eq "$(permissive_types "$pol")" ntpd_t "with the module"
[ ! -e "$root/var/lib/selinux/mcs/ignition-selinux" ] || fail "no saved originals older than the rebuild"
run_apply "$root"; assert_contains "$err" "nothing to change" "second run"
block_file "$root" '{"selinux": {"auditDenials": false}}'
run_apply "$root"; assert_eq "$rc" 0 "undo ($err)"
[ "$(dontaudit_count "$pol")" -gt 10000 ] || fail "dontaudit rules back"
assert_eq "$(permissive_types "$pol")" ntpd_t "the module stays"
labels_ok "$root" /etc/selinux/mcs /var/lib/selinux

note "an interrupted rebuild is labelled by the next run"
touch "$root/var/lib/selinux/mcs/ignition-selinux.relabel"
setfattr -h -x security.selinux "$pol"
run_plan "$root"; assert_contains "$out" "a rebuild was interrupted" "plan"
run_apply "$root"; assert_eq "$rc" 0 "relabel ($err)"
labels_ok "$root" /etc/selinux/mcs /var/lib/selinux
[ ! -e "$root/var/lib/selinux/mcs/ignition-selinux.relabel" ] || fail "marker removed"
echo ok
