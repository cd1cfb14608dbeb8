#!/bin/bash
# `denials` on the records in tests/data/denials: audit.log raw and as ausearch prints it, dmesg,
# the journal in every form journalctl writes (with Flatcar's two copies of each record),
# interleaved, glued, truncated and binary input, SELinux errors, real captures; grouping, every
# output (table, JSON, --raw as read, --cil, --ignition), copies counted once, the exit status
# (0 nothing would be refused, 1 something would, 2 usage, 3 unreadable input), and memory that
# stays bounded whatever the input's size.
. "$(dirname "$0")/../lib/common.sh"

d="$TOP/tests/data/denials"
# Times ausearch -i wrote in UTC are read in the local time zone.
export TZ=UTC
# run_denials ARGS...: sets $out, $err and $rc.
run_denials() {
        set +e
        out=$("$BIN" denials "$@" 2>"$TMP/stderr")
        rc=$?
        set -e
        err=$(cat "$TMP/stderr")
}
# groups FILE...: the JSON report's groups and errors, to compare inputs.
groups() { { "$BIN" denials --json "$@" || true; } | /usr/bin/python3 -c 'import json, sys; d = json.load(sys.stdin); print(json.dumps([d["denials"], d["selinuxErrors"]], indent=1))'; }
summary() { /usr/bin/python3 -c 'import json, sys; s = json.load(sys.stdin)["summary"]; print(" ".join(f"{k}={v}" for k, v in s.items()))'; }

note "usage"
run_denials --bogus; assert_eq "$rc" 2 "unknown option"
run_denials a b; assert_eq "$rc" 2 "two files"
assert_contains "$err" "unexpected argument: b" "names the extra argument"
run_denials --cil --json "$d/audit.log"; assert_eq "$rc" 2 "--cil with --json"
run_denials --ignition --raw "$d/audit.log"; assert_eq "$rc" 2 "--ignition with --raw"
run_denials --cil --ignition "$d/audit.log"; assert_eq "$rc" 2 "--cil with --ignition"
assert_contains "$err" "--cil and --ignition go with no other output option" "says why"
run_denials -h; assert_eq "$rc" 0 "-h"
assert_contains "$out" "ignition-selinux denials [--json] [--raw] [--cil|--ignition]" "usage shows the verb"

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
run_denials "$d/none.log"; assert_eq "$rc" 0 "granted and text mentioning denials or SELINUX_ERR are neither"
assert_eq "$out" "0 denials in 0 groups; 0 would be enforced" "summary only"
run_denials --json "$d/none.log"; assert_eq "$rc" 0 "--json, none"
assert_eq "$(summary <<<"$out")" "denials=0 groups=0 enforced=0 selinuxErrors=0 selinuxErrorGroups=0 duplicates=0 ungrouped=0 skippedLines=0" "empty report"
run_denials --raw "$d/none.log"; assert_eq "$out" "0 denials in 0 groups; 0 would be enforced" "--raw, none"
run_denials --raw --json "$d/none.log"; assert_eq "$out" "[
]" "--raw --json, none: an empty array"
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
assert_contains "$out" "COUNT  ERROR                 SOURCE  TARGET  CLASS    DETAIL                            FIRST                     LAST
    1  security_compute_sid  init_t  bin_t   process  system_u:system_r:container_t:s0  2023-11-14T22:14:00.000Z  2023-11-14T22:14:00.000Z" "SELINUX_ERR in its own table"
assert_eq "$(tail -n2 <<<"$out")" "12 denials in 9 groups; 12 would be enforced
1 SELinux error (invalid contexts, refused transitions) in 1 group; 1 would be refused" "summary"
# - is stdin; so is no file
out2=$("$BIN" denials - <"$d/audit.log" || true); assert_eq "$out2" "$out" "- reads stdin"
out2=$("$BIN" denials <"$d/audit.log" || true); assert_eq "$out2" "$out" "no file reads stdin"

