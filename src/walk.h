/* SPDX-License-Identifier: MIT */
/* A tree walk on directory fds that never follows a symlink: one place
 * for "every entry beneath this one". */
#pragma once

#include <sys/types.h>

/* Called for each entry: its parent directory's fd, its name there, its
 * in-target path, its file type (the S_IFMT bits). A negative return stops
 * the walk; a positive one skips what lies beneath a directory. */
typedef int (*walk_fn)(int dirfd, const char *name, const char *path, mode_t type, void *arg);

/* Visits entry `name` of dirfd, whose in-target path is `path`, and
 * everything beneath it on the same filesystem, parents before children
 * (a mount point is visited, what is mounted there is not walked, as
 * setfiles does). Returns 0, the first negative return of fn, or -errno. */
int walk_tree(int dirfd, const char *name, const char *path, walk_fn fn, void *arg);
