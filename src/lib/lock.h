/* SPDX-License-Identifier: MIT */
/* One run at a time on a target root, as libsemanage and rpm lock their
 * stores: `apply` holds an exclusive lock for its whole run (planning
 * included, so leftovers of an interrupted run are only ever cleaned by the
 * run that holds it), `plan` a shared one, so it never reads a target half
 * way through an apply. The lock is flock() on the root directory itself:
 * nothing is written for it, and it goes with the process. */
#pragma once

#include <stdbool.h>
#include <sys/types.h>

/* Locks the directory `root`, waiting up to `wait_ms` for another holder
 * (0: not at all). *fd gets the descriptor that holds the lock. Returns 0,
 * -EWOULDBLOCK when another run still holds it (*holder: its pid, or 0 if
 * it cannot be told), or -errno. */
int root_lock(const char *root, bool exclusive, unsigned wait_ms, int *fd, pid_t *holder);
