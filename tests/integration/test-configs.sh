#!/bin/bash
# Real-world Ignition configs (tests/data/configs/, from Ignition's and
# Flatcar's documentation and Ignition's tests; SOURCES.md says where each
# comes from): `validate` gives each the result SOURCES.md records in its
# last column: "valid" (exit 0) or "invalid" (exit 1), and every quoted text
# there appears in what it prints. Every file is listed, and every listed
# file is there.
. "$(dirname "$0")/../lib/common.sh"

dir="$TOP/tests/data/configs"
n=0 valid=0
listed=()
while IFS='|' read -r _ file _ _ expected _; do
        file=$(sed 's/^ *`//; s/` *$//' <<<"$file")
        expected=$(sed 's/^ *//; s/ *$//' <<<"$expected")
        [ -f "$dir/$file" ] || fail "$file is listed in SOURCES.md but not there"
        listed+=("$file")
        set +e
        out=$(cd "$dir" && "$BIN" validate "$file" 2>&1)
        rc=$?
        set -e
        case $expected in
        valid*) assert_eq "$rc" 0 "$file: exit status ($out)"; valid=$((valid + 1)) ;;
        invalid*) assert_eq "$rc" 1 "$file: exit status ($out)" ;;
        *) fail "$file: expected column says [$expected]" ;;
        esac
        while read -r q; do
                [ -n "$q" ] && assert_contains "$out" "$q" "$file"
        done < <(grep -o '"[^"]*"' <<<"$expected" | sed 's/^"//; s/"$//')
        n=$((n + 1))
done < <(grep '^| `' "$dir/SOURCES.md")
for f in "$dir"/*.ign; do
        [[ " ${listed[*]} " == *" $(basename "$f") "* ]] || fail "$(basename "$f") is not listed in SOURCES.md"
done
[ "$n" -ge 40 ] || fail "only $n configs"
note "$n real-world configs: $valid valid, $((n - valid)) invalid, as SOURCES.md says"
echo ok
