/* SPDX-License-Identifier: MIT */
/* Small helpers shared by every file: cleanup attributes (as systemd's
 * _cleanup_*_), ownership hand-off and a few macros. */
#pragma once

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define _cleanup_(f) __attribute__((cleanup(f)))

static inline void freep(void *p) { free(*(void **)p); }
static inline void closep(int *fd) {
        if (*fd >= 0) {
                int saved = errno;
                close(*fd);
                errno = saved;
        }
}
static inline void fclosep(FILE **f) {
        if (*f)
                fclose(*f);
}

#define _cleanup_free_ _cleanup_(freep)
#define _cleanup_close_ _cleanup_(closep)
#define _cleanup_fclose_ _cleanup_(fclosep)

/* Hand ownership on: returns the value and clears the variable so the
 * cleanup handler does nothing. */
#define TAKE_PTR(p) ({ __typeof__(p) _t = (p); (p) = NULL; _t; })
#define TAKE_FD(fd) ({ int _t = (fd); (fd) = -1; _t; })

#define ELEMENTSOF(a) (sizeof(a) / sizeof((a)[0]))

/* Room for element number n of a growing array: when n reaches `allocated`
 * the array doubles (to `first` elements the first time). 0 or -ENOMEM,
 * the array unchanged then. */
#define GROW_FOR(array, n, allocated, first)                                                     \
        ({                                                                                       \
                int _r = 0;                                                                      \
                if ((n) >= (allocated)) {                                                        \
                        size_t _na = (allocated) ? (allocated) * 2 : (first);                    \
                        __typeof__(array) _p = reallocarray((array), _na, sizeof(*(array)));     \
                        if (_p) {                                                                \
                                (array) = _p;                                                    \
                                (allocated) = _na;                                               \
                        } else                                                                   \
                                _r = -ENOMEM;                                                    \
                }                                                                                \
                _r;                                                                              \
        })
#define streq(a, b) (strcmp((a), (b)) == 0)

/* qsort()/bsearch() order of an array of strings (char *). */
static inline int cmp_strings(const void *a, const void *b) {
        return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The value of a hexadecimal digit, or -1. */
static inline int hex_value(int c) {
        if (c >= '0' && c <= '9')
                return c - '0';
        if (c >= 'a' && c <= 'f')
                return c - 'a' + 10;
        if (c >= 'A' && c <= 'F')
                return c - 'A' + 10;
        return -1;
}

/* Frees n strings and the array holding them. */
static inline void strv_free(char **v, size_t n) {
        for (size_t i = 0; v && i < n; i++)
                free(v[i]);
        free(v);
}

/* A negative errno from the last failed libc call, never 0. */
static inline int negerrno(void) { return errno > 0 ? -errno : -EIO; }
