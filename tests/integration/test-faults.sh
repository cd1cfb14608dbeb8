#!/bin/bash
# Crash safety. Each plan step changes one path atomically, so whatever
# happens the target must sit at a step boundary: the states S_0..S_K that
# `IGNITION_SELINUX_MAX_STEPS=k apply` leaves (the test build's hook). For every filesystem-changing
# call N of a full run: (a) make call N fail — apply exits non-zero (or
# recovers) and leaves a boundary state; (b) kill the
# process at call N — a boundary state once leftovers are ignored. Either way
# a fresh apply then completes the job: S_K, nothing left over. The one step that changes
# many paths, labelling what Ignition wrote, sets labels in place: within it any subset of
# those labels may be set, and the next run sets the rest.
. "$(dirname "$0")/../lib/common.sh"
. "$LIB/ignition.sh"

since=$(date +%s.%N)
sleep 0.01
strip_staged() { awk -F'\t' '$1 !~ /(^|\/)\.[^\/]*\.ignition-selinux(\/|$)/'; }
# A directory's mtime records entries staged and removed in it even by a step
# that failed; what the directory holds is in the lines of its entries.
# Paths (relative to the root) whose label the labelling step may or may not have set yet.
MASK="$TMP/mask"
: >"$MASK"
state() {
        snap "$1" "$since" | awk -F'\t' -v OFS='\t' -v mask="$MASK" '
                BEGIN { while ((getline l < mask) > 0) m[l] = 1 }
                $2 == "d" { $9 = "-" }
                ($1 in m) { sub(/(^|,)security\.selinux=[^,]*/, "", $8); sub(/^,/, "", $8); if ($8 == "") $8 = "-" }
                1' | strip_staged
}
full_state() { : >"$TMP/nomask"; MASK="$TMP/nomask" state "$1"; }
IGN_ARGS=()
leftovers() { find "$1" -name '.*.ignition-selinux' | head -3; }

