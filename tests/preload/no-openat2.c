/* SPDX-License-Identifier: MIT */
/* LD_PRELOAD trap: a kernel without openat2 (before 5.6), for the tests of
 * the in-root resolver src/lib/root.c falls back to, and for valgrind, which does
 * not know the call. syscall(SYS_openat2, ...) fails with ENOSYS; every
 * other system call goes through. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdarg.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef SYS_openat2
#define SYS_openat2 437
#endif

long syscall(long number, ...) {
        static long (*real)(long, ...);
        va_list ap;
        long a[6];

        if (number == SYS_openat2) {
                errno = ENOSYS;
                return -1;
        }
        if (!real)
                real = (long (*)(long, ...))dlsym(RTLD_NEXT, "syscall");
        va_start(ap, number);
        for (int i = 0; i < 6; i++)
                a[i] = va_arg(ap, long);
        va_end(ap);
        return real(number, a[0], a[1], a[2], a[3], a[4], a[5]);
}
