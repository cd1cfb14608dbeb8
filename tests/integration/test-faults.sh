#!/bin/bash
# Crash safety. Each plan step changes one path atomically, so whatever
# happens the target must sit at a step boundary: the states S_0..S_K that
# `IGNITION_SELINUX_MAX_STEPS=k apply` leaves. For every filesystem-changing
# call N of a full run: (a) make call N fail — apply exits non-zero (or
# recovers) and leaves a boundary state; (b) kill the
# process at call N — a boundary state once leftovers are ignored. Either way
# a fresh apply then completes the job: S_K, nothing left over.
. "$(dirname "$0")/../lib/common.sh"

since=$(date +%s.%N)
sleep 0.01
strip_staged() { awk -F'\t' '$1 !~ /(^|\/)\.[^\/]*\.ignition-selinux(\/|$)/'; }
# A directory's mtime records entries staged and removed in it even by a step
# that failed; what the directory holds is in the lines of its entries.
state() { snap "$1" "$since" | awk -F'\t' -v OFS='\t' '$2 == "d" { $9 = "-" } 1' | strip_staged; }
leftovers() { find "$1" -name '.*.ignition-selinux' | head -3; }

scenario() {
        local layout=$1 block=$2 pre=${3:-}
        local pristine="$TMP/pristine" root="$TMP/root"
        rm -rf "$pristine"; mkroot "$layout" "$pristine"
        if [ -n "$pre" ]; then
                block_file "$pristine" "$pre"
                run_apply "$pristine"; [ "$rc" -eq 0 ] || fail "setup apply: $err"
        fi
        block_file "$pristine" "$block"
        run_plan "$pristine"
        local K; K=$(grep -cE '^ +[0-9]+\. ' <<<"$out" || true)
        [ "$K" -gt 0 ] || fail "no steps planned"
        declare -A boundary=()
        local k s
        for k in $(seq 0 "$K"); do
                rm -rf "$root"; cp -a "$pristine" "$root"
                IGNITION_SELINUX_MAX_STEPS=$k run_apply "$root"
                [ "$rc" -eq 0 ] || fail "stopping after $k steps: $err"
                s=$(state "$root")
                boundary[$k]=$s
        done
        local final=${boundary[$K]}
        rm -rf "$root"; cp -a "$pristine" "$root"
        local total; total=$(writes_of "$BIN" apply --root "$root" --cmdline "$CMDLINE" --source-root "$TMP/nosources" --no-load)
        note "$layout: $K steps, $total filesystem-changing calls, $(( ${#boundary[@]} )) boundary states"
        [ "$total" -gt 10 ] || fail "implausibly few calls counted: $total"
        local n mode st found failed=0
        for n in $(seq 1 "${FAULT_STRIDE:-1}" "$total"); do
                for mode in fail kill; do
                        rm -rf "$root"; cp -a "$pristine" "$root"
                        if [ $mode = fail ]; then
                                FAULT_AT=$n LD_PRELOAD="$FAULTINJECT" run_apply "$root"
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
                                FAULT_KILL_AT=$n LD_PRELOAD="$FAULTINJECT" run_apply "$root"
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
                        run_apply "$root"
                        [ "$rc" -eq 0 ] || fail "$mode at call $n: the next apply failed: $err"
                        [ -z "$(leftovers "$root")" ] || fail "$mode at call $n: leftovers after the next apply"
                        [ "$(state "$root")" == "$final" ] || fail "$mode at call $n: the next apply did not complete the job"
                done
        done
        [ "$failed" -gt $((total / ${FAULT_STRIDE:-1} / 2)) ] || fail "only $failed injected failures made apply fail"
        echo "$layout: $total calls x {fail, kill} (stride ${FAULT_STRIDE:-1}) all at a step boundary, all completed by the next run; $failed failures reported"
}

scenario tiny-old-rel '{"selinux": {"mode": "enforcing", "auditDenials": true}}'
scenario tiny-new '{"selinux": {"mode": "enforcing", "auditDenials": false}}' '{"selinux": {"mode": "permissive", "auditDenials": true}}'
echo ok
