/* SPDX-License-Identifier: MIT */
#include "fsutil.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "root.h"
#include "util.h"
#include "walk.h"

int read_full_fd(int fd, size_t max, char **buf, size_t *len) {
        _cleanup_free_ char *data = NULL;
        size_t size = 0, used = 0;
        struct stat st;

        /* The size is only a hint (procfs says 0, files can grow), so the
         * loop below still reads until EOF. */
        if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
            (uint64_t)st.st_size < max)
                size = (size_t)st.st_size + 1;
        if (size < 4096)
                size = 4096;

        for (;;) {
                if (used + 1 >= size || !data) {
                        if (data)
                                size = size > SIZE_MAX / 2 ? SIZE_MAX : size * 2;
                        char *p = realloc(data, size);
                        if (!p)
                                return -ENOMEM;
                        data = p;
                }
                ssize_t n = read(fd, data + used, size - used - 1);
                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        return negerrno();
                }
                if (n == 0)
                        break;
                used += (size_t)n;
                if (used > max)
                        return -EFBIG;
        }
        data[used] = '\0';
        *buf = TAKE_PTR(data);
        if (len)
                *len = used;
        return 0;
}

int read_full_at(int dirfd, const char *name, size_t max, char **buf, size_t *len) {
        struct stat st;

        /* O_NONBLOCK so a FIFO planted at `name` cannot hang the open. */
        _cleanup_close_ int fd =
                openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
        if (fd < 0)
                return negerrno();
        if (fstat(fd, &st) < 0)
                return negerrno();
        if (!S_ISREG(st.st_mode))
                return S_ISDIR(st.st_mode) ? -EISDIR : -EINVAL;
        return read_full_fd(fd, max, buf, len);
}

int read_full_in_root(int rootfd, const char *path, size_t max, char **buf, size_t *len, struct stat *st) {
        _cleanup_close_ int fd = root_open_regular(rootfd, path, st);
        return fd < 0 ? fd : read_full_fd(fd, max, buf, len);
}

const char *file_kind(mode_t mode) {
        switch (mode & S_IFMT) {
        case S_IFREG: return "a regular file";
        case S_IFDIR: return "a directory";
        case S_IFLNK: return "a symlink";
        case S_IFIFO: return "a FIFO";
        case S_IFCHR: return "a character device";
        case S_IFBLK: return "a block device";
        case S_IFSOCK: return "a socket";
        default: return "of an unknown kind";
        }
}

int write_all(int fd, const void *buf, size_t len) {
        const char *p = buf;

        while (len > 0) {
                ssize_t n = write(fd, p, len);
                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        return negerrno();
                }
                if (n == 0)
                        return -EIO;
                p += n;
                len -= (size_t)n;
        }
        return 0;
}

int staged_name(const char *name, char **out) {
        char *s;

        if (!name || !*name || strchr(name, '/'))
                return -EINVAL;
        if (asprintf(&s, ".%s%s", name, STAGED_SUFFIX) < 0)
                return -ENOMEM;
        if (strlen(s) > NAME_MAX) {
                free(s);
                return -ENAMETOOLONG;
        }
        *out = s;
        return 0;
}

static int fill_staged(int fd, const void *buf, size_t len, mode_t mode, uid_t uid, gid_t gid,
                       const char *label, const char *tag) {
        int r;

        /* Content first: a write by a process without CAP_FSETID clears
         * setuid/setgid, which must therefore come after it. */
        r = write_all(fd, buf, len);
        if (r < 0)
                return r;
        /* chown clears setuid/setgid and security.capability, so mode and
         * xattrs come after it. */
        if (fchown(fd, uid, gid) < 0)
                return negerrno();
        if (fchmod(fd, mode & 07777) < 0)
                return negerrno();
        if (label && fsetxattr(fd, XATTR_SELINUX, label, strlen(label) + 1, 0) < 0)
                return negerrno();
        if (tag && fsetxattr(fd, XATTR_TAG, tag, strlen(tag), 0) < 0)
                return negerrno();
        return 0;
}

int stage_file_at(int dirfd, const char *name, const void *buf, size_t len, mode_t mode, uid_t uid,
                  gid_t gid, const char *label, const char *tag, char **staged) {
        _cleanup_free_ char *tmp = NULL;
        int r;

        r = staged_name(name, &tmp);
        if (r < 0)
                return r;
        /* A leftover from an interrupted run would make O_EXCL fail. */
        r = rm_rf_at(dirfd, tmp);
        if (r < 0)
                return r;
        _cleanup_close_ int fd =
                openat(dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd < 0)
                return negerrno();
        r = fill_staged(fd, buf, len, mode, uid, gid, label, tag);
        if (r < 0) {
                unlinkat(dirfd, tmp, 0);
                return r;
        }
        *staged = TAKE_PTR(tmp);
        return 0;
}

int publish_staged_at(int dirfd, const char *staged, const char *name, unsigned flags) {
        /* rename() replaces a symlink at `name` itself, never its target. */
        if (renameat2(dirfd, staged, dirfd, name, flags) < 0) {
                int r = negerrno();
                rm_rf_at(dirfd, staged);
                return r;
        }
        return 0;
}

static int rm_entry(const struct walk_entry *e, void *arg) {
        /* A directory is emptied first, then removed on the way back. */
        if (S_ISDIR(e->type) || unlinkat(e->dirfd, e->name, 0) == 0 || errno == ENOENT)
                return 0;
        return negerrno();
}

static int rm_dir(const struct walk_entry *e, void *arg) {
        return unlinkat(e->dirfd, e->name, AT_REMOVEDIR) == 0 || errno == ENOENT ? 0 : negerrno();
}

int rm_rf_at(int dirfd, const char *name) {
        /* Unlinking first needs no stat and cannot follow anything; only a
         * directory makes it fail, and then we descend without following. */
        if (unlinkat(dirfd, name, 0) == 0 || errno == ENOENT)
                return 0;
        int unlink_err = negerrno();
        if (unlink_err != -EISDIR && unlink_err != -EPERM)
                return unlink_err;

        struct stat st;
        if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
                return errno == ENOENT ? 0 : negerrno();
        /* Not a directory after all: the unlink error is the news. */
        if (!S_ISDIR(st.st_mode))
                return unlink_err;
        static const struct walk_ops ops = {.enter = rm_entry, .leave = rm_dir};
        int r = walk_tree(dirfd, name, "/", &ops, NULL);
        return r == -ENOENT ? 0 : r;
}
