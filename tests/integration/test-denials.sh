#!/bin/bash
# `denials` on the records in tests/data/denials (audit.log, dmesg, journal
# short and export, interleaved/truncated, binary): grouping, the three
# outputs, and the exit status (0 nothing would be enforced, 1 something
# would, 2 usage, 3 unreadable input).
. "$(dirname "$0")/../lib/common.sh"

d="$TOP/tests/data/denials"
# run_denials ARGS...: sets $out, $err and $rc.
run_denials() {
        set +e
        out=$("$BIN" denials "$@" 2>"$TMP/stderr")
        rc=$?
        set -e
        err=$(cat "$TMP/stderr")
}

note "usage"
run_denials --bogus; assert_eq "$rc" 2 "unknown option"
run_denials a b; assert_eq "$rc" 2 "two files"
assert_contains "$err" "unexpected argument: b" "names the extra argument"
run_denials -h; assert_eq "$rc" 0 "-h"
assert_contains "$out" "ignition-selinux denials [--json] [--raw]" "usage shows the verb"

note "unreadable input"
run_denials /nonexistent/audit.log; assert_eq "$rc" 3 "missing file"
assert_contains "$err" "Failed to open /nonexistent/audit.log: No such file or directory" "says why"
run_denials "$d"; assert_eq "$rc" 3 "a directory"
assert_contains "$err" "Is a directory" "says why"
if [ "$(id -u)" != 0 ]; then
        cp "$d/audit.log" "$TMP/secret.log"; chmod 000 "$TMP/secret.log"
        run_denials "$TMP/secret.log"; assert_eq "$rc" 3 "unreadable file"
fi
assert_eq "$out" "" "nothing on stdout when the input cannot be read"

note "no denials"
run_denials "$d/none.log"; assert_eq "$rc" 0 "granted, SELINUX_ERR and text mentioning denials are not denials"
assert_eq "$out" "0 denials in 0 groups; 0 would be enforced" "summary only"
run_denials --json "$d/none.log"; assert_eq "$rc" 0 "--json, none"
assert_eq "$out" "[]" "empty array"
set +e; out=$("$BIN" denials </dev/null); rc=$?; set -e
assert_eq "$rc" 0 "empty stdin"

note "audit.log: table"
run_denials "$d/audit.log"; assert_eq "$rc" 1 "denials would be enforced"
assert_eq "$(head -n1 <<<"$out")" \
        "COUNT  SOURCE       TARGET              CLASS   PERMISSIONS      COMM         PERMISSIVE  FIRST                     LAST" "header"
assert_eq "$(sed -n 2p <<<"$out")" \
        "    3  container_t  etc_t               dir     write            cp           mixed       2023-11-14T22:13:30.100Z  2023-11-14T22:14:55.750Z" \
        "largest group first, permissive=0 and =1 make mixed"
assert_contains "$out" "    2  container_t  iptables_var_run_t  file    open,read,write  iptables     yes" "iptables lock"
assert_contains "$out" "    1  container_t  var_run_t           dir     read             cni install  yes" "hex comm decoded"
assert_contains "$out" "    1  container_t  init_t              system  status           ?            yes" "USER_AVC, no comm"
assert_not_contains "$out" "setenforce" "granted is no denial"
assert_not_contains "$out" "bin_t" "SELINUX_ERR is no denial"
assert_eq "$(tail -n1 <<<"$out")" "12 denials in 9 groups; 12 would be enforced" "summary"
# - is stdin; so is no file
out2=$("$BIN" denials - <"$d/audit.log" || true); assert_eq "$out2" "$out" "- reads stdin"
out2=$("$BIN" denials <"$d/audit.log" || true); assert_eq "$out2" "$out" "no file reads stdin"

note "--permissive-domain"
run_denials --permissive-domain container_t "$d/audit.log"; assert_eq "$rc" 0 "every denial is of a permissive domain"
assert_eq "$(tail -n1 <<<"$out")" "12 denials in 9 groups; 0 would be enforced" "none would be enforced"
assert_contains "$out" "domain" "marked"

note "audit.log: --json"
run_denials --json "$d/audit.log"; assert_eq "$rc" 1 "--json exit status"
# python3 comes with setools (contrib/install-deps.sh).
printf '%s' "$out" >"$TMP/out.json"
python3 - "$TMP/out.json" <<'PY' || fail "JSON: $out"
import json, sys
a = json.load(open(sys.argv[1]))
assert len(a) == 9, len(a)
assert sum(g["count"] for g in a) == 12
g = a[0]
assert g == {"source": "container_t", "target": "etc_t", "class": "dir", "permissions": ["write"], "comm": "cp",
             "count": 3, "first": "2023-11-14T22:13:30.100Z", "last": "2023-11-14T22:14:55.750Z",
             "permissive": "mixed"}, g
assert a[1]["permissions"] == ["open", "read", "write"], a[1]
assert [g["comm"] for g in a if g["target"] == "init_t"] == ["?"]
PY

note "audit.log: --raw"
run_denials --raw "$d/audit.log"; assert_eq "$rc" 1 "--raw exit status"
assert_eq "$(head -n1 <<<"$out")" \
        "# 3 denials: container_t -> etc_t:dir { write } comm=cp permissive=mixed first=2023-11-14T22:13:30.100Z last=2023-11-14T22:14:55.750Z" \
        "group header"
