#!/bin/bash
# The configs the user guide shows are valid: every ```json block of
# docs/guide.md that is a whole Ignition config passes `validate`, and every
# block that is only the selinux object parses as the file form.
. "$(dirname "$0")/../lib/common.sh"
guide="$TOP/docs/guide.md"
n=0
while IFS= read -r -d '' block; do
        n=$((n + 1))
        printf '%s' "$block" >"$TMP/b$n.json"
        if grep -q '"ignition"' "$TMP/b$n.json"; then f="$TMP/b$n.ign"; else f="$TMP/b$n.json"; fi
        [ "$f" = "$TMP/b$n.json" ] || mv "$TMP/b$n.json" "$f"
        set +e; out=$("$BIN" validate "$f" 2>&1); rc=$?; set -e
        assert_eq "$rc" 0 "guide block $n validates ($out)"
done < <(awk '/^```json$/{on=1; buf=""; next} /^```$/{if(on){printf "%s%c", buf, 0}; on=0; next} on{buf=buf $0 "\n"}' "$guide")
[ "$n" -ge 4 ] || fail "expected the guide's JSON examples, found $n"
note "$n JSON examples of the guide validate"
echo ok
