/* SPDX-License-Identifier: MIT */
#include "copy.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/fs.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "lib/fsutil.h"
#include "lib/util.h"
#include "lib/walk.h"

#define COPY_CHUNK (128u * 1024)
/* Files at least this large are written back as soon as they are copied:
 * the disk works while the copy goes on, and the one flush at the end finds
 * less to do. For small files the call costs more than it saves. */
#define EARLY_WRITEBACK_MIN (256 * 1024)
/* Deeper than any policy store or policy directory. */
#define DEPTH_MAX 64

struct hardlink {
        dev_t dev;
        ino_t ino;
        char *relpath; /* of the first copy, relative to the destination top */
};

struct copy {
        copy_label_fn label;
        void *label_arg;
        const char *dst_name;
        size_t final_len; /* of the walk's paths, to make them relative */
        /* dst[d]: the directory the entries at depth d are created in (dst[1]
         * the copy's top). */
        int dst[DEPTH_MAX + 1];
        struct hardlink *links;
        size_t n_links, allocated_links;
        /* Reused across entries, grown on demand. */
        char *names, *value, *data;
        size_t names_size, value_size;
        /* Set once a filesystem has said no, so we stop asking per file. */
        bool no_reflink, no_copy_range;
        /* Below the top, in directories of our own that are not setgid while
         * we fill them, an entry is born with our owner: a source entry with
         * the same needs no chown. */
        uid_t euid;
        gid_t egid;
        struct copy_stats *st;
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
        return t->fd >= 0 ? fgetxattr(t->fd, name, buf, size) : lgetxattr(t->path, name, buf, size);
}

static int x_set(const struct xtarget *t, const char *name, const void *val, size_t size) {
        int r = t->fd >= 0 ? fsetxattr(t->fd, name, val, size, 0) : lsetxattr(t->path, name, val, size, 0);
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

/* list/get with a buffer of the copy's, grown on ERANGE (the value may
 * change between the size query and the read). */
static ssize_t list_names(struct copy *c, const struct xtarget *t) {
        /* A zero size would turn the call into a size query. */
        if (grow(&c->names, &c->names_size, 1024) < 0)
                return -ENOMEM;
        for (;;) {
                ssize_t n = x_list(t, c->names, c->names_size);
                if (n >= 0 || errno != ERANGE)
                        return n < 0 ? negerrno() : n;
                if ((n = x_list(t, NULL, 0)) < 0)
                        return negerrno();
                if (grow(&c->names, &c->names_size, (size_t)n + 256) < 0)
                        return -ENOMEM;
        }
}

static ssize_t get_value(struct copy *c, const struct xtarget *t, const char *name) {
        if (grow(&c->value, &c->value_size, 1024) < 0)
                return -ENOMEM;
        for (;;) {
                ssize_t n = x_get(t, name, c->value, c->value_size);
                if (n >= 0 || errno != ERANGE)
                        return n < 0 ? negerrno() : n;
                if ((n = x_get(t, name, NULL, 0)) < 0)
                        return negerrno();
                if (grow(&c->value, &c->value_size, (size_t)n + 256) < 0)
                        return -ENOMEM;
        }
}

/* Every xattr of the source, security.selinux replaced by the label of
 * the entry's final path where there is one. */
static int copy_xattrs(struct copy *c, const struct walk_entry *e, const struct xtarget *src,
                       const struct xtarget *dst) {
        _cleanup_free_ char *con = NULL;
        int r = c->label ? c->label(e->path, e->type, &con, c->label_arg) : -ENOENT;

        if (r < 0 && r != -ENOENT)
                return r;
        if (con && (r = x_set(dst, XATTR_SELINUX, con, strlen(con) + 1)) < 0)
                return r;
        ssize_t len = list_names(c, src);
        if (len == -ENOTSUP)
                return 0; /* a source without xattr support has none to copy */
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
                if ((r = x_set(dst, n, c->value, (size_t)vlen)) < 0)
                        return r;
        }
        return 0;
}

/* Owner, mode, xattrs and times, in an order where no step undoes another:
 * chown clears setuid/setgid and security.capability, so mode and xattrs
 * follow it; every change bumps nothing but ctime, so times go last.
 * `dstfd` is the copy's fd, or -1 to reach it as `name` in `dstdir`. */
