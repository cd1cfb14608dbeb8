/* SPDX-License-Identifier: MIT */
/* Fewer file_contexts lookups for labelling a tree (label.c). Private to
 * selinux/.
 *
 * libselinux answers a lookup by trying, from the last, every spec of the
 * path's stem — about a thousand regular expressions for /var — until one
 * matches: labelling the policy store's 1,300 entries that way costs some
 * 700 million instructions, and under emulation (a QEMU boot without KVM)
 * seconds. Its answer depends only on which specs match the path and on the
 * file type. This cache reads the same specs (file_contexts and its
 * .homedirs and .local companions, as text), finds for each directory the
 * few that can match anything beneath it (PCRE2 partial matching, with the
 * anchors and options libselinux compiles them with), matches only those
 * against each name, and asks libselinux once per distinct (set of matching
 * specs, file type). The label always comes from libselinux; the cache only
 * decides when two paths must get the same one, and stands aside
 * (LABEL_CACHE_MISS) whenever it cannot be sure: substituted paths
 * (.subs, .subs_dist), a spec file it cannot read as libselinux would, a
 * regular expression that does not compile. */
#pragma once

#include <sys/types.h>

/* The files libselinux loads for SELABEL_OPT_PATH=.../file_contexts: these
 * specs in this order, each as text or compiled (NAME.bin), and the path
 * substitutions. */
static const char *const fc_spec_files[] __attribute__((unused)) = {"file_contexts", "file_contexts.homedirs",
                                                                     "file_contexts.local"};
static const char *const fc_subs_files[] __attribute__((unused)) = {"file_contexts.subs_dist",
                                                                     "file_contexts.subs"};

#define LABEL_CACHE_MISS (-1)

struct label_cache;

/* Reads the specs of the files directory (contexts/files of a policy) open
 * at filesfd. -ENOENT or -EINVAL when the cache cannot be used there (then
 * every lookup goes to libselinux), -ENOMEM. */
int label_cache_open(int filesfd, struct label_cache **out);
void label_cache_free(struct label_cache *c);

/* What to do with `path` of type `mode`: a key to find or store its label
 * under (>= 0), or LABEL_CACHE_MISS to ask libselinux without storing. */
int label_cache_key(struct label_cache *c, const char *path, mode_t mode);

/* The label stored under `key`: 1 and *con (shared, do not free; NULL for
 * "no label": libselinux said ENOENT), or 0 if nothing is stored yet. */
int label_cache_get(struct label_cache *c, int key, const char **con);
/* Stores libselinux's answer for `key` (con NULL: ENOENT). */
int label_cache_put(struct label_cache *c, int key, const char *con);