# scenario LAYOUT BLOCK [PRE-BLOCK] [IGNITION-CONFIG] [fresh-var]
scenario() {
        local layout=$1 block=$2 pre=${3:-} ign=${4:-} fresh=${5:-}
        local pristine="$TMP/pristine" root="$TMP/root"
        rm -rf "$pristine"; mkroot "$layout" "$pristine"
        # /var as Ignition makes it on a new filesystem: no /var/lib/selinux link yet.
        [ -z "$fresh" ] || rm -rf "$pristine/var/lib"
        IGN_ARGS=(); : >"$MASK"
        if [ -n "$ign" ]; then
                flatcarish "$pristine"
                ignition_files "$pristine" "$ign"
                IGN_ARGS=(--ignition-config "$ign")
        fi
        if [ -n "$pre" ]; then
                block_file "$pristine" "$pre"
                run_apply "$pristine"; [ "$rc" -eq 0 ] || fail "setup apply: $err"
        fi
        block_file "$pristine" "$block"
        run_plan "$pristine" "${IGN_ARGS[@]}" -v
        sed -n 's#^ *unlabelled: /##p' <<<"$out" >"$MASK"
        local K; K=$(grep -cE '^ +[0-9]+\. ' <<<"$out" || true)
        [ "$K" -gt 0 ] || fail "no steps planned"
        declare -A boundary=()
        local k s
        for k in $(seq 0 "$K"); do
                rm -rf "$root"; cp -a "$pristine" "$root"
                IGNITION_SELINUX_MAX_STEPS=$k BIN=$HOOKS_BIN run_apply "$root" "${IGN_ARGS[@]}"
                [ "$rc" -eq 0 ] || fail "stopping after $k steps: $err"
                s=$(state "$root")
                boundary[$k]=$s
        done
        local final=${boundary[$K]} final_full
        final_full=$(full_state "$root")
        rm -rf "$root"; cp -a "$pristine" "$root"
        local total; total=$(writes_of "$BIN" apply --root "$root" --cmdline "$CMDLINE" --source-root "$TMP/nosources" --no-load "${IGN_ARGS[@]}")
        note "$layout: $K steps, $total filesystem-changing calls, $(( ${#boundary[@]} )) boundary states"
        [ "$total" -gt 10 ] || fail "implausibly few calls counted: $total"
        # The same N is the same call in every run: two traces of the whole run agree.
        local t
        for t in 1 2; do
                rm -rf "$root"; cp -a "$pristine" "$root"
                FAULT_TRACE=1 LD_PRELOAD="$FAULTINJECT" "$BIN" apply --root "$root" --cmdline "$CMDLINE" \
                        --source-root "$TMP/nosources" --no-load "${IGN_ARGS[@]}" 2>&1 |
                        grep '^fault-point' | sed 's#/[^ ]*##g' >"$TMP/trace$t" || true
        done
        [ "$(wc -l <"$TMP/trace1")" -eq "$total" ] || fail "the trace names $(wc -l <"$TMP/trace1") calls, not $total"
        cmp -s "$TMP/trace1" "$TMP/trace2" || fail "two runs differ in which call is call N: $(diff "$TMP/trace1" "$TMP/trace2" | head -3)"
        local n mode st found failed=0
        for n in $(seq 1 "${FAULT_STRIDE:-1}" "$total"); do
                for mode in fail kill; do
                        rm -rf "$root"; cp -a "$pristine" "$root"
                        if [ $mode = fail ]; then
                                FAULT_AT=$n LD_PRELOAD="$FAULTINJECT" run_apply "$root" "${IGN_ARGS[@]}"
                                case $rc in
                                0) [ "$(state "$root")" == "$final" ] || fail "call $n failed, apply said 0 but did not finish" ;;
                                3) failed=$((failed + 1))
                                   grep -q 'error: Failed to' <<<"$err" || fail "call $n failed without an error message: $err" ;;
                                *) fail "call $n failed: exit status $rc, expected 3 or 0" ;;
                                esac
                                # A failed cleanup (the unlink of the swapped-out
                                # link, say) cannot itself be undone: the next run's job.
                                st=$(state "$root")
                        else
                                FAULT_KILL_AT=$n LD_PRELOAD="$FAULTINJECT" run_apply "$root" "${IGN_ARGS[@]}"
                                [ "$rc" -eq 137 ] || fail "kill at $n: expected SIGKILL, exit $rc"
                                st=$(state "$root")
                        fi
                        found=""
                        for k in "${!boundary[@]}"; do
                                [ "$st" == "${boundary[$k]}" ] && { found=$k; break; }
                        done
                        if [ -z "$found" ]; then
                                diff <(echo "${boundary[0]}") <(echo "$st") | head -20 >&2 || true
                                fail "$mode at call $n left a state that is no step boundary"
                        fi
                        run_apply "$root" "${IGN_ARGS[@]}"
                        [ "$rc" -eq 0 ] || fail "$mode at call $n: the next apply failed: $err"
                        [ -z "$(leftovers "$root")" ] || fail "$mode at call $n: leftovers after the next apply"
                        [ "$(full_state "$root")" == "$final_full" ] || fail "$mode at call $n: the next apply did not complete the job"
                done
        done
        [ "$failed" -gt $((total / ${FAULT_STRIDE:-1} / 2)) ] || fail "only $failed injected failures made apply fail"
        echo "$layout: $total calls x {fail, kill} (stride ${FAULT_STRIDE:-1}) all at a step boundary, all completed by the next run; $failed failures reported"
}

scenario tiny-old-rel '{"selinux": {"mode": "enforcing", "auditDenials": true}}'
scenario tiny-new '{"selinux": {"mode": "enforcing", "auditDenials": false}}' '{"selinux": {"mode": "permissive", "auditDenials": true}}'
# What Ignition wrote, labelled: a smaller config than test-ignition-written's, every kind once.
cat >"$TMP/ign.json" <<'JSON'
{"ignition": {"version": "3.3.0"},
 "passwd": {"users": [{"name": "core", "sshAuthorizedKeys": ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAaaaa core"]}]},
 "storage": {"files": [{"path": "/etc/app/a.conf", "contents": {"source": "data:,a"}},
                       {"path": "/opt/tool/bin/t", "mode": 493, "contents": {"source": "data:,b"}}],
             "directories": [{"path": "/var/log/app"}],
             "links": [{"path": "/etc/systemd/system/multi-user.target.wants/app.service", "target": "/etc/systemd/system/app.service"}]},
 "systemd": {"units": [{"name": "app.service", "enabled": true, "contents": "[Service]\nExecStart=/bin/true\n",
                        "dropins": [{"name": "10.conf", "contents": "[Service]\n"}]}]}}
JSON
scenario tiny-plain '{"selinux": {"mode": "enforcing"}}' '' "$TMP/ign.json"
scenario tiny-old-rel '{"selinux": {"mode": "enforcing", "auditDenials": true}}' '' '' fresh-var
echo ok
