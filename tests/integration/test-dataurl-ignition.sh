#!/bin/bash
# data: URLs: `validate` accepts exactly the ones Ignition accepts. Every
# case of tests/data/dataurl/cases.json (a URL and Ignition's verdict,
# recorded from Debian's ignition-validate 2.14) is put as the source of
# the block file's storage.files entry of a spec 3.3.0 config: `validate`
# must refuse the URL itself exactly where Ignition does. Where
# ignition-validate is installed, it is asked again, so the recorded
# verdicts cannot drift from Ignition's.
. "$(dirname "$0")/../lib/common.sh"

cases="$TOP/tests/data/dataurl/cases.json"
have_ignition=0
command -v ignition-validate >/dev/null && have_ignition=1
n=$(jq length "$cases")
[ "$n" -ge 100 ] || fail "only $n cases"
for ((i = 0; i < n; i++)); do
        want=$(jq -r ".[$i][1]" "$cases")
        jq -c "{ignition: {version: \"3.3.0\"}, storage: {files: [{path: \"/etc/selinux/ignition.json\",
                contents: {source: .[$i][0]}}]}}" "$cases" >"$TMP/c.ign"
        url=$(jq -c ".[$i][0]" "$cases")
        set +e
        err=$("$BIN" validate "$TMP/c.ign" 2>&1 >/dev/null)
        set -e
        # refused: a message about the URL itself (not about the JSON it holds)
        if grep -q 'contents.source: expected' <<<"$err" && ! grep -q 'invalid JSON\|\$\.selinux' <<<"$err"; then
                got=refused
        else
                got=accepted
        fi
        assert_eq "$got" "$want" "case $i $url: validate ($err)"
        if [ "$have_ignition" = 1 ]; then
                if ignition-validate "$TMP/c.ign" >/dev/null 2>&1; then ign=accepted; else ign=refused; fi
                assert_eq "$ign" "$want" "case $i $url: ignition-validate"
        fi
done
if [ "$have_ignition" = 1 ]; then
        note "$n data: URLs: validate and ignition-validate agree on every one"
else
        note "$n data: URLs: validate agrees with the recorded verdicts (ignition-validate not installed)"
fi
echo ok
