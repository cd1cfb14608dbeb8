/* SPDX-License-Identifier: MIT */
#include "commit.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/util.h"

int commits_defer(struct commits *c, int dirfd) {
        struct stat st;

        if (fstat(dirfd, &st) < 0)
                return negerrno();
        for (size_t i = 0; i < c->n; i++)
                if (c->v[i].dev == st.st_dev && c->v[i].ino == st.st_ino)
                        return 0;
        if (GROW_FOR(c->v, c->n, c->allocated, 4) < 0)
                return -ENOMEM;
        int fd = fcntl(dirfd, F_DUPFD_CLOEXEC, 3);
        if (fd < 0)
                return negerrno();
        c->v[c->n++] = (struct pending_dir){st.st_dev, st.st_ino, fd};
        return 0;
}

static bool among(dev_t dev, const dev_t *devs, size_t n) {
        for (size_t i = 0; i < n; i++)
                if (devs[i] == dev)
                        return true;
        return false;
}

/* fsync()s and forgets every pending directory, but for those on the
 * filesystems `synced`, which a syncfs has just made durable. */
static int flush_pending(struct commits *c, const dev_t *synced, size_t n_synced) {
        while (c->n > 0) {
                struct pending_dir *pd = &c->v[c->n - 1];
                if (!among(pd->dev, synced, n_synced) && fsync(pd->fd) < 0)
                        return negerrno();
                close(pd->fd);
                c->n--;
        }
        return 0;
}

int commits_barrier(struct commits *c, int fd, bool staged) {
        struct stat st;

        if (!staged && c->n == 0)
                return 0;
        if (fstat(fd, &st) < 0)
                return negerrno();
        bool same_fs = staged;
        for (size_t i = 0; i < c->n && !same_fs; i++)
                same_fs = c->v[i].dev == st.st_dev;
        /* One syncfs commits the filesystem's journal: all that is pending
         * there along with what was staged. */
        if (same_fs && syncfs(fd) < 0)
                return negerrno();
        return flush_pending(c, &st.st_dev, same_fs ? 1 : 0);
}

int commits_barrier_staged(struct commits *c, const int *fds, size_t n) {
        dev_t synced[COMMITS_STAGED_MAX];
        size_t n_synced = 0;
        struct stat st;

        if (n > COMMITS_STAGED_MAX)
                return -EINVAL;
        for (size_t i = 0; i < n; i++) {
                if (fstat(fds[i], &st) < 0)
                        return negerrno();
                if (among(st.st_dev, synced, n_synced))
                        continue;
                if (syncfs(fds[i]) < 0)
                        return negerrno();
                synced[n_synced++] = st.st_dev;
        }
        return flush_pending(c, synced, n_synced);
}

int commits_flush(struct commits *c) {
        return flush_pending(c, NULL, 0);
}

void commits_done(struct commits *c) {
        while (c->n > 0)
                close(c->v[--c->n].fd);
        free(c->v);
        *c = (struct commits){0};
}
