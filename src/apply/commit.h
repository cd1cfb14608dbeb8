/* SPDX-License-Identifier: MIT */
/* Durability of a sequence of steps with as few flushes as order allows.
 * A step stages its new content, calls commits_barrier() (one syncfs that
 * makes the staged content and every earlier step durable), publishes with
 * a rename, and leaves the directory it renamed in to commits_defer(): the
 * next step's barrier, or commits_flush() at the end, makes it durable.
 * So step k is on disk before step k+1 can be, as with an fsync of each
 * directory after each step, at about half the flushes. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct pending_dir {
        dev_t dev;
        ino_t ino;
        int fd;
};

struct commits {
        struct pending_dir *v;
        size_t n, allocated;
};

/* Remembers the directory open at dirfd (its fd is duplicated) as holding
 * a rename not yet durable. */
int commits_defer(struct commits *c, int dirfd);

/* Makes everything before it durable: syncfs() of fd's filesystem (for the
 * content a step has staged there, `staged`, or for what is pending), and
 * an fsync() of each pending directory on another filesystem. Without
 * staged content and with nothing pending, does nothing. */
int commits_barrier(struct commits *c, int fd, bool staged);

/* The barrier for content several steps staged before any of them
 * publishes (up to COMMITS_STAGED_MAX directories, fds): one syncfs per
 * filesystem among them, then as commits_barrier() for what is pending. */
#define COMMITS_STAGED_MAX 8
int commits_barrier_staged(struct commits *c, const int *fds, size_t n);

/* fsync()s every pending directory; at the end of a run. */
int commits_flush(struct commits *c);

void commits_done(struct commits *c);
