/* SPDX-License-Identifier: MIT */
#include "apply.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "copy.h"
#include "fsutil.h"
#include "label.h"
#include "log.h"
#include "root.h"
#include "util.h"

#define XATTR_SELINUX "security.selinux"

struct apply_ctx {
        int rootfd;
        const char *root_display;
        const struct plan *p;
        struct labeler *labeler;
};

/* The directory of `path`, reached with no symlink on the way, opened so
 * that it can be fsync'd. */
static int open_parent(struct apply_ctx *c, const char *path, const char **name) {
        _cleanup_close_ int pfd = root_open_parent_nofollow(c->rootfd, path, name);

        if (pfd < 0)
                return pfd;
        int fd = openat(pfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        return fd < 0 ? negerrno() : fd;
}

static int lookup_label(struct apply_ctx *c, const char *path, mode_t mode, char **con) {
        int r;

        if (!c->labeler) {
                *con = NULL;
                return 0;
        }
        r = label_lookup(c->labeler, path, mode, con);
        return r == -ENOENT ? (*con = NULL, 0) : r;
}

static int do_write(struct apply_ctx *c, const struct step *s) {
        _cleanup_free_ char *con = NULL;
        const char *name;
        int r;

        _cleanup_close_ int dfd = open_parent(c, s->path, &name);
        if (dfd < 0)
                return dfd;
        r = lookup_label(c, s->path, S_IFREG | s->mode, &con);
        if (r < 0)
                return r;
        return atomic_write_at(dfd, name, s->data, s->len, s->mode, s->uid, s->gid, con, s->tag);
}

/* A file copied as it is when the step runs (the original of a policy about
 * to be rewritten), read whole for an atomic write of the copy. */
static int do_copy_file(struct apply_ctx *c, const struct step *s) {
        _cleanup_free_ char *con = NULL, *buf = NULL;
        const char *name;
        size_t len;
        int r;

        _cleanup_close_ int src = root_open_regular(c->rootfd, s->path2, NULL);
        if (src < 0)
                return src;
        r = read_full_fd(src, SIZE_MAX / 2, &buf, &len);
        if (r < 0)
                return r;
        _cleanup_close_ int dfd = open_parent(c, s->path, &name);
        if (dfd < 0)
                return dfd;
        r = lookup_label(c, s->path, S_IFREG | s->mode, &con);
        if (r < 0)
                return r;
        return atomic_write_at(dfd, name, buf, len, s->mode, s->uid, s->gid, con, s->tag);
}

/* Copy beside, label for the final location, flush once, then swap the
 * finished tree with the symlink in a single rename. */
static int do_copy(struct apply_ctx *c, const struct step *s) {
        _cleanup_free_ char *staged = NULL;
        struct copy_stats st = {0};
        const char *name;
        int r;

        _cleanup_close_ int dfd = open_parent(c, s->path, &name);
        if (dfd < 0)
                return dfd;
        _cleanup_close_ int src = root_open_in(c->rootfd, s->path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (src < 0)
                return src;
        r = staged_name(name, &staged);
        if (r < 0)
                return r;
        r = rm_rf_at(dfd, staged);
        if (r < 0)
                return r;
        r = copy_tree(src, dfd, staged, c->labeler, s->path, &st);
        if (r >= 0 && syncfs(dfd) < 0)
                r = negerrno();
        if (r >= 0 && renameat2(dfd, staged, dfd, name, RENAME_EXCHANGE) < 0)
                r = negerrno();
        if (r < 0) {
                rm_rf_at(dfd, staged);
                return r;
        }
        log_debug("copied %s: %" PRIu64 " files, %" PRIu64 " directories, %" PRIu64 " symlinks, %" PRIu64 " bytes",
                  s->path, st.files, st.dirs, st.symlinks, st.bytes);
        /* The old symlink now sits at the staged name. */
        r = rm_rf_at(dfd, staged);
        if (r < 0)
                return r;
        return fsync(dfd) < 0 ? negerrno() : 0;
}

static int same_dir_names(struct apply_ctx *c, const struct step *s, int *dfd, const char **a, const char **b) {
        const char *sa = strrchr(s->path, '/'), *sb = strrchr(s->path2, '/');

        if (!sa || !sb || sa - s->path != sb - s->path2 || strncmp(s->path, s->path2, sa - s->path) != 0)
                return -EXDEV;
        *b = sb + 1;
        *dfd = open_parent(c, s->path, a);
        return *dfd < 0 ? *dfd : 0;
}

/* A directory appears under its final name already labelled. */
static int do_mkdir(struct apply_ctx *c, const struct step *s) {
        _cleanup_free_ char *staged = NULL, *con = NULL;
        const char *name;
        int r;

        _cleanup_close_ int dfd = open_parent(c, s->path, &name);
        if (dfd < 0)
                return dfd;
        if ((r = staged_name(name, &staged)) < 0 || (r = rm_rf_at(dfd, staged)) < 0 ||
            (r = lookup_label(c, s->path, S_IFDIR | s->mode, &con)) < 0)
                return r;
        if (mkdirat(dfd, staged, 0700) < 0)
                return negerrno();
        _cleanup_close_ int fd = openat(dfd, staged, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0 || fchown(fd, s->uid, s->gid) < 0 || fchmod(fd, s->mode) < 0 ||
            (con && fsetxattr(fd, XATTR_SELINUX, con, strlen(con) + 1, 0) < 0) || fsync(fd) < 0 ||
            renameat(dfd, staged, dfd, name) < 0) {
                r = negerrno();
                rm_rf_at(dfd, staged);
                return r;
        }
        return fsync(dfd) < 0 ? negerrno() : 0;
}

static int do_step(struct apply_ctx *c, const struct step *s) {
        _cleanup_close_ int dfd = -1;
        const char *a, *b;
        int r;

        switch (s->kind) {
        case STEP_COPY_DIR:
                return do_copy(c, s);
        case STEP_WRITE_FILE:
                return do_write(c, s);
        case STEP_COPY_FILE:
                return do_copy_file(c, s);
        case STEP_MKDIR:
                return do_mkdir(c, s);
        case STEP_RENAME:
        case STEP_LINK:
                r = same_dir_names(c, s, &dfd, &a, &b);
                if (r < 0)
                        return r;
                r = s->kind == STEP_RENAME ? renameat(dfd, a, dfd, b) : linkat(dfd, a, dfd, b, 0);
                break;
        case STEP_UNLINK:
        case STEP_RMDIR:
        case STEP_REMOVE_STAGED:
                dfd = open_parent(c, s->path, &a);
                if (dfd < 0)
                        return dfd;
                if (s->kind == STEP_REMOVE_STAGED) {
                        r = rm_rf_at(dfd, a);
                        if (r < 0)
                                return r;
                        break;
                }
                r = unlinkat(dfd, a, s->kind == STEP_RMDIR ? AT_REMOVEDIR : 0);
                break;
        default:
                return -EINVAL;
        }
        if (r < 0)
                return negerrno();
        return fsync(dfd) < 0 ? negerrno() : 0;
}

static bool needs_labels(const struct plan *p) {
        return p->mode != SE_MODE_DISABLED;
}

int apply_plan(int rootfd, const char *root_display, const struct plan *p, size_t max_steps) {
        struct apply_ctx c = {.rootfd = rootfd, .root_display = root_display, .p = p};
        _cleanup_free_ char *pdir = NULL;
        int r = 0;

        if (p->n == 0)
                return 0;
        if (asprintf(&pdir, "/etc/selinux/%s", p->type) < 0)
                return -ENOMEM;
        _cleanup_close_ int pfd = root_open_in(rootfd, pdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        r = pfd < 0 ? pfd : labeler_open(pfd, &c.labeler);
        if (r < 0) {
                if (needs_labels(p))
                        return log_errno(r, "Failed to read the file contexts of %s%s", root_display, pdir);
                log_warning("no file contexts under %s%s: files written unlabelled", root_display, pdir);
        }
        for (size_t i = 0; i < p->n && i < max_steps; i++) {
                const struct step *s = &p->steps[i];
                log_info("%s", s->why);
                r = do_step(&c, s);
                if (r < 0) {
                        log_errno(r, "Failed to %s (at %s%s)", s->why, root_display, s->path);
                        break;
                }
        }
        labeler_free(c.labeler);
        return r;
}