note "--permissive-domain"
run_denials --permissive-domain container_t "$d/audit.log"
assert_eq "$rc" 1 "every denial is of a permissive domain, but the SELinux error is refused whatever the domain"
assert_contains "$out" "12 denials in 9 groups; 0 would be enforced" "no denial would be enforced"
assert_contains "$out" "domain" "marked"
grep -v SELINUX_ERR "$d/audit.log" >"$TMP/no-err.log"
run_denials --permissive-domain container_t "$TMP/no-err.log"; assert_eq "$rc" 0 "nothing would be refused"

note "audit.log: --json"
run_denials --json "$d/audit.log"; assert_eq "$rc" 1 "--json exit status"
printf '%s' "$out" >"$TMP/out.json"
/usr/bin/python3 - "$TMP/out.json" <<'PY' || fail "JSON: $out"
import json, sys
d = json.load(open(sys.argv[1]))
a = d["denials"]
assert len(a) == 9, len(a)
assert sum(g["count"] for g in a) == 12
g = a[0]
assert g == {"source": "container_t", "target": "etc_t", "class": "dir", "permissions": ["write"], "comm": "cp",
             "count": 3, "first": "2023-11-14T22:13:30.100Z", "last": "2023-11-14T22:14:55.750Z",
             "permissive": "mixed"}, g
assert a[1]["permissions"] == ["open", "read", "write"], a[1]
assert [g["comm"] for g in a if g["target"] == "init_t"] == ["?"]
assert d["selinuxErrors"] == [{"error": "security_compute_sid", "source": "init_t", "target": "bin_t", "class": "process",
                               "detail": "system_u:system_r:container_t:s0", "count": 1,
                               "first": "2023-11-14T22:14:00.000Z", "last": "2023-11-14T22:14:00.000Z"}], d["selinuxErrors"]
assert d["summary"] == {"denials": 12, "groups": 9, "enforced": 12, "selinuxErrors": 1, "selinuxErrorGroups": 1,
                        "duplicates": 0, "ungrouped": 0, "skippedLines": 0}, d["summary"]
PY

note "audit.log: --raw streams the records as read"
run_denials --raw "$d/audit.log"; assert_eq "$rc" 1 "--raw exit status"
assert_eq "$(head -n2 <<<"$out")" \
        "# container_t -> etc_t:dir { write } comm=cp permissive=yes time=2023-11-14T22:13:30.100Z
$(grep -m1 'avc:  denied' "$d/audit.log")" "the first record first, after its key"
assert_eq "$(grep -v '^#' <<<"$out" | grep -E 'avc:  denied|SELINUX_ERR')" "$(grep -E 'avc:  denied|SELINUX_ERR' "$d/audit.log")" \
        "every record, as found, in input order"
assert_eq "$(grep -c '^# ' <<<"$out")" 13 "one key line each"
assert_contains "$out" "# SELinux error security_compute_sid: init_t -> bin_t:process system_u:system_r:container_t:s0 time=2023-11-14T22:14:00.000Z" "the error's key"
assert_eq "$(tail -n2 <<<"$out")" "12 denials in 9 groups; 12 would be enforced
1 SELinux error (invalid contexts, refused transitions) in 1 group; 1 would be refused" "then the summary"
run_denials --raw --json "$d/audit.log"
/usr/bin/python3 -c '
import json, sys
a = json.load(sys.stdin)
assert len(a) == 13 and [r["kind"] for r in a].count("selinuxError") == 1, a
assert a[0]["record"].startswith("type=AVC msg=audit(1700000010.100:201)"), a[0]
assert a[0]["time"] == "2023-11-14T22:13:30.100Z" and a[0]["permissions"] == ["write"], a[0]' <<<"$out" || fail "--raw --json: $out"
# --raw holds no record: its output starts before the input ends
mkfifo "$TMP/fifo"
"$BIN" denials --raw "$TMP/fifo" >"$TMP/raw-out" &
pid=$!
exec 7>"$TMP/fifo"
head -n3 "$d/audit.log" >&7
for _ in $(seq 50); do grep -q 'avc:' "$TMP/raw-out" 2>/dev/null && break; sleep 0.1; done
assert_contains "$(cat "$TMP/raw-out")" "type=AVC msg=audit(1700000010.100:201)" "a record is printed while the input is still open"
exec 7>&-
wait "$pid" || true

