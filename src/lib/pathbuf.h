/* SPDX-License-Identifier: MIT */
/* A path grown and shrunk one component at a time while walking a tree, so
 * a walk of thousands of entries allocates nothing per entry. */
#pragma once

#include <errno.h>
#include <limits.h>
#include <string.h>

struct pathbuf {
        char path[PATH_MAX];
        size_t len;
};

/* Appends "/name" (no slash after an empty path or a trailing one); *saved
 * is what pathbuf_pop() needs to undo it. */
static inline int pathbuf_push(struct pathbuf *b, const char *name, size_t *saved) {
        size_t n = strlen(name);
        size_t sep = b->len > 0 && b->path[b->len - 1] != '/';

        if (b->len + sep + n >= sizeof(b->path))
                return -ENAMETOOLONG;
        *saved = b->len;
        if (sep)
                b->path[b->len++] = '/';
        memcpy(b->path + b->len, name, n + 1);
        b->len += n;
        return 0;
}

static inline void pathbuf_pop(struct pathbuf *b, size_t saved) {
        b->len = saved;
        b->path[saved] = '\0';
}
