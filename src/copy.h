/* SPDX-License-Identifier: MIT */
/* Faithful tree copies: content (reflink, then copy_file_range, then
 * read/write), mode, owner, times, hard links inside the tree, symlinks as
 * symlinks, and every xattr (security.selinux and user.* included). */
#pragma once

#include <stdint.h>

struct copy_stats {
        uint64_t files, dirs, symlinks, hardlinks, bytes;
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
