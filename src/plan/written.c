/* SPDX-License-Identifier: MIT */
#include "written.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lib/fsutil.h"
#include "lib/root.h"
#include "lib/util.h"
#include "lib/walk.h"
#include "selinux/selinux.h"

/* What Ignition's files stage writes whatever the config says
 * (internal/exec/stages/files: passwd.go, filesystemEntries.go, units.go):
 * useradd's and groupadd's databases with their backups and locks (it
 * relabels /etc/passwd* and the like), its lock, its result file. */
static const char *const own_files[] = {"/etc/.pwd.lock", IGNITION_RESULT_FILE, IGNITION_PRESET_FILE};
static const char *const passwd_files[] = {"passwd", "group", "shadow", "gshadow", "subuid", "subgid"};

#define PASSWD_MAX (4u * 1024 * 1024)

struct finder {
        int rootfd;
        struct written *w;
        size_t roots_allocated, unlabelled_allocated;
};

static int push(char ***v, size_t *n, size_t *allocated, char *s) {
        if (!s || GROW_FOR(*v, *n, *allocated, 16) < 0) {
                free(s);
                return -ENOMEM;
        }
        (*v)[(*n)++] = s;
        return 0;
}

/* `path` as an absolute path without "", "." or ".." components ("/" for
 * none); ".." stops at the root, as it does in it. */
static int normalize(const char *path, char **out) {
        size_t n = strlen(path);
        char *o = malloc(n + 2), *end = o;

        if (!o)
                return -ENOMEM;
        for (const char *p = path; *p;) {
                while (*p == '/')
                        p++;
                size_t len = strcspn(p, "/");
                if (len == 0 || (len == 1 && p[0] == '.')) {
                } else if (len == 2 && p[0] == '.' && p[1] == '.') {
                        while (end > o && *--end != '/')
                                ;
                } else {
                        *end++ = '/';
                        memcpy(end, p, len);
                        end += len;
                }
                p += len;
        }
        if (end == o)
                *end++ = '/';
        *end = '\0';
        *out = o;
        return 0;
}

