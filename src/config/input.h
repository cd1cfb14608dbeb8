/* SPDX-License-Identifier: MIT */
/* Opening and reading input files without blocking (input.c). Private to
 * config/. */
#pragma once

#include <stddef.h>
#include <sys/types.h>

#include "lib/diag.h"

/* Opens the regular file `path` for reading (O_NONBLOCK, O_NOCTTY). Anything
 * else gets "NAME: not a regular file (a FIFO)" with severity `sev` and
 * -EINVAL, without being opened. Other failures (-ENOENT...) return
 * -errno and add nothing. Returns the fd. */
int input_open(const char *path, const char *name, enum diag_severity sev, struct diags *d);

/* The same for `path` in the target root (resolved as root_open_in() does). */
int input_open_in_root(int rootfd, const char *path, const char *name, struct diags *d);

/* Reads all of fd, a regular file of at most `max` bytes: its size is
 * checked before reading, and the read stops at `max` all the same; beyond,
 * "NAME: input is too large (...)" and -EINVAL. *buf is malloc'd and
 * NUL-terminated. Returns 0, -EINVAL or -errno. */
int input_read_fd(int fd, const char *name, size_t max, enum diag_severity sev, char **buf, size_t *len,
                  struct diags *d);
