#!/bin/bash
# Two runs on one root at once. apply holds an exclusive lock on the root for its whole run,
# plan a shared one: a second apply waits for the first (or, with --lock-wait 0, refuses at
# once, naming the first's pid, and changes nothing). 50 staggered pairs with audit mode, the
# case where two unlocked runs used to lose the saved policy or publish an empty store: every
# outcome is both succeeding in turn, or one refusing; the root always ends as one run leaves
# it, with nothing lost and nothing left over.
. "$(dirname "$0")/../lib/common.sh"

since=$(date +%s.%N)
sleep 0.01
state() { snap "$1" "$since" | awk -F'\t' -v OFS='\t' '$2 == "d" { $9 = "-" } 1'; }
pristine="$TMP/pristine"; mkroot tiny-old-rel "$pristine"
block_file "$pristine" '{"selinux": {"mode": "enforcing", "auditDenials": true}}'
ref="$TMP/ref"; cp -a "$pristine" "$ref"
run_apply "$ref"; [ "$rc" -eq 0 ] || fail "reference apply: $err"
want=$(state "$ref")
apply_bg() { "$BIN" apply --root "$1" --cmdline "$CMDLINE" --source-root "$TMP/nosources" --no-load "${@:2}"; }


waited=0 refused=0
for i in $(seq 1 ${PAIRS:-50}); do
        root="$TMP/r$i"; cp -a "$pristine" "$root"
        wait_arg=(); [ $((i % 2)) -eq 0 ] && wait_arg=(--lock-wait 0)
        "$BIN" apply --root "$root" --cmdline "$CMDLINE" --source-root "$TMP/nosources" --no-load \
                >"$TMP/a.out" 2>&1 & a=$!
        sleep "0.0$((RANDOM % 10))"
        set +e; apply_bg "$root" "${wait_arg[@]}" >"$TMP/b.out" 2>&1; rb=$?; wait $a; ra=$?; set -e
        [ "$ra" -eq 0 ] || fail "pair $i: the first run failed ($ra): $(cat "$TMP/a.out")"
        case $rb in
        0) waited=$((waited + 1)) ;;
        3) grep -q "error: another ignition-selinux is running on $root (pid $a); nothing was changed" "$TMP/b.out" ||
                   fail "pair $i: refused without naming the other run: $(cat "$TMP/b.out")"
           refused=$((refused + 1)) ;;
        *) fail "pair $i: the second run exited $rb: $(cat "$TMP/b.out")" ;;
        esac
        [ "$(state "$root")" == "$want" ] || fail "pair $i: the root is not as one run leaves it: $(diff <(echo "$want") <(state "$root") | head -5)"
        [ -z "$(find "$root" -name '.*.ignition-selinux')" ] || fail "pair $i: leftovers"
        rm -rf "$root"
done
note "${PAIRS:-50} pairs: $waited second runs waited and found nothing left to do or finished it, $refused refused at once"
[ "$refused" -gt 0 ] || fail "no second run was refused: the pairs did not overlap"

note "plan waits for an apply in progress, and plans beside another plan"
root="$TMP/rp"; cp -a "$pristine" "$root"
# flock(1) -o: the lock is flock's own, not its child's, so it ends when flock is killed.
hold() { flock -o "$@" "$root" sleep 60 & h=$!; sleep 0.3; }
release() { pkill -P "$h" sleep || true; wait "$h" 2>/dev/null || true; }
hold -s
run_plan "$root" --lock-wait 0
assert_eq "$rc" 0 "plan beside a shared holder"
release
hold
run_plan "$root" --lock-wait 0
assert_eq "$rc" 3 "plan refused while an apply holds the root"
assert_contains "$err" "another ignition-selinux is running on $root (pid $h)" "names the holder"
"$BIN" plan --root "$root" --cmdline "$CMDLINE" --source-root "$TMP/nosources" >"$TMP/p.out" 2>&1 & p=$!
sleep 0.5
kill -0 "$p" || fail "plan did not wait: $(cat "$TMP/p.out")"
assert_contains "$(cat "$TMP/p.out")" "waiting up to 60 s for another ignition-selinux (pid $h)" "says it waits"
release
wait "$p" || fail "plan after the wait: $(cat "$TMP/p.out")"
echo ok