static bool beneath_or_at(const char *path, const char *dir) {
        size_t n = strlen(dir);
        return strncmp(path, dir, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

/* 1 if the in-root path (no symlinks) has no label, 0 if it has, -errno. */
static int unlabelled(int rootfd, const char *path) {
        const char *name;
        _cleanup_close_ int dfd = root_open_parent_nofollow(rootfd, path, &name);

        return dfd < 0 ? dfd : label_missing(dfd, name);
}

/* Adds the place Ignition wrote at `path`: where it leads inside the root
 * (its parents resolved there, as `setfiles -r` resolves them; with
 * `follow`, the path itself too), then up through every parent that has
 * no label, which the initramfs created with it. */
static int add_place(struct finder *f, const char *path, bool follow) {
        _cleanup_free_ char *norm = NULL, *real = NULL, *dir = NULL;
        struct stat st;
        int r;

        if ((r = normalize(path, &norm)) < 0)
                return r;
        if (streq(norm, "/"))
                return 0;
        if (follow)
                r = root_realpath(f->rootfd, norm, &real);
        else {
                char *slash = strrchr(norm, '/');
                *slash = '\0';
                r = root_realpath(f->rootfd, norm[0] ? norm : "/", &dir);
                if (r >= 0 && asprintf(&real, "%s/%s", streq(dir, "/") ? "" : dir, slash + 1) < 0)
                        return -ENOMEM;
        }
        if (r == -ENOMEM)
                return r;
        /* Not there (Ignition did not create it after all), or not a place
         * this program writes: out of the root, or read-only /usr. */
        if (r < 0 || streq(real, "/") || beneath_or_at(real, "/usr") || root_lstat(f->rootfd, real, &st) < 0)
                return 0;
        for (;;) {
                char *slash = strrchr(real, '/');
                if (slash == real)
                        break;
                *slash = '\0';
                r = unlabelled(f->rootfd, real);
                if (r <= 0) {
                        *slash = '/';
                        if (r < 0 && r != -ENOENT)
                                return r;
                        break;
                }
        }
        return push(&f->w->roots, &f->w->n_roots, &f->roots_allocated, TAKE_PTR(real));
}

/* /etc/passwd*, /etc/group*, ...: as Ignition globs them. */
static int add_passwd_files(struct finder *f) {
        _cleanup_close_ int fd = root_open_in(f->rootfd, "/etc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        struct dirent *de;
        int r = 0;

        if (fd < 0)
                return fd == -ENOENT || fd == -ENOTDIR ? 0 : fd;
        DIR *d = fdopendir(TAKE_FD(fd));
        if (!d)
                return negerrno();
        while (r >= 0 && (de = readdir(d)))
                for (size_t i = 0; i < ELEMENTSOF(passwd_files); i++)
                        if (strncmp(de->d_name, passwd_files[i], strlen(passwd_files[i])) == 0) {
                                _cleanup_free_ char *p = NULL;
                                if (asprintf(&p, "/etc/%s", de->d_name) < 0)
                                        r = -ENOMEM;
                                else
                                        r = add_place(f, p, false);
                                break;
                        }
        closedir(d);
        return r;
}

/* The home directory of `user` in the target's passwd file, or NULL. */
static char *passwd_home(const char *passwd, const char *user) {
        size_t n = strlen(user);

        for (const char *line = passwd; line && *line; line = strchr(line, '\n'), line = line ? line + 1 : NULL) {
                if (strncmp(line, user, n) != 0 || line[n] != ':')
                        continue;
                const char *field = line;
                for (int i = 0; i < 5 && field; i++)
                        field = strchr(field, ':'), field = field ? field + 1 : NULL;
                if (!field)
                        return NULL;
                return strndup(field, strcspn(field, ":\n"));
        }
        return NULL;
}

/* Each user's home, where useradd created it (and ~/.ssh with the keys
 * Ignition wrote beneath it). A home that is a symlink is labelled where
 * it leads, as Ignition does. */
static int add_homes(struct finder *f, const struct ignition_cache *c) {
        _cleanup_free_ char *passwd = NULL;
        size_t len;
        int r;

        if (c->n_users == 0)
                return 0;
        r = read_full_in_root(f->rootfd, "/etc/passwd", PASSWD_MAX, &passwd, &len, NULL);
        if (r == -ENOMEM)
                return r;
        for (size_t i = 0; i < c->n_users; i++) {
                _cleanup_free_ char *home = c->users[i].home ? strdup(c->users[i].home)
                                                             : passwd ? passwd_home(passwd, c->users[i].name) : NULL;
                if (!home && asprintf(&home, "/home/%s", c->users[i].name) < 0)
                        return -ENOMEM;
                if (home[0] == '/' && (r = add_place(f, home, true)) < 0)
                        return r;
        }
        return 0;
}

static int collect_unlabelled(const struct walk_entry *e, void *arg) {
        struct finder *f = arg;
        int r = label_missing(e->dirfd, e->name);

        if (r <= 0)
                return r;
        return push(&f->w->unlabelled, &f->w->n_unlabelled, &f->unlabelled_allocated, strdup(e->path));
}

/* Sorted, each once, none beneath another (labelled with it). */
static void prune(struct written *w) {
        size_t k = 0;

        if (w->n_roots)
                qsort(w->roots, w->n_roots, sizeof(char *), cmp_strings);
        for (size_t i = 0; i < w->n_roots; i++) {
                if (k > 0 && beneath_or_at(w->roots[i], w->roots[k - 1])) {
                        free(w->roots[i]);
                        continue;
                }
                w->roots[k++] = w->roots[i];
        }
        w->n_roots = k;
}

int written_find(int rootfd, const struct ignition_cache *c, struct written *w) {
        struct finder f = {.rootfd = rootfd, .w = w};
        int r = 0;

        *w = (struct written){0};
        for (size_t i = 0; r >= 0 && i < c->n_paths; i++)
                r = add_place(&f, c->paths[i], false);
        /* A filesystem the disks stage made has no label, its root
         * included; one it kept is not Ignition's to label. */
        for (size_t i = 0; r >= 0 && i < c->n_fs; i++)
                if (c->fs[i].path && unlabelled(rootfd, c->fs[i].path) == 1)
                        r = add_place(&f, c->fs[i].path, false);
        for (size_t i = 0; r >= 0 && i < ELEMENTSOF(own_files); i++)
                r = add_place(&f, own_files[i], false);
        if (r >= 0)
                r = add_passwd_files(&f);
        if (r >= 0)
                r = add_homes(&f, c);
        if (r < 0) {
                written_free(w);
                return r;
        }
        prune(w);
        for (size_t i = 0; r >= 0 && i < w->n_roots; i++) {
                const char *name;
                _cleanup_close_ int dfd = root_open_parent_nofollow(rootfd, w->roots[i], &name);
                static const struct walk_ops ops = {.enter = collect_unlabelled};
                r = dfd < 0 ? dfd : walk_tree(dfd, name, w->roots[i], &ops, &f);
        }
        if (r < 0)
                written_free(w);
        return r;
}

void written_free(struct written *w) {
        for (size_t i = 0; i < w->n_roots; i++)
                free(w->roots[i]);
        free(w->roots);
        for (size_t i = 0; i < w->n_unlabelled; i++)
                free(w->unlabelled[i]);
        free(w->unlabelled);
        *w = (struct written){0};
}