note "dmesg (CRLF), journal short, journal export"
run_denials "$d/dmesg.txt"; assert_eq "$rc" 1 "dmesg"
assert_eq "$(tail -n1 <<<"$out")" "4 denials in 3 groups; 4 would be enforced" "dmesg summary"
assert_contains "$out" "    2  container_t  etc_t      dir     write           cp           mixed       2023-11-14T22:13:30.100Z  2023-11-14T22:13:31.500Z" "dmesg group"
assert_not_contains "$out" $'\r' "no CR in the output"
run_denials "$d/journal-short.txt"; assert_eq "$rc" 1 "journal short"
assert_contains "$out" "4 denials in 4 groups; 4 would be enforced" "journal summary"
assert_contains "$out" "    1  container_t  etc_t     dir     write           cp        yes         ?                         ?" "audit[]: lines carry no time"
assert_contains "$out" "    1  container_t  etc_t     dir     add_name        cp        yes         2023-11-14T22:13:30.100Z" "kernel: audit: lines do"
run_denials "$d/journal-export.txt"; assert_eq "$rc" 1 "journal export"
assert_eq "$(tail -n1 <<<"$out")" "3 denials in 3 groups; 3 would be enforced" "export summary"
assert_contains "$out" "cp           yes         2023-11-14T22:13:30.099Z" "_SOURCE_REALTIME_TIMESTAMP"
assert_contains "$out" "iptables     yes         2023-11-14T22:13:40.260Z" "__REALTIME_TIMESTAMP"
assert_contains "$out" "cni install  yes         2023-11-14T22:13:49.999Z" "audit( stamp in MESSAGE"

note "Flatcar's journal without auditd: every record twice, in every form journalctl writes"
j="$d/journal"
groups "$j/flatcar.export" >"$TMP/export.groups"
for f in "$j"/flatcar.*; do
        fmt=${f##*.}
        run_denials "$f"; assert_eq "$rc" 1 "$fmt: exit status"
        assert_contains "$out" "16 denials in 13 groups; 16 would be enforced
1 SELinux error (invalid contexts, refused transitions) in 1 group; 1 would be refused
16 copies of records already counted left out (the same audit event read twice)" "$fmt: each record once"
        groups "$f" >"$TMP/$fmt.groups"
        case $fmt in
        export|json|json-seq|json-pretty|verbose|short-iso-precise|short-unix)
                assert_eq "$(cat "$TMP/$fmt.groups")" "$(cat "$TMP/export.groups")" "$fmt: the same groups, counts and times as export" ;;
        short|cat|short-iso|short-full)
                # short has no year and cat no time: times come from the kernel's copy;
                # short-iso's and short-full's line time is to the second
                assert_eq "$(grep -v -E '"(first|last)"' "$TMP/$fmt.groups")" "$(grep -v -E '"(first|last)"' "$TMP/export.groups")" "$fmt: the same groups and counts" ;;
        esac
done
assert_contains "$(cat "$TMP/export.groups")" '"comm": "runc"' "a MESSAGE journalctl writes as bytes is read (json: an array of numbers)"
assert_contains "$(cat "$TMP/export.groups")" '"last": "2026-11-23T17:32:11.260Z"' "times are the stamps'"
assert_contains "$(cat "$TMP/short-iso.groups")" '"first": "2026-11-23T17:32:11.000Z"' "short-iso: the line's time"
assert_eq "$(cat "$TMP/short-full.groups")" "$(cat "$TMP/short-iso.groups")" "short-full: the same"
assert_eq "$(grep -c '"first": "?"' "$TMP/short.groups")" 1 "short: every group of audit records gets its time from the kernel's copy (the program's line has none)"
# Both copies of a record count once, but two events with the same fields count twice.
grep -a -v -E 'kernel: audit: type=1400 audit\(17954551(31|36)\.|audit\[33[48]\]: AVC' "$j/flatcar.short" >"$TMP/one-copy"
assert_eq "$(wc -l <"$TMP/one-copy")" 27 "some records with one copy only"
run_denials "$TMP/one-copy"; assert_contains "$out" "16 denials in 13 groups" "one copy of some records: the same count"
cat "$d/audit.log" "$d/audit.log" >"$TMP/twice"
run_denials "$TMP/twice"; assert_contains "$out" "12 denials in 9 groups; 12 would be enforced" "a log read twice counts once"
assert_contains "$out" "13 copies of records already counted left out" "and says so"
sed 's/:\([0-9]*\)): /:9\1): /' "$d/audit.log" >"$TMP/renumbered"
cat "$d/audit.log" "$TMP/renumbered" >"$TMP/two-events"
run_denials "$TMP/two-events"; assert_contains "$out" "24 denials in 9 groups; 24 would be enforced" "other serials are other events"

