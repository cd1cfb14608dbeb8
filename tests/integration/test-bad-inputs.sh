#!/bin/bash
# A table of bad inputs: each fails with exit status 1, a message naming the
# file, line:column, JSON path, what was expected and what was found, and
# leaves the target root byte-identical (times included).
. "$(dirname "$0")/../lib/common.sh"

pristine="$TMP/pristine"
mkroot tiny-old-rel "$pristine"
n=0

# case NAME WHERE CONTENT EXPECTED... — WHERE is `file` (the target's
# /etc/selinux/ignition.json) or `raw` (a raw Ignition config via --config).
# CONTENT goes through printf %b. Each EXPECTED must appear in stderr.
case_() {
        local name=$1 where=$2 content=$3; shift 3
        local root="$TMP/case" args=()
        rm -rf "$root"; cp -a "$pristine" "$root"
        if [ "$where" = file ]; then
                printf '%b' "$content" >"$root/etc/selinux/ignition.json"
        else
                # what a case before made of it (a FIFO would block this write)
                rm -rf "$TMP/raw.ign"
                printf '%b' "$content" >"$TMP/raw.ign"; args=(--config "$TMP/raw.ign")
        fi
        [ -n "${SETUP:-}" ] && eval "$SETUP"
        check_case "$name" "$root" "$@" -- "${args[@]}"
}

check_case() {
        local name=$1 root=$2; shift 2
        local expect=()
        while [ "$1" != -- ]; do expect+=("$1"); shift; done; shift
        local before; before=$(snap --ctime "$root")
        run_apply "$root" "$@" </dev/null
        [ "$rc" -eq 1 ] || fail "$name: exit status $rc, expected 1 (stderr: $err)"
        local e; for e in "${expect[@]}"; do assert_contains "$err" "$e" "$name"; done
        assert_eq "$(snap --ctime "$root")" "$before" "$name: target unchanged"
        n=$((n + 1)); echo "ok $n $name: $(grep -m1 error: <<<"$err")"
}

