/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "input.h"
#include "lib/root.h"
#include "lib/util.h"

static const char *const fw_cfg_names[] = {
        "/sys/firmware/qemu_fw_cfg/by_name/opt/org.flatcar-linux/config/raw",
        "/sys/firmware/qemu_fw_cfg/by_name/opt/com.coreos/config/raw",
};

static int join(const char *prefix, const char *path, char **out) {
        size_t n = strlen(prefix);

        while (n > 0 && prefix[n - 1] == '/')
                n--;
        return asprintf(out, "%.*s%s", (int)n, prefix, path) < 0 ? -ENOMEM : 0;
}

/* An input that cannot be read is bad input like a malformed one. */
static int read_error(int r, const char *name, struct diags *d) {
        if (r >= 0 || r == -EINVAL || r == -ENOMEM)
                return r;
        diags_add(d, DIAG_ERROR, "%s: cannot read: %s", name, strerror(-r));
        return -EINVAL;
}

/* Opens a raw config; a FIFO, device or directory is refused by name
 * (input.c) without blocking. */
static int open_raw(const char *path, bool missing_ok, struct diags *d) {
        int fd = input_open(path, path, DIAG_ERROR, d);

        if (fd >= 0 || fd == -EINVAL || fd == -ENOMEM)
                return fd;
        if (missing_ok && (fd == -ENOENT || fd == -ENOTDIR))
                return fd;
        diags_add(d, DIAG_ERROR, "%s: cannot read: %s", path, strerror(-fd));
        return -EINVAL;
}

/* A raw config that does not exist is simply not there. */
static int read_raw(const char *path, struct se_config *cfg, struct diags *d) {
        _cleanup_close_ int fd = open_raw(path, true, d);
        bool found = false;

        if (fd == -ENOENT || fd == -ENOTDIR)
                return 0;
        if (fd < 0)
                return fd;
        return read_error(config_parse_fd(fd, path, CONFIG_KIND_IGNITION, cfg, &found, d), path, d);
}

static int filter_ign(const struct dirent *e) {
        size_t n = strlen(e->d_name);
        return e->d_name[0] != '.' && n > 4 && streq(e->d_name + n - 4, ".ign");
}

static int read_raw_dir(const char *dir, struct se_config *cfg, struct diags *d) {
        struct dirent **list = NULL;
        int n = scandir(dir, &list, filter_ign, alphasort), r = 0;

        if (n < 0)
                return errno == ENOENT || errno == ENOTDIR ? 0 : negerrno();
        for (int i = 0; i < n; i++) {
                _cleanup_free_ char *p = NULL;
                if (r >= 0 && asprintf(&p, "%s/%s", dir, list[i]->d_name) < 0)
                        r = -ENOMEM;
                if (r >= 0)
                        r = read_raw(p, cfg, d);
                free(list[i]);
        }
        free(list);
        return r;
}

int sources_read_raw(const struct source_opts *o, struct se_config *cfg, struct diags *d) {
        const char *root = o->source_root ? o->source_root : "/";
        int r;

        if (o->configs) {
                for (size_t i = 0; i < o->n_configs; i++) {
                        _cleanup_close_ int fd = open_raw(o->configs[i], false, d);
                        bool found = false;
                        if (fd < 0)
                                return fd;
                        r = read_error(config_parse_fd(fd, o->configs[i], CONFIG_KIND_IGNITION, cfg, &found, d),
                                       o->configs[i], d);
                        if (r < 0)
                                return r;
                }
                return 0;
        }

        _cleanup_free_ char *base = NULL, *platform = NULL, *user = NULL;
        if (join(root, "/usr/lib/ignition/base.d", &base) < 0 ||
            join(root, "/usr/lib/ignition/user.ign", &user) < 0)
                return -ENOMEM;
        r = read_raw_dir(base, cfg, d);
        if (r < 0)
                return r;
        if (o->platform && o->platform[0] && !strchr(o->platform, '/') && !streq(o->platform, "..")) {
                _cleanup_free_ char *rel = NULL;
                if (asprintf(&rel, "/usr/lib/ignition/base.platform.d/%s", o->platform) < 0 ||
                    join(root, rel, &platform) < 0)
                        return -ENOMEM;
                r = read_raw_dir(platform, cfg, d);
                if (r < 0)
                        return r;
        }
        r = read_raw(user, cfg, d);
        if (r < 0)
                return r;
        for (size_t i = 0; i < ELEMENTSOF(fw_cfg_names); i++) {
                _cleanup_free_ char *p = NULL;
                if (join(root, fw_cfg_names[i], &p) < 0)
                        return -ENOMEM;
                r = read_raw(p, cfg, d);
                if (r < 0)
                        return r;
        }
        return 0;
}

int sources_read_target(int rootfd, const char *root_display, struct se_config *cfg,
                        struct diags *d) {
        _cleanup_free_ char *name = NULL;
        bool found = false;
        int r;

        if (join(root_display, TARGET_BLOCK_FILE, &name) < 0)
                return -ENOMEM;
        _cleanup_close_ int fd = input_open_in_root(rootfd, TARGET_BLOCK_FILE, name, d);
        if (fd == -EINVAL || fd == -ENOMEM)
                return fd;
        if (fd < 0) {
                struct stat st;
                /* A link that leads nowhere inside the root is an error, not an
                 * absent file: it may point at a file outside the root. */
                if (fd == -ENOENT && root_lstat(rootfd, TARGET_BLOCK_FILE, &st) == -ENOENT)
                        return 0;
                if (fd == -ENOENT)
                        diags_add(d, DIAG_ERROR, "%s: a symlink that leads nowhere inside the target root",
                                  name);
                else
                        diags_add(d, DIAG_ERROR, "%s: cannot read: %s", name, strerror(-fd));
                return -EINVAL;
        }
        r = config_parse_fd(fd, name, CONFIG_KIND_BLOCK_FILE, cfg, &found, d);
        return read_error(r, name, d);
}
