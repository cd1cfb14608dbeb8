/* SPDX-License-Identifier: MIT */
/* LD_PRELOAD fault injector (the kmod testsuite's seam): counts every libc
 * call that changes the filesystem and, on request, makes the Nth one fail or
 * kills the process just before it.
 *   FAULT_COUNT_FILE=F  write the number of counted calls to F at exit
 *   FAULT_AT=N          the Nth counted call fails with EIO (FAULT_ERRNO=n)
 *   FAULT_KILL_AT=N     SIGKILL at the Nth counted call, before it happens
 *   FAULT_TRACE=1       name each counted call on stderr
 * Writes to fds 0-2 are not counted: they are the log, not the target. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

static long counter, fail_at = -1, kill_at = -1;
static int fail_errno = EIO, trace;
static const char *count_file;

__attribute__((constructor)) static void init(void) {
        const char *e;
        if ((e = getenv("FAULT_AT")))
                fail_at = atol(e);
        if ((e = getenv("FAULT_KILL_AT")))
                kill_at = atol(e);
        if ((e = getenv("FAULT_ERRNO")))
                fail_errno = atoi(e);
        trace = getenv("FAULT_TRACE") != NULL;
        count_file = getenv("FAULT_COUNT_FILE");
}

__attribute__((destructor)) static void fini(void) {
        if (count_file) {
                FILE *f = fopen(count_file, "we");
                if (f) {
                        fprintf(f, "%ld\n", counter);
                        fclose(f);
                }
        }
}

/* Returns nonzero if this call must fail. */
static int point(const char *name) {
        /* The program is single-threaded: the same N is the same call in
         * every run (test-faults checks it). */
        long n = ++counter;
        if (trace)
                fprintf(stderr, "fault-point %ld %s\n", n, name);
        if (n == kill_at) {
                if (count_file)
                        fini();
                raise(SIGKILL);
        }
        if (n == fail_at) {
                errno = fail_errno;
                return 1;
        }
        return 0;
}

#define REAL(ret, name, ...)                                                                     \
        static ret (*real_##name)(__VA_ARGS__);                                                 \
        if (!real_##name)                                                                        \
                real_##name = (ret(*)(__VA_ARGS__))dlsym(RTLD_NEXT, #name)

ssize_t write(int fd, const void *buf, size_t n) {
        REAL(ssize_t, write, int, const void *, size_t);
        if (fd > 2 && point("write"))
                return -1;
        return real_write(fd, buf, n);
}

ssize_t pwrite(int fd, const void *buf, size_t n, off_t off) {
        REAL(ssize_t, pwrite, int, const void *, size_t, off_t);
        if (point("pwrite"))
                return -1;
        return real_pwrite(fd, buf, n, off);
}

ssize_t copy_file_range(int in, off_t *oin, int out, off_t *oout, size_t n, unsigned flags) {
        REAL(ssize_t, copy_file_range, int, off_t *, int, off_t *, size_t, unsigned);
        if (point("copy_file_range"))
                return -1;
        return real_copy_file_range(in, oin, out, oout, n, flags);
}

int ioctl(int fd, unsigned long req, ...) {
        va_list ap;
        va_start(ap, req);
        void *arg = va_arg(ap, void *);
        va_end(ap);
        REAL(int, ioctl, int, unsigned long, void *);
        if (req == FICLONE && point("ioctl(FICLONE)"))
                return -1;
        return real_ioctl(fd, req, arg);
}

static int creating(int flags) { return (flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE; }

int open(const char *path, int flags, ...) {
        va_list ap;
        va_start(ap, flags);
        mode_t mode = va_arg(ap, mode_t);
        va_end(ap);
        REAL(int, open, const char *, int, mode_t);
        if (creating(flags) && point("open(O_CREAT)"))
                return -1;
        return real_open(path, flags, mode);
}

int openat(int dfd, const char *path, int flags, ...) {
        va_list ap;
        va_start(ap, flags);
        mode_t mode = va_arg(ap, mode_t);
        va_end(ap);
        REAL(int, openat, int, const char *, int, mode_t);
        if (creating(flags) && point("openat(O_CREAT)"))
                return -1;
        return real_openat(dfd, path, flags, mode);
}

#define WRAP(ret, name, params, args, ...)                                                       \
        ret name params {                                                                        \
                REAL(ret, name, __VA_ARGS__);                                                    \
                if (point(#name))                                                                \
                        return -1;                                                               \
                return real_##name args;                                                         \
        }

WRAP(int, rename, (const char *a, const char *b), (a, b), const char *, const char *)
WRAP(int, renameat, (int da, const char *a, int db, const char *b), (da, a, db, b), int, const char *, int, const char *)
WRAP(int, renameat2, (int da, const char *a, int db, const char *b, unsigned f), (da, a, db, b, f), int, const char *, int, const char *, unsigned)
WRAP(int, fsync, (int fd), (fd), int)
WRAP(int, fdatasync, (int fd), (fd), int)
WRAP(int, syncfs, (int fd), (fd), int)
WRAP(int, mkdir, (const char *p, mode_t m), (p, m), const char *, mode_t)
WRAP(int, mkdirat, (int d, const char *p, mode_t m), (d, p, m), int, const char *, mode_t)
WRAP(int, mknodat, (int d, const char *p, mode_t m, dev_t v), (d, p, m, v), int, const char *, mode_t, dev_t)
WRAP(int, unlink, (const char *p), (p), const char *)
WRAP(int, unlinkat, (int d, const char *p, int f), (d, p, f), int, const char *, int)
WRAP(int, rmdir, (const char *p), (p), const char *)
WRAP(int, link, (const char *a, const char *b), (a, b), const char *, const char *)
WRAP(int, linkat, (int da, const char *a, int db, const char *b, int f), (da, a, db, b, f), int, const char *, int, const char *, int)
WRAP(int, symlink, (const char *a, const char *b), (a, b), const char *, const char *)
WRAP(int, symlinkat, (const char *a, int d, const char *b), (a, d, b), const char *, int, const char *)
WRAP(int, setxattr, (const char *p, const char *n, const void *v, size_t s, int f), (p, n, v, s, f), const char *, const char *, const void *, size_t, int)
WRAP(int, lsetxattr, (const char *p, const char *n, const void *v, size_t s, int f), (p, n, v, s, f), const char *, const char *, const void *, size_t, int)
WRAP(int, fsetxattr, (int fd, const char *n, const void *v, size_t s, int f), (fd, n, v, s, f), int, const char *, const void *, size_t, int)
WRAP(int, chown, (const char *p, uid_t u, gid_t g), (p, u, g), const char *, uid_t, gid_t)
WRAP(int, lchown, (const char *p, uid_t u, gid_t g), (p, u, g), const char *, uid_t, gid_t)
WRAP(int, fchown, (int fd, uid_t u, gid_t g), (fd, u, g), int, uid_t, gid_t)
WRAP(int, fchownat, (int d, const char *p, uid_t u, gid_t g, int f), (d, p, u, g, f), int, const char *, uid_t, gid_t, int)
WRAP(int, chmod, (const char *p, mode_t m), (p, m), const char *, mode_t)
WRAP(int, fchmod, (int fd, mode_t m), (fd, m), int, mode_t)
WRAP(int, fchmodat, (int d, const char *p, mode_t m, int f), (d, p, m, f), int, const char *, mode_t, int)
WRAP(int, utimensat, (int d, const char *p, const struct timespec t[2], int f), (d, p, t, f), int, const char *, const struct timespec *, int)
WRAP(int, futimens, (int fd, const struct timespec t[2]), (fd, t), int, const struct timespec *)
