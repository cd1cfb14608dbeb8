/* SPDX-License-Identifier: MIT */
/* Loading the target's policy from the initramfs, in the mode this boot
 * resolves to, before switch-root. */
#pragma once

#include "plan.h"

/* Loads the target's binary policy and sets the boot mode of `p`.
 * `disabled` loads nothing. A failure under `enforcing` is an error with a
 * message saying what was asked, what failed and how to boot around it; under
 * `permissive` it is a warning and 0 is returned. */
int load_policy_for_boot(int rootfd, const char *root_display, const struct plan *p);