J=ignition.json
case_ near-miss-mode file '{"selinux": {"mode": "enforce"}}' "$J:1:22: \$.selinux.mode: expected one of \"enforcing\", \"permissive\", \"disabled\", got \"enforce\" (did you mean \"enforcing\"?)"
case_ capitalised-mode file '{"selinux": {"mode": "Enforcing"}}' '$.selinux.mode' 'did you mean "enforcing"'
case_ mode-number file '{"selinux": {"mode": 1}}' "$J:1:22: \$.selinux.mode: expected one of"
case_ mode-bool file '{"selinux": {"mode": true}}' '$.selinux.mode: expected one of'
case_ mode-on-line-3 file '{\n  "selinux": {\n    "mode": "permisive"\n  }\n}' "$J:3:13: \$.selinux.mode" 'did you mean "permissive"'
case_ audit-string file '{"selinux": {"auditDenials": "yes"}}' '$.selinux.auditDenials: expected a boolean, got string "yes"'
case_ audit-number file '{"selinux": {"auditDenials": 1}}' '$.selinux.auditDenials: expected a boolean'
case_ policy-empty file '{"selinux": {"policy": ""}}' '$.selinux.policy: expected a policy name'
case_ policy-dotdot-slash file '{"selinux": {"policy": "../x"}}' '$.selinux.policy: expected a policy name' '"../x"'
case_ policy-slash file '{"selinux": {"policy": "a/b"}}' '$.selinux.policy: expected a policy name'
case_ policy-dotdot file '{"selinux": {"policy": ".."}}' '$.selinux.policy: expected a policy name'
case_ policy-number file '{"selinux": {"policy": 5}}' '$.selinux.policy'
case_ policy-missing file '{"selinux": {"mode": "enforcing", "policy": "targeted"}}' "$J:1:45: \$.selinux.policy: expected a policy installed on the target, got \"targeted\""
case_ duplicate-key file '{"selinux": {"mode": "enforcing", "mode": "permissive"}}' '$.selinux.mode: duplicate key (first at 1:14)'
case_ unknown-key file '{"selinux": {"modee": "enforcing"}}' '$.selinux.modee: unknown key' 'did you mean "mode"'
case_ snake-case-key file '{"selinux": {"audit_denials": true}}' 'did you mean "auditDenials"'
case_ block-array file '{"selinux": []}' '$.selinux: expected an object, got array'
case_ block-string file '{"selinux": "enforcing"}' '$.selinux: expected an object'
case_ block-number file '{"selinux": 42}' '$.selinux: expected an object, got number 42'
case_ extra-top-key file '{"selinux": {"mode": "enforcing"}, "extra": 1}' '$.extra: unknown key'
case_ truncated file '{"selinux": {"mode": "enforcing"}' "$J:1:" 'invalid JSON'
case_ trailing-garbage file '{"selinux": {"mode": "enforcing"}} garbage' 'invalid JSON'
case_ two-documents file '{"selinux": {}} {"selinux": {}}' 'invalid JSON'
case_ empty file '' 'empty input'
case_ top-array file '[1, 2]' '$: expected an object'
case_ trailing-comma file '{"selinux": {"mode": "enforcing",}}' 'invalid JSON'
case_ single-quotes file "{'selinux': {}}" 'invalid JSON'
case_ comment file '{"selinux": {"mode": "enforcing" /* x */}}' 'invalid JSON'
case_ non-utf8 file '{"selinux": {"mode": "\xff\xfe"}}' "$J:1:"
case_ nul-byte file '{"selinux": {"mode": "enf\x00orcing"}}' "$J:1:"
deep=$(printf '[%.0s' $(seq 1 5000))
case_ deep-nesting file "{\"selinux\": {\"x\": $deep" "$J:1:"
head -c $((17 * 1024 * 1024)) /dev/zero | tr '\0' ' ' >"$TMP/huge"
SETUP='cp "$TMP/huge" "$root/etc/selinux/ignition.json"' case_ huge file '' "$J" 'too large'
case_ raw-near-miss raw '{"ignition": {"version": "3.4.0"}, "selinux": {"mode": "permissve"}}' "raw.ign:1:" 'did you mean "permissive"'
case_ raw-not-json raw 'this is not json' 'raw.ign:1:' 'invalid JSON'
case_ raw-duplicate-block raw '{"selinux": {"mode": "enforcing"}, "selinux": {}}' 'raw.ign:1:' 'duplicate key'
case_ unknown-nested file '{"selinux": {"mode": "enforcing", "policy": "mcs", "auditDenials": true, "extra": {}}}' '$.selinux.extra: unknown key'
# Confinement: links that point outside the root are resolved inside it.
echo '{"selinux": {"mode": "disabled"}}' >"$TMP/decoy.json"
SETUP='rm "$root/etc/selinux/ignition.json"; ln -s "$TMP/decoy.json" "$root/etc/selinux/ignition.json"' \
        case_ block-link-out-of-root file '' 'ignition.json: a symlink that leads nowhere inside the target root'
echo 'SELINUXTYPE=outside' >"$TMP/outside-config"
SETUP='rm "$root/etc/selinux/config"; ln -s ../../../../../../../..$TMP/outside-config "$root/etc/selinux/config"' \
        case_ config-link-out-of-root file '{"selinux": {"mode": "enforcing"}}' '/etc/selinux/config: a symlink that leads nowhere inside the target root'
SETUP='rm "$root/etc/selinux/mcs"; ln -s /nonexistent "$root/etc/selinux/mcs"' \
        case_ dangling-policy-link file '{"selinux": {"mode": "enforcing"}}' 'SELINUXTYPE=mcs' '/etc/selinux/mcs'
SETUP='rm "$root/etc/selinux/ignition.json"; mkdir "$root/etc/selinux/ignition.json"' \
        case_ block-is-directory file '' 'ignition.json: not a regular file'
SETUP='args=(--source-root "$TMP/src"); mkdir -p "$TMP/src/usr/lib/ignition/base.d"; echo "{\"selinux\": {\"mode\": 3}}" >"$TMP/src/usr/lib/ignition/base.d/10-bad.ign"; rm "$root/etc/selinux/ignition.json"' \
        case_ bad-base-d file '' 'base.d/10-bad.ign:1:' '$.selinux.mode'
