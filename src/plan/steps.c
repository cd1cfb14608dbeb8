/* SPDX-License-Identifier: MIT */
#include "steps.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>

#include "lib/fsutil.h"
#include "lib/log.h"
#include "lib/root.h"
#include "lib/util.h"

int add_step(struct plan *p, enum step_kind kind, const char *path, const char *path2,
                    const char *fmt, ...) {
        va_list ap;
        struct step *s;

        if (GROW_FOR(p->steps, p->n, p->allocated, 16) < 0)
                return -ENOMEM;
        s = &p->steps[p->n];
        *s = (struct step){.kind = kind, .mode = 0644};
        s->path = strdup(path);
        s->path2 = path2 ? strdup(path2) : NULL;
        va_start(ap, fmt);
        if (vasprintf(&s->why, fmt, ap) < 0)
                s->why = NULL;
        va_end(ap);
        if (!s->path || (path2 && !s->path2) || !s->why) {
                free(s->path);
                free(s->path2);
                free(s->why);
                return -ENOMEM;
        }
        p->n++;
        return 0;
}

/* The last step's payload: a file's new content and metadata. Takes `data`. */
void set_payload(struct plan *p, char *data, size_t len, const struct stat *st) {
        struct step *s = &p->steps[p->n - 1];
        s->data = data;
        s->len = len;
        if (st) {
                s->mode = st->st_mode & 07777;
                s->uid = st->st_uid;
                s->gid = st->st_gid;
        }
}

/* lstat of `path` with its parents resolved inside the root (through the
 * /usr links the plan is about to replace by copies of the same content). */
int lstat_in(int rootfd, const char *path, struct stat *st) {
        _cleanup_free_ char *dir = strdup(path);
        char *slash;

        if (!dir)
                return -ENOMEM;
        slash = strrchr(dir, '/');
        if (!slash || !slash[1])
                return -EINVAL;
        *slash = 0;
        _cleanup_close_ int fd = root_open_in(rootfd, dir[0] ? dir : "/", O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                return fd;
        return fstatat(fd, slash + 1, st, AT_SYMLINK_NOFOLLOW) < 0 ? negerrno() : 0;
}

int read_in(int rootfd, const char *path, size_t max, char **buf, size_t *len, struct stat *st) {
        int r = read_full_in_root(rootfd, path, max, buf, len, st);

        if (r == -EISDIR || r == -EINVAL)
                log_error("%s is not a regular file", path);
        return r;
}

bool exists_in(int rootfd, const char *path) {
        struct stat st;
        return lstat_in(rootfd, path, &st) == 0;
}

/* Leftovers of an interrupted run beside `path` go first. */
int plan_cleanup(const struct plan_input *in, struct plan *p, const char *path) {
        _cleanup_free_ char *dir = strdup(path), *staged = NULL, *full = NULL;
        char *slash;
        struct stat st;
        int r;

        if (!dir)
                return -ENOMEM;
        slash = strrchr(dir, '/');
        *slash = 0;
        r = staged_name(slash + 1, &staged);
        if (r < 0)
                return r;
        if (asprintf(&full, "%s/%s", dir, staged) < 0)
                return -ENOMEM;
        if (root_lstat(in->rootfd, full, &st) < 0)
                return 0;
        return add_step(p, STEP_REMOVE_STAGED, full, NULL, "remove %s, left by an interrupted run", full);
}

/* Whether `path` is a policy this program wrote without its dontaudit rules:
 * a rebuild replaces the file and so drops the tag. */
bool tagged_stripped(int rootfd, const char *path) {
        char v[sizeof(TAG_STRIPPED)];
        _cleanup_close_ int fd = root_open_in(rootfd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY);

        if (fd < 0)
                return false;
        ssize_t n = fgetxattr(fd, XATTR_TAG, v, sizeof(v) - 1);
        return n == (ssize_t)strlen(TAG_STRIPPED) && memcmp(v, TAG_STRIPPED, (size_t)n) == 0;
}


const char *base_name(const char *path) {
        const char *s = strrchr(path, '/');
        return s ? s + 1 : path;
}

bool same_bytes(const char *a, size_t alen, const char *b, size_t blen) {
        return alen == blen && memcmp(a, b, alen) == 0;
}