static int apply_meta(struct copy *c, const struct walk_entry *e, const struct xtarget *src, int dstdir,
                      const char *name, int dstfd, const struct stat *st, bool born_with_mode) {
        struct xtarget dst;
        int r;

        if (dstfd >= 0)
                xtarget_fd(&dst, dstfd);
        else if ((r = xtarget_at(&dst, dstdir, name)) < 0)
                return r;
        /* The top is created in the target's directory, not one of ours. */
        if (e->depth == 0 || st->st_uid != c->euid || st->st_gid != c->egid) {
                r = dstfd >= 0 ? fchown(dstfd, st->st_uid, st->st_gid)
                               : fchownat(dstdir, name, st->st_uid, st->st_gid, AT_SYMLINK_NOFOLLOW);
                if (r < 0)
                        return negerrno();
        }
        /* An entry born with its final permission bits keeps them through
         * chown unless they are setuid/setgid/sticky. fchmodat() follows,
         * but `name` is a special file just made in our own fresh tree. */
        if (!S_ISLNK(st->st_mode) && (!born_with_mode || (st->st_mode & 07000))) {
                r = dstfd >= 0 ? fchmod(dstfd, st->st_mode & 07777) : fchmodat(dstdir, name, st->st_mode & 07777, 0);
                if (r < 0)
                        return negerrno();
        }
        if ((r = copy_xattrs(c, e, src, &dst)) < 0)
                return r;
        const struct timespec ts[2] = {st->st_atim, st->st_mtim};
        r = dstfd >= 0 ? futimens(dstfd, ts) : utimensat(dstdir, name, ts, AT_SYMLINK_NOFOLLOW);
        return r < 0 ? negerrno() : 0;
}

static int rw_loop(struct copy *c, int sfd, int dfd) {
        if (!c->data && !(c->data = malloc(COPY_CHUNK)))
                return -ENOMEM;
        for (;;) {
                ssize_t n = read(sfd, c->data, COPY_CHUNK);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n <= 0)
                        return n < 0 ? negerrno() : 0;
                int r = write_all(dfd, c->data, (size_t)n);
                if (r < 0)
                        return r;
        }
}

static bool unsupported(int err) {
        return err == EXDEV || err == EINVAL || err == ENOSYS || err == EOPNOTSUPP || err == ENOTTY ||
               err == EBADF;
}

/* `size` bytes, as the source's stat said: the copy stops there without
 * asking for the end of the file again. */
static int copy_data(struct copy *c, int sfd, int dfd, off_t size) {
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
                for (off_t done = 0;;) {
                        ssize_t n = copy_file_range(sfd, NULL, dfd, NULL, (size_t)(size - done), 0);
                        if (n == 0 || (n > 0 && (done += n) >= size))
                                return 0; /* (0: shorter than its stat said) */
                        if (n > 0 || errno == EINTR)
                                continue;
                        /* Once data has moved the offsets are shared with
                         * the fallback, but a mid-file failure is real. */
                        if (done > 0 || !unsupported(errno))
                                return negerrno();
                        c->no_copy_range = true;
                        break;
                }
        }
        return rw_loop(c, sfd, dfd);
}

static const char *relpath(const struct copy *c, const struct walk_entry *e) {
        return e->path[c->final_len] == '/' ? e->path + c->final_len + 1 : e->path + c->final_len;
}

/* An inode with several names in the tree is copied once, at the first
 * name met; the others become links to that copy. 1 when linked. */
static int link_seen(struct copy *c, const struct walk_entry *e, const struct stat *st) {
        if (st->st_nlink < 2)
                return 0;
        for (size_t i = 0; i < c->n_links; i++)
                if (c->links[i].dev == st->st_dev && c->links[i].ino == st->st_ino) {
                        if (linkat(c->dst[1], c->links[i].relpath, c->dst[e->depth], e->name, 0) < 0)
                                return negerrno();
                        c->st->hardlinks++;
                        return 1;
                }
        if (GROW_FOR(c->links, c->n_links, c->allocated_links, 16) < 0)
                return -ENOMEM;
        if (!(c->links[c->n_links].relpath = strdup(relpath(c, e))))
                return -ENOMEM;
        c->links[c->n_links].dev = st->st_dev;
        c->links[c->n_links++].ino = st->st_ino;
        return 0;
}

static int copy_reg(struct copy *c, const struct walk_entry *e) {
        struct xtarget src;
        struct stat st;
        int ddir = c->dst[e->depth], r;

        /* The open is the lookup, fstat() of what was opened the only stat;
         * O_NOFOLLOW refuses a symlink swapped in since the listing. */
        _cleanup_close_ int sfd = openat(e->dirfd, e->name, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC);
        if (sfd < 0 || fstat(sfd, &st) < 0)
                return negerrno();
        if (!S_ISREG(st.st_mode))
                return -ESTALE;
        if ((r = link_seen(c, e, &st)) != 0)
                return r < 0 ? r : 0;
        _cleanup_close_ int dfd =
                openat(ddir, e->name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, st.st_mode & 0777);
        if (dfd < 0)
                return negerrno();
        if ((r = copy_data(c, sfd, dfd, st.st_size)) < 0)
                return r;
        if (st.st_size >= EARLY_WRITEBACK_MIN)
                (void)sync_file_range(dfd, 0, 0, SYNC_FILE_RANGE_WRITE);
        xtarget_fd(&src, sfd);
        if ((r = apply_meta(c, e, &src, ddir, e->name, dfd, &st, true)) < 0)
                return r;
        c->st->files++;
        c->st->bytes += (uint64_t)st.st_size;
        return 0;
}

