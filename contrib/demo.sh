#!/bin/bash
# Demo: a Flatcar-like target root (old layout: /etc/selinux/config,
# /etc/selinux/mcs and /var/lib/selinux are links into read-only /usr), built
# from Debian's real selinux-policy-default, before and after `apply` of
#   {"selinux": {"mode": "enforcing", "auditDenials": true}}
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
bin="$top/build/ignition-selinux"
root=${DEMO_ROOT:-/var/tmp/ignition-selinux-demo}
rm -rf "$root"
bash "$top/tests/lib/mkroot.sh" old-rel "$root"
echo 'console=ttyS0 root=/dev/vda' >"$root.cmdline"

show() {
        echo "\$ ls -l $root/etc/selinux $root/var/lib | grep selinux"
        ls -l "$root/etc/selinux" "$root/var/lib" | grep -E 'config|mcs|selinux' || true
        echo "\$ grep ^SELINUX $root/etc/selinux/config"
        grep ^SELINUX "$root/etc/selinux/config"
        echo "\$ ls $root/etc/audit/rules.d"
        ls "$root/etc/audit/rules.d"
        echo "dontaudit rules in the policy: $(seinfo "$root/etc/selinux/mcs/policy/policy.33" 2>/dev/null | grep -o 'Dontaudit: *[0-9]*' | awk '{print $2}')"
}

echo "== before"; show
cat >"$root/etc/selinux/ignition.json" <<'JSON'
{"selinux": {"mode": "enforcing", "auditDenials": true}}
JSON
echo; echo "== the block, as the user's Ignition config writes it:"; cat "$root/etc/selinux/ignition.json"
echo; echo "\$ ignition-selinux plan --root $root"
"$bin" plan --root "$root" --cmdline "$root.cmdline" --source-root /nonexistent
echo; echo "\$ ignition-selinux apply --root $root --no-load"
time "$bin" apply --root "$root" --cmdline "$root.cmdline" --source-root /nonexistent --no-load
echo; echo "== after"; show
echo "\$ getfattr -n security.selinux $root/etc/selinux/mcs/policy/policy.33"
getfattr -h --only-values -n security.selinux "$root/etc/selinux/mcs/policy/policy.33"; echo
echo; echo "\$ ignition-selinux apply --root $root --no-load   # a second run"
"$bin" apply --root "$root" --cmdline "$root.cmdline" --source-root /nonexistent --no-load
