#!/bin/bash
# valgrind memcheck over the unit tests and the program's main paths (apply
# with every key, a second run, the undo, plan, validate, bad input): any
# invalid access or leak fails. The fault-injection test is left to ASan.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-build}
bin="$top/$BUILD/ignition-selinux"
tmp=$(mktemp -d /var/tmp/ignition-selinux-vg.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
# valgrind does not know openat2 (it warns, then the program falls back anyway): the
# program takes its own resolver, as on a kernel without it.
vg=(env LD_PRELOAD="$top/$BUILD/tests/no-openat2.so" valgrind -q --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect
    --errors-for-leak-kinds=definite,indirect --track-origins=yes)
pass=0 fail=0

run() {
        local name=$1; shift
        local rc=0
        "${vg[@]}" --log-file="$tmp/vg.raw" "$@" >"$tmp/out" 2>&1 || rc=$?
        # valgrind's own gap, not a finding: it has no model of some ioctls
        # libblkid sends to loop and CD devices (0x5395 CDROM_LAST_WRITTEN)
        # and says so in three lines, on machines that have such devices.
        awk '/Warning: noted but unhandled ioctl/ {skip = 2; next}
             skip > 0 && /spurious value errors|README_MISSING_SYSCALL_OR_IOCTL/ {skip--; next}
             {skip = 0; print}' "$tmp/vg.raw" >"$tmp/vg.log"
        if [ "$rc" -eq 99 ] || [ -s "$tmp/vg.log" ]; then
                fail=$((fail + 1)); echo "FAIL $name"; sed 's/^/    /' "$tmp/vg.log" | head -40
        else
                pass=$((pass + 1)); echo "ok   $name (exit $rc)"
        fi
}

for t in "$top/$BUILD"/tests/test-*; do
        run "$(basename "$t")" "$t"
done

echo 'console=ttyS0' >"$tmp/cmdline"
root="$tmp/root"
bash "$top/tests/lib/mkroot.sh" old-rel "$root"
apply() { run "$1" "$bin" apply --root "$root" --cmdline "$tmp/cmdline" --source-root /nonexistent --no-load; }
echo '{"selinux": {"mode": "enforcing", "auditDenials": true, "booleans": {"allow_execmem": true}}}' \
        >"$root/etc/selinux/ignition.json"
run plan "$bin" plan --root "$root" --cmdline "$tmp/cmdline" --source-root /nonexistent
apply "apply (copies, config, audit, booleans)"
apply "apply again (nothing to do)"
echo '{"selinux": {"auditDenials": false}}' >"$root/etc/selinux/ignition.json"
apply "apply (undo auditDenials)"
echo '{"selinux": {"mode": "enforce", "extra": 1, "booleans": {"allow_execmen": 1}}}' >"$root/etc/selinux/ignition.json"
apply "apply (bad input)"
echo '{"selinux": {"modules": [{"name": "x", "cil": "(allow ntpd_t shadow_t (file (read)))"}], "permissiveDomains": ["ntpd_t"]}}' \
        >"$root/etc/selinux/ignition.json"
apply "apply (modules: a libsemanage rebuild)"
echo '{"selinux": {"modules": [{"name": "y", "cil": "(allow nosuch_t self (file (read)))"}, {"name": "x", "remove": true}]}}' \
        >"$root/etc/selinux/ignition.json"
apply "apply (a module that does not build)"
echo '{"selinux": {"modules": [{"name": "y", "cil": "(allow"}]}}' >"$root/etc/selinux/ignition.json"
apply "apply (a CIL syntax error)"
echo '{"selinux": {"mode": "enforcing"}}' >"$root/etc/selinux/ignition.json"
run "apply with load (fails closed without SELinux)" "$bin" apply --root "$root" --cmdline "$tmp/cmdline" --source-root /nonexistent
run validate "$bin" validate "$top"/tests/data/validate/*
echo "valgrind: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
