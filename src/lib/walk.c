/* SPDX-License-Identifier: MIT */
#include "walk.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pathbuf.h"
#include "util.h"

struct walk {
        const struct walk_ops *ops;
        void *arg;
        /* The in-target path of the entry being visited, one buffer for the
         * whole walk. */
        struct pathbuf p;
        dev_t dev; /* the filesystem the walk started on */
};

static mode_t dtype_to_mode(unsigned char t) {
        switch (t) {
        case DT_REG: return S_IFREG;
        case DT_DIR: return S_IFDIR;
        case DT_LNK: return S_IFLNK;
        case DT_FIFO: return S_IFIFO;
        case DT_CHR: return S_IFCHR;
        case DT_BLK: return S_IFBLK;
        case DT_SOCK: return S_IFSOCK;
        default: return 0;
        }
}

/* A directory's entries, read with getdents64() into one buffer: a DIR
 * stream costs a dup, an fstat, two fcntls, an lseek and a close more per
 * directory, which under emulation (a QEMU boot without KVM) is real time. */
#define DIRENT_BUF (32 * 1024)

struct listing {
        char *buf;
        size_t used, size;
};

static int list_dir(int fd, struct listing *l) {
        *l = (struct listing){0};
        for (;;) {
                if (l->size - l->used < DIRENT_BUF / 2) {
                        size_t n = l->size ? l->size * 2 : DIRENT_BUF;
                        char *p = realloc(l->buf, n);
                        if (!p)
                                return -ENOMEM;
                        l->buf = p;
                        l->size = n;
                }
                ssize_t n = getdents64(fd, l->buf + l->used, l->size - l->used);
                if (n < 0)
                        return negerrno();
                if (n == 0)
                        return 0;
                l->used += (size_t)n;
        }
}

static int visit(struct walk *w, int dirfd, const char *name, mode_t type, unsigned depth);

static int visit_dir_contents(struct walk *w, int fd, unsigned depth) {
        struct listing l;
        size_t saved;
        int r = list_dir(fd, &l);

        for (size_t off = 0; r >= 0 && off < l.used;) {
                const struct dirent64 *de = (const struct dirent64 *)(l.buf + off);
                off += de->d_reclen;
                if (streq(de->d_name, ".") || streq(de->d_name, ".."))
                        continue;
                if ((r = pathbuf_push(&w->p, de->d_name, &saved)) < 0)
                        break;
                r = visit(w, fd, de->d_name, dtype_to_mode(de->d_type), depth + 1);
                pathbuf_pop(&w->p, saved);
        }
        free(l.buf);
        return r < 0 ? r : 0;
}

static int visit(struct walk *w, int dirfd, const char *name, mode_t type, unsigned depth) {
        struct walk_entry e = {.dirfd = dirfd, .name = name, .path = w->p.path, .type = type, .fd = -1,
                               .depth = depth};
        struct stat st;
        int r;

        /* d_type saves a stat per entry; only some filesystems lack it. */
        if (!e.type) {
                if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
                        return negerrno();
                e.type = st.st_mode & S_IFMT;
        }
        if (!S_ISDIR(e.type)) {
                r = w->ops->enter(&e, w->arg);
                return r < 0 ? r : 0;
        }
        _cleanup_close_ int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0 || fstat(fd, &st) < 0)
                return negerrno();
        e.fd = fd;
        r = w->ops->enter(&e, w->arg);
        if (r != 0)
                return r < 0 ? r : 0;
        /* A filesystem mounted beneath is another's to walk. */
        if (st.st_dev == w->dev && (r = visit_dir_contents(w, fd, depth)) < 0)
                return r;
        /* The children may have moved the buffer's end: it is this entry's
         * path again once they are popped. */
        return w->ops->leave ? w->ops->leave(&e, w->arg) : 0;
}

int walk_tree(int dirfd, const char *name, const char *path, const struct walk_ops *ops, void *arg) {
        struct stat st;
        int r;

        if (strchr(name, '/') || path[0] != '/')
                return -EINVAL;
        if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
                return negerrno();
        struct walk *w = malloc(sizeof(*w));
        if (!w)
                return -ENOMEM;
        *w = (struct walk){.ops = ops, .arg = arg, .dev = st.st_dev};
        w->p.len = strlen(path);
        /* "/etc/selinux/mcs/" and "/etc/selinux/mcs" are the same place. */
        while (w->p.len > 1 && path[w->p.len - 1] == '/')
                w->p.len--;
        if (w->p.len >= sizeof(w->p.path)) {
                free(w);
                return -ENAMETOOLONG;
        }
        memcpy(w->p.path, path, w->p.len);
        w->p.path[w->p.len] = '\0';
        r = visit(w, dirfd, name, st.st_mode & S_IFMT, 0);
        free(w);
        return r;
}
