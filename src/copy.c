/* SPDX-License-Identifier: MIT */
#include "copy.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/fs.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "fsutil.h"
#include "label.h"
#include "pathbuf.h"
#include "util.h"

#define XATTR_SELINUX "security.selinux"
#define COPY_CHUNK (128u * 1024)
#define EARLY_WRITEBACK_MIN (256 * 1024)
/* Entries a walker may hold open, labels to come, while the labeler is
 * still being opened; three walkers stay well below 1024 descriptors. */
#define PENDING_MAX 128

/* The labeler of every walker of copy_trees(). It may still be being
 * opened (on another thread) when the walkers start: they copy on, give
 * each entry its source's label for now and keep it open, and set the
 * right one once the labeler is there. */
struct label_state {
        pthread_mutex_t lock; /* around lookups, and the fetch of the labeler */
        const struct label_source *src; /* NULL: `labeler` was at hand */
        struct labeler *labeler;
        atomic_bool known; /* labeler and err are final */
        int err;
};

struct pending {
        int fd;
        mode_t mode;
        char *rel; /* relative to the destination top, as the label wants it */
        /* The source's label, kept where file_contexts has none. */
        char *src_con;
        size_t src_con_len;
};

struct hardlink {
        dev_t dev;
        ino_t ino;
        char *relpath; /* of the first copy, relative to the destination top */
};

/* What the two walkers of a split directory share (see copy_dir_contents). */
struct copy_shared {
        struct hardlink *links;
        size_t n_links, allocated_links;
        /* The hard link table, from lookup to record. */
        pthread_mutex_t link_lock;
        /* Shared by every tree copy_trees() copies at once. */
        struct label_state *ls;
        bool split_used;
        atomic_bool stop; /* a walker failed: the other stops too */
};

struct copy_ctx {
        int dst_topfd;
        /* Path of the entry being copied, relative to the destination top;
         * hard links are made against it, and it is one buffer for the whole
         * walk rather than an allocation per entry. */
        struct pathbuf rel;
        struct copy_shared *sh;
        /* Reused across entries, grown on demand. */
        char *names, *value, *data;
        size_t names_size, value_size;
        /* Set once a filesystem has said no, so we stop asking per file. */
        bool no_reflink, no_copy_range;
        struct copy_stats *st;
        /* With a labeler, entries get the label of where the copy will live
         * (final + "/" + rel) instead of the source's, in the same pass. */
        const char *final;
        int final_len; /* without trailing slashes */
        /* Who creates the entries: below the top, in directories of our
         * own that are not setgid while we fill them, an entry is born
         * with this owner, and a source entry with the same needs no
         * chown. (The top is created in the target's directory.) */
        uid_t euid;
        gid_t egid;
        bool at_top;
        /* Entries copied before the labeler was there, this walker's own. */
        struct pending *pending;
        size_t n_pending;
        /* The source label of the entry whose label copy_xattrs() left to
         * come, for defer_label(). */
        char *held_con;
        size_t held_con_len;
};

/* Where xattrs live: an fd where we have one, else a path through the
 * parent's fd for symlinks and special files, which cannot be opened. */
struct xtarget {
        int fd;
        char path[PATH_MAX + 32];
};

static void xtarget_fd(struct xtarget *t, int fd) { t->fd = fd; }

static int xtarget_at(struct xtarget *t, int dirfd, const char *name) {
        t->fd = -1;
        int n = snprintf(t->path, sizeof(t->path), "/proc/self/fd/%d/%s", dirfd, name);
        return n < 0 || (size_t)n >= sizeof(t->path) ? -ENAMETOOLONG : 0;
}

static ssize_t x_list(const struct xtarget *t, char *buf, size_t size) {
        return t->fd >= 0 ? flistxattr(t->fd, buf, size) : llistxattr(t->path, buf, size);
}

static ssize_t x_get(const struct xtarget *t, const char *name, void *buf, size_t size) {
        return t->fd >= 0 ? fgetxattr(t->fd, name, buf, size)
                          : lgetxattr(t->path, name, buf, size);
}

static int x_set(const struct xtarget *t, const char *name, const void *val, size_t size) {
        int r = t->fd >= 0 ? fsetxattr(t->fd, name, val, size, 0)
                           : lsetxattr(t->path, name, val, size, 0);
        return r < 0 ? negerrno() : 0;
}

