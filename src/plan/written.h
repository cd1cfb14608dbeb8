/* SPDX-License-Identifier: MIT */
/* What Ignition wrote on the target, as the places to label. Flatcar's
 * Ignition is built with selinuxRelabel=false: nothing it writes in the
 * initramfs carries a label, and a machine booted enforcing then cannot use
 * it (units do not run, /etc/passwd cannot be read). Upstream Ignition
 * labels, with `setfiles -F`, the first component it created of every
 * path it wrote, and a few paths it writes on its own; these are the same
 * places, found after the fact: an entry created before any policy was
 * loaded has no security.selinux at all, so the first created component
 * is the topmost one without a label. */
#pragma once

#include <stddef.h>

#include "config/config.h"

struct written {
        /* In-root paths without symlinks, sorted, none beneath another:
         * each is labelled with everything beneath it. */
        char **roots;
        size_t n_roots;
        /* The entries beneath them that have no label at all. */
        char **unlabelled;
        size_t n_unlabelled;
};

/* Finds, on the target open at rootfd, the places Ignition wrote (from the
 * config it ran, `c`, and what it writes on its own: the passwd files,
 * users' homes, its result file, the preset file) and which entries there
 * are unlabelled. Paths that do not exist, lead out of the root or into
 * /usr are left out. Returns 0 or -errno. */
int written_find(int rootfd, const struct ignition_cache *c, struct written *w);
void written_free(struct written *w);
