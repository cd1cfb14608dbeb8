/* SPDX-License-Identifier: MIT */
#include "label.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <selinux/label.h>
#include <selinux/selinux.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "fcsubset.h"
#include "labelcache.h"
#include "log.h"
#include "root.h"
#include "util.h"
#include "walk.h"


#define XATTR_SELINUX "security.selinux"

struct labeler {
        struct selabel_handle *h;
        struct label_cache *cache; /* NULL: every lookup goes to libselinux */
        /* With a subset (h holds only the specs that can match beneath
         * `roots`): a path elsewhere goes to the whole file_contexts,
         * opened the first time one is asked for. */
        char **roots;
        size_t n_roots;
        int filesfd;
        struct selabel_handle *whole;
};

/* Every file libselinux opens beside SELABEL_OPT_PATH (3.4: the base, its
 * .homedirs and .local companions, each maybe compiled, and the two
 * substitution files). */
static const char *const fc_files[] = {
        "file_contexts",          "file_contexts.bin",       "file_contexts.homedirs",
        "file_contexts.homedirs.bin", "file_contexts.local", "file_contexts.local.bin",
        "file_contexts.subs_dist", "file_contexts.subs",
};

/* contexts/files, reached from the policy directory without leaving it: an
 * absolute or escaping link there would make libselinux read the host's. */
static int open_files_dir(int policy_dirfd) {
        return root_open_beneath(policy_dirfd, "contexts/files", O_PATH | O_DIRECTORY);
}

/* libselinux opens these by name, following links; we cannot make it
 * resolve them in the root, so a link among them is refused outright. */
static int check_no_links(int filesfd) {
        struct stat st;

        for (size_t i = 0; i < ELEMENTSOF(fc_files); i++) {
                if (fstatat(filesfd, fc_files[i], &st, AT_SYMLINK_NOFOLLOW) < 0) {
                        if (errno == ENOENT)
                                continue;
                        return negerrno();
                }
                if (!S_ISREG(st.st_mode)) {
                        log_error("contexts/files/%s is not a regular file", fc_files[i]);
                        return S_ISLNK(st.st_mode) ? -ELOOP : -EINVAL;
                }
        }
        return 0;
}

static struct selabel_handle *open_handle(const char *path) {
        /* No validation: that asks the running kernel's policy, and the
         * initramfs kernel has none loaded (or a different one). */
        const struct selinux_opt opts[] = {
                {SELABEL_OPT_PATH, path},
                {SELABEL_OPT_VALIDATE, NULL},
        };
        return selabel_open(SELABEL_CTX_FILE, opts, ELEMENTSOF(opts));
}

static int open_whole(int filesfd, struct selabel_handle **h) {
        char path[64];

        snprintf(path, sizeof(path), "/proc/self/fd/%d/file_contexts", filesfd);
        *h = open_handle(path);
        return *h ? 0 : negerrno();
}

/* The subset for `roots`: 0, or -EOPNOTSUPP (the whole is needed) or
 * -ENOMEM. */
static int open_subset(struct labeler *l, int filesfd, const char *const *roots, size_t n_roots) {
        char path[64];
        int memfd, r = fc_subset_open(filesfd, roots, n_roots, &memfd);

        if (r < 0)
                return r == -ENOMEM ? r : -EOPNOTSUPP;
        snprintf(path, sizeof(path), "/proc/self/fd/%d", memfd);
        l->h = open_handle(path);
        r = l->h ? 0 : negerrno();
        close(memfd);
        if (r < 0)
                return r == -ENOMEM ? r : -EOPNOTSUPP;
        if (!(l->roots = calloc(n_roots, sizeof(char *))))
                return -ENOMEM;
        for (size_t i = 0; i < n_roots; i++)
                if (!(l->roots[l->n_roots++] = strdup(roots[i])))
                        return -ENOMEM;
        l->filesfd = fcntl(filesfd, F_DUPFD_CLOEXEC, 3);
        return l->filesfd < 0 ? negerrno() : 0;
}

