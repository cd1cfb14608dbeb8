/* SPDX-License-Identifier: MIT */
/* Kernel binary policies in memory, through libsepol: read one, edit its
 * public structures, write it back in the same format version. */
#pragma once

#include <stddef.h>

#include <sepol/policydb.h>

#include "lib/util.h"

void sepol_policydb_freep(sepol_policydb_t **p);
#define _cleanup_sepol_policydb_ _cleanup_(sepol_policydb_freep)

/* Reads a kernel policy (not a module) from memory. -EINVAL for anything
 * libsepol cannot read, -ENOMEM. libsepol's own messages are silenced. */
int policy_load(const void *policy, size_t len, sepol_policydb_t **ret);

/* Writes p into *out (malloc'd, *outlen bytes). */
int policy_save(sepol_policydb_t *p, void **out, size_t *outlen);