static int grow(char **buf, size_t *size, size_t want) {
        if (want <= *size && *buf)
                return 0;
        char *p = realloc(*buf, want ? want : 1);
        if (!p)
                return -ENOMEM;
        *buf = p;
        *size = want ? want : 1;
        return 0;
}

/* Calls list/get with the shared buffer, growing it on ERANGE (the value
 * may change between the size query and the read). */
static ssize_t list_names(struct copy_ctx *c, const struct xtarget *t) {
        /* A zero size would turn the call into a size query. */
        if (grow(&c->names, &c->names_size, 1024) < 0)
                return -ENOMEM;
        for (;;) {
                ssize_t n = x_list(t, c->names, c->names_size);
                if (n >= 0 || errno != ERANGE)
                        return n < 0 ? negerrno() : n;
                n = x_list(t, NULL, 0);
                if (n < 0)
                        return negerrno();
                if (grow(&c->names, &c->names_size, (size_t)n + 256) < 0)
                        return -ENOMEM;
        }
}

static ssize_t get_value(struct copy_ctx *c, const struct xtarget *t, const char *name) {
        if (grow(&c->value, &c->value_size, 1024) < 0)
                return -ENOMEM;
        for (;;) {
                ssize_t n = x_get(t, name, c->value, c->value_size);
                if (n >= 0 || errno != ERANGE)
                        return n < 0 ? negerrno() : n;
                n = x_get(t, name, NULL, 0);
                if (n < 0)
                        return negerrno();
                if (grow(&c->value, &c->value_size, (size_t)n + 256) < 0)
                        return -ENOMEM;
        }
}

/* 1 with *l once the labeler is known (NULL: there is none, entries keep
 * their source's labels), 0 while it is still being opened (only without
 * `wait`, which never blocks: a walker busy fetching it holds the lock),
 * or the failure to open it. */
static int labeler_now(struct label_state *ls, bool wait, struct labeler **l) {
        if (!atomic_load_explicit(&ls->known, memory_order_acquire)) {
                if (wait)
                        pthread_mutex_lock(&ls->lock);
                else if (pthread_mutex_trylock(&ls->lock) != 0)
                        return 0;
                if (!atomic_load_explicit(&ls->known, memory_order_relaxed)) {
                        int r = ls->src->get(ls->src->arg, wait, &ls->labeler);
                        if (r == -EAGAIN && !wait) {
                                pthread_mutex_unlock(&ls->lock);
                                return 0;
                        }
                        ls->err = r < 0 ? (r == -EAGAIN ? -EIO : r) : 0;
                        if (r < 0)
                                ls->labeler = NULL;
                        atomic_store_explicit(&ls->known, true, memory_order_release);
                }
                pthread_mutex_unlock(&ls->lock);
        }
        if (ls->err < 0)
                return ls->err;
        *l = ls->labeler;
        return 1;
}

static int lookup_at(struct copy_ctx *c, struct labeler *l, const char *rel, mode_t mode, char **con) {
        char path[PATH_MAX];

        if (!l)
                return -ENOENT;
        if (snprintf(path, sizeof(path), "%.*s%s%s", c->final_len, c->final, rel[0] ? "/" : "", rel) >=
            (int)sizeof(path))
                return -ENAMETOOLONG;
        pthread_mutex_lock(&c->sh->ls->lock);
        int r = label_lookup(l, path, mode, con);
        pthread_mutex_unlock(&c->sh->ls->lock);
        return r;
}

/* The label for the entry being copied, at its final path; -ENOENT where
 * file_contexts has none (the source's label is kept then), -EAGAIN
 * while the labeler is not there yet and `wait` is false. */
static int final_label(struct copy_ctx *c, mode_t mode, bool wait, char **con) {
        struct labeler *l;
        int r = labeler_now(c->sh->ls, wait, &l);

        if (r <= 0)
                return r < 0 ? r : -EAGAIN;
        return lookup_at(c, l, c->rel.path, mode, con);
}

/* The labels of the entries copied before the labeler was there; with
 * `wait`, waiting for it. Leaves them pending (0) if it is still not. */