int labeler_open_for(int policy_dirfd, const char *const *roots, size_t n_roots, struct labeler **out) {
        int r;

        _cleanup_close_ int filesfd = open_files_dir(policy_dirfd);
        if (filesfd < 0)
                return filesfd;
        r = check_no_links(filesfd);
        if (r < 0)
                return r;
        struct labeler *l = calloc(1, sizeof(*l));
        if (!l)
                return -ENOMEM;
        l->filesfd = -1;
        /* For tests and benchmarks that compare with the whole. */
        const char *ns = getenv("IGNITION_SELINUX_NO_FC_SUBSET");
        bool subset = n_roots && !(ns && streq(ns, "1"));
        r = subset ? open_subset(l, filesfd, roots, n_roots) : -EOPNOTSUPP;
        /* (open_subset() leaves l->h unset whenever it says -EOPNOTSUPP) */
        if (r == -EOPNOTSUPP) {
                if (subset)
                        log_debug("file contexts: the part for the paths written cannot be shown equal to "
                                  "the whole, loading the whole");
                r = open_whole(filesfd, &l->h);
        }
        if (r < 0) {
                labeler_free(l);
                return r;
        }
        /* For tests and benchmarks that compare with libselinux alone. A
         * subset of a few dozen specs needs no cache: libselinux tries them
         * in about a microsecond, less than working out a cache key. */
        const char *nc = getenv("IGNITION_SELINUX_NO_LABEL_CACHE");
        if (!l->roots && !(nc && streq(nc, "1"))) {
                r = label_cache_open(filesfd, &l->cache);
                if (r == -ENOMEM) {
                        labeler_free(l);
                        return r;
                }
                if (r < 0)
                        log_debug("file contexts not cached: %s", strerror(-r));
        }
        *out = l;
        return 0;
}

int labeler_open(int policy_dirfd, struct labeler **out) {
        return labeler_open_for(policy_dirfd, NULL, 0, out);
}

void labeler_free(struct labeler *l) {
        if (!l)
                return;
        if (l->h)
                selabel_close(l->h);
        if (l->whole)
                selabel_close(l->whole);
        label_cache_free(l->cache);
        for (size_t i = 0; i < l->n_roots; i++)
                free(l->roots[i]);
        free(l->roots);
        if (l->filesfd >= 0)
                close(l->filesfd);
        free(l);
}

int label_lookup(struct labeler *l, const char *path, mode_t mode, char **con) {
        int key = l->cache ? label_cache_key(l->cache, path, mode) : LABEL_CACHE_MISS;
        const char *known;
        char *c = NULL;

        if (key >= 0 && label_cache_get(l->cache, key, &known)) {
                if (!known)
                        return -ENOENT;
                return (*con = strdup(known)) ? 0 : -ENOMEM;
        }
        struct selabel_handle *h = l->h;
        if (l->roots && !fc_beneath_any(path, (const char *const *)l->roots, l->n_roots)) {
                if (!l->whole) {
                        log_debug("%s: not beneath the paths the file contexts were loaded for, loading them all",
                                  path);
                        int r = open_whole(l->filesfd, &l->whole);
                        if (r < 0)
                                return r == -ENOENT ? -EIO : r;
                }
                h = l->whole;
        }
        /* Also -ENOENT for "<<none>>": such paths are to be left alone. */
        if (selabel_lookup_raw(h, &c, path, (int)(mode & S_IFMT)) < 0) {
                int r = negerrno();
                if (r == -ENOENT && key >= 0 && label_cache_put(l->cache, key, NULL) < 0)
                        return -ENOMEM;
                return r;
        }
        if (key >= 0 && label_cache_put(l->cache, key, c) < 0) {
                freecon(c);
                return -ENOMEM;
        }
        *con = c;
        return 0;
}

static bool label_is(const char *cur, ssize_t n, const char *want) {
        /* Tools differ on storing the trailing NUL; both mean the same. */
        if (n > 0 && cur[n - 1] == '\0')
                n--;
        return (size_t)n == strlen(want) && memcmp(cur, want, (size_t)n) == 0;
}

