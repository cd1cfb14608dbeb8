/* SPDX-License-Identifier: MIT */
/* The names a kernel binary policy defines, for checking what a config
 * declares against the target's policy (and hinting at close matches). */
#pragma once

#include <stddef.h>

enum policy_symbols {
        POLICY_BOOLEANS,
        POLICY_TYPES, /* types proper: no attributes */
};

/* The names of that kind, sorted; *names is one malloc'd array of pointers
 * into one block (free(*names) frees all). -EINVAL for data libsepol cannot
 * read as a kernel policy. */
int policy_names(const void *policy, size_t len, enum policy_symbols which, char ***names, size_t *n);
