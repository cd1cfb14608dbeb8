#!/bin/bash
# Target roots this program must refuse at planning, with exit status 1, a message naming the
# path and what is wrong, and the root byte-identical (times included): a symlink inside the
# root on the way to a path the plan writes (which the step would write through, or refuse
# half way, after other steps had already run); a file of another kind (FIFO, device, socket,
# directory) where a regular file is read, never opened; file contexts that are missing or do
# not load, which every labelling step needs.
. "$(dirname "$0")/../lib/common.sh"

n=0
# case_ NAME LAYOUT BLOCK SETUP EXPECTED...: SETUP is run with $root set.
case_() {
        local name=$1 layout=$2 block=$3 setup=$4; shift 4
        local root="$TMP/case"
        rm -rf "$root"; mkroot "$layout" "$root"
        block_file "$root" "$block"
        eval "$setup"
        local before; before=$(snap --ctime "$root")
        run_plan "$root"
        [ "$rc" -eq 1 ] || fail "$name: plan exit status $rc, expected 1 (stderr: $err)"
        run_apply "$root" </dev/null
        [ "$rc" -eq 1 ] || fail "$name: apply exit status $rc, expected 1 (stderr: $err)"
        local e; for e in "$@"; do assert_contains "$err" "$e" "$name"; done
        assert_not_contains "$err" "Invalid argument" "$name: no stray errno text"
        assert_not_contains "$err" "/proc/self/fd" "$name: no file named by a descriptor"
        assert_eq "$(snap --ctime "$root")" "$before" "$name: target unchanged"
        n=$((n + 1)); echo "ok $n $name: $(grep -m1 error: <<<"$err")"
}
AUDIT='{"selinux": {"mode": "enforcing", "auditDenials": true}}'
ENF='{"selinux": {"mode": "enforcing"}}'

# A symlink inside the root on a way the plan writes.
case_ audit-dir-link tiny-new "$AUDIT" 'mv "$root/etc/audit" "$root/etc/audit-real"; ln -s audit-real "$root/etc/audit"' \
        '/etc/audit: a symlink to audit-real on the way to /etc/audit/rules.d/80-selinux.rules, which this run writes; refusing to write through it'
case_ rules-dir-link tiny-new "$AUDIT" 'mv "$root/etc/audit/rules.d" "$root/etc/rules-real"; ln -s /etc/rules-real "$root/etc/audit/rules.d"' \
        '/etc/audit/rules.d: a symlink to /etc/rules-real on the way to'
case_ policy-dir-link tiny-new "$AUDIT" 'mv "$root/etc/selinux/mcs/policy" "$root/policy-real"; ln -s ../../../policy-real "$root/etc/selinux/mcs/policy"' \
        '/etc/selinux/mcs/policy: a symlink to ../../../policy-real on the way to /etc/selinux/mcs/policy/policy.33'
case_ store-active-link tiny-new "$AUDIT" 'd=$root/usr/lib/selinux/policy/mcs; mv "$d/active" "$d/active-real"; ln -s active-real "$d/active"' \
        '/usr/lib/selinux/policy/mcs/active: a symlink to active-real on the way to /var/lib/selinux/mcs/active/'
case_ store-active-link-new-store tiny-plain "$AUDIT" 'd=$root/var/lib/selinux/mcs; mv "$d/active" "$d/active-real"; ln -s active-real "$d/active"' \
        '/var/lib/selinux/mcs/active: a symlink to active-real on the way to'
case_ rules-dir-not-dir tiny-new "$AUDIT" 'rm -rf "$root/etc/audit/rules.d"; echo x >"$root/etc/audit/rules.d"' \
        '/etc/audit/rules.d/99-default.rules: cannot be read: something on the way to it is not a directory'

# Another kind of file where a regular file is read: never opened, named.
for kind in fifo chardev socket dir; do
        case $kind in
        fifo) mk='mkfifo "$root/etc/selinux/config"'; what='a FIFO' ;;
        chardev) mk='mknod "$root/etc/selinux/config" c 1 3'; what='a character device' ;;
        socket) mk='python3 -c "import socket,sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])" "$root/etc/selinux/config"'; what='a socket' ;;
        dir) mk='mkdir "$root/etc/selinux/config"'; what='a directory' ;;
        esac
        case_ "config-is-$kind" tiny-plain "$ENF" "rm \"\$root/etc/selinux/config\"; $mk" \
                "/etc/selinux/config: expected a regular file, found $what"
done
case_ policy-is-fifo tiny-plain "$AUDIT" 'rm "$root/etc/selinux/mcs/policy/policy.33"; mkfifo "$root/etc/selinux/mcs/policy/policy.33"' \
        'policy.33: expected a regular file, found a FIFO'
case_ rules-is-dir tiny-plain "$AUDIT" 'rm "$root/etc/audit/rules.d/99-default.rules"; mkdir "$root/etc/audit/rules.d/99-default.rules"' \
        '99-default.rules: expected a regular file, found a directory'
case_ config-missing tiny-plain '{"selinux": {"mode": "enforcing"}}' 'rm "$root/etc/selinux/config"' \
        '/etc/selinux/config: no such file and the config sets no $.selinux.policy'

# File contexts the labelling steps need.
case_ no-file-contexts tiny-old-rel "$ENF" 'rm -f "$root"/usr/lib/selinux/mcs/contexts/files/file_contexts*' \
        '/etc/selinux/mcs/contexts/files/file_contexts: cannot be loaded' 'and the files this run writes need their labels'
case_ garbage-file-contexts tiny-old-rel "$ENF" 'f=$root/usr/lib/selinux/mcs/contexts/files/file_contexts; rm -f "$f".bin; printf "/etc(/.*)?\tnot_a_context\n/x  y  z  w\n" >"$f"' \
        'file_contexts: cannot be loaded (file_contexts:  line 2 has invalid file type y)'
[ "$n" -ge 14 ] || fail "only $n cases"
echo "$n bad targets refused at planning"
