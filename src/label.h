/* SPDX-License-Identifier: MIT */
/* SELinux labels from the *target's* file_contexts, applied without an
 * SELinux kernel (xattrs only), so copied trees get the labels of their new
 * location rather than keeping their /usr ones. */
#pragma once

#include <stddef.h>
#include <sys/types.h>

struct labeler;

/* Opens the file_contexts of the policy whose directory
 * (/etc/selinux/<type> on the target) is open at policy_dirfd. */
int labeler_open(int policy_dirfd, struct labeler **out);
/* The same for labelling `roots` (in-target paths) and what lies beneath
 * them: only the specs that can match there are loaded, when that is shown
 * to give the same labels (src/fcsubset.h); a path elsewhere is looked up
 * in the whole file_contexts, loaded then. */
int labeler_open_for(int policy_dirfd, const char *const *roots, size_t n_roots, struct labeler **out);
void labeler_free(struct labeler *l);

/* The context file_contexts gives to `path` (an absolute in-target path) of
 * file type `mode`. *con is malloc'd; -ENOENT if no rule matches. */
int label_lookup(struct labeler *l, const char *path, mode_t mode, char **con);

/* Sets security.selinux on entry `name` of dirfd (a symlink is labelled
 * itself) to the context for `path`. Unchanged labels are not rewritten. */
int label_entry(struct labeler *l, int dirfd, const char *name, const char *path);

/* Labels the tree rooted at entry `name` of dirfd (the tree itself
 * included, what is mounted beneath it not) as if it lived at `path` in
 * the target, as one `setfiles -F` of it does: every label that differs
 * from file_contexts' is set, nothing else is written, and a file with
 * several hard links in the tree gets the label of the first of its paths
 * met. *changed (may be NULL) counts the labels set. */
int label_tree(struct labeler *l, int dirfd, const char *name, const char *path, size_t *changed);

/* 1 if entry `name` of dirfd has no security.selinux at all (as what is
 * created before any policy is loaded), 0 if it has one, or -errno. */
int label_missing(int dirfd, const char *name);