case_ unknown-boolean file '{"selinux": {"booleans": {"allow_execmen": true}}}' '$.selinux.booleans.allow_execmen: expected a boolean the mcs policy defines' 'did you mean "allow_execmem"'
case_ boolean-string file '{"selinux": {"booleans": {"allow_execmem": "on"}}}' '$.selinux.booleans.allow_execmem: expected true or false, got string "on"'
case_ booleans-array file '{"selinux": {"booleans": ["allow_execmem"]}}' '$.selinux.booleans: expected an object'
case_ boolean-bad-name file '{"selinux": {"booleans": {"a-b": true}}}' 'expected a boolean name'
case_ boolean-duplicate file '{"selinux": {"booleans": {"allow_execmem": true, "allow_execmem": false}}}' '$.selinux.booleans.allow_execmem: duplicate key'
case_ policy-space file '{"selinux": {"policy": "mcs "}}' '$.selinux.policy: expected a policy name'
case_ policy-dot file '{"selinux": {"policy": "."}}' '$.selinux.policy: expected a policy name'
long=$(printf 'x%.0s' $(seq 1 2000))
case_ long-mode file "{\"selinux\": {\"mode\": \"$long\"}}" '$.selinux.mode: expected one of' 'x"...'
case_ byte-order-mark file '\xef\xbb\xbf{"selinux": {"mode": "enforcing"}}' 'invalid JSON'
case_ nan file '{"selinux": {"auditDenials": NaN}}' 'invalid JSON'
case_ raw-tab-in-string file '{"selinux": {"mode": "enf\torcing"}}' 'invalid JSON'
case_ quoted-true file '{"selinux": {"auditDenials": "true"}}' 'did you mean true, without quotes?'
case_ raw-block-array raw '{"ignition": {"version": "3.4.0"}, "selinux": ["enforcing"]}' 'raw.ign:1:' '$.selinux: expected an object, got array'
case_ utf16 file '\xff\xfe{\x00"\x00s\x00' "$J:1:"
SETUP='rm "$root/etc/selinux/mcs"; ln -s / "$root/etc/selinux/mcs"' \
        case_ policy-link-to-root file '{"selinux": {"mode": "enforcing"}}' 'which contains it; refusing to copy'
SETUP='rm "$root/var/lib/selinux"; ln -s /var "$root/var/lib/selinux"; mkdir -p "$root/var/mcs"' \
        case_ store-link-to-ancestor file '{"selinux": {"mode": "enforcing"}}' '/var/lib/selinux: symlink to /var leads to /var, which contains it'
SETUP='rm -r "$root/etc/selinux"; ln -s ../usr/lib/selinux "$root/etc/selinux"; echo "{\"selinux\": {\"mode\": \"enforcing\"}}" >"$root/usr/lib/selinux/ignition.json"' \
        case_ selinux-dir-is-link file '' 'a parent directory is a symlink; refusing to write through it'
SETUP='rm "$root/etc/selinux/ignition.json"; mkfifo "$root/etc/selinux/ignition.json"' \
        case_ block-is-fifo file '' 'ignition.json: not a regular file'
SETUP='rm "$root/etc/selinux/config"; mkfifo "$root/etc/selinux/config"' \
        case_ config-is-fifo file '{"selinux": {"mode": "enforcing"}}' '/etc/selinux/config: expected a regular file, found a FIFO'
# Any kind of file but a regular one, wherever it is read, is refused by
# name without blocking: the FIFOs below have no writer, so an open or a
# read of one would hang the test.
SETUP='rm "$TMP/raw.ign"; mkfifo "$TMP/raw.ign"' \
        case_ raw-is-fifo raw '' 'raw.ign: not a regular file (a FIFO)'
SETUP='rm "$TMP/raw.ign"; mkdir "$TMP/raw.ign"' \
        case_ raw-is-directory raw '' 'raw.ign: not a regular file (a directory)'
SETUP='args=(--config /dev/zero)' \
        case_ raw-is-device raw '' '/dev/zero: not a regular file (a character device)'
SETUP='rm "$TMP/raw.ign"; python3 -c "import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])" "$TMP/raw.ign"' \
        case_ raw-is-socket raw '' 'raw.ign: not a regular file (a socket)'
SETUP='rm -rf "$TMP/raw.ign"; args=(--source-root "$TMP/src2"); mkdir -p "$TMP/src2/usr/lib/ignition/base.d"; mkfifo "$TMP/src2/usr/lib/ignition/base.d/10-fifo.ign"; rm "$root/etc/selinux/ignition.json"' \
        case_ base-d-is-fifo file '' 'base.d/10-fifo.ign: not a regular file (a FIFO)'
fw=sys/firmware/qemu_fw_cfg/by_name/opt/com.coreos/config
SETUP='rm -rf "$TMP/src3"; args=(--source-root "$TMP/src3"); mkdir -p "$TMP/src3/$fw"; mkfifo "$TMP/src3/$fw/raw"; rm "$root/etc/selinux/ignition.json"' \
        case_ fw-cfg-is-fifo file '' "$fw/raw: not a regular file (a FIFO)"