note "ausearch: -i (interpreted dates, nothing quoted or hex-encoded) and its default form"
a="$d/ausearch"
assert_eq "$(groups "$a/audit.interpreted")" "$(groups "$d/audit.log")" "ausearch -i: the same groups, counts and times as the raw log"
assert_eq "$(groups "$a/audit.default")" "$(groups "$d/audit.log")" "ausearch: the same"
assert_eq "$(groups "$a/hexlike.interpreted")" "$(groups "$a/hexlike.log")" "ausearch -i: commands named in hex digits as the raw log"
run_denials "$a/hexlike.interpreted"
assert_contains "$out" "blk_file  write        dd    yes         2023-11-14T22:16:40.000Z" "comm=dd is dd"
assert_contains "$out" "file      read         cafe  yes" "comm=cafe is cafe"
assert_contains "$out" "file      execute      /bin  yes" "what raw hex-encoded, -i decoded"
TZ=UTC-1 run_denials "$a/hexlike.interpreted"
assert_contains "$out" "2023-11-14T21:16:40.000Z" "-i dates are local time"

note "interleaved, truncated, glued, binary"
run_denials "$d/interleaved.txt"; assert_eq "$rc" 1 "interleaved"
assert_eq "$(tail -n1 <<<"$out")" "8 denials in 6 groups; 8 would be enforced" "interleaved summary"
assert_contains "$out" "    3  container_t  etc_t               dir    write        sh        yes" "glued records split, SYSCALL fields not taken"
assert_contains "$out" "    1  container_t  ?                   ?      read         sh        ?" "truncated record: unknown fields"
run_denials "$d/glued.log"; assert_eq "$rc" 1 "glued"
assert_contains "$out" "    1  kubelet_t    var_lib_t  dir    getattr      kubelet  ?" "tclass=dirtype=AVC is dir"
assert_contains "$out" "    1  kubelet_t    var_lib_t  dir    search       kubelet  ?" "tclass=dirtype=SYSCALL too"
assert_contains "$out" "    1  container_t  etc_t      dir    read         cni      yes" "permissive=1type=SELINUX_ERR is permissive=1"
assert_contains "$out" "    1  security_compute_sid  init_t  container_runtime_exec_t  process" "the glued SELINUX_ERR"
assert_not_contains "$out" "type=" "no header read as a value"
run_denials "$d/binary.bin"; assert_eq "$rc" 1 "binary"
assert_eq "$(tail -n1 <<<"$out")" "1 denial in 1 group; 1 would be enforced" "binary summary: the 300 kB line is skipped"
assert_eq "$err" "ignition-selinux: warning: 1 line of $d/binary.bin longer than 65536 bytes skipped" "skipped lines are counted"
printf 'avc:  denied  { read } for  comm="\e[31mred" tclass=file\n' >"$TMP/esc"
run_denials "$TMP/esc"; assert_contains "$out" '\x1b[31mred' "no escape sequence reaches the terminal"
run_denials --raw "$TMP/esc"; assert_not_contains "$out" $'\e' "not with --raw either"
run_denials --json "$d/binary.bin"
/usr/bin/python3 -c 'import json,sys; assert json.load(sys.stdin)["summary"]["skippedLines"] == 1' <<<"$out" || fail "--json on binary input is valid JSON, counts the skipped line"
run_denials --raw --json "$d/binary.bin"
/usr/bin/python3 -c 'import json,sys; json.load(sys.stdin)' <<<"$out" || fail "--json --raw on binary input is valid JSON"
run_denials --raw "$d/binary.bin"
assert_not_contains "$out" $'\e' "--raw escapes control bytes"

