/* SPDX-License-Identifier: MIT */
/* Where the `selinux` block comes from, in the order later-wins merging
 * applies them (docs/ignition-selinux.json.5, "SOURCES"):
 *   1. raw Ignition configs the initramfs holds itself: base.d/NAME.ign (lexical),
 *      base.platform.d/PLATFORM/NAME.ign, user.ign, QEMU fw_cfg blobs;
 *   2. /etc/selinux/ignition.json on the target root, written by the user's
 *      Ignition config;
 *   3. the kernel command line, which decides only this boot's mode (see
 *      plan.c), and is read separately (cmdline.h). */
#pragma once

#include "config.h"
#include "diag.h"

#define TARGET_BLOCK_FILE "/etc/selinux/ignition.json"

struct source_opts {
        const char *source_root;   /* prefix for the raw sources, "/" in the initramfs */
        const char *const *configs; /* explicit raw configs replacing step 1, or NULL */
        size_t n_configs;
        const char *platform;      /* for base.platform.d, may be NULL */
};

/* Step 1: merges every raw source present into cfg. Missing files are not an
 * error; unreadable or invalid ones are. */
int sources_read_raw(const struct source_opts *o, struct se_config *cfg, struct diags *d);

/* Step 2: merges the target's block file, if present. `root_display` prefixes
 * its name in messages ("/sysroot"). */
int sources_read_target(int rootfd, const char *root_display, struct se_config *cfg,
                        struct diags *d);