SETUP='rm -rf "$TMP/src3"; args=(--source-root "$TMP/src3"); mkdir -p "$TMP/src3/$fw/raw"; rm "$root/etc/selinux/ignition.json"' \
        case_ fw-cfg-is-directory file '' "$fw/raw: not a regular file (a directory)"
SETUP='rm "$root/etc/selinux/ignition.json"; mknod "$root/etc/selinux/ignition.json" c 1 5' \
        case_ block-is-device file '' 'ignition.json: not a regular file (a character device)'
SETUP='rm "$root/etc/selinux/ignition.json"; python3 -c "import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])" "$root/etc/selinux/ignition.json"' \
        case_ block-is-socket file '' 'ignition.json: not a regular file (a socket)'
SETUP='rm "$root/etc/selinux/ignition.json"; mkfifo "$TMP/fifo"; ln -s "$TMP/fifo" "$TMP/fifo-link"; ln -s /run/fifo "$root/etc/selinux/ignition.json"; mkdir -p "$root/run"; mkfifo "$root/run/fifo"' \
        case_ block-links-to-fifo file '' 'ignition.json: not a regular file (a FIFO)'
SETUP='truncate -s $((256 * 1024 * 1024 + 1)) "$TMP/raw.ign"' \
        case_ raw-over-256m raw '' 'raw.ign: input is too large (268435457 bytes, at most 268435456)'
# Messages name what is wrong with a value, shown cut and escaped.
case_ policy-with-space file '{"selinux": {"policy": "my policy"}}' '$.selinux.policy: expected a policy name (1 to 255 printable ASCII characters, no spaces or control characters' 'got "my policy"'
case_ policy-control-char file '{"selinux": {"policy": "a\\u001bb"}}' 'no spaces or control characters' 'got "a\u001bb"'
long=$(printf 'p%.0s' $(seq 1 300))
case_ policy-too-long file "{\"selinux\": {\"policy\": \"$long\"}}" '1 to 255 printable ASCII characters' "got \"$(printf 'p%.0s' $(seq 1 40))\"..."
case_ boolean-name-escape file '{"selinux": {"booleans": {"a\\u001b[31m": true}}}' 'expected a boolean name (1 to 255 letters, digits and _), got "a\u001b[31m"'
case_ booleans-and-permissive file '{"selinux": {"booleans": {"a-b": true},\n "permissiveDomains": ["ok_t",\n  "bad t"]}}' '$.selinux.booleans["a-b"]: expected a boolean name' "$J:3:3: \$.selinux.permissiveDomains[1]: expected a type name"
case_ block-too-many-values file "{\"selinux\": {\"x\": [$(printf '{},%.0s' $(seq 1 100001)){}]}}" '$.selinux: expected at most 1000000 values, 100000 of them objects or arrays'
case_ many-problems file "{\"selinux\": {\"booleans\": {$(for i in $(seq 1 1100); do printf '"b%d": 1,' "$i"; done)\"z\": 1}}}" '$.selinux.booleans.b1: expected true or false, got number 1' "$J: 101 more problems not shown"

