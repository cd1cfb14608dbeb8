/* SPDX-License-Identifier: MIT */
/* Checks before changing anything: known limits of SELinux enforcement on
 * this machine (Flatcar's documentation: enforcement breaks on Btrfs
 * volumes). */
#pragma once

#include "config.h"
#include "diag.h"
#include "ignition-cache.h"
#include "plan.h"

struct preflight_input {
        int rootfd;
        const char *root_display;
        const struct ignition_cache *ignition; /* storage.filesystems of the config Ignition ran */
        bool probe_devices;       /* probe block devices with libblkid */
};

/* Under enforcing, each Btrfs filesystem found (probed with libblkid, the
 * target's mounted paths with statfs, or declared in storage.filesystems)
 * is a warning in `d`, or an error when the block says "btrfs": "fail".
 * Returns 0, or -EINVAL when it is fatal. */
int preflight_btrfs(const struct preflight_input *in, const struct se_config *cfg, const struct plan *p,
                    struct diags *d);
