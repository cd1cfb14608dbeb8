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
        walk_fn fn;
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

static int walk_dir(struct walk *w, int fd);

static int visit(struct walk *w, int dirfd, const char *name, mode_t type) {
        struct stat st;
        int r;

        /* d_type saves a stat per entry; only some filesystems lack it. */
        if (!type) {
                if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
                        return negerrno();
                type = st.st_mode & S_IFMT;
        }
        r = w->fn(dirfd, name, w->p.path, type, w->arg);
        if (r != 0 || !S_ISDIR(type))
                return r < 0 ? r : 0;
        _cleanup_close_ int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0 || fstat(fd, &st) < 0)
                return negerrno();
        /* A filesystem mounted beneath is another's to walk. */
        return st.st_dev == w->dev ? walk_dir(w, fd) : 0;
}

static int walk_dir(struct walk *w, int fd) {
        struct dirent *de;
        size_t saved;
        int r = 0;

        int rfd = fcntl(fd, F_DUPFD_CLOEXEC, 3);
        if (rfd < 0)
                return negerrno();
        DIR *d = fdopendir(rfd);
        if (!d) {
                r = negerrno();
                close(rfd);
                return r;
        }
        while ((errno = 0, de = readdir(d))) {
                if (streq(de->d_name, ".") || streq(de->d_name, ".."))
                        continue;
                r = pathbuf_push(&w->p, de->d_name, &saved);
                if (r < 0)
                        break;
                r = visit(w, fd, de->d_name, dtype_to_mode(de->d_type));
                pathbuf_pop(&w->p, saved);
                if (r < 0)
                        break;
        }
        if (r == 0 && errno)
                r = negerrno();
        closedir(d);
        return r;
}

int walk_tree(int dirfd, const char *name, const char *path, walk_fn fn, void *arg) {
        struct stat st;
        int r;

        if (strchr(name, '/') || path[0] != '/')
                return -EINVAL;
        if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
                return negerrno();
        struct walk *w = malloc(sizeof(*w));
        if (!w)
                return -ENOMEM;
        w->fn = fn;
        w->arg = arg;
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
        w->dev = st.st_dev;
        r = visit(w, dirfd, name, st.st_mode & S_IFMT);
        free(w);
        return r;
}
