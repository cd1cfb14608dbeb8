#!/bin/bash
# Flatcar's /etc is an overlay (lower /usr/share/flatcar/etc, upper the root's /etc), mounted
# in the initramfs before Ignition's files stage: a label written on a file of the lower layer
# copies it up into the upper one, for good. Labelling what Ignition wrote must copy up
# nothing: the upper layer gains only what the program writes itself. And a filesystem
# Ignition's disks stage made (mounted under the root, no label anywhere) is labelled whole,
# its root directory included, without leaving it for the filesystem around it.
. "$(dirname "$0")/../lib/common.sh"
. "$LIB/ignition.sh"

root="$TMP/root"; mkroot new "$root"; flatcarish "$root"
# The image's /etc becomes the lower layer (which the new layout's /usr/lib/selinux links
# already lead into), and the root's /etc the empty upper one.
mkdir -p "$root/.etc-work"
cp -a "$root/etc/." "$root/usr/share/flatcar/etc/"
rm -rf "$root/etc"; mkdir "$root/etc"
# A file of the image whose label is not file_contexts' (an image builder's choice): not
# Ignition's, so neither relabelled nor copied up.
echo custom >"$root/usr/share/flatcar/etc/custom.conf"
setfattr -h -n security.selinux -v system_u:object_r:tmp_t:s0 "$root/usr/share/flatcar/etc/custom.conf"
setfiles -r "$root" "$root/usr/share/flatcar/etc/selinux/mcs/contexts/files/file_contexts" "$root/etc"
"$TOP/tests/data/ignition/gen-config.py" '{"selinux": {"mode": "enforcing"}}' >"$TMP/ign.json"

# upper_entries: what the upper layer holds, but for the overlay's own work files.
upper_entries() { (cd "$root/etc" && find . | sort); }
# In a mount namespace of its own: the overlay as initrd-setup-root mounts it, Ignition's
# files stage, then the program, each step's upper layer recorded.
export root TMP BIN CMDLINE IGNITION_BIN
unshare -m bash -c '
        set -e
        mount -t overlay overlay -o lowerdir="$root/usr/share/flatcar/etc",upperdir="$root/etc",workdir="$root/.etc-work",redirect_dir=on,metacopy=off,noatime "$root/etc"
        mount -t tmpfs tmpfs /run
        cp "$TMP/ign.json" /run/ignition.json
        mkdir -p "$TMP/bin"; printf "#!/bin/sh\ncat >/dev/null\n" >"$TMP/bin/setfiles"; chmod +x "$TMP/bin/setfiles"
        PATH="$TMP/bin:$PATH" "$IGNITION_BIN" --root "$root" --stage files --platform file --log-to-stdout >"$TMP/ignition.log" 2>&1
        # The upper directory is under the mount point: read it through a bind of the
        # root filesystem that does not carry the overlay.
        mkdir -p "$TMP/raw"; mount --bind "$(dirname "$root")" "$TMP/raw"
        (cd "$TMP/raw/root/etc" && find . | sort) >"$TMP/upper-after-ignition"
        "$BIN" apply --root "$root" --cmdline "$CMDLINE" --source-root "$TMP/nosources" \
                --ignition-config "$TMP/ign.json" --no-load >"$TMP/apply.out" 2>&1 || { cat "$TMP/apply.out"; exit 1; }
        (cd "$TMP/raw/root/etc" && find . | sort) >"$TMP/upper-after-apply"
        setfiles -r "$root" -n -v "$root/etc/selinux/mcs/contexts/files/file_contexts" "$root/etc/selinux/config" \
                "$root/etc/shadow" "$root/etc/systemd" "$root/home" >"$TMP/setfiles.out" 2>&1 || true
' || fail "overlay run: $(tail -n 5 "$TMP/ignition.log" "$TMP/apply.out" 2>/dev/null)"
grep -q "labelled [0-9]* entries" "$TMP/apply.out" || fail "nothing labelled on the overlay: $(cat "$TMP/apply.out")"
[ ! -s "$TMP/setfiles.out" ] || fail "labels on the overlay differ from file_contexts: $(head -5 "$TMP/setfiles.out")"
added=$(comm -13 "$TMP/upper-after-ignition" "$TMP/upper-after-apply")
# The program writes /etc/selinux/config (its directory is up already: Ignition wrote
# /etc/selinux/ignition.json there); labelling adds nothing.
assert_eq "$added" "./selinux/config" "entries the program added to the upper layer"
assert_eq "$(getfattr -h --only-values -n security.selinux "$root/usr/share/flatcar/etc/custom.conf")" \
        system_u:object_r:tmp_t:s0 "a label of the image left alone"
note "upper layer: $(wc -l <"$TMP/upper-after-ignition") entries after Ignition, $(wc -l <"$TMP/upper-after-apply") after apply; copied up by labelling: 0"

note "a fresh filesystem made by Ignition's disks stage"
r2="$TMP/r2"; mkroot tiny-old-rel "$r2"; flatcarish "$r2"
truncate -s 32M "$TMP/data.img"; mkfs.ext4 -q "$TMP/data.img"
cat >"$TMP/fs.json" <<JSON
{"ignition": {"version": "3.3.0"},
 "storage": {"filesystems": [{"device": "/dev/disk/by-label/DATA", "format": "ext4", "wipeFilesystem": true, "path": "/var/data"}],
  "files": [{"path": "/var/data/app/state.json", "contents": {"source": "data:,%7B%7D"}},
            {"path": "/etc/selinux/ignition.json", "contents": {"source": "data:,%7B%22selinux%22%3A%7B%22mode%22%3A%22enforcing%22%7D%7D"}}]}}
JSON
mkdir -p "$r2/var/data"
export r2
unshare -m bash -c '
        set -e
        mount -o loop "$TMP/data.img" "$r2/var/data"
        mount -t tmpfs tmpfs /run; cp "$TMP/fs.json" /run/ignition.json
        PATH="$TMP/bin:$PATH" "$IGNITION_BIN" --root "$r2" --stage files --platform file --log-to-stdout >"$TMP/ignition.log" 2>&1
        "$BIN" apply --root "$r2" --cmdline "$CMDLINE" --source-root "$TMP/nosources" --ignition-config "$TMP/fs.json" \
                --no-load >"$TMP/apply.out" 2>&1 || { cat "$TMP/apply.out"; exit 1; }
        fc="$r2/etc/selinux/mcs/contexts/files/file_contexts"
        setfiles -r "$r2" -n -v "$fc" "$r2/var/data" >"$TMP/setfiles.out" 2>&1 || true
        find "$r2/var/data" -exec getfattr -h -n security.selinux --absolute-names {} + >"$TMP/labels" 2>&1
' || fail "fresh filesystem run: $(tail -n 5 "$TMP/ignition.log" "$TMP/apply.out" 2>/dev/null)"
[ ! -s "$TMP/setfiles.out" ] || fail "labels on the fresh filesystem differ: $(head -5 "$TMP/setfiles.out")"
grep -q "No such attribute" "$TMP/labels" && fail "unlabelled on the fresh filesystem: $(grep -B1 'No such' "$TMP/labels" | head)"
grep -A1 "^# file: $r2/var/data\$" "$TMP/labels" | grep -q 'var_t' || fail "the filesystem's root: $(head -3 "$TMP/labels")"
grep -q "lost+found" "$TMP/labels" || fail "lost+found not seen"
note "fresh filesystem: $(grep -c '^# file' "$TMP/labels") entries, all labelled, its root var_t"
echo ok