note "SELinux errors: invalid contexts, refused transitions"
run_denials "$d/real/selinux_err_test.log"; assert_eq "$rc" 1 "enforcing would refuse them"
assert_eq "$out" "COUNT  ERROR                 SOURCE              TARGET             CLASS    DETAIL                                 FIRST                     LAST
    3  security_compute_sid  staff_userhelper_t  xauth_exec_t       process  staff_u:staff_r:staff_userhelper_t:s0  2006-11-17T14:36:39.949Z  2006-11-17T15:35:21.381Z
    2  security_compute_sid  staff_t             userhelper_exec_t  process  staff_u:staff_r:staff_userhelper_t:s0  2006-11-17T14:36:39.777Z  2006-11-17T15:35:16.449Z

0 denials in 0 groups; 0 would be enforced
5 SELinux errors (invalid contexts, refused transitions) in 2 groups; 5 would be refused" "their own table and summary"
run_denials "$d/selinux-errors.log"; assert_eq "$rc" 1 "every form"
assert_contains "$out" "6 SELinux errors (invalid contexts, refused transitions) in 6 groups; 6 would be refused" "six errors"
for op in "security_validate_transition  sshd_t               etc_t" "security_bounded_transition   container_runtime_t  container_t" \
          "security_compute_sid          init_t               sshd_exec_t" "security_compute_sid          staff_t              userhelper_exec_t"; do
        assert_contains "$out" "$op" "$op"
done
assert_eq "$(grep -c 'container_runtime_exec_t  process  system_u:system_r:container_t:s0 ' <<<"$out")" 1 "hex-encoded context decoded"

note "--cil and --ignition"
run_denials --cil "$d/audit.log"; assert_eq "$rc" 1 "--cil exit status"
assert_eq "$(grep -v '^;' <<<"$out")" "(allow container_t etc_t (dir (add_name write)))
(allow container_t etc_t (file (create open write)))
(allow container_t init_t (system (status)))
(allow container_t iptables_var_run_t (file (lock open read write)))
(allow container_t kernel_t (system (module_request)))
(allow container_t var_run_t (dir (read)))
(roletype system_r container_t)" "one rule per source, target and class, permissions merged; a roletype per invalid context"
assert_contains "$out" "; A machine logging permissive (the whole system, or the domain) logs every access it" "the permissive question, in a comment"
run_denials --cil "$d/qemu-audit-boot.dmesg"
assert_eq "$(grep -c '^(allow' <<<"$out")" 12 "12 groups, 12 rules"
assert_contains "$out" "(allow getty_t self (capability2 (checkpoint_restore)))" "self"
run_denials --cil "$TMP/one-copy"
assert_eq "$(grep -c '^(allow' <<<"$out")" 13 "the journal's copies make no rule twice"
run_denials --cil --permissive-domain systemd_tmpfiles_t "$d/qemu-audit-boot.dmesg"
assert_not_contains "$out" "(allow systemd_tmpfiles_t" "no rule for a permissive domain"
assert_contains "$out" "; Left out: 5 denials of domains declared permissive (--permissive-domain)." "said in a comment"
run_denials --ignition "$d/qemu-audit-boot.dmesg" "$d/real/selinux_err_test.log" 2>/dev/null || true
run_denials --ignition "$TMP/one-copy"; assert_eq "$rc" 1 "--ignition exit status"
printf '%s\n' "$out" >"$TMP/block.json"
cil=$("$BIN" denials --cil "$TMP/one-copy" || true)
/usr/bin/python3 - "$TMP/block.json" "$cil" <<'PY' || fail "--ignition: $out"
import json, sys
b = json.load(open(sys.argv[1]))
assert list(b) == ["selinux"] and list(b["selinux"]) == ["modules"], b
m, = b["selinux"]["modules"]
assert m == {"name": "local-denials", "cil": sys.argv[2] + "\n"}, m
PY
set +e; v=$("$BIN" validate "$TMP/block.json" 2>&1); vrc=$?; set -e
assert_eq "$vrc" 0 "validate accepts the block ($v)"
run_denials --ignition "$d/none.log"; assert_eq "$rc" 0 "nothing to allow"
printf '%s\n' "$out" >"$TMP/empty.json"
assert_eq "$(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1])))' "$TMP/empty.json")" "{'selinux': {'modules': []}}" "no module"
"$BIN" validate "$TMP/empty.json" >/dev/null || fail "validate accepts the empty block"