/* Symlinks and special files: made, then their metadata through the path. */
static int copy_other(struct copy *c, const struct walk_entry *e) {
        char target[PATH_MAX];
        struct xtarget src;
        struct stat st;
        int ddir = c->dst[e->depth], r;

        if (fstatat(e->dirfd, e->name, &st, AT_SYMLINK_NOFOLLOW) < 0)
                return negerrno();
        if ((r = link_seen(c, e, &st)) != 0)
                return r < 0 ? r : 0;
        if (S_ISLNK(st.st_mode)) {
                ssize_t n = readlinkat(e->dirfd, e->name, target, sizeof(target));
                if (n < 0)
                        return negerrno();
                if ((size_t)n >= sizeof(target))
                        return -ENAMETOOLONG;
                target[n] = '\0';
                if (symlinkat(target, ddir, e->name) < 0)
                        return negerrno();
                c->st->symlinks++;
        } else {
                if (mknodat(ddir, e->name, (st.st_mode & S_IFMT) | 0600, st.st_rdev) < 0)
                        return negerrno();
                c->st->files++;
        }
        if ((r = xtarget_at(&src, e->dirfd, e->name)) < 0)
                return r;
        return apply_meta(c, e, &src, ddir, e->name, -1, &st, false);
}

/* A directory made with its final permission bits needs no chmod after its
 * children; one that is setgid (its children would inherit the group) or
 * that its owner cannot write into is filled as 0700 first. */
static bool dir_born_with_mode(const struct stat *st) {
        return !(st->st_mode & 07000) && (st->st_mode & 0700) == 0700;
}

static int enter(const struct walk_entry *e, void *arg) {
        struct copy *c = arg;
        struct stat st;

        if (!S_ISDIR(e->type))
                return S_ISREG(e->type) ? copy_reg(c, e) : copy_other(c, e);
        if (e->depth >= DEPTH_MAX)
                return -ELOOP;
        if (fstat(e->fd, &st) < 0)
                return negerrno();
        const char *name = e->depth == 0 ? c->dst_name : e->name;
        if (mkdirat(c->dst[e->depth], name, dir_born_with_mode(&st) && e->depth > 0 ? st.st_mode & 0777 : 0700) < 0)
                return negerrno();
        c->dst[e->depth + 1] = openat(c->dst[e->depth], name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        return c->dst[e->depth + 1] < 0 ? negerrno() : 0;
}

/* A directory's metadata after its children, whose creation moved its mtime. */
static int leave(const struct walk_entry *e, void *arg) {
        struct copy *c = arg;
        struct xtarget src;
        struct stat st;
        int fd = c->dst[e->depth + 1];

        c->dst[e->depth + 1] = -1;
        if (fstat(e->fd, &st) < 0) {
                close(fd);
                return negerrno();
        }
        xtarget_fd(&src, e->fd);
        int r = apply_meta(c, e, &src, c->dst[e->depth], e->depth == 0 ? c->dst_name : e->name, fd, &st,
                           dir_born_with_mode(&st) && e->depth > 0);
        close(fd);
        if (r >= 0)
                c->st->dirs++;
        return r;
}

int copy_tree(int src_dirfd, int dst_parentfd, const char *dst_name, const char *final_path,
              copy_label_fn label, void *label_arg, struct copy_stats *st) {
        static const struct walk_ops ops = {.enter = enter, .leave = leave};
        struct copy_stats ignored;
        struct copy c = {.label = label, .label_arg = label_arg, .dst_name = dst_name, .euid = geteuid(),
                         .egid = getegid(), .st = st ? st : &ignored};
        size_t len = strlen(final_path);

        while (len > 1 && final_path[len - 1] == '/')
                len--;
        c.final_len = len;
        *c.st = (struct copy_stats){0};
        for (size_t i = 0; i < ELEMENTSOF(c.dst); i++)
                c.dst[i] = -1;
        c.dst[0] = dst_parentfd;
        /* Entries are created with their final permission bits; the umask is
         * ours to clear while we create them, and put back after. */
        mode_t saved = umask(0);
        int r = walk_tree(src_dirfd, ".", final_path, &ops, &c);
        umask(saved);
        /* After a failure, the directories still open. */
        for (size_t i = 1; i < ELEMENTSOF(c.dst); i++)
                if (c.dst[i] >= 0)
                        close(c.dst[i]);
        for (size_t i = 0; i < c.n_links; i++)
                free(c.links[i].relpath);
        free(c.links);
        free(c.names);
        free(c.value);
        free(c.data);
        return r;
}
