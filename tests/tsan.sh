#!/bin/bash
# ThreadSanitizer over the code that runs threads (copy.c): the copy and
# label unit tests (these copy with a labeler that arrives late, two walkers
# holding entries back), and apply on the demo root, which copies
# /etc/selinux/mcs and the store at once (copy_trees, one labeler under one
# lock, still being opened on its own thread as the copies start) while the
# store's modules/100 is copied by two walkers sharing the hard-link table.
# Any report fails (halt_on_error).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-build-tsan}
export TSAN_OPTIONS="halt_on_error=1 exitcode=66"
"$top/$BUILD/tests/test-copy"
"$top/$BUILD/tests/test-label"
tmp=$(mktemp -d /var/tmp/ignition-selinux-tsan.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
echo 'console=ttyS0' >"$tmp/cmdline"
bash "$top/tests/lib/mkroot.sh" old-rel "$tmp/root"
echo '{"selinux": {"mode": "enforcing"}}' >"$tmp/root/etc/selinux/ignition.json"
"$top/$BUILD/ignition-selinux" apply -q --root "$tmp/root" --cmdline "$tmp/cmdline" \
        --source-root /nonexistent --no-load
[ -d "$tmp/root/var/lib/selinux/mcs/active/modules/100" ] || { echo "tsan: the store was not copied" >&2; exit 1; }
echo "tsan: copy test and apply on the demo root: no report"