static int label_pending(struct copy_ctx *c, bool wait) {
        struct labeler *l;
        int r = labeler_now(c->sh->ls, wait, &l);

        if (r <= 0)
                return r;
        while (c->n_pending > 0) {
                struct pending *p = &c->pending[c->n_pending - 1];
                _cleanup_free_ char *con = NULL;
                r = lookup_at(c, l, p->rel, p->mode, &con);
                if (r < 0 && r != -ENOENT)
                        return r;
                /* One label set per entry, as when the labeler is at hand;
                 * the times, set before, stay as they are. */
                if (con ? fsetxattr(p->fd, XATTR_SELINUX, con, strlen(con) + 1, 0) < 0
                        : p->src_con && fsetxattr(p->fd, XATTR_SELINUX, p->src_con, p->src_con_len, 0) < 0)
                        return negerrno();
                close(p->fd);
                free(p->rel);
                free(p->src_con);
                c->n_pending--;
                c->st->late_labels++;
        }
        return 0;
}

/* Keeps the entry just copied (open at fd, which this takes) for its
 * label. copy_xattrs() defers only while there is room (past PENDING_MAX
 * it waits for the labeler instead). */
static int defer_label(struct copy_ctx *c, int fd, mode_t mode) {
        if (!c->pending && !(c->pending = calloc(PENDING_MAX, sizeof(*c->pending)))) {
                close(fd);
                return -ENOMEM;
        }
        char *rel = strdup(c->rel.path);
        if (!rel) {
                close(fd);
                return -ENOMEM;
        }
        c->pending[c->n_pending++] = (struct pending){fd, mode, rel, TAKE_PTR(c->held_con), c->held_con_len};
        return 0;
}

/* 1 where the label is to come later (the source's is kept aside in
 * held_con for then); only an entry open at an fd, with room in the
 * pending list, may wait. */
static int copy_xattrs(struct copy_ctx *c, const struct xtarget *src, const struct xtarget *dst,
                       mode_t mode) {
        _cleanup_free_ char *con = NULL;
        bool may_defer = dst->fd >= 0 && c->n_pending < PENDING_MAX;
        int r = final_label(c, mode, !may_defer, &con);
        int later = r == -EAGAIN;

        if (r < 0 && r != -ENOENT && !later)
                return r;
        if (later) {
                free(c->held_con);
                c->held_con = NULL;
        }
        if (con && (r = x_set(dst, XATTR_SELINUX, con, strlen(con) + 1)) < 0)
                return r;

        ssize_t len = list_names(c, src);
        if (len == -ENOTSUP || len == -EOPNOTSUPP)
                return later; /* a source without xattr support has none to copy */
        if (len < 0)
                return (int)len;

        for (const char *n = c->names; n < c->names + len; n += strlen(n) + 1) {
                if (con && streq(n, XATTR_SELINUX))
                        continue;
                ssize_t vlen = get_value(c, src, n);
                if (vlen == -ENODATA)
                        continue; /* removed since the listing */
                if (vlen < 0)
                        return (int)vlen;
                if (later && streq(n, XATTR_SELINUX)) {
                        if (!(c->held_con = malloc((size_t)vlen + 1)))
                                return -ENOMEM;
                        memcpy(c->held_con, c->value, (size_t)vlen);
                        c->held_con_len = (size_t)vlen;
                        continue;
                }
                r = x_set(dst, n, c->value, (size_t)vlen);
                if (r < 0)
                        return r;
        }
        return later;
}

/* Owner, mode, xattrs and times, in an order where no step undoes another:
 * chown clears setuid/setgid and security.capability, so mode and xattrs
 * follow it; every change bumps nothing but ctime, so times go last.
 * 1 where the label is to come later (see defer_label). */
