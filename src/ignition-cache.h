/* SPDX-License-Identifier: MIT */
/* The config Ignition ran, as it caches it in the initramfs
 * (/run/ignition.json: re-marshalled from its typed config, so the
 * `selinux` key is gone but every storage, systemd and passwd entry is
 * there). It tells what Ignition's disks and files stages wrote on the
 * target. Read once, leniently: it is Ignition's own output, and a missing
 * or unreadable one only means less is known. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"

#define IGNITION_CACHE "/run/ignition.json"
/* Files Ignition writes on the target on its own. */
#define IGNITION_PRESET_FILE "/etc/systemd/system-preset/20-ignition.preset"
#define IGNITION_RESULT_FILE "/etc/.ignition-result.json"

/* storage.filesystems[]: what the disks stage formatted and the mount
 * stage mounted under the target root. */
struct ign_filesystem {
        char *device, *format, *path; /* NULL where not given */
        bool wipe;
        const char *file; /* the config it came from */
        size_t index;     /* in $.storage.filesystems */
};

/* passwd.users[]: whose home Ignition (useradd) may have created. */
struct ign_user {
        char *name, *home; /* home NULL: the target's passwd entry decides */
};

struct ignition_cache {
        char **files; /* the configs read (the first one names messages) */
        size_t n_files;
        struct ign_filesystem *fs;
        size_t n_fs;
        /* In-root paths the files stage wrote: storage.files, .directories
         * and .links, units with contents, the directories of drop-ins,
         * masked units, the preset file when a unit is enabled or disabled.
         * As declared: not normalised, not checked against the target. */
        char **paths;
        size_t n_paths;
        struct ign_user *users;
        size_t n_users;
        bool read; /* at least one config was read and parsed */
};

/* Reads each of `files` (regular files only, at most CONFIG_MAX_SIZE
 * bytes); one that is missing, unreadable or not an Ignition config adds a
 * warning to `d` (when `warn_missing`, also a missing one) and is skipped.
 * Returns 0 or -ENOMEM. */
int ignition_cache_read(const char *const *files, size_t n_files, bool warn_missing, struct ignition_cache *c,
                        struct diags *d);
void ignition_cache_free(struct ignition_cache *c);
