/* SPDX-License-Identifier: MIT */
/* The part of a policy's file_contexts that can label paths at or beneath a
 * few roots (the trees and files a run writes), as a text file_contexts in a
 * memfd. libselinux then loads a few dozen specs instead of decoding the
 * thousands of compiled regexes of file_contexts.bin: about 10 ms and 30 MB
 * of heap less, natively, and several times that under emulation. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

/* filesfd: the policy's contexts/files. On success *memfd holds the specs
 * of file_contexts, .homedirs and .local that may match beneath `roots`, in
 * their order. -EOPNOTSUPP when that part cannot be shown to label those
 * paths as the whole would: a substitution that touches a root, a compiled
 * file libselinux prefers whose specs differ from its text (or that has no
 * text, or a format not known here), a line libselinux would refuse. */
int fc_subset_open(int filesfd, const char *const *roots, size_t n_roots, int *memfd);

/* Whether in-target `path` is one of `roots` or beneath one. */
bool fc_beneath_any(const char *path, const char *const *roots, size_t n_roots);
