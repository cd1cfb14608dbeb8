/* SPDX-License-Identifier: MIT */
/* Opening and reading every file config/ reads: raw Ignition configs,
 * --config files, QEMU fw_cfg blobs, the target's block file, the config
 * Ignition ran, `validate`'s arguments. Anything but a regular file is
 * refused the same way, by name of what it is, before it is opened when
 * that can be known, and never by blocking: a FIFO would block an open for
 * reading until a writer comes, and its read until it writes; a device
 * may do anything on open (a watchdog starts counting) and never end; a
 * socket cannot be opened at all (ENXIO, which says nothing useful). The
 * size is checked from fstat before anything is read. */
#include "config.h"
#include "input.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "lib/fsutil.h"
#include "lib/root.h"
#include "lib/util.h"

static int refuse(const char *name, const struct stat *st, enum diag_severity sev, struct diags *d) {
        if (diags_add(d, sev, "%s: not a regular file (%s)", name, file_kind(st->st_mode)) < 0)
                return -ENOMEM;
        return -EINVAL;
}

static int too_large(const char *name, size_t size, size_t max, enum diag_severity sev, struct diags *d) {
        int r = size > max ? diags_add(d, sev, "%s: input is too large (%zu bytes, at most %zu)", name, size, max)
                           : diags_add(d, sev, "%s: input is too large (more than %zu bytes)", name, max);
        return r < 0 ? -ENOMEM : -EINVAL;
}

int input_open(const char *path, const char *name, enum diag_severity sev, struct diags *d) {
        struct stat st;
        int fd;

        /* stat first: what is not a regular file is never opened */
        if (stat(path, &st) < 0)
                return negerrno();
        if (!S_ISREG(st.st_mode))
                return refuse(name, &st, sev, d);
        fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
        if (fd < 0)
                return negerrno();
        /* and again on what was opened, which may have been swapped in */
        if (fstat(fd, &st) < 0) {
                int r = negerrno();
                close(fd);
                return r;
        }
        if (!S_ISREG(st.st_mode)) {
                close(fd);
                return refuse(name, &st, sev, d);
        }
        return fd;
}

int input_open_in_root(int rootfd, const char *path, const char *name, struct diags *d) {
        _cleanup_close_ int pfd = -1;
        struct stat st, st2;
        char proc[64];
        int fd;

        /* O_PATH resolves (in the root) without opening what is there */
        pfd = root_open_in(rootfd, path, O_PATH | O_CLOEXEC);
        if (pfd < 0)
                return pfd;
        if (fstat(pfd, &st) < 0)
                return negerrno();
        if (!S_ISREG(st.st_mode))
                return refuse(name, &st, DIAG_ERROR, d);
        /* reopen the very inode resolved, for reading */
        snprintf(proc, sizeof(proc), "/proc/self/fd/%d", pfd);
        fd = open(proc, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
        if (fd < 0 && errno == ENOENT) /* no /proc: resolve again, compare */
                fd = root_open_in(rootfd, path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
        else if (fd < 0)
                fd = negerrno();
        if (fd < 0)
                return fd;
        if (fstat(fd, &st2) < 0) {
                int r = negerrno();
                close(fd);
                return r;
        }
        if (st2.st_dev != st.st_dev || st2.st_ino != st.st_ino || !S_ISREG(st2.st_mode)) {
                close(fd);
                return refuse(name, &st2, DIAG_ERROR, d);
        }
        return fd;
}

int input_read_fd(int fd, const char *name, size_t max, enum diag_severity sev, char **buf, size_t *len,
                  struct diags *d) {
        struct stat st;
        int r;

        if (fstat(fd, &st) < 0)
                return negerrno();
        if (!S_ISREG(st.st_mode))
                return refuse(name, &st, sev, d);
        if (st.st_size > 0 && (uint64_t)st.st_size > max)
                return too_large(name, (size_t)st.st_size, max, sev, d);
        /* the size is a hint (sysfs and procfs say 0 or 4096): the read is
         * bounded all the same */
        r = read_full_fd(fd, max, buf, len);
        if (r == -EFBIG)
                return too_large(name, 0, max, sev, d);
        return r;
}

int config_read_fd(int fd, const char *name, size_t max, char **buf, size_t *len, struct diags *d) {
        return input_read_fd(fd, name, max, DIAG_ERROR, buf, len, d);
}
