/* SPDX-License-Identifier: MIT */
#include "selinux.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <selinux/label.h>
#include <selinux/selinux.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "labelcache.h"
#include "lib/fsutil.h"
#include "lib/log.h"
#include "lib/root.h"
#include "lib/util.h"
#include "lib/walk.h"


struct labeler {
        struct selabel_handle *h;
        struct label_cache *cache; /* NULL: every lookup goes to libselinux */
};

/* contexts/files, reached from the policy directory without leaving it: an
 * absolute or escaping link there would make libselinux read the host's. */
static int open_files_dir(int policy_dirfd) {
        return root_open_beneath(policy_dirfd, "contexts/files", O_PATH | O_DIRECTORY);
}

/* libselinux opens these by name, following links; we cannot make it
 * resolve them in the root, so a link among them is refused outright. */
static int check_regular(int filesfd, const char *name, const char *suffix) {
        char file[64];
        struct stat st;

        snprintf(file, sizeof(file), "%s%s", name, suffix);
        if (fstatat(filesfd, file, &st, AT_SYMLINK_NOFOLLOW) < 0)
                return errno == ENOENT ? 0 : negerrno();
        if (S_ISREG(st.st_mode))
                return 0;
        log_error("contexts/files/%s is not a regular file", file);
        return S_ISLNK(st.st_mode) ? -ELOOP : -EINVAL;
}

static int check_no_links(int filesfd) {
        int r = 0;

        for (size_t i = 0; r >= 0 && i < ELEMENTSOF(fc_spec_files); i++)
                if ((r = check_regular(filesfd, fc_spec_files[i], "")) >= 0)
                        r = check_regular(filesfd, fc_spec_files[i], ".bin");
        for (size_t i = 0; r >= 0 && i < ELEMENTSOF(fc_subs_files); i++)
                r = check_regular(filesfd, fc_subs_files[i], "");
        return r;
}

/* libselinux says why file_contexts does not load through its log callback,
 * naming the file by the /proc path we gave it: kept, without that path,
 * for labeler_error(), rather than printed. */
static char open_error[256];

static int __attribute__((format(printf, 2, 3))) capture_log(int type, const char *fmt, ...) {
        char msg[sizeof(open_error)];
        va_list ap;

        if (type != SELINUX_ERROR && type != SELINUX_WARNING)
                return 0;
        va_start(ap, fmt);
        vsnprintf(msg, sizeof(msg), fmt, ap);
        va_end(ap);
        const char *m = msg, *files = strstr(msg, "/file_contexts");
        if (strncmp(msg, "/proc/self/fd/", 14) == 0 && files)
                m = files + 1;
        /* Its lines end with a newline; ours do not. */
        snprintf(open_error, sizeof(open_error), "%.*s", (int)strcspn(m, "\n"), m);
        return 0;
}

const char *labeler_error(void) {
        return open_error[0] ? open_error : NULL;
}

int labeler_open(int policy_dirfd, struct labeler **out) {
        char path[64];

        _cleanup_close_ int filesfd = open_files_dir(policy_dirfd);
        if (filesfd < 0)
                return filesfd;
        int r = check_no_links(filesfd);
        if (r < 0)
                return r;
        struct labeler *l = calloc(1, sizeof(*l));
        if (!l)
                return -ENOMEM;
        /* Through the directory's fd, which was reached inside the root.
         * No validation: that asks the running kernel's policy, and the
         * initramfs kernel has none loaded (or a different one). */
        snprintf(path, sizeof(path), "/proc/self/fd/%d/file_contexts", filesfd);
        const struct selinux_opt opts[] = {
                {SELABEL_OPT_PATH, path},
                {SELABEL_OPT_VALIDATE, NULL},
        };
        union selinux_callback saved = selinux_get_callback(SELINUX_CB_LOG), cb = {.func_log = capture_log};
        open_error[0] = '\0';
        selinux_set_callback(SELINUX_CB_LOG, cb);
        l->h = selabel_open(SELABEL_CTX_FILE, opts, ELEMENTSOF(opts));
        selinux_set_callback(SELINUX_CB_LOG, saved);
        if (!l->h) {
                r = negerrno();
                free(l);
                return r;
        }
        r = label_cache_open(filesfd, &l->cache);
        if (r == -ENOMEM) {
                labeler_free(l);
                return r;
        }
        if (r < 0)
                log_debug("file contexts not cached: %s", strerror(-r));
        *out = l;
        return 0;
}

void labeler_free(struct labeler *l) {
        if (!l)
                return;
        selabel_close(l->h);
        label_cache_free(l->cache);
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
        /* Also -ENOENT for "<<none>>": such paths are to be left alone. */
        if (selabel_lookup_raw(l->h, &c, path, (int)(mode & S_IFMT)) < 0) {
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

static int label_one(const struct walk_entry *e, void *arg) {
        struct tree *t = arg;
        bool changed = false, first = true;
        int r = S_ISDIR(e->type) ? 0 : first_link(t, e->dirfd, e->name, &first);

        if (r >= 0 && first)
                r = set_label(t->l, e->dirfd, e->name, e->path, e->type, &changed);
        if (r >= 0 && changed && t->changed)
                (*t->changed)++;
        return r < 0 ? r : 0;
}

int label_tree(struct labeler *l, int dirfd, const char *name, const char *path, size_t *changed) {
        struct tree t = {.l = l, .changed = changed};
        static const struct walk_ops ops = {.enter = label_one};
        int r = walk_tree(dirfd, name, path, &ops, &t);

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
