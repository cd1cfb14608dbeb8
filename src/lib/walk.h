/* SPDX-License-Identifier: MIT */
/* The one tree walk: on directory fds, never following a symlink, never
 * leaving the filesystem it starts on (as setfiles does not). */
#pragma once

#include <sys/types.h>

struct walk_entry {
        int dirfd;        /* the directory holding the entry */
        const char *name; /* its name there */
        const char *path; /* its in-target path */
        mode_t type;      /* its file type (the S_IFMT bits) */
        int fd;           /* a directory: open for reading, else -1 */
        unsigned depth;   /* 0 for the entry the walk starts at */
};

struct walk_ops {
        /* Every entry, parents before children. A negative return stops the
         * walk; a positive one skips what lies beneath a directory. */
        int (*enter)(const struct walk_entry *e, void *arg);
        /* Every directory entered, after what lies beneath it. May be NULL. */
        int (*leave)(const struct walk_entry *e, void *arg);
};

/* Walks entry `name` of dirfd ("." for dirfd itself), whose in-target path
 * is `path`, and everything beneath it on the same filesystem: a mount
 * point is entered, what is mounted there is not walked. Each directory is
 * listed whole before its entries are visited, so they may change it.
 * Returns 0, the first negative return of a callback, or -errno. */
int walk_tree(int dirfd, const char *name, const char *path, const struct walk_ops *ops, void *arg);
