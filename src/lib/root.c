/* SPDX-License-Identifier: MIT */
#include "root.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "util.h"

#ifndef SYS_openat2
#define SYS_openat2 437
#endif

#define RESOLVE_WRITE_PARENT (RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS)

static int readlinkat_malloc(int dirfd, const char *name, char **target) {
        for (size_t size = 256; size <= PATH_MAX * 4; size *= 2) {
                _cleanup_free_ char *buf = malloc(size);
                if (!buf)
                        return -ENOMEM;
                ssize_t n = readlinkat(dirfd, name, buf, size);
                if (n < 0)
                        return negerrno();
                if ((size_t)n < size) {
                        buf[n] = '\0';
                        *target = TAKE_PTR(buf);
                        return 0;
                }
        }
        return -ENAMETOOLONG;
}

#define MAX_SYMLINKS 40

/* For kernels without openat2 (before 5.6), and valgrind, which does not
 * know it: the same rules applied one component at a time, symlinks read
 * and followed by hand, ".." clamped at the start (RESOLVE_IN_ROOT) or
 * refused (RESOLVE_BENEATH). Unlike the kernel's walk this one could be
 * raced by concurrent renames, which an initramfs does not have. */
static int resolve_by_hand(int dirfd, const char *path, int flags, uint64_t resolve) {
        _cleanup_free_ char *todo = strdup(path);
        _cleanup_close_ int cur = openat(dirfd, ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
        size_t depth = 0, links = 0;

        if (!todo)
                return -ENOMEM;
        if (cur < 0)
                return negerrno();
        for (;;) {
                char *p = todo;
                while (*p == '/')
                        p++;
                if (!*p)
                        break;
                char *end = strchrnul(p, '/');
                bool last = !end[strspn(end, "/")];
                _cleanup_free_ char *name = strndup(p, (size_t)(end - p));
                if (!name)
                        return -ENOMEM;
                memmove(todo, end, strlen(end) + 1);

                if (streq(name, "."))
                        continue;
                if (streq(name, "..")) {
                        if (depth == 0) {
                                if (resolve & RESOLVE_BENEATH)
                                        return -EXDEV;
                                continue; /* the root is its own parent */
                        }
                        int up = openat(cur, "..", O_PATH | O_DIRECTORY | O_CLOEXEC);
                        if (up < 0)
                                return negerrno();
                        close(cur);
                        cur = up;
                        depth--;
                        continue;
                }
                struct stat st;
                if (fstatat(cur, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
                        if (!(last && errno == ENOENT))
                                return negerrno();
                        st.st_mode = 0;
                }
                if (S_ISLNK(st.st_mode) && !(last && (flags & O_NOFOLLOW))) {
                        _cleanup_free_ char *target = NULL, *joined = NULL;
                        if (resolve & RESOLVE_NO_SYMLINKS)
                                return -ELOOP;
                        if (++links > MAX_SYMLINKS)
                                return -ELOOP;
                        int r = readlinkat_malloc(cur, name, &target);
                        if (r < 0)
                                return r;
                        if (target[0] == '/') {
                                if (!(resolve & RESOLVE_IN_ROOT))
                                        return -EXDEV;
                                int top = openat(dirfd, ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
                                if (top < 0)
                                        return negerrno();
                                close(cur);
                                cur = top;
                                depth = 0;
                        }
                        if (asprintf(&joined, "%s/%s", target, todo) < 0)
                                return -ENOMEM;
                        free(todo);
                        todo = TAKE_PTR(joined);
                        continue;
                }
                if (last) {
                        int fd = openat(cur, name, flags | O_NOFOLLOW | O_CLOEXEC);
                        return fd < 0 ? negerrno() : fd;
                }
                int next = openat(cur, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                if (next < 0)
                        return negerrno();
                close(cur);
                cur = next;
                depth++;
        }
        int fd = openat(cur, ".", flags | O_CLOEXEC);
        return fd < 0 ? negerrno() : fd;
}

static int openat2_retry(int dirfd, const char *path, int flags, uint64_t resolve) {
        static bool no_openat2;
        struct open_how how = {
                .flags = (uint64_t)(flags | O_CLOEXEC),
                .resolve = resolve,
        };

        if (no_openat2)
                return resolve_by_hand(dirfd, path, flags, resolve);

        /* The kernel answers EAGAIN when a concurrent rename anywhere on the
         * system might have let a ".." step escape; retrying is the
         * documented remedy, bounded so a busy system cannot spin us. */
        for (int i = 0; i < 32; i++) {
                long fd = syscall(SYS_openat2, dirfd, path, &how, sizeof(how));
                if (fd >= 0)
                        return (int)fd;
                if (errno == ENOSYS) {
                        no_openat2 = true;
                        return resolve_by_hand(dirfd, path, flags, resolve);
                }
                if (errno != EAGAIN && errno != EINTR)
                        return negerrno();
        }
        return -EAGAIN;
}

/* In-root paths are written absolute, but openat2 would take a leading '/'
 * as the host root outside RESOLVE_IN_ROOT; relative is the same place. */
static const char *relative(const char *path) {
        while (*path == '/')
                path++;
        return *path ? path : ".";
}

int root_open(const char *root) {
        int fd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
        return fd < 0 ? negerrno() : fd;
}

int root_open_in(int rootfd, const char *path, int flags) {
        /* Creating here would let a final symlink decide where the new file
         * lands; writers must go through root_open_parent_nofollow(). */
        if ((flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE)
                return -EINVAL;
        return openat2_retry(rootfd, relative(path), flags,
                             RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS);
}

int root_open_regular(int rootfd, const char *path, struct stat *st) {
        char proc[64];
        struct stat sb;

        /* Looked at before it is opened: opening a device node planted in
         * the target can act on the device, opening a FIFO can block. */
        _cleanup_close_ int pfd = root_open_in(rootfd, path, O_PATH);
        if (pfd < 0)
                return pfd;
        if (fstat(pfd, &sb) < 0)
                return negerrno();
        if (st)
                *st = sb;
        if (!S_ISREG(sb.st_mode))
                return S_ISDIR(sb.st_mode) ? -EISDIR : -EINVAL;
        /* The same inode, now for reading. */
        snprintf(proc, sizeof(proc), "/proc/self/fd/%d", pfd);
        int fd = open(proc, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
        return fd < 0 ? negerrno() : fd;
}

int root_open_beneath(int dirfd, const char *path, int flags) {
        return openat2_retry(dirfd, path, flags, RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS);
}

int root_open_parent_nofollow(int rootfd, const char *path, const char **basename) {
        _cleanup_free_ char *parent = NULL;
        const char *rel = relative(path), *slash, *base;

        slash = strrchr(rel, '/');
        base = slash ? slash + 1 : rel;
        if (!*base || streq(base, ".") || streq(base, ".."))
                return -EINVAL;
        if (slash) {
                parent = strndup(rel, (size_t)(slash - rel));
                if (!parent)
                        return -ENOMEM;
        }
        int fd = openat2_retry(rootfd, parent ? parent : ".", O_PATH | O_DIRECTORY,
                               RESOLVE_WRITE_PARENT);
        if (fd < 0)
                return fd;
        *basename = base;
        return fd;
}

int root_lstat(int rootfd, const char *path, struct stat *st) {
        const char *base;

        if (streq(relative(path), "."))
                return fstatat(rootfd, "", st, AT_EMPTY_PATH) < 0 ? negerrno() : 0;

        _cleanup_close_ int dirfd = root_open_parent_nofollow(rootfd, path, &base);
        if (dirfd < 0)
                return dirfd;
        return fstatat(dirfd, base, st, AT_SYMLINK_NOFOLLOW) < 0 ? negerrno() : 0;
}

int root_readlink(int rootfd, const char *path, char **target) {
        const char *base;
        _cleanup_close_ int dirfd = root_open_parent_nofollow(rootfd, path, &base);
        if (dirfd < 0)
                return dirfd;
        return readlinkat_malloc(dirfd, base, target);
}

static int fd_host_path(int fd, char **out) {
        char proc[64];

        snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
        return readlinkat_malloc(AT_FDCWD, proc, out);
}

static bool same_inode(int a, int b) {
        struct stat sa, sb;

        return fstat(a, &sa) == 0 && fstat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
               sa.st_ino == sb.st_ino;
}

int root_realpath(int rootfd, const char *path, char **resolved) {
        _cleanup_free_ char *host_root = NULL, *host_target = NULL, *out = NULL;
        int r;

        /* The kernel does the resolution (in the root), and /proc tells us
         * where it ended; stripping the root's own /proc name gives the
         * in-root path. */
        _cleanup_close_ int fd = root_open_in(rootfd, path, O_PATH);
        if (fd < 0)
                return fd;
        r = fd_host_path(rootfd, &host_root);
        if (r < 0)
                return r;
        r = fd_host_path(fd, &host_target);
        if (r < 0)
                return r;

        size_t n = streq(host_root, "/") ? 0 : strlen(host_root);
        if (strncmp(host_target, host_root, n) != 0 ||
            (host_target[n] != '/' && host_target[n] != '\0'))
                return -EXDEV;
        out = strdup(host_target[n] ? host_target + n : "/");
        if (!out)
                return -ENOMEM;

        /* /proc names can lie (" (deleted)", mounts hiding a path, a root
         * outside our mount namespace): accept the answer only if it leads,
         * without any symlink, to the very inode we resolved. */
        _cleanup_close_ int check = openat2_retry(rootfd, relative(out), O_PATH,
                                                  RESOLVE_WRITE_PARENT);
        if (check < 0 || !same_inode(fd, check))
                return -EXDEV;

        *resolved = TAKE_PTR(out);
        return 0;
}