static int apply_meta(struct copy_ctx *c, const struct xtarget *src, int dstdirfd,
                      const char *name, int dstfd, const struct stat *st, bool born_with_mode) {
        struct xtarget dst;
        int r;

        if (dstfd >= 0)
                xtarget_fd(&dst, dstfd);
        else if ((r = xtarget_at(&dst, dstdirfd, name)) < 0)
                return r;

        if (c->at_top || st->st_uid != c->euid || st->st_gid != c->egid) {
                r = dstfd >= 0 ? fchown(dstfd, st->st_uid, st->st_gid)
                               : fchownat(dstdirfd, name, st->st_uid, st->st_gid, AT_SYMLINK_NOFOLLOW);
                if (r < 0)
                        return negerrno();
        }
        /* An entry born with its final permission bits (copy_tree clears
         * the umask) keeps them through chown unless they are
         * setuid/setgid/sticky, which are set here and after chown. */
        bool mode_done = born_with_mode && !(st->st_mode & 07000);
        if (!S_ISLNK(st->st_mode) && !mode_done) {
                /* fchmodat() follows, but `name` is a special file we just
                 * created in our own fresh tree. */
                r = dstfd >= 0 ? fchmod(dstfd, st->st_mode & 07777)
                               : fchmodat(dstdirfd, name, st->st_mode & 07777, 0);
                if (r < 0)
                        return negerrno();
        }
        int later = copy_xattrs(c, src, &dst, st->st_mode);
        if (later < 0)
                return later;

        const struct timespec ts[2] = {st->st_atim, st->st_mtim};
        r = dstfd >= 0 ? futimens(dstfd, ts) : utimensat(dstdirfd, name, ts, AT_SYMLINK_NOFOLLOW);
        return r < 0 ? negerrno() : later;
}

static int rw_loop(struct copy_ctx *c, int sfd, int dfd) {
        if (!c->data && !(c->data = malloc(COPY_CHUNK)))
                return -ENOMEM;
        for (;;) {
                ssize_t n = read(sfd, c->data, COPY_CHUNK);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0)
                        return negerrno();
                if (n == 0)
                        return 0;
                int r = write_all(dfd, c->data, (size_t)n);
                if (r < 0)
                        return r;
        }
}

static bool unsupported(int err) {
        return err == EXDEV || err == EINVAL || err == ENOSYS || err == EOPNOTSUPP ||
               err == ENOTTY || err == EBADF;
}

/* `size` bytes, as the source's stat said: the copy stops there without
 * asking for the end of the file again. */
static int copy_data(struct copy_ctx *c, int sfd, int dfd, off_t size) {
        if (size == 0)
                return 0;
        if (!c->no_reflink) {
                if (ioctl(dfd, FICLONE, sfd) == 0)
                        return 0;
                if (!unsupported(errno))
                        return negerrno();
                c->no_reflink = true;
        }
        if (!c->no_copy_range) {
                bool copied = false;
                for (off_t done = 0;;) {
                        ssize_t n = copy_file_range(sfd, NULL, dfd, NULL, (size_t)(size - done), 0);
                        if (n > 0 && (done += n) >= size)
                                return 0;
                        if (n == 0)
                                return 0; /* shorter than its stat said */
                        if (n > 0) {
                                copied = true;
                                continue;
                        }
                        if (errno == EINTR)
                                continue;
                        /* Once data has moved the offsets are shared with
                         * the fallback, but a mid-file failure is real. */
                        if (copied || !unsupported(errno))
                                return negerrno();
                        c->no_copy_range = true;
                        break;
                }
        }
        return rw_loop(c, sfd, dfd);
}

static const struct hardlink *find_link(const struct copy_shared *sh, const struct stat *st) {
        for (size_t i = 0; i < sh->n_links; i++)
                if (sh->links[i].dev == st->st_dev && sh->links[i].ino == st->st_ino)
                        return &sh->links[i];
        return NULL;
}

static int remember_link(struct copy_ctx *c, const struct stat *st) {
        struct copy_shared *sh = c->sh;

        if (GROW_FOR(sh->links, sh->n_links, sh->allocated_links, 16) < 0)
                return -ENOMEM;
        char *rel = strdup(c->rel.path);
        if (!rel)
                return -ENOMEM;
        sh->links[sh->n_links++] = (struct hardlink){st->st_dev, st->st_ino, rel};
        return 0;
}

static bool same_file(const struct stat *a, const struct stat *b) {
        return a->st_dev == b->st_dev && a->st_ino == b->st_ino &&
               (a->st_mode & S_IFMT) == (b->st_mode & S_IFMT);
}

/* Opens a source entry we have already lstat'ed, refusing it if it was
 * swapped for something else in between. */
static int open_src(int dirfd, const char *name, int flags, const struct stat *st) {
        struct stat now;
        _cleanup_close_ int fd = openat(dirfd, name, flags | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC);
        if (fd < 0)
                return negerrno();
        if (fstat(fd, &now) < 0)
                return negerrno();
        if (!same_file(st, &now))
                return -ESTALE;
        return TAKE_FD(fd);
}

