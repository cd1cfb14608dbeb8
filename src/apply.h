/* SPDX-License-Identifier: MIT */
/* Carrying out a plan on the target root, one atomic step at a time. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "plan.h"

/* Opening the file contexts apply_plan() labels with (those of the plan's
 * type, as they are now on the target) takes milliseconds of CPU: started
 * on a thread of its own, it overlaps what runs between planning and
 * applying (the preflight's reading of every disk). `p` must outlive it. */
struct labels_ahead;
int labels_ahead_start(int rootfd, const struct plan *p, struct labels_ahead **out);
/* Waits for it, and frees what apply_plan() did not take. NULL is fine. */
void labels_ahead_free(struct labels_ahead *a);

/* Performs the first `max_steps` steps of `p` (all if SIZE_MAX), labelling
 * with what `ahead` (may be NULL) has opened. Stops at the first failure,
 * which leaves every path as before or as after its step, and logs it.
 * Returns 0 or a negative errno. */
int apply_plan(int rootfd, const char *root_display, const struct plan *p, size_t max_steps,
               struct labels_ahead *ahead);