assert_eq "$(grep -c '^type=AVC msg=audit(.*avc:  denied' <<<"$out")" 11 "every kernel record"
assert_eq "$(grep -c '^type=USER_AVC' <<<"$out")" 1 "and the userspace one"
assert_eq "$(grep '^type=AVC msg=audit(1700000095.750:350)' <<<"$out")" "$(grep '^type=AVC msg=audit(1700000095.750:350)' "$d/audit.log")" "records as found"
run_denials --raw --json "$d/audit.log"
python3 -c 'import json,sys; a=json.load(sys.stdin); assert sum(len(g["records"]) for g in a) == 12' <<<"$out" || fail "--json --raw"

note "dmesg (CRLF), journal short, journal export"
run_denials "$d/dmesg.txt"; assert_eq "$rc" 1 "dmesg"
assert_eq "$(tail -n1 <<<"$out")" "4 denials in 3 groups; 4 would be enforced" "dmesg summary"
assert_contains "$out" "    2  container_t  etc_t      dir     write           cp           mixed       2023-11-14T22:13:30.100Z  2023-11-14T22:13:31.500Z" "dmesg group"
assert_not_contains "$out" $'\r' "no CR in the output"
run_denials "$d/journal-short.txt"; assert_eq "$rc" 1 "journal short"
assert_eq "$(tail -n1 <<<"$out")" "4 denials in 4 groups; 4 would be enforced" "journal summary"
assert_contains "$out" "    1  container_t  etc_t     dir     write           cp        yes         ?                         ?" "audit[]: lines carry no time"
assert_contains "$out" "    1  container_t  etc_t     dir     add_name        cp        yes         2023-11-14T22:13:30.100Z" "kernel: audit: lines do"
run_denials "$d/journal-export.txt"; assert_eq "$rc" 1 "journal export"
assert_eq "$(tail -n1 <<<"$out")" "3 denials in 3 groups; 3 would be enforced" "export summary"
assert_contains "$out" "cp           yes         2023-11-14T22:13:30.099Z" "_SOURCE_REALTIME_TIMESTAMP"
assert_contains "$out" "iptables     yes         2023-11-14T22:13:40.260Z" "__REALTIME_TIMESTAMP"
assert_contains "$out" "cni install  yes         2023-11-14T22:13:49.999Z" "audit( stamp in MESSAGE"

note "interleaved, truncated, binary"
run_denials "$d/interleaved.txt"; assert_eq "$rc" 1 "interleaved"
assert_eq "$(tail -n1 <<<"$out")" "8 denials in 6 groups; 8 would be enforced" "interleaved summary"
assert_contains "$out" "    3  container_t  etc_t               dir    write        sh        yes" "glued records split, SYSCALL fields not taken"
assert_contains "$out" "    1  container_t  ?                   ?      read         sh        ?" "truncated record: unknown fields"
run_denials "$d/binary.bin"; assert_eq "$rc" 1 "binary"
assert_eq "$(tail -n1 <<<"$out")" "2 denials in 2 groups; 2 would be enforced" "binary summary"
assert_contains "$out" '\xe2\x82\xac bin' "hex comm with non-ASCII, escaped"
assert_contains "$out" '\x1b[31mred' "no escape sequence reaches the terminal"
run_denials --json "$d/binary.bin"
python3 -c 'import json,sys; json.load(sys.stdin)' <<<"$out" || fail "--json on binary input is valid JSON"
run_denials --raw --json "$d/binary.bin"
python3 -c 'import json,sys; json.load(sys.stdin)' <<<"$out" || fail "--json --raw on binary input is valid JSON"
run_denials --raw "$d/binary.bin"
assert_not_contains "$out" $'\e' "--raw escapes control bytes"

note "concatenated sources at once"
cat "$d"/*.log "$d"/*.txt "$d/binary.bin" >"$TMP/all"
run_denials "$TMP/all"; assert_eq "$rc" 1 "all"
assert_eq "$(tail -n1 <<<"$out")" "33 denials in 17 groups; 33 would be enforced" "all summary"

note "records captured from a real boot (tests/boot scenario 05: enforcing, auditDenials, Debian kernel)"
# The probe's dmesg lines of that boot, as the guest printed them.
run_denials "$d/qemu-audit-boot.dmesg"
assert_eq "$rc" 1 "enforced denials make the exit status 1"
assert_contains "$out" "15 denials in 12 groups; 15 would be enforced" "summary"
assert_contains "$(grep ssh_home_t <<<"$out")" "    3  systemd_tmpfiles_t      ssh_home_t              dir          getattr" "the repeated group first"
run_denials --json "$d/qemu-audit-boot.dmesg"
assert_eq "$(/usr/bin/python3 -c 'import json,sys; g=json.load(sys.stdin); print(len(g), sum(x["count"] for x in g), g[0]["source"], g[0]["count"], g[0]["first"], g[0]["last"])' <<<"$out")" \
        "12 15 systemd_tmpfiles_t 3 2026-11-23T17:32:20.524Z 2026-11-23T17:32:20.836Z" "--json: groups, counts, times"
run_denials --raw "$d/qemu-audit-boot.dmesg"
assert_eq "$(grep -c 'avc:  denied' <<<"$out")" 15 "--raw prints every record"
echo ok