/* sfd_opened: the source, already opened by copy_entry, or -1. */
static int copy_reg(struct copy_ctx *c, int sdir, int sfd_opened, int ddir, const char *name,
                    const struct stat *st) {
        struct xtarget src;
        int r;

        _cleanup_close_ int own = -1;
        int sfd = sfd_opened;
        if (sfd < 0 && (sfd = own = open_src(sdir, name, O_RDONLY | O_NONBLOCK, st)) < 0)
                return sfd;
        _cleanup_close_ int dfd =
                openat(ddir, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, st->st_mode & 0777);
        if (dfd < 0)
                return negerrno();
        r = copy_data(c, sfd, dfd, st->st_size);
        if (r < 0)
                return r;
        /* Start writing a large file back now: the copy goes on while the
         * disk works, and the one flush at the end finds less to do. (For
         * small files the call costs more than it saves.) */
        if (st->st_size >= EARLY_WRITEBACK_MIN)
                (void)sync_file_range(dfd, 0, 0, SYNC_FILE_RANGE_WRITE);
        xtarget_fd(&src, sfd);
        r = apply_meta(c, &src, ddir, name, dfd, st, true);
        if (r > 0)
                r = defer_label(c, TAKE_FD(dfd), st->st_mode);
        if (r < 0)
                return r;
        c->st->files++;
        c->st->bytes += (uint64_t)st->st_size;
        return 0;
}

static int copy_symlink(struct copy_ctx *c, int sdir, int ddir, const char *name,
                        const struct stat *st) {
        char target[PATH_MAX];
        struct xtarget src;
        int r;

        ssize_t n = readlinkat(sdir, name, target, sizeof(target));
        if (n < 0)
                return negerrno();
        if ((size_t)n >= sizeof(target))
                return -ENAMETOOLONG;
        target[n] = '\0';
        if (symlinkat(target, ddir, name) < 0)
                return negerrno();
        if ((r = xtarget_at(&src, sdir, name)) < 0)
                return r;
        r = apply_meta(c, &src, ddir, name, -1, st, false);
        if (r < 0)
                return r;
        c->st->symlinks++;
        return 0;
}

static int copy_special(struct copy_ctx *c, int sdir, int ddir, const char *name,
                        const struct stat *st) {
        struct xtarget src;
        int r;

        if (mknodat(ddir, name, (st->st_mode & S_IFMT) | 0600, st->st_rdev) < 0)
                return negerrno();
        if ((r = xtarget_at(&src, sdir, name)) < 0)
                return r;
        r = apply_meta(c, &src, ddir, name, -1, st, false);
        if (r < 0)
                return r;
        c->st->files++;
        return 0;
}

static int copy_dir_contents(struct copy_ctx *c, int sfd, int dfd);

/* A directory made with its final permission bits needs no chmod after its
 * children; one that is setgid (its children would inherit the group) or
 * that its owner cannot write into is filled as 0700 first. */
static bool dir_born_with_mode(const struct stat *st) {
        return !(st->st_mode & 07000) && (st->st_mode & 0700) == 0700;
}