# validate: the configs a machine would fail to boot with
vn=0
vcase() {
        local name=$1 content=$2; shift 2
        rm -rf "$TMP/v.ign"
        printf '%b' "$content" >"$TMP/v.ign"
        [ -n "${SETUP:-}" ] && eval "$SETUP"
        set +e
        err=$(timeout 60 "$BIN" validate "$TMP/v.ign" 2>&1 >/dev/null)
        rc=$?
        set -e
        [ "$rc" -eq 1 ] || fail "validate $name: exit status $rc, expected 1 ($err)"
        local e; for e in "$@"; do assert_contains "$err" "$e" "validate $name"; done
        vn=$((vn + 1)); echo "ok validate $vn $name: $(grep -m1 error: <<<"$err")"
}
FILE='{"path": "/etc/selinux/ignition.json", "contents": {"source": "data:,%7B%22selinux%22%3A%7B%7D%7D"}}'
vcase version-banana "{\"ignition\": {\"version\": \"banana\"}}" 'v.ign:1:26: $.ignition.version: expected a config spec version Ignition accepts ("3.0.0" to "3.6.0"), got string "banana"'
vcase version-4 "{\"ignition\": {\"version\": \"4.0.0\"}}" 'got string "4.0.0"'
vcase version-3.4 "{\"ignition\": {\"version\": \"3.4\"}}" 'got string "3.4" (did you mean "3.4.0"?)'
vcase version-missing '{"ignition": {}}' '$.ignition.version: expected a config spec version' 'got nothing'
vcase compression-xz "{\"ignition\": {\"version\": \"3.4.0\"}, \"storage\": {\"files\": [{\"path\": \"/etc/selinux/ignition.json\", \"contents\": {\"compression\": \"xz\", \"source\": \"data:,x\"}}]}}" '$.storage.files[0].contents.compression: expected "gzip" or "" (Ignition knows no other), got string "xz"'
vcase gzip-not-gzip "{\"ignition\": {\"version\": \"3.4.0\"}, \"storage\": {\"files\": [{\"path\": \"/etc/selinux/ignition.json\", \"contents\": {\"compression\": \"gzip\", \"source\": \"data:,x\"}}]}}" 'expected gzip data in $.storage.files[0].contents.source, got data zlib refuses'
vcase dataurl-raw-brace "{\"ignition\": {\"version\": \"3.4.0\"}, \"storage\": {\"files\": [{\"path\": \"/etc/selinux/ignition.json\", \"contents\": {\"source\": \"data:,{}\"}}]}}" 'expected a data: URL Ignition accepts, got one it refuses: invalid data character'
vcase dataurl-unpadded "{\"ignition\": {\"version\": \"3.4.0\"}, \"storage\": {\"files\": [{\"path\": \"/etc/selinux/ignition.json\", \"contents\": {\"source\": \"data:;base64,e30\"}}]}}" 'got one it refuses: illegal base64 data'
vcase dataurl-uppercase "{\"ignition\": {\"version\": \"3.4.0\"}, \"storage\": {\"files\": [{\"path\": \"/etc/selinux/ignition.json\", \"contents\": {\"source\": \"DATA:,%7B%7D\"}}]}}" 'missing data prefix'
vcase scheme-ftp "{\"ignition\": {\"version\": \"3.4.0\"}, \"storage\": {\"files\": [{\"path\": \"/etc/selinux/ignition.json\", \"contents\": {\"source\": \"ftp://x/y\"}}]}}" 'expected a URL with a scheme this spec version allows'
vcase scheme-gs-3.1 "{\"ignition\": {\"version\": \"3.1.0\"}, \"storage\": {\"files\": [{\"path\": \"/etc/selinux/ignition.json\", \"contents\": {\"source\": \"gs://b/o\"}}]}}" '(http, https, tftp, s3 or data), got string "gs://b/o"'
vcase two-entries "{\"ignition\": {\"version\": \"3.4.0\"}, \"storage\": {\"files\": [$FILE, $FILE]}}" '$.storage.files[1]: a second entry for /etc/selinux/ignition.json (first at 1:58): Ignition refuses the config'
child='{"ignition": {"version": "banana"}}'
vcase merge-bad-version "{\"ignition\": {\"version\": \"3.4.0\", \"config\": {\"merge\": [{\"source\": \"data:;base64,$(printf '%s' "$child" | base64 -w0)\"}]}}}" 'v.ign:$.ignition.config.merge[0].source:1:26: $.ignition.version' 'got string "banana"'
child='{"ignition": {"version": "3.4.0"}, "selinux": {"mode": "enforce"}}'
vcase replace-bad-block "{\"ignition\": {\"version\": \"3.4.0\", \"config\": {\"replace\": {\"source\": \"data:;base64,$(printf '%s' "$child" | base64 -w0)\"}}}, \"storage\": {\"files\": [$FILE]}}" '$.ignition.config.replace: Ignition uses the config there instead of this one' '$.storage.files[0]: discarded' 'v.ign:$.ignition.config.replace.source:1:56: $.selinux.mode'
vcase merge-no-source '{"ignition": {"version": "3.4.0", "config": {"merge": [{}]}}}' '$.ignition.config.merge[0].source: expected a URL, got nothing'
SETUP='rm "$TMP/v.ign"; mkfifo "$TMP/v.ign"' vcase validate-fifo '' 'v.ign: not a regular file (a FIFO)'
SETUP='rm "$TMP/v.ign"; mkdir "$TMP/v.ign"' vcase validate-directory '' 'v.ign: not a regular file (a directory)'
rm -rf "$TMP/v.ign"
[ "$vn" -ge 15 ] || fail "only $vn validate cases"
[ "$n" -ge 50 ] || fail "only $n cases"
echo "$n bad inputs rejected"
