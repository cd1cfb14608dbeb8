/* SPDX-License-Identifier: MIT */
/* Boolean defaults in a kernel binary policy: what `setsebool -P` makes
 * persistent, set in the compiled policy itself so that it is in effect from
 * the first load, and recorded in the store for later rebuilds. */
#pragma once

#include <stddef.h>

struct policy_boolean {
        const char *name;
        int value;
};

/* The names the policy defines, sorted; *names is one malloc'd array of
 * pointers into one block (free(*names) frees all). */
int booleans_list(const void *policy, size_t len, char ***names, size_t *n);

/* Writes into *out a copy of the policy with each boolean's default set to
 * `want`; *changed counts those that differed (0: *out is NULL, nothing to
 * write). -ENOENT if a name is not defined, *missing then points at it. */
int booleans_set(const void *policy, size_t len, const struct policy_boolean *want, size_t n,
                 void **out, size_t *outlen, size_t *changed, const char **missing);

/* The store's booleans.local (lines "name=value", as libsemanage writes it)
 * with `want` merged in, sorted by name; other entries are kept. */
int booleans_local_merge(const char *text, size_t len, const struct policy_boolean *want, size_t n,
                         char **out, size_t *outlen);
