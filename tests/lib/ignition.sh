# Sourced by the integration tests that need what Ignition writes: Debian's Ignition (the
# `ignition` package) runs its files stage on a target root in a directory, as Flatcar's
# does: nothing it writes is labelled.
IGNITION_BIN=/usr/lib/dracut/modules.d/30ignition/ignition
[ -x "$IGNITION_BIN" ] || skip "no Ignition at $IGNITION_BIN (apt-get install ignition)"
# Ignition writes a user's SSH keys as that user, who must reach the root.
chmod 0755 "$TMP"

# flatcarish ROOT: what an image has before Ignition runs, labelled as the image is: the user
# database, login.defs and skel for useradd, and the usual top-level directories.
flatcarish() {
        local r=$1 f
        mkdir -p "$r/home/core" "$r/opt" "$r/srv" "$r/root" "$r/var/log" "$r/var/lib" "$r/etc/skel"
        printf 'root:x:0:0:root:/root:/bin/bash\ncore:x:500:500:Flatcar Admin:/home/core:/bin/bash\n' >"$r/etc/passwd"
        printf 'root:x:0:\nsudo:x:27:\ncore:x:500:\n' >"$r/etc/group"
        printf 'root:*:19000:0:99999:7:::\ncore:*:19000:0:99999:7:::\n' >"$r/etc/shadow"
        printf 'root:*::\nsudo:*::\ncore:!::\n' >"$r/etc/gshadow"
        chmod 0640 "$r/etc/shadow" "$r/etc/gshadow"
        chown 500:500 "$r/home/core"
        cp /etc/login.defs "$r/etc/"
        printf '# skel\n' >"$r/etc/skel/.bashrc"
        printf '127.0.0.1 localhost\n' >"$r/etc/hosts"
        printf 'image\n' >"$r/etc/hostname"
        for f in etc/passwd etc/group etc/shadow etc/gshadow etc/login.defs etc/skel etc/hosts etc/hostname \
                home home/core opt srv root var/log var/lib; do
                setfiles -r "$r" "$r/etc/selinux/mcs/contexts/files/file_contexts" "$r/$f"
        done
}

# ignition_files ROOT CONFIG [LIST]: Ignition's files stage on ROOT with CONFIG, as Flatcar
# runs it (a setfiles that does nothing; the paths Ignition asked it to label go to LIST,
# NUL-separated, as upstream Ignition would have labelled them). In a mount namespace of its
# own, so /run/ignition.json is private.
ignition_files() {
        local root=$1 cfg=$2 list=${3:-/dev/null} fake="$TMP/ignition-bin"
        mkdir -p "$fake"
        printf '#!/bin/sh\ncat >"%s"\n' "$list" >"$fake/setfiles"
        chmod +x "$fake/setfiles"
        unshare -m sh -c 'mount -t tmpfs tmpfs /run && cp "$1" /run/ignition.json &&
                PATH="$2:$PATH" "$3" --root "$4" --stage files --platform file --log-to-stdout' \
                sh "$cfg" "$fake" "$IGNITION_BIN" "$root" >"$TMP/ignition.log" 2>&1 ||
                fail "Ignition's files stage failed: $(tail -n 5 "$TMP/ignition.log")"
}

# labels DIR: every entry's path and security.selinux, sorted.
# labels DIR: "PATH LABEL" for every entry under DIR ("PATH: security.selinux: No such
# attribute" for one without), sorted.
labels() {
        (cd "$1" && find . -print0 | xargs -0r getfattr -h --absolute-names -n security.selinux -e text 2>&1) |
                awk '/^# file: / { f = substr($0, 9); next }
                     /^security\.selinux=/ { print f, substr($0, 18); next }
                     /No such attribute/ { print }' | sort
}
