/* SPDX-License-Identifier: MIT */
/* The slow path: a policy rebuild by libsemanage, the store's own library,
 * for what no edit of the binary policy can do (installing or removing CIL
 * modules, restoring dontaudit rules into a policy rebuilt since they were
 * removed). One libsemanage transaction: on any failure the store's active
 * modules and the installed policy are left as they were. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "plan/plan.h"


/* Applies `ops` to the store of policy `type` under `root` ("" or "/" for
 * the running system) and rebuilds: the store's disable_dontaudit marker and
 * booleans.local are honoured, nothing is loaded, no external setfiles
 * check. Returns 0 or -EINVAL with *err (malloc'd) naming the module and
 * carrying libsemanage's and the CIL compiler's messages; -ENOMEM. */
int store_rebuild(const char *root, const char *type, const struct module_op *ops, size_t n, char **err);
