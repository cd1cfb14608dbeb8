#!/bin/bash
# SPDX-License-Identifier: MIT
# snapshot.sh [--ctime] DIR [SINCE_EPOCH]
# Prints a canonical, sorted description of every entry under DIR (DIR
# itself is "."), one line each, tab-separated:
#   path type mode uid gid size content xattrs mtime [ctime]
# type is find's %y (f d l ...); size is "-" for directories (their size
# depends on the filesystem's history, not their content); content is the
# sha256 of a regular file, the target of a symlink, "-" otherwise; xattrs
# are every name=0xHEX (getfattr -h -d -m - -e hex), sorted, comma-joined,
# or "-"; times are in nanoseconds. With SINCE_EPOCH (seconds, may be
# fractional) a time at or after it prints as "new", so snapshots taken
# around runs at different moments compare equal. --ctime adds ctime, for
# "a second run changes nothing, not even times".
# Paths with tabs or newlines are not supported (test trees have none).
set -euo pipefail

with_ctime=0
if [ "${1:-}" = --ctime ]; then
        with_ctime=1
        shift
fi
if [ $# -lt 1 ] || [ $# -gt 2 ]; then
        echo "usage: snapshot.sh [--ctime] DIR [SINCE_EPOCH]" >&2
        exit 2
fi
dir=$1
since=${2:-}
if [ -n "$since" ] && ! [[ $since =~ ^[0-9]+(\.[0-9]*)?$ ]]; then
        echo "snapshot.sh: bad SINCE_EPOCH '$since'" >&2
        exit 2
fi
cd "$dir"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

export LC_ALL=C

# One pass for metadata, one sha256sum for all regular files, one getfattr
# for all entries (given explicitly rather than -R, so symlinks are reported
# and never followed).
find . -printf '%P\t%y\t%m\t%U\t%G\t%s\t%l\t%T@\t%C@\n' >"$tmp/meta"
find . -type f -print0 | xargs -0 -r sha256sum -- >"$tmp/sums"
find . -print0 | xargs -0 -r getfattr -h -d -m - -e hex -- >"$tmp/xattrs" 2>/dev/null || true

awk -v since="$since" -v with_ctime="$with_ctime" '
# "SEC.FRAC" -> nanoseconds as a string, exactly (a double cannot hold
# 19 digits).
function ns(t,    sec, frac) {
        sec = t; frac = ""
        if (index(t, ".")) {
                sec = substr(t, 1, index(t, ".") - 1)
                frac = substr(t, index(t, ".") + 1)
        }
        frac = substr(frac "000000000", 1, 9)
        sub(/^0+/, "", sec)
        return (sec == "" ? "0" : sec) frac
}
# Compares two nanosecond strings of digits numerically.
function ge(a, b) {
        if (length(a) != length(b))
                return length(a) > length(b)
        return a >= b
}
function when(t,    n) {
        n = ns(t)
        if (since != "" && ge(n, since_ns))
                return "new"
        return n
}
function rel(p) {
        sub(/^\.\//, "", p)
        return p == "" ? "." : p
}
BEGIN {
        FS = "\t"
        if (since != "")
                since_ns = ns(since)
}
FILENAME == ARGV[1] {
        # "<64 hex>  ./path"
        sums[rel(substr($0, 67))] = substr($0, 1, 64)
        next
}
FILENAME == ARGV[2] {
        if ($0 ~ /^# file: /) {
                cur = rel(substr($0, 9))
                next
        }
        if ($0 == "" || cur == "")
                next
        n = ++nx[cur]
        xa[cur, n] = $0
        next
}
{
        path = ($1 == "" ? "." : $1)
        type = $2
        size = (type == "d" ? "-" : $6)
        content = "-"
        if (type == "f")
                content = (path in sums) ? sums[path] : "?"
        else if (type == "l")
                content = $7
        xattrs = "-"
        if (path in nx) {
                # Insertion sort: a handful of names per entry.
                m = nx[path]
                for (i = 1; i <= m; i++)
                        s[i] = xa[path, i]
                for (i = 2; i <= m; i++) {
                        v = s[i]
                        for (j = i - 1; j >= 1 && s[j] > v; j--)
                                s[j + 1] = s[j]
                        s[j + 1] = v
                }
                xattrs = s[1]
                for (i = 2; i <= m; i++)
                        xattrs = xattrs "," s[i]
        }
        line = path "\t" type "\t" $3 "\t" $4 "\t" $5 "\t" size "\t" content "\t" xattrs "\t" when($8)
        if (with_ctime)
                line = line "\t" when($9)
        print line
}
' "$tmp/sums" "$tmp/xattrs" "$tmp/meta" | sort
