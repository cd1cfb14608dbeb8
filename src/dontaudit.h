/* SPDX-License-Identifier: MIT */
/* dontaudit rules in a kernel binary policy. Dropping them from the compiled
 * policy yields what `semodule -DB` builds from an unchanged store, at a tiny
 * fraction of the cost (docs/design.md). */
#pragma once

#include <stddef.h>

/* Counts dontaudit (AVTAB_AUDITDENY) rules, unconditional and conditional. */
int dontaudit_count(const void *policy, size_t len, size_t *count);

/* Writes into *out (malloc'd, *outlen bytes) the same binary policy, in the
 * same format version, without its dontaudit rules. *removed gets how many
 * were dropped (may be NULL). Returns 0, -EINVAL for a policy libsepol cannot
 * read, -ENOMEM. */
int dontaudit_strip(const void *policy, size_t len, void **out, size_t *outlen, size_t *removed);