/* Labels `name` in dirfd, of file type `mode`, for in-target `path`. */
static int set_label(struct labeler *l, int dirfd, const char *name, const char *path,
                     mode_t mode, bool *changed) {
        char proc[PATH_MAX + 32], cur[1024];
        _cleanup_free_ char *con = NULL;
        int r;

        r = label_lookup(l, path, mode, &con);
        if (r == -ENOENT) {
                log_debug("%s: no context in file_contexts, left as is", path);
                return 0;
        }
        if (r < 0)
                return r;

        /* The l*xattr calls through the directory's fd: the entry itself is
         * labelled, a symlink included, wherever it points. */
        int n = snprintf(proc, sizeof(proc), "/proc/self/fd/%d/%s", dirfd, name);
        if (n < 0 || (size_t)n >= sizeof(proc))
                return -ENAMETOOLONG;

        ssize_t len = lgetxattr(proc, XATTR_SELINUX, cur, sizeof(cur));
        if (len < 0 && errno != ENODATA && errno != ERANGE)
                return negerrno();
        if (len >= 0 && label_is(cur, len, con))
                return 0;
        if (lsetxattr(proc, XATTR_SELINUX, con, strlen(con) + 1, 0) < 0)
                return negerrno();
        log_debug("%s: labelled %s", path, con);
        if (changed)
                *changed = true;
        return 0;
}

int label_entry(struct labeler *l, int dirfd, const char *name, const char *path) {
        struct stat st;

        if (strchr(name, '/'))
                return -EINVAL;
        if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
                return negerrno();
        return set_label(l, dirfd, name, path, st.st_mode, NULL);
}

/* One tree's labelling. A file with several hard links is labelled once,
 * for the first of its paths met: as setfiles does, which keeps the first
 * context it associates with an inode in one tree (and warns of the
 * conflict). */
struct tree {
        struct labeler *l;
        size_t *changed;
        struct {
                dev_t dev;
                ino_t ino;
        } *seen;
        size_t n_seen, allocated;
};

static int first_link(struct tree *t, int dirfd, const char *name, bool *first) {
        struct stat st;

        *first = true;
        if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
                return negerrno();
        if (st.st_nlink < 2)
                return 0;
        for (size_t i = 0; i < t->n_seen; i++)
                if (t->seen[i].dev == st.st_dev && t->seen[i].ino == st.st_ino) {
                        *first = false;
                        return 0;
                }
        if (GROW_FOR(t->seen, t->n_seen, t->allocated, 8) < 0)
                return -ENOMEM;
        t->seen[t->n_seen].dev = st.st_dev;
        t->seen[t->n_seen++].ino = st.st_ino;
        return 0;
}

static int label_one(int dirfd, const char *name, const char *path, mode_t type, void *arg) {
        struct tree *t = arg;
        bool changed = false, first = true;
        int r = S_ISDIR(type) ? 0 : first_link(t, dirfd, name, &first);

        if (r >= 0 && first)
                r = set_label(t->l, dirfd, name, path, type, &changed);
        if (r >= 0 && changed && t->changed)
                (*t->changed)++;
        return r < 0 ? r : 0;
}

int label_tree(struct labeler *l, int dirfd, const char *name, const char *path, size_t *changed) {
        struct tree t = {.l = l, .changed = changed};
        int r = walk_tree(dirfd, name, path, label_one, &t);

        free(t.seen);
        return r;
}

int label_missing(int dirfd, const char *name) {
        char proc[PATH_MAX + 32];
        int n = snprintf(proc, sizeof(proc), "/proc/self/fd/%d/%s", dirfd, name);

        if (n < 0 || (size_t)n >= sizeof(proc))
                return -ENAMETOOLONG;
        if (lgetxattr(proc, XATTR_SELINUX, NULL, 0) >= 0)
                return 0;
        return errno == ENODATA ? 1 : negerrno();
}