static int copy_subdir(struct copy_ctx *c, int sfd, int ddir, const char *name,
                       const struct stat *st) {
        struct xtarget src;
        bool born = dir_born_with_mode(st);
        int r;

        if (mkdirat(ddir, name, born ? st->st_mode & 0777 : 0700) < 0)
                return negerrno();
        _cleanup_close_ int dfd = openat(ddir, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (dfd < 0)
                return negerrno();
        r = copy_dir_contents(c, sfd, dfd);
        if (r < 0)
                return r;
        /* After the children, whose creation moved the directory's mtime. */
        xtarget_fd(&src, sfd);
        r = apply_meta(c, &src, ddir, name, dfd, st, born);
        if (r > 0)
                r = defer_label(c, TAKE_FD(dfd), st->st_mode);
        if (r < 0)
                return r;
        c->st->dirs++;
        return 0;
}

static int copy_one(struct copy_ctx *c, int sdir, int sfd, int ddir, const char *name,
                    const struct stat *st) {
        if (S_ISREG(st->st_mode))
                return copy_reg(c, sdir, sfd, ddir, name, st);
        if (S_ISLNK(st->st_mode))
                return copy_symlink(c, sdir, ddir, name, st);
        return copy_special(c, sdir, ddir, name, st);
}

/* An inode with several names is copied once, at the first name met, under
 * the lock: the other walker must not make a second copy meanwhile. */
static int copy_linked(struct copy_ctx *c, int sdir, int sfd, int ddir, const char *name,
                       const struct stat *st) {
        int r;

        const struct hardlink *first = find_link(c->sh, st);
        if (first) {
                if (linkat(c->dst_topfd, first->relpath, ddir, name, 0) < 0)
                        return negerrno();
                c->st->hardlinks++;
                return 0;
        }
        r = copy_one(c, sdir, sfd, ddir, name, st);
        return r < 0 ? r : remember_link(c, st);
}

static int copy_nondir(struct copy_ctx *c, int sdir, int sfd, int ddir, const char *name,
                       const struct stat *st) {
        if (st->st_nlink <= 1)
                return copy_one(c, sdir, sfd, ddir, name, st);
        pthread_mutex_lock(&c->sh->link_lock);
        int r = copy_linked(c, sdir, sfd, ddir, name, st);
        pthread_mutex_unlock(&c->sh->link_lock);
        return r;
}

/* Where the directory listing says "regular file" or "directory", the open
 * is the lookup and fstat() of what was opened the only stat: O_NOFOLLOW
 * refuses a symlink swapped in since, and a type that changed falls back
 * to the lstat-then-open path. */
static int open_listed(int sdir, const char *name, unsigned char d_type, struct stat *st) {
        if (d_type != DT_REG && d_type != DT_DIR)
                return -EAGAIN;
        _cleanup_close_ int fd = openat(sdir, name,
                                        (d_type == DT_DIR ? O_DIRECTORY : O_NONBLOCK) | O_RDONLY |
                                                O_NOFOLLOW | O_NOCTTY | O_CLOEXEC);
        if (fd < 0)
                return errno == ELOOP || errno == ENOTDIR ? -EAGAIN : negerrno();
        if (fstat(fd, st) < 0)
                return negerrno();
        if ((st->st_mode & S_IFMT) != (d_type == DT_DIR ? S_IFDIR : S_IFREG))
                return -EAGAIN;
        return TAKE_FD(fd);
}

static int copy_entry(struct copy_ctx *c, int sdir, int ddir, const char *name,
                      unsigned char d_type) {
        struct stat st;
        size_t saved;
        int r;

        /* Labels held back for the labeler are set as soon as it is there. */
        if (c->n_pending > 0 && (r = label_pending(c, false)) < 0)
                return r;
        _cleanup_close_ int fd = open_listed(sdir, name, d_type, &st);
        if (fd == -EAGAIN) {
                if (fstatat(sdir, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
                        return negerrno();
                if (S_ISDIR(st.st_mode) &&
                    (fd = open_src(sdir, name, O_RDONLY | O_DIRECTORY, &st)) < 0)
                        return fd;
        } else if (fd < 0) {
                return fd;
        }
        r = pathbuf_push(&c->rel, name, &saved);
        if (r < 0)
                return r;
        r = S_ISDIR(st.st_mode) ? copy_subdir(c, fd, ddir, name, &st)
                                : copy_nondir(c, sdir, fd, ddir, name, &st);
        pathbuf_pop(&c->rel, saved);
        return r;
}

/* getdents64() straight into a buffer of our own: a DIR stream would cost
 * a dup, an fstat, two fcntls, an lseek and a close per directory. The
 * whole listing is read first, so that a wide directory can be split. */
#define DIRENT_BUF (32 * 1024)
/* The first directory of at least this many entries (the module store's
 * priority directories hold hundreds) is copied by two walkers, one per
 * half. Under emulation (QEMU without KVM) every system call is CPU work,
 * and two vCPUs copy the store in 30% less time; on a warm host the copy
 * waits on the kernel and the disk, and gains nothing but loses nothing.
 * One split per tree, so two threads at most. */
#define SPLIT_MIN 64

struct listing {
        char *buf;
        size_t used, size;
        size_t *off; /* of each entry but . and .. */
        size_t n;
};

static void listing_free(struct listing *l) {
        free(l->buf);
        free(l->off);
}

static int list_dir(int sfd, struct listing *l) {
        *l = (struct listing){0};
        for (;;) {
                if (l->size - l->used < DIRENT_BUF / 2 &&
                    grow(&l->buf, &l->size, l->size ? l->size * 2 : DIRENT_BUF) < 0)
                        return -ENOMEM;
                ssize_t n = getdents64(sfd, l->buf + l->used, l->size - l->used);
                if (n < 0)
                        return negerrno();
                if (n == 0)
                        break;
                l->used += (size_t)n;
        }
        size_t cap = 0;
        for (size_t off = 0; off < l->used;) {
                const struct dirent64 *de = (const struct dirent64 *)(l->buf + off);
                size_t here = off;
                off += de->d_reclen;
                if (streq(de->d_name, ".") || streq(de->d_name, ".."))
                        continue;
                if (GROW_FOR(l->off, l->n, cap, 64) < 0)
                        return -ENOMEM;
                l->off[l->n++] = here;
        }
        return 0;
}

struct walk {
        struct copy_ctx *c;
        const struct listing *l;
        size_t from, to;
        int sfd, dfd, r;
        bool last; /* the walker ends with this range: its labels are due */
};

static void *walk_range(void *arg) {
        struct walk *w = arg;

        w->r = 0;
        for (size_t i = w->from; i < w->to; i++) {
                const struct dirent64 *de = (const struct dirent64 *)(w->l->buf + w->l->off[i]);
                if (atomic_load_explicit(&w->c->sh->stop, memory_order_relaxed))
                        break;
                int r = copy_entry(w->c, w->sfd, w->dfd, de->d_name, de->d_type);
                if (r < 0) {
                        atomic_store(&w->c->sh->stop, true);
                        w->r = r;
                        break;
                }
        }
        if (w->last && w->r == 0 && (w->r = label_pending(w->c, true)) < 0)
                atomic_store(&w->c->sh->stop, true);
        return NULL;
}

static void ctx_done(struct copy_ctx *c);

/* The second half by a second walker with its own buffers and counts; the
 * hard link table and the labeler are shared under their locks. */
static int walk_split(struct copy_ctx *c, const struct listing *l, int sfd, int dfd) {
        struct copy_stats wst = {0};
        struct copy_ctx wc = *c;
        wc.names = wc.value = wc.data = NULL;
        wc.names_size = wc.value_size = 0;
        wc.pending = NULL;
        wc.n_pending = 0;
        wc.held_con = NULL;
        wc.st = &wst;

        struct walk mine = {c, l, 0, l->n / 2, sfd, dfd, 0, false},
                    other = {&wc, l, l->n / 2, l->n, sfd, dfd, 0, true};
        pthread_t t;
        bool threaded = pthread_create(&t, NULL, walk_range, &other) == 0;
        walk_range(&mine);
        if (threaded)
                pthread_join(t, NULL);
        else if (!mine.r)
                walk_range(&other); /* no thread to be had: the same work, in turn */
        ctx_done(&wc);
        c->st->files += wst.files;
        c->st->dirs += wst.dirs;
        c->st->symlinks += wst.symlinks;
        c->st->hardlinks += wst.hardlinks;
        c->st->bytes += wst.bytes;
        c->st->late_labels += wst.late_labels;
        return mine.r ? mine.r : other.r;
}

static int copy_dir_contents(struct copy_ctx *c, int sfd, int dfd) {
        struct listing l;
        int r = list_dir(sfd, &l);

        if (r == 0 && l.n >= SPLIT_MIN && !c->sh->split_used) {
                c->sh->split_used = true;
                r = walk_split(c, &l, sfd, dfd);
        } else if (r == 0) {
                struct walk w = {c, &l, 0, l.n, sfd, dfd, 0, false};
                walk_range(&w);
                r = w.r;
        }
        listing_free(&l);
        return r;
}

static void ctx_done(struct copy_ctx *c) {
        free(c->names);
        free(c->value);
        free(c->data);
        /* Left by a failure: the staged copy is removed by the caller. */
        for (size_t i = 0; i < c->n_pending; i++) {
                close(c->pending[i].fd);
                free(c->pending[i].rel);
                free(c->pending[i].src_con);
        }
        free(c->pending);
        free(c->held_con);
}

static void shared_done(struct copy_shared *sh) {
        for (size_t i = 0; i < sh->n_links; i++)
                free(sh->links[i].relpath);
        free(sh->links);
        pthread_mutex_destroy(&sh->link_lock);
}

/* One tree, with the umask already cleared (files are created with their
 * final permission bits). */
static int copy_job_tree(struct copy_job *j, struct label_state *ls) {
        struct xtarget src;
        struct stat st;
        int r;

        j->st = (struct copy_stats){0};
        /* src_dirfd may well be O_PATH; reading entries needs a real open. */
        _cleanup_close_ int sfd = openat(j->src_dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (sfd < 0)
                return negerrno();
        if (fstat(sfd, &st) < 0)
                return negerrno();
        if (mkdirat(j->dst_parentfd, j->dst_name, 0700) < 0)
                return negerrno();
        _cleanup_close_ int dfd =
                openat(j->dst_parentfd, j->dst_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (dfd < 0)
                return negerrno();

        struct copy_shared sh = {.link_lock = PTHREAD_MUTEX_INITIALIZER, .ls = ls};
        struct copy_ctx *c = calloc(1, sizeof(*c));
        if (!c)
                return -ENOMEM;
        c->sh = &sh;
        c->dst_topfd = dfd;
        c->final = j->final_path;
        c->final_len = j->final_path ? (int)strlen(j->final_path) : 0;
        while (c->final_len > 1 && j->final_path[c->final_len - 1] == '/')
                c->final_len--;
        c->st = &j->st;
        c->euid = geteuid();
        c->egid = getegid();

        r = copy_dir_contents(c, sfd, dfd);
        if (r == 0) {
                xtarget_fd(&src, sfd);
                c->at_top = true;
                r = apply_meta(c, &src, j->dst_parentfd, j->dst_name, dfd, &st, false);
                if (r > 0)
                        r = defer_label(c, TAKE_FD(dfd), st.st_mode);
        }
        if (r == 0)
                r = label_pending(c, true);
        if (r == 0)
                c->st->dirs++;
        ctx_done(c);
        shared_done(&sh);
        free(c);
        return r;
}

struct job_run {
        struct copy_job *j;
        struct label_state *ls;
};

static void *run_job(void *arg) {
        struct job_run *jr = arg;
        jr->j->r = copy_job_tree(jr->j, jr->ls);
        return NULL;
}

/* With `src`, the labeler is still to come from it; else it is `labeler`. */
static int copy_trees_with(struct copy_job *jobs, size_t n, struct labeler *labeler,
                           const struct label_source *src) {
        struct label_state ls = {.lock = PTHREAD_MUTEX_INITIALIZER, .src = src, .labeler = labeler, .known = !src};
        struct job_run runs[COPY_TREES_MAX];
        pthread_t threads[COPY_TREES_MAX];
        bool threaded[COPY_TREES_MAX] = {false};

        if (n == 0 || n > COPY_TREES_MAX)
                return -EINVAL;
        /* Process-wide: cleared once for every walker, restored after all. */
        mode_t saved_umask = umask(0);
        for (size_t i = 0; i < n; i++)
                runs[i] = (struct job_run){&jobs[i], &ls};
        for (size_t i = 1; i < n; i++)
                threaded[i] = pthread_create(&threads[i], NULL, run_job, &runs[i]) == 0;
        run_job(&runs[0]);
        for (size_t i = 1; i < n; i++) {
                if (threaded[i])
                        pthread_join(threads[i], NULL);
                else
                        run_job(&runs[i]); /* no thread to be had: in turn */
        }
        umask(saved_umask);
        pthread_mutex_destroy(&ls.lock);
        for (size_t i = 0; i < n; i++)
                if (jobs[i].r < 0)
                        return jobs[i].r;
        return 0;
}

int copy_trees(struct copy_job *jobs, size_t n, struct labeler *labeler) {
        return copy_trees_with(jobs, n, labeler, NULL);
}

int copy_trees_labelled_later(struct copy_job *jobs, size_t n, const struct label_source *src) {
        return copy_trees_with(jobs, n, NULL, src);
}

int copy_tree(int src_dirfd, int dst_parentfd, const char *dst_name, struct labeler *labeler,
              const char *final_path, struct copy_stats *stats) {
        struct copy_job j = {.src_dirfd = src_dirfd, .dst_parentfd = dst_parentfd, .dst_name = dst_name,
                             .final_path = final_path};
        int r = copy_trees(&j, 1, labeler);

        if (stats)
                *stats = j.st;
        return r;
}