note "concatenated sources at once"
cat "$d"/*.log "$d"/*.txt "$d/binary.bin" >"$TMP/all"
run_denials "$TMP/all"; assert_eq "$rc" 1 "all"
assert_contains "$out" "29 denials in 19 groups; 29 would be enforced" "all summary: the fixtures' shared events once"

note "records captured from a real boot (tests/boot scenario 05: enforcing, auditDenials, Debian kernel)"
# The probe's dmesg lines of that boot, as the guest printed them.
run_denials "$d/qemu-audit-boot.dmesg"
assert_eq "$rc" 1 "enforced denials make the exit status 1"
assert_contains "$out" "15 denials in 12 groups; 15 would be enforced" "summary"
assert_contains "$(grep ssh_home_t <<<"$out")" "    3  systemd_tmpfiles_t      ssh_home_t              dir          getattr" "the repeated group first"
run_denials --json "$d/qemu-audit-boot.dmesg"
assert_eq "$(/usr/bin/python3 -c 'import json,sys; g=json.load(sys.stdin)["denials"]; print(len(g), sum(x["count"] for x in g), g[0]["source"], g[0]["count"], g[0]["first"], g[0]["last"])' <<<"$out")" \
        "12 15 systemd_tmpfiles_t 3 2026-11-23T17:32:20.524Z 2026-11-23T17:32:20.836Z" "--json: groups, counts, times"
run_denials --raw "$d/qemu-audit-boot.dmesg"
assert_eq "$(grep -c 'avc:  denied' <<<"$out")" 15 "--raw prints every record"

note "memory stays bounded: a 48 MB log and a 48 MB line"
# peak_kb ARGS...: the peak resident memory of denials ARGS, in kB.
# (Under ASan, whose quarantine keeps freed memory on purpose, with no quarantine.)
peak_kb() {
        ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=0 /usr/bin/python3 -c 'import resource, subprocess, sys
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)' "$BIN" denials "$@"
}
small_kb=$(peak_kb "$d/audit.log")
awk 'BEGIN { for (i = 1; i <= 180000; i++)
        printf "type=AVC msg=audit(1700000000.%03d:%d): avc:  denied  { read } for  pid=%d comm=\"w%d\" name=\"f%d\" scontext=system_u:system_r:s%d_t:s0 tcontext=system_u:object_r:t%d_t:s0 tclass=file permissive=1\n", i % 1000, i, i, i % 7, i, i % 5, i % 3 }' >"$TMP/big.log"
tr -d '\n' <"$TMP/big.log" >"$TMP/line.log"
printf '\n%s\n' "$(head -n1 "$TMP/big.log")" >>"$TMP/line.log"
for args in "" "--raw" "--json" "--cil"; do
        kb=$(peak_kb $args "$TMP/big.log")
        [ "$kb" -lt $((small_kb + 8192)) ] || fail "denials $args on a $(du -m "$TMP/big.log" | cut -f1) MB log: $kb kB, on a 2 kB log: $small_kb kB"
done
run_denials "$TMP/big.log"; assert_contains "$out" "180000 denials in 105 groups; 180000 would be enforced" "the big log's count"
kb=$(peak_kb "$TMP/line.log")
[ "$kb" -lt $((small_kb + 8192)) ] || fail "denials on a 48 MB line: $kb kB, on a 2 kB log: $small_kb kB"
run_denials "$TMP/line.log"
assert_contains "$out" "1 denial in 1 group" "the line after the long one is read"
assert_contains "$err" "1 line of $TMP/line.log longer than 65536 bytes skipped" "the long one is counted"
echo ok
