/* SPDX-License-Identifier: MIT */
/* Carrying out a plan on the target root, one atomic step at a time. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "plan/plan.h"

/* Performs the first `max_steps` steps of `p` (all if SIZE_MAX) on the
 * target open at rootfd, whose path is `root` (libsemanage takes paths)
 * and which messages call `root_display`. Stops at the first failure,
 * which leaves every path as before or as after its step, and logs it.
 * Returns 0 or a negative errno. */
int apply_plan(int rootfd, const char *root, const char *root_display, const struct plan *p, size_t max_steps);
