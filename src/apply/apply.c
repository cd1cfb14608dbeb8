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

#include "commit.h"
#include "copy.h"
#include "rebuild.h"
#include "lib/fsutil.h"
#include "lib/log.h"
#include "lib/root.h"
#include "lib/util.h"
#include "selinux/selinux.h"

struct apply_ctx {
        int rootfd;
        const char *root, *root_display;
        const struct plan *p;
        /* The file contexts every step that writes labels with: the plan's,
         * or after a rebuild those it wrote (`own`). */
        struct labeler *labeler, *own;
        struct commits commits;
};

/* Publishes what a step staged beside `name` (flushed first, with every
 * earlier step) by renaming it over `name`; the rename itself is made
 * durable by the next step's barrier or at the end. */
static int publish(struct apply_ctx *c, int dfd, const char *staged, const char *name, bool exchange) {
        int r = commits_barrier(&c->commits, dfd, true);

        if (r < 0) {
                rm_rf_at(dfd, staged);
                return r;
        }
        r = publish_staged_at(dfd, staged, name, exchange ? RENAME_EXCHANGE : 0);
        return r < 0 ? r : commits_defer(&c->commits, dfd);
}

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

/* The staged file takes the other xattrs and the times of the step's
 * `meta_from` (a policy saved aside keeps what the original had, and gives
 * it back): not its label, which is its place's, nor our tag. */
