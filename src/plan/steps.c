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

void step_free(struct step *s) {
        free(s->path);
        free(s->path2);
        free(s->data);
        free(s->why);
        free(s->meta_from);
        strv_free(s->roots, s->n_roots);
        strv_free(s->entries, s->n_entries);
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

/* Where the plan reads `path`: the store the plan is about to copy to
 * /var/lib/selinux is read where it is now. */
static char *read_path(const struct plan_input *in, const char *path) {
        size_t n = strlen(VAR_LIB_SELINUX);
        char *out;

        if (in->store_from_usr && strncmp(path, VAR_LIB_SELINUX, n) == 0 && (!path[n] || path[n] == '/'))
                return asprintf(&out, "%s%s", FLATCAR_STORE, path + n) < 0 ? NULL : out;
        return strdup(path);
}

/* lstat of `path` with its parents resolved inside the root (through the
 * /usr links the plan is about to replace by copies of the same content). */
int lstat_in(const struct plan_input *in, const char *path, struct stat *st) {
        _cleanup_free_ char *dir = read_path(in, path);
        char *slash;

        if (!dir)
                return -ENOMEM;
        slash = strrchr(dir, '/');
        if (!slash || !slash[1])
                return -EINVAL;
        *slash = 0;
        _cleanup_close_ int fd = root_open_in(in->rootfd, dir[0] ? dir : "/", O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                return fd;
        return fstatat(fd, slash + 1, st, AT_SYMLINK_NOFOLLOW) < 0 ? negerrno() : 0;
}

int read_in(const struct plan_input *in, const char *path, size_t max, char **buf, size_t *len, struct stat *st,
            struct diags *d) {
        struct stat sb = {0};
        _cleanup_free_ char *at = read_path(in, path);
        if (!at)
                return -ENOMEM;
        path = at;
        int r = read_full_in_root(in->rootfd, path, max, buf, len, &sb);

        if (st && r >= 0)
                *st = sb;
        /* A link that leads nowhere inside the root is not an absent file:
         * outside the root it may well lead somewhere. */
        if (r == -ENOENT && root_lstat(in->rootfd, path, &sb) == 0) {
                diags_add(d, DIAG_ERROR, "%s%s: a symlink that leads nowhere inside the target root",
                          in->root_display, path);
                return -EINVAL;
        }
        if (r >= 0 || r == -ENOENT || r == -ENOMEM)
                return r;
        if (r == -EISDIR || r == -EINVAL)
                diags_add(d, DIAG_ERROR, "%s%s: expected a regular file, found %s", in->root_display, path,
                          file_kind(sb.st_mode));
        else if (r == -ENOTDIR)
                diags_add(d, DIAG_ERROR, "%s%s: cannot be read: something on the way to it is not a directory",
                          in->root_display, path);
        else if (r == -EFBIG)
                diags_add(d, DIAG_ERROR, "%s%s: larger than %zu bytes, which no file there can be", in->root_display,
                          path, max);
        else
                diags_add(d, DIAG_ERROR, "%s%s: cannot read: %s", in->root_display, path, strerror(-r));
        return -EINVAL;
}

bool exists_in(const struct plan_input *in, const char *path) {
        struct stat st;
        return lstat_in(in, path, &st) == 0;
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
        /* Only a regular file is opened: a FIFO there must not block. */
        _cleanup_close_ int fd = root_open_regular(rootfd, path, NULL);

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

/* The step before `before` that replaces the symlink at `path` by a copy. */
static bool copied_before(const struct plan *p, size_t before, const char *path) {
        for (size_t j = 0; j < before; j++)
                if (p->steps[j].kind == STEP_COPY_DIR && streq(p->steps[j].path, path))
                        return true;
        return false;
}

/* Every directory on the way to `path` is a real one when step `i` runs:
 * it is now, or it is a symlink an earlier step replaces by a copy of what
 * it leads to (then the way goes on in that tree, whose links are copied
 * as links). A link elsewhere, even one leading inside the root, would be
 * written through, or refused half way by the step: refused now. */
static int check_way(const struct plan_input *in, const struct plan *p, size_t i, const char *path,
                     struct diags *d) {
        _cleanup_free_ char *real = strdup(""), *logical = strdup("");
        struct stat st;
        int r;

        if (!real || !logical)
                return -ENOMEM;
        for (const char *c = path; *c;) {
                while (*c == '/')
                        c++;
                size_t n = strcspn(c, "/");
                if (!c[n])
                        return 0; /* the last component is the step's own business */
                char *nreal, *nlogical;
                if (asprintf(&nreal, "%s/%.*s", real, (int)n, c) < 0)
                        return -ENOMEM;
                free(real);
                real = nreal;
                if (asprintf(&nlogical, "%s/%.*s", logical, (int)n, c) < 0)
                        return -ENOMEM;
                free(logical);
                logical = nlogical;
                c += n;
                r = root_lstat(in->rootfd, real, &st);
                if (r == -ENOENT)
                        return 0;
                if (r < 0)
                        return log_errno(r, "Failed to inspect %s%s", in->root_display, real);
                if (S_ISDIR(st.st_mode))
                        continue;
                if (S_ISLNK(st.st_mode) && copied_before(p, i, logical)) {
                        char *resolved;
                        if ((r = root_realpath(in->rootfd, real, &resolved)) < 0)
                                return log_errno(r, "Failed to resolve %s%s", in->root_display, real);
                        free(real);
                        real = streq(resolved, "/") ? (free(resolved), strdup("")) : resolved;
                        if (!real)
                                return -ENOMEM;
                        continue;
                }
                if (S_ISLNK(st.st_mode)) {
                        _cleanup_free_ char *target = NULL;
                        (void)root_readlink(in->rootfd, real, &target);
                        diags_add(d, DIAG_ERROR, "%s%s: a symlink%s%s on the way to %s, which this run writes; "
                                  "refusing to write through it", in->root_display, real, target ? " to " : "",
                                  target ? target : "", path);
                } else
                        diags_add(d, DIAG_ERROR, "%s%s: expected a directory on the way to %s, found %s",
                                  in->root_display, real, path, file_kind(st.st_mode));
                return -EINVAL;
        }
        return 0;
}

int plan_check_ways(const struct plan_input *in, const struct plan *p, struct diags *d) {
        int r = 0;

        for (size_t i = 0; i < p->n && r >= 0; i++) {
                const struct step *s = &p->steps[i];
                if (s->kind == STEP_LABEL)
                        continue; /* its places were resolved inside the root already */
                if (s->kind == STEP_REBUILD || s->kind == STEP_RELABEL) {
                        /* libsemanage writes beneath both, following links. */
                        _cleanup_free_ char *active = NULL, *pol = NULL;
                        if (asprintf(&active, "%s/active/.", s->path) < 0 ||
                            asprintf(&pol, "/etc/selinux/%s/policy/.", p->type) < 0)
                                return -ENOMEM;
                        if ((r = check_way(in, p, i, active, d)) >= 0)
                                r = check_way(in, p, i, pol, d);
                        continue;
                }
                r = check_way(in, p, i, s->path, d);
                if (r >= 0 && s->path2 && (s->kind == STEP_RENAME || s->kind == STEP_LINK))
                        r = check_way(in, p, i, s->path2, d);
        }
        return r;
}
