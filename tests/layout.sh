#!/bin/bash
# The layout of src/ as docs/design.md draws it: each folder is one step of the pipeline or a
# layer under it, and may include from another folder only that folder's interface header
# (lib/ is a set of helpers, each its own), and only from folders below it:
#   cli -> report, apply -> plan -> config -> selinux -> lib
# Any other include (a private header of another folder, an arrow pointing up, hence any
# cycle between folders) fails, naming the file and the include.
set -euo pipefail
cd "$(dirname "$0")/../src"
declare -A below=(
        [lib]=""
        [selinux]="lib"
        [config]="lib selinux"
        [plan]="lib selinux config"
        [apply]="lib selinux config plan"
        [report]="lib"
        [cli]="lib selinux config plan apply report"
)
declare -A interface=([selinux]=selinux.h [config]=config.h [plan]=plan.h [apply]=apply.h [report]=report.h)
bad=0
for f in */*.c */*.h; do
        dir=${f%%/*}
        [ -n "${below[$dir]+x}" ] || { echo "layout: $f: folder $dir/ is not in the layout"; bad=1; continue; }
        while read -r inc; do
                case $inc in
                */*) ;;
                *) [ -e "$dir/$inc" ] || { echo "layout: $f: includes \"$inc\", not a file of $dir/"; bad=1; }
                   continue ;;
                esac
                to=${inc%%/*} name=${inc#*/}
                if [[ " ${below[$dir]} " != *" $to "* ]]; then
                        echo "layout: $f: includes \"$inc\": $to/ is not below $dir/"; bad=1
                elif [ "$to" != lib ] && [ "$name" != "${interface[$to]}" ]; then
                        echo "layout: $f: includes \"$inc\", not $to/'s interface ${interface[$to]}"; bad=1
                elif [ ! -e "$inc" ]; then
                        echo "layout: $f: includes \"$inc\", which does not exist"; bad=1
                fi
        done < <(sed -n 's/^#include "\([^"]*\)".*/\1/p' "$f")
done
[ "$bad" -eq 0 ] && echo "layout: every include follows the layout ($(ls */*.c | wc -l) files)"
exit "$bad"