static int copy_meta(struct apply_ctx *c, const struct step *s, int dfd, const char *staged) {
        char names[4096], value[4096];
        struct stat st;

        if (!s->meta_from)
                return 0;
        _cleanup_close_ int from = root_open_regular(c->rootfd, s->meta_from, &st);
        if (from < 0)
                return from;
        _cleanup_close_ int to = openat(dfd, staged, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
        if (to < 0)
                return negerrno();
        ssize_t len = flistxattr(from, names, sizeof(names));
        if (len < 0 && errno != ENOTSUP)
                return negerrno();
        for (const char *n = names; len > 0 && n < names + len; n += strlen(n) + 1) {
                if (streq(n, XATTR_SELINUX) || streq(n, XATTR_TAG))
                        continue;
                ssize_t v = fgetxattr(from, n, value, sizeof(value));
                if (v < 0 || fsetxattr(to, n, value, (size_t)v, 0) < 0)
                        return negerrno();
        }
        const struct timespec ts[2] = {st.st_atim, st.st_mtim};
        return futimens(to, ts) < 0 ? negerrno() : 0;
}

/* `buf` atomically at the step's path, with its metadata, tag and label. */
static int write_labelled(struct apply_ctx *c, const struct step *s, const void *buf, size_t len) {
        _cleanup_free_ char *con = NULL;
        const char *name;
        int r;

        _cleanup_close_ int dfd = open_parent(c, s->path, &name);
        if (dfd < 0)
                return dfd;
        _cleanup_free_ char *staged = NULL;
        r = lookup_label(c, s->path, S_IFREG | s->mode, &con);
        if (r < 0)
                return r;
        r = stage_file_at(dfd, name, buf, len, s->mode, s->uid, s->gid, con, s->tag, &staged);
        if (r >= 0 && (r = copy_meta(c, s, dfd, staged)) < 0)
                rm_rf_at(dfd, staged);
        return r < 0 ? r : publish(c, dfd, staged, name, false);
}

/* A file copied as it is when the step runs (the original of a policy about
 * to be rewritten), read whole for an atomic write of the copy. */
static int do_copy_file(struct apply_ctx *c, const struct step *s) {
        _cleanup_free_ char *buf = NULL;
        size_t len;
        int r = read_full_in_root(c->rootfd, s->path2, SIZE_MAX / 2, &buf, &len, NULL);

        return r < 0 ? r : write_labelled(c, s, buf, len);
}

static int copy_label(const char *path, mode_t mode, char **con, void *arg) {
        struct apply_ctx *c = arg;
        int r = lookup_label(c, path, mode, con);
        return r >= 0 && !*con ? -ENOENT : r;
}

/* A copy that takes the place of a symlink (swapped with it), rather than
 * of nothing (a fresh /var's store, copied from `path2`). */
static bool copy_swaps(const struct step *s) {
        return s->kind == STEP_COPY_DIR && !s->path2;
}

/* Copies the tree `s` replaces beside it as `staged`, labelled for its
 * final place. */
static int stage_copy(struct apply_ctx *c, const struct step *s, int dfd, const char *staged) {
        struct copy_stats st;
        _cleanup_close_ int src = root_open_in(c->rootfd, s->path2 ? s->path2 : s->path,
                                               O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        int r = src < 0 ? src : rm_rf_at(dfd, staged);

        if (r >= 0)
                r = copy_tree(src, dfd, staged, s->path, copy_label, c, &st);
        if (r < 0) {
                rm_rf_at(dfd, staged);
                return r;
        }
        log_debug("copied %s: %" PRIu64 " files, %" PRIu64 " directories, %" PRIu64 " symlinks, %" PRIu64 " bytes",
                  s->path, st.files, st.dirs, st.symlinks, st.bytes);
        return 0;
}

/* Copy beside, label for the final location, flush once, then swap the
 * finished tree with the symlink in a single rename (or, with no symlink
 * there, rename it into place). */
static int do_copy(struct apply_ctx *c, const struct step *s) {
        _cleanup_free_ char *staged = NULL;
        const char *name;
        int r;

        _cleanup_close_ int dfd = open_parent(c, s->path, &name);
        if (dfd < 0)
                return dfd;
        if ((r = staged_name(name, &staged)) < 0 || (r = stage_copy(c, s, dfd, staged)) < 0 ||
            (r = publish(c, dfd, staged, name, copy_swaps(s))) < 0)
                return r;
        /* The old symlink now sits at the staged name. */
        return copy_swaps(s) ? rm_rf_at(dfd, staged) : 0;
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
            (con && fsetxattr(fd, XATTR_SELINUX, con, strlen(con) + 1, 0) < 0)) {
                r = negerrno();
                rm_rf_at(dfd, staged);
                return r;
        }
        return publish(c, dfd, staged, name, false);
}

/* The file contexts of the plan's policy, /etc/selinux/<type>, as they are
 * now on the target. *pdir (may be NULL) gets that path. */
static int open_labeler(struct apply_ctx *c, struct labeler **l, char **pdir) {
        _cleanup_free_ char *dir = NULL;

        if (asprintf(&dir, "/etc/selinux/%s", c->p->type) < 0)
                return -ENOMEM;
        _cleanup_close_ int pfd = root_open_in(c->rootfd, dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        int r = pfd < 0 ? pfd : labeler_open(pfd, l);
        if (pdir)
                *pdir = TAKE_PTR(dir);
        return r;
}

/* Labels what a rebuild wrote, from the file contexts it wrote: the store
 * and the policy directory. Later steps label with those too. */
static int relabel_outputs(struct apply_ctx *c) {
        _cleanup_free_ char *pdir = NULL;
        struct labeler *l = NULL;
        int r = open_labeler(c, &l, &pdir);

        if (r < 0)
                return r;
        labeler_free(c->own);
        c->labeler = c->own = l;
        const char *const trees[] = {pdir, "/var/lib/selinux"};
        for (size_t i = 0; i < ELEMENTSOF(trees) && r >= 0; i++) {
                const char *name;
                _cleanup_close_ int dfd = open_parent(c, trees[i], &name);
                r = dfd < 0 ? dfd : label_tree(l, dfd, name, trees[i], NULL);
        }
        return r;
}

/* A store built with the disable_dontaudit marker holds policies without
 * dontaudit rules: tagged, so that a later run knows them for its own. */
static int tag_stripped(struct apply_ctx *c, const char *store) {
        _cleanup_free_ char *marker = NULL, *kern = NULL, *policy = NULL;
        struct stat st;

        if (asprintf(&marker, "%s/active/disable_dontaudit", store) < 0 ||
            asprintf(&kern, "%s/active/policy.kern", store) < 0)
                return -ENOMEM;
        if (root_lstat(c->rootfd, marker, &st) < 0)
                return 0;
        int r = policy_file_find(c->rootfd, c->p->type, -1, &policy);
        if (r < 0)
                return r;
        const char *const files[] = {policy, kern};
        for (size_t i = 0; i < ELEMENTSOF(files); i++) {
                const char *name;
                _cleanup_close_ int dfd = open_parent(c, files[i], &name);
                if (dfd < 0)
                        return dfd == -ENOENT ? 0 : dfd;
                _cleanup_close_ int fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
                if (fd < 0)
                        return errno == ENOENT ? 0 : negerrno();
                if (fsetxattr(fd, XATTR_TAG, TAG_STRIPPED, strlen(TAG_STRIPPED), 0) < 0)
                        return negerrno();
        }
        return 0;
}

/* libsemanage resolves its paths itself, following symlinks: the trees it
 * writes must be real directories of the target, reached without any. */
static int check_real_dir(struct apply_ctx *c, const char *path) {
        struct stat st;
        int r = root_lstat(c->rootfd, path, &st);

        if (r < 0)
                return r;
        return S_ISDIR(st.st_mode) ? 0 : -ENOTDIR;
}

/* Marker, rebuild, labels, flush, unmark: interrupted anywhere, the next
 * run finds either the old store or the marker, and finishes the labels. */
#define VAR_LIB_SELINUX_FINAL "/var/lib/selinux/final"

static int do_rebuild(struct apply_ctx *c, const struct step *s, bool rebuild) {
        _cleanup_free_ char *active = NULL, *pdir = NULL, *err = NULL;
        const char *store = s->path;
        int r;

        if (asprintf(&active, "%s/active", store) < 0 || asprintf(&pdir, "/etc/selinux/%s/policy", c->p->type) < 0)
                return -ENOMEM;
        if ((r = check_real_dir(c, active)) < 0 || (r = check_real_dir(c, pdir)) < 0)
                return r;
        const char *name;
        _cleanup_close_ int dfd = open_parent(c, active, &name);
        if (dfd < 0)
                return dfd;
        if (rebuild) {
                /* On disk before libsemanage changes anything. */
                _cleanup_free_ char *staged = NULL, *final = NULL;
                struct stat st;
                /* libsemanage builds the policy in final/<type> beside the
                 * store; one it had to create is removed after a failure. */
                if (asprintf(&final, VAR_LIB_SELINUX_FINAL "/%s", c->p->type) < 0)
                        return -ENOMEM;
                bool had_final = root_lstat(c->rootfd, VAR_LIB_SELINUX_FINAL, &st) == 0,
                     had_type = had_final && root_lstat(c->rootfd, final, &st) == 0;
                if ((r = stage_file_at(dfd, RELABEL_MARKER, "", 0, 0600, 0, 0, NULL, NULL, &staged)) < 0 ||
                    (r = publish(c, dfd, staged, RELABEL_MARKER, false)) < 0 ||
                    (r = commits_barrier(&c->commits, dfd, false)) < 0)
                        return r;
                r = store_rebuild(c->root, c->p->type, c->p->ops, c->p->n_ops, &err);
                if (r < 0) {
                        /* libsemanage left the active store as it was, and
                         * its sandbox behind: nothing to label. */
                        rm_rf_at(dfd, "tmp");
                        unlinkat(dfd, RELABEL_MARKER, 0);
                        if (!had_type) {
                                const char *fname;
                                _cleanup_close_ int ffd =
                                        root_open_parent_nofollow(c->rootfd, had_final ? final : VAR_LIB_SELINUX_FINAL,
                                                                  &fname);
                                if (ffd >= 0)
                                        rm_rf_at(ffd, fname);
                        }
                        if (err)
                                log_error("%s", err);
                        return r;
                }
        }
        if ((r = relabel_outputs(c)) < 0 || (r = tag_stripped(c, store)) < 0)
                return r;
        /* The labels, set in place, are this step's staged content. */
        if ((r = commits_barrier(&c->commits, dfd, true)) < 0)
                return r;
        if (unlinkat(dfd, RELABEL_MARKER, 0) < 0 && errno != ENOENT)
                return negerrno();
        return commits_defer(&c->commits, dfd);
}

static void close_all(int *fds, size_t n) {
        for (size_t i = 0; i < n; i++)
                close(fds[i]);
}

/* Labels set in place are the step's staged content: made durable by one
 * syncfs of each filesystem they are on (a fresh /var of Ignition's among
 * them). Interrupted, the next run finds what is still unlabelled. */
static int do_label(struct apply_ctx *c, const struct step *s) {
        int fds[COMMITS_STAGED_MAX];
        dev_t devs[COMMITS_STAGED_MAX];
        size_t n_fds = 0, changed = 0;
        struct stat st;
        int r = 0;

        if (!c->labeler)
                return -ENOENT;
        for (size_t i = 0; i < s->n_roots && r >= 0; i++) {
                const char *name;
                int dfd = open_parent(c, s->roots[i], &name);
                if (dfd < 0) {
                        r = dfd;
                        break;
                }
                if ((r = label_tree(c->labeler, dfd, name, s->roots[i], &changed)) < 0 || fstat(dfd, &st) < 0) {
                        r = r < 0 ? r : negerrno();
                        close(dfd);
                        break;
                }
                bool seen = false;
                for (size_t k = 0; k < n_fds && !seen; k++)
                        seen = devs[k] == st.st_dev;
                if (seen) {
                        close(dfd);
                        continue;
                }
                if (n_fds == COMMITS_STAGED_MAX) {
                        r = commits_barrier_staged(&c->commits, fds, n_fds);
                        close_all(fds, n_fds);
                        n_fds = 0;
                }
                devs[n_fds] = st.st_dev;
                fds[n_fds++] = dfd;
        }
        if (r >= 0)
                r = commits_barrier_staged(&c->commits, fds, n_fds);
        close_all(fds, n_fds);
        if (r >= 0)
                log_info("labelled %zu entr%s in %zu place%s Ignition wrote", changed, changed == 1 ? "y" : "ies",
                         s->n_roots, s->n_roots == 1 ? "" : "s");
        return r;
}

static int do_step(struct apply_ctx *c, const struct step *s) {
        _cleanup_close_ int dfd = -1;
        const char *a, *b;
        int r;

        switch (s->kind) {
        case STEP_COPY_DIR:
                return do_copy(c, s);
        case STEP_WRITE_FILE:
                return write_labelled(c, s, s->data, s->len);
        case STEP_COPY_FILE:
                return do_copy_file(c, s);
        case STEP_MKDIR:
                return do_mkdir(c, s);
        case STEP_REBUILD:
        case STEP_RELABEL:
                return do_rebuild(c, s, s->kind == STEP_REBUILD);
        case STEP_LABEL:
                return do_label(c, s);
        case STEP_RENAME:
        case STEP_LINK:
                r = same_dir_names(c, s, &dfd, &a, &b);
                if (r < 0 || (r = commits_barrier(&c->commits, dfd, false)) < 0)
                        return r;
                r = s->kind == STEP_RENAME ? renameat(dfd, a, dfd, b) : linkat(dfd, a, dfd, b, 0);
                break;
        case STEP_UNLINK:
        case STEP_RMDIR:
        case STEP_REMOVE_STAGED:
                dfd = open_parent(c, s->path, &a);
                if (dfd < 0)
                        return dfd;
                if ((r = commits_barrier(&c->commits, dfd, false)) < 0)
                        return r;
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
        return commits_defer(&c->commits, dfd);
}

/* A step that only stages new content beside its own path (a copy of a
 * tree, a written file) and publishes it with one rename. */
static bool stages_beside(const struct step *s) {
        return s->kind == STEP_COPY_DIR || s->kind == STEP_WRITE_FILE;
}

/* `a` is `b` or beneath it. */
static bool at_or_beneath(const char *a, const char *b) {
        size_t n = strlen(b);
        return strncmp(a, b, n) == 0 && (a[n] == 0 || a[n] == '/' || (n > 0 && b[n - 1] == '/'));
}

/* How many steps from `from` can be staged together before the first of
 * them publishes: steps that stage beside their own paths, none at or
 * beneath another's (so no staging reads or writes what an earlier one of
 * them will change). */
static size_t group_len(const struct plan *p, size_t from, size_t end) {
        size_t n = 0;

        while (from + n < end && n < COMMITS_STAGED_MAX && stages_beside(&p->steps[from + n])) {
                const struct step *s = &p->steps[from + n];
                for (size_t k = from; k < from + n; k++)
                        if (at_or_beneath(s->path, p->steps[k].path) || at_or_beneath(p->steps[k].path, s->path))
                                return n;
                n++;
        }
        return n;
}

struct staged_step {
        int dfd;
        const char *name;
        char *staged;
};

/* Steps that stage beside their own paths (the copies, the written files),
 * all staged first and made durable by one syncfs per filesystem, then
 * published in order, each rename durable before the next: the order and
 * the per-path atomicity of one step at a time, with one flush of content
 * instead of one per step. A failure before the first rename changes
 * nothing. *failed: the index of the step that failed. */
static int do_group(struct apply_ctx *c, const struct step *steps, size_t n, size_t *failed) {
        struct staged_step g[COMMITS_STAGED_MAX];
        int fds[COMMITS_STAGED_MAX];
        size_t k, staged = 0;
        int r = 0;

        for (k = 0; k < n; k++) {
                const struct step *s = &steps[k];
                g[k] = (struct staged_step){.dfd = -1};
                staged = k + 1;
                /* Said as each is staged: a later one that fails is the
                 * last thing said, not the mode already announced. */
                log_info("%s", s->why);
                if ((r = g[k].dfd = open_parent(c, s->path, &g[k].name)) < 0)
                        break;
                fds[k] = g[k].dfd;
                if (s->kind == STEP_COPY_DIR) {
                        if ((r = staged_name(g[k].name, &g[k].staged)) >= 0)
                                r = stage_copy(c, s, g[k].dfd, g[k].staged);
                } else {
                        _cleanup_free_ char *con = NULL;
                        if ((r = lookup_label(c, s->path, S_IFREG | s->mode, &con)) >= 0)
                                r = stage_file_at(g[k].dfd, g[k].name, s->data, s->len, s->mode, s->uid, s->gid,
                                                  con, s->tag, &g[k].staged);
                        if (r >= 0)
                                r = copy_meta(c, s, g[k].dfd, g[k].staged);
                }
                if (r < 0)
                        break;
        }
        if (r >= 0) {
                r = commits_barrier_staged(&c->commits, fds, n);
                k = 0;
        }
        for (; k < n && r >= 0; k++) {
                bool swap = copy_swaps(&steps[k]);
                if ((r = commits_barrier(&c->commits, g[k].dfd, false)) < 0 ||
                    (r = publish_staged_at(g[k].dfd, g[k].staged, g[k].name, swap ? RENAME_EXCHANGE : 0)) < 0 ||
                    (r = commits_defer(&c->commits, g[k].dfd)) < 0)
                        break;
                /* A copy's old symlink now sits at the staged name. */
                if (swap && (r = rm_rf_at(g[k].dfd, g[k].staged)) < 0)
                        break;
                free(g[k].staged);
                g[k].staged = NULL;
        }
        *failed = k < n ? k : n - 1;
        for (k = 0; k < staged; k++) {
                if (g[k].staged)
                        rm_rf_at(g[k].dfd, g[k].staged);
                free(g[k].staged);
                if (g[k].dfd >= 0)
                        close(g[k].dfd);
        }
        return r;
}

int apply_plan(int rootfd, const char *root, const char *root_display, const struct plan *p, size_t max_steps) {
        struct apply_ctx c = {
                .rootfd = rootfd, .root = root, .root_display = root_display, .p = p, .labeler = p->labeler};
        int r = 0;

        if (p->n == 0)
                return 0;
        size_t end = p->n < max_steps ? p->n : max_steps;
        for (size_t i = 0; i < end; i++) {
                const struct step *s = &p->steps[i];
                size_t n = group_len(p, i, end), failed = 0;
                if (n >= 2) {
                        r = do_group(&c, s, n, &failed);
                        if (r < 0) {
                                log_errno(r, "Failed to %s (at %s%s)", s[failed].why, root_display, s[failed].path);
                                break;
                        }
                        i += n - 1;
                        continue;
                }
                log_info("%s", s->why);
                r = do_step(&c, s);
                if (r < 0) {
                        /* a failed rebuild has said what failed and why */
                        if (!(s->kind == STEP_REBUILD && r == -EINVAL))
                                log_errno(r, "Failed to %s (at %s%s)", s->why, root_display, s->path);
                        break;
                }
        }
        /* The last renames, and those before a failed step, which stay. */
        int k = commits_flush(&c.commits);
        if (k < 0 && r >= 0)
                r = log_errno(k, "Failed to flush %s", root_display);
        commits_done(&c.commits);
        labeler_free(c.own);
        return r;
}
