#!/bin/bash
# `denials` against SELinux's own tools. On every real log of tests/data/denials/real (and of
# $DENIALS_EXTRA_LOGS, a directory): the same (source, target, class) triples and the same roles
# of invalid contexts as audit2allow's own parser (sepolgen), and --cil's rules exactly those.
# Then --cil's module compiled by libsepol's CIL compiler (secilc) together with the host policy
# store's modules, as libsemanage builds a policy: every rule is in the result (sesearch) and
# was not before; --ignition's block through `validate`.
. "$(dirname "$0")/../lib/common.sh"
command -v secilc >/dev/null || skip "secilc is not installed (contrib/install-deps.sh)"
command -v sesearch >/dev/null || skip "sesearch (setools) is not installed"
/usr/bin/python3 -c 'import sepolgen.audit' 2>/dev/null || skip "sepolgen (policycoreutils-python-utils) is not installed"

d="$TOP/tests/data/denials"
export TZ=UTC
# ours FILE: the triples and roles `denials --cil` writes, as audit2allow-rules.py prints them.
ours() {
        { "$BIN" denials --cil "$1" || true; } | sed -n -E \
                -e 's/^\(allow ([^ ]+) self \(([^ ]+) .*/allow \1 \1 \2/p' \
                -e 's/^\(allow ([^ ]+) ([^ ]+) \(([^ ]+) .*/allow \1 \2 \3/p' \
                -e 's/^\(roletype ([^ ]+) ([^ )]+)\)$/role \1 \2/p' | sort
}

note "the same rules as audit2allow's parser, on every real log"
logs=("$d"/real/*.log)
if [ -n "${DENIALS_EXTRA_LOGS:-}" ]; then
        logs+=("$DENIALS_EXTRA_LOGS"/*)
fi
for f in "${logs[@]}"; do
        want=$(/usr/bin/python3 "$TOP/tests/lib/audit2allow-rules.py" "$f" | LC_ALL=C sort)
        got=$(ours "$f" | LC_ALL=C sort)
        [ -n "$want" ] || fail "$f: audit2allow finds nothing: not a test"
        [ "$got" == "$want" ] || fail "$f: denials and audit2allow differ:
$(diff <(echo "$want") <(echo "$got") | head -20)"
        echo "   $(basename "$f"): $(grep -c '^allow' <<<"$got") allow, $(grep -c '^role' <<<"$got") role, as audit2allow"
        # the table's groups hold the same triples
        triples=$({ "$BIN" denials --json "$f" || true; } | /usr/bin/python3 -c '
import json, sys
d = json.load(sys.stdin)
print(len({(g["source"], g["target"], g["class"]) for g in d["denials"] if g["permissions"] and "?" not in (g["source"], g["target"], g["class"])}))')
        assert_eq "$triples" "$(grep -c '^allow' <<<"$want")" "$(basename "$f"): the groups' triples"
done

note "--cil compiles with the host policy's modules, and its rules are in the result"
store=/var/lib/selinux/default/active/modules
[ -d "$store" ] || skip "no policy store at $store (selinux-policy-default)"
mkdir "$TMP/cil"
# Each module at its highest priority, disabled ones left out: what libsemanage compiles.
for dir in $(ls -d "$store"/[0-9]*/* | sort -t/ -k7,7nr); do
        name=$(basename "$dir")
        [ -e "$TMP/cil/$name.cil" ] || [ -e "$store/disabled/$name" ] && continue
        if [ "$(cat "$dir/lang_ext" 2>/dev/null)" = pp ] || [ -e "$dir/cil" ]; then
                bzip2 -dc "$dir/cil" >"$TMP/cil/$name.cil" 2>/dev/null || cp "$dir/cil" "$TMP/cil/$name.cil"
        fi
done
# an invalid context whose role lacks its type in Debian's policy (staff_r has staff_userhelper_t)
cat "$d/qemu-audit-boot.dmesg" "$d/real/selinux_err_test.log" - >"$TMP/boot.log" <<'EOF'
type=SELINUX_ERR msg=audit(1795455150.000:99): op=security_compute_sid invalid_context="system_u:system_r:staff_userhelper_t:s0" scontext=system_u:system_r:init_t:s0 tcontext=system_u:object_r:bin_t:s0 tclass=process
EOF
set +e; "$BIN" denials --cil "$TMP/boot.log" >"$TMP/local-denials.cil"; rc=$?; set -e
assert_eq "$rc" 1 "--cil exit status"
secilc -M true -c 33 -o "$TMP/with.33" -f /dev/null "$TMP"/cil/*.cil "$TMP/local-denials.cil" ||
        fail "the --cil module does not compile: $(cat "$TMP/local-denials.cil")"
# Every rule's permissions allowed by an unconditional rule of the new policy and not all of them
# by the host's (built from the same store; a conditional rule may be off: the denials happened).
/usr/bin/python3 - "$TMP/local-denials.cil" "$TMP/with.33" /etc/selinux/default/policy/policy.33 <<'PY' || fail "rules: $(cat "$TMP/local-denials.cil")"
import re, sys
import setools

def allowed(policy, s, t, c, perms):
    got = set()
    for r in setools.TERuleQuery(policy, ruletype=["allow"], source=s, target=t, tclass=[c], perms=perms).results():
        try:
            r.conditional
            continue
        except setools.exception.RuleNotConditional:
            got |= set(r.perms)
    return set(perms) <= got

with_, without = setools.SELinuxPolicy(sys.argv[2]), setools.SELinuxPolicy(sys.argv[3])
n = 0
for line in open(sys.argv[1]):
    m = re.match(r"^\(allow (\S+) (\S+) \((\S+) \(([^)]*)\)\)\)$", line)
    if not m:
        continue
    s, t, c, perms = m[1], m[2], m[3], m[4].split()
    t = s if t == "self" else t
    assert allowed(with_, s, t, c, perms), f"allow {s} {t}:{c} {perms} is not in the policy"
    assert not allowed(without, s, t, c, perms), f"allow {s} {t}:{c} {perms} was there already"
    n += 1
assert n == 12, n
def has(policy, role, t):
    return t in {str(x) for x in policy.lookup_role(role).types()}
assert has(with_, "system_r", "staff_userhelper_t") and not has(without, "system_r", "staff_userhelper_t"), "roletype"
assert has(with_, "staff_r", "staff_userhelper_t"), "roletype"
PY

note "--ignition: a block validate takes"
set +e; "$BIN" denials --ignition "$TMP/boot.log" >"$TMP/block.json"; set -e
out=$("$BIN" validate "$TMP/block.json") || fail "validate: $out"
assert_eq "$out" "$TMP/block.json: valid" "valid"
/usr/bin/python3 -c '
import json, sys
m, = json.load(open(sys.argv[1]))["selinux"]["modules"]
assert m["name"] == "local-denials" and m["cil"] == open(sys.argv[2]).read(), m' "$TMP/block.json" "$TMP/local-denials.cil" ||
        fail "the block's module is --cil's text"
echo ok
