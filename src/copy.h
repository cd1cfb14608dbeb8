/* SPDX-License-Identifier: MIT */
/* Faithful tree copies: content (reflink, then copy_file_range, then
 * read/write), mode, owner, times, hard links inside the tree, symlinks as
 * symlinks, and every xattr (security.selinux and user.* included). */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct copy_stats {
        uint64_t files, dirs, symlinks, hardlinks, bytes;
        uint64_t late_labels; /* set once the labeler was there (copy_trees_labelled_later) */
};

struct labeler;

/* Copies the directory open at src_dirfd into a new directory `dst_name`
 * created under dst_parentfd. With a labeler, every entry gets the label
 * file_contexts gives it at `final_path` (where the copy will be published),
 * set in the same pass rather than copied and then relabelled. Nothing is
 * fsync'd: the caller issues one syncfs() before publishing the copy. On
 * failure the partial copy is left for the caller to remove. Returns 0 or
 * -errno. */
int copy_tree(int src_dirfd, int dst_parentfd, const char *dst_name, struct labeler *labeler,
              const char *final_path, struct copy_stats *st);

/* One tree of copy_trees(): its result in r, its counts in st. */
struct copy_job {
        int src_dirfd, dst_parentfd;
        const char *dst_name, *final_path;
        struct copy_stats st;
        int r;
};
#define COPY_TREES_MAX 8

/* copy_tree() for up to COPY_TREES_MAX trees at once, one thread each (the
 * caller's thread takes the first), sharing the labeler under one lock.
 * Every job runs to its end; returns the first failure, or 0. */
int copy_trees(struct copy_job *jobs, size_t n, struct labeler *labeler);

/* A labeler still being opened elsewhere. get() gives it (NULL: there is
 * none, copies keep their source's labels) and returns 0, or the failure
 * to open it; without `wait` it returns -EAGAIN while it is not there
 * yet. Called with the copy's own lock held, by one walker at a time. */
struct label_source {
        int (*get)(void *arg, bool wait, struct labeler **l);
        void *arg;
};

/* copy_trees() that starts before the labeler is there: entries copied
 * before it is are kept open (a bounded number per walker) with their
 * source's label, and get theirs once it is; the result is the same. */
int copy_trees_labelled_later(struct copy_job *jobs, size_t n, const struct label_source *src);
