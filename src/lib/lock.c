/* SPDX-License-Identifier: MIT */
#include "lock.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include "util.h"

#define RETRY_MS 50

/* The pid /proc/locks gives for a flock() on the inode of `fd` (lslocks
 * reads the same table), or 0. */
static pid_t lock_holder(int fd) {
        struct stat st;
        char line[256], want[64];
        pid_t pid = 0;

        if (fstat(fd, &st) < 0)
                return 0;
        snprintf(want, sizeof(want), "%02x:%02x:%lu", major(st.st_dev), minor(st.st_dev), (unsigned long)st.st_ino);
        _cleanup_fclose_ FILE *f = fopen("/proc/locks", "re");
        while (f && fgets(line, sizeof(line), f)) {
                char kind[16], dev[64];
                int p;
                /* "1: FLOCK  ADVISORY  WRITE 1234 fd:01:5678 0 EOF" */
                if (sscanf(line, "%*d: %15s %*s %*s %d %63s", kind, &p, dev) == 3 && streq(kind, "FLOCK") &&
                    streq(dev, want) && p > 0 && p != getpid()) {
                        pid = p;
                        break;
                }
        }
        return pid;
}

int root_lock(const char *root, bool exclusive, unsigned wait_ms, int *fd, pid_t *holder) {
        struct timespec nap = {0, RETRY_MS * 1000000L};
        int lfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

        *fd = -1;
        *holder = 0;
        if (lfd < 0)
                return negerrno();
        for (unsigned waited = 0;; waited += RETRY_MS) {
                if (flock(lfd, (exclusive ? LOCK_EX : LOCK_SH) | LOCK_NB) == 0) {
                        *fd = lfd;
                        return 0;
                }
                if (errno != EWOULDBLOCK || waited >= wait_ms) {
                        int r = negerrno();
                        if (r == -EWOULDBLOCK)
                                *holder = lock_holder(lfd);
                        close(lfd);
                        return r;
                }
                nanosleep(&nap, NULL);
        }
}
