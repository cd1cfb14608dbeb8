/* SPDX-License-Identifier: MIT */
/* Confinement to the target root. Every lookup of target state goes through
 * here: absolute and relative symlinks resolve inside the root
 * (openat2 RESOLVE_IN_ROOT), so nothing outside it is ever read as target
 * state; and every write goes through a parent reached with no symlink at all
 * (RESOLVE_NO_SYMLINKS), so nothing is written through a link into /usr. */
#pragma once

#include <fcntl.h>
#include <stdbool.h>
#include <sys/types.h>

/* Opens the target root directory (O_PATH|O_DIRECTORY). Returns fd or -errno. */
int root_open(const char *root);

/* Opens `path` (absolute or relative; taken relative to the root either way)
 * with `flags`, resolving every symlink, absolute ones included, inside the
 * root. Returns fd or -errno. */
int root_open_in(int rootfd, const char *path, int flags);

/* Opens `path` for reading like root_open_in(), only if it is a regular
 * file (what it is is looked at first: a FIFO or a device planted in the
 * target is never opened); -EISDIR for a directory, -EINVAL for any other
 * kind. *st (may be NULL) gets its stat, whatever it is. */
int root_open_regular(int rootfd, const char *path, struct stat *st);

/* Opens `path` under dirfd, following symlinks only while they stay beneath
 * it (RESOLVE_BENEATH): -EXDEV for absolute or escaping ones. */
int root_open_beneath(int dirfd, const char *path, int flags);

/* Opens the directory containing `path` for writing entries into it, with
 * no symlink allowed anywhere on the way (-ELOOP then). *basename points into
 * `path` at the last component. Returns an O_PATH|O_DIRECTORY fd or -errno. */
int root_open_parent_nofollow(int rootfd, const char *path, const char **basename);

/* Like fstatat(AT_SYMLINK_NOFOLLOW) on `path` with no symlink allowed among
 * its parents. Returns 0, -ENOENT, -ELOOP (a parent is a symlink) or -errno. */
int root_lstat(int rootfd, const char *path, struct stat *st);

/* Reads the symlink `path` (parents without symlinks). *target is malloc'd. */
int root_readlink(int rootfd, const char *path, char **target);

/* Where `path` leads inside the root, as an absolute in-root path with every
 * symlink resolved in the root ("/usr/lib/selinux/mcs"). Returns 0 or -errno. */
int root_realpath(int rootfd, const char *path, char **resolved);
