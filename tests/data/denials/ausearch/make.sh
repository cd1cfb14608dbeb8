#!/bin/bash
# SPDX-License-Identifier: MIT
# Makes the ausearch fixtures of this directory from raw audit.log records: ../audit.log and
# hexlike.log (commands whose names are hexadecimal digits, dd and cafe, which auditd quotes,
# and one it hex-encodes). For each, what `ausearch -i` (every value interpreted: dates, names,
# nothing quoted or hex-encoded) and plain `ausearch` (the raw records, in events) print, in the
# C locale and UTC, as the tests read them with TZ=UTC.
#
#   tests/data/denials/ausearch/make.sh [AUSEARCH]
#
# AUSEARCH defaults to /sbin/ausearch (Debian package auditd). The fixtures are checked in: the
# tests do not run this.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
ausearch=${1:-/sbin/ausearch}
export TZ=UTC LC_ALL=C
for f in "$here/../audit.log" "$here/hexlike.log"; do
        name=$(basename "$f" .log)
        "$ausearch" --input-logs -if "$f" -i >"$here/$name.interpreted"
        "$ausearch" --input-logs -if "$f" >"$here/$name.default"
done
