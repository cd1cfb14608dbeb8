/* SPDX-License-Identifier: MIT */
#include "selinux.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/root.h"
#include "lib/util.h"

int policy_file_find(int rootfd, const char *type, int max_version, char **path) {
        _cleanup_free_ char *dir = NULL;
        long best = -1;
        int fd;

        if (asprintf(&dir, "/etc/selinux/%s/policy", type) < 0)
                return -ENOMEM;
        fd = root_open_in(rootfd, dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                return fd;
        DIR *dp = fdopendir(fd);
        if (!dp) {
                int r = negerrno();
                close(fd);
                return r;
        }
        for (struct dirent *e; (e = readdir(dp));) {
                char *end;
                if (strncmp(e->d_name, "policy.", 7) != 0)
                        continue;
                long v = strtol(e->d_name + 7, &end, 10);
                if (*end == 0 && end != e->d_name + 7 && v > best && (max_version < 0 || v <= max_version))
                        best = v;
        }
        closedir(dp);
        if (best < 0)
                return -ENOENT;
        return asprintf(path, "%s/policy.%ld", dir, best) < 0 ? -ENOMEM : 0;
}
