/* SPDX-License-Identifier: MIT */
/* Faithful tree copies: content (reflink, then copy_file_range, then
 * read/write), mode, owner, times, hard links inside the tree, symlinks as
 * symlinks, and every xattr (user.* included), each entry created with all
 * of it in one pass. */
#pragma once

#include <stdint.h>
#include <sys/types.h>

struct copy_stats {
        uint64_t files, dirs, symlinks, hardlinks, bytes;
};

/* The label an entry gets at its final path, or -ENOENT to keep its
 * source's (where file_contexts has none). *con is malloc'd. */
typedef int (*copy_label_fn)(const char *path, mode_t mode, char **con, void *arg);

/* Copies the directory open at src_dirfd into a new directory `dst_name`
 * created under dst_parentfd. With `label`, every entry gets the label it
 * gives for `final_path` (where the copy will be published) plus the
 * entry's path below it, instead of its source's. Nothing is fsync'd: the
 * caller issues one syncfs() before publishing the copy. On failure the
 * partial copy is left for the caller to remove. Returns 0 or -errno. */
int copy_tree(int src_dirfd, int dst_parentfd, const char *dst_name, const char *final_path,
              copy_label_fn label, void *label_arg, struct copy_stats *st);
