/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "input.h"
#include "lib/util.h"

/* Where Ignition's files stage puts units (internal/exec/util/unit.go). */
#define UNITS_DIR "/etc/systemd/system"

static int push_str(char ***v, size_t *n, size_t *allocated, char *s) {
        if (!s || GROW_FOR(*v, *n, *allocated, 16) < 0) {
                free(s);
                return -ENOMEM;
        }
        (*v)[(*n)++] = s;
        return 0;
}

struct reader {
        struct ignition_cache *c;
        size_t paths_allocated, fs_allocated, users_allocated, files_allocated;
        const char *file;
};

static struct json_object *get(struct json_object *o, const char *key) {
        struct json_object *v;
        return json_object_is_type(o, json_type_object) && json_object_object_get_ex(o, key, &v) ? v : NULL;
}

static const char *get_str(struct json_object *o, const char *key) {
        struct json_object *v = get(o, key);
        return json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
}

static bool get_true(struct json_object *o, const char *key) {
        struct json_object *v = get(o, key);
        return json_object_is_type(v, json_type_boolean) && json_object_get_boolean(v);
}

static size_t array_len(struct json_object *a) {
        return json_object_is_type(a, json_type_array) ? json_object_array_length(a) : 0;
}

static int add_path(struct reader *r, const char *path) {
        if (!path || path[0] != '/')
                return 0;
        return push_str(&r->c->paths, &r->c->n_paths, &r->paths_allocated, strdup(path));
}

static int add_pathf(struct reader *r, const char *fmt, const char *arg) {
        char *p;
        if (asprintf(&p, fmt, arg) < 0)
                return -ENOMEM;
        return push_str(&r->c->paths, &r->c->n_paths, &r->paths_allocated, p);
}

/* A unit name that is a file name, as Ignition's validation requires. */
static bool unit_name_ok(const char *s) {
        return s && s[0] && !strchr(s, '/') && !streq(s, ".") && !streq(s, "..");
}

static bool has_contents(struct json_object *o) {
        const char *s = get_str(o, "contents");
        return s && s[0];
}

static int read_storage(struct reader *r, struct json_object *storage) {
        static const char *const kinds[] = {"files", "directories", "links"};
        int k;

        for (size_t i = 0; i < ELEMENTSOF(kinds); i++) {
                struct json_object *a = get(storage, kinds[i]);
                for (size_t j = 0; j < array_len(a); j++)
                        if ((k = add_path(r, get_str(json_object_array_get_idx(a, j), "path"))) < 0)
                                return k;
        }
        struct json_object *fss = get(storage, "filesystems");
        for (size_t j = 0; j < array_len(fss); j++) {
                struct json_object *o = json_object_array_get_idx(fss, j);
                const char *dev = get_str(o, "device"), *fmt = get_str(o, "format"), *path = get_str(o, "path");
                if (GROW_FOR(r->c->fs, r->c->n_fs, r->fs_allocated, 4) < 0)
                        return -ENOMEM;
                struct ign_filesystem *f = &r->c->fs[r->c->n_fs++];
                *f = (struct ign_filesystem){.wipe = get_true(o, "wipeFilesystem"), .file = r->file, .index = j};
                if ((dev && !(f->device = strdup(dev))) || (fmt && !(f->format = strdup(fmt))) ||
                    (path && !(f->path = strdup(path))))
                        return -ENOMEM;
        }
        return 0;
}

static int read_units(struct reader *r, struct json_object *units) {
        bool preset = false;
        int k;

        for (size_t j = 0; j < array_len(units); j++) {
                struct json_object *u = json_object_array_get_idx(units, j), *dropins = get(u, "dropins");
                const char *name = get_str(u, "name");
                if (!unit_name_ok(name))
                        continue;
                if ((has_contents(u) || get_true(u, "mask")) && (k = add_pathf(r, UNITS_DIR "/%s", name)) < 0)
                        return k;
                for (size_t i = 0; i < array_len(dropins); i++)
                        if (has_contents(json_object_array_get_idx(dropins, i))) {
                                if ((k = add_pathf(r, UNITS_DIR "/%s.d", name)) < 0)
                                        return k;
                                break;
                        }
                preset = preset || json_object_is_type(get(u, "enabled"), json_type_boolean);
        }
        return preset ? add_path(r, IGNITION_PRESET_FILE) : 0;
}

static int read_users(struct reader *r, struct json_object *users) {
        for (size_t j = 0; j < array_len(users); j++) {
                struct json_object *u = json_object_array_get_idx(users, j), *exist = get(u, "shouldExist");
                const char *name = get_str(u, "name"), *home = get_str(u, "homeDir");
                if (!name || !name[0] || get_true(u, "noCreateHome") ||
                    (json_object_is_type(exist, json_type_boolean) && !json_object_get_boolean(exist)))
                        continue;
                if (GROW_FOR(r->c->users, r->c->n_users, r->users_allocated, 4) < 0)
                        return -ENOMEM;
                struct ign_user *n = &r->c->users[r->c->n_users++];
                *n = (struct ign_user){.name = strdup(name), .home = home && home[0] == '/' ? strdup(home) : NULL};
                if (!n->name || (home && home[0] == '/' && !n->home))
                        return -ENOMEM;
        }
        return 0;
}

static int read_one(struct reader *r, const char *file, bool warn_missing, struct diags *d) {
        _cleanup_free_ char *text = NULL;
        size_t len;
        int k;

        /* A FIFO or device in its place is refused by name, without
         * blocking (input.c). It is Ignition's own output, as large as the
         * config with its data: URLs, so the raw configs' limit. */
        _cleanup_close_ int fd = input_open(file, file, DIAG_WARNING, d);
        if (fd == -ENOMEM)
                return fd;
        if (fd == -EINVAL)
                return 0;
        if (fd < 0) {
                if (fd != -ENOENT || warn_missing)
                        diags_add(d, DIAG_WARNING, "%s: cannot read: %s", file, strerror(-fd));
                return 0;
        }
        k = input_read_fd(fd, file, IGNITION_MAX_SIZE, DIAG_WARNING, &text, &len, d);
        if (k == -ENOMEM)
                return k;
        if (k == -EINVAL)
                return 0;
        if (k < 0) {
                diags_add(d, DIAG_WARNING, "%s: cannot read: %s", file, strerror(-k));
                return 0;
        }
        json_tokener *tok = json_tokener_new();
        if (!tok)
                return -ENOMEM;
        struct json_object *root = json_tokener_parse_ex(tok, text, (int)len);
        enum json_tokener_error e = json_tokener_get_error(tok);
        json_tokener_free(tok);
        if (e != json_tokener_success || !json_object_is_type(root, json_type_object)) {
                diags_add(d, DIAG_WARNING, "%s: not an Ignition config: %s", file,
                          e != json_tokener_success ? json_tokener_error_desc(e) : "not a JSON object");
                json_object_put(root);
                return 0;
        }
        r->file = file;
        k = push_str(&r->c->files, &r->c->n_files, &r->files_allocated, strdup(file));
        if (k >= 0) {
                r->file = r->c->files[r->c->n_files - 1];
                k = read_storage(r, get(root, "storage"));
        }
        if (k >= 0)
                k = read_units(r, get(get(root, "systemd"), "units"));
        if (k >= 0)
                k = read_users(r, get(get(root, "passwd"), "users"));
        json_object_put(root);
        if (k >= 0)
                r->c->read = true;
        return k;
}

int ignition_cache_read(const char *const *files, size_t n_files, bool warn_missing, struct ignition_cache *c,
                        struct diags *d) {
        struct reader r = {.c = c};

        *c = (struct ignition_cache){0};
        for (size_t i = 0; i < n_files; i++) {
                int k = read_one(&r, files[i], warn_missing, d);
                if (k < 0)
                        return k;
        }
        return 0;
}

void ignition_cache_free(struct ignition_cache *c) {
        for (size_t i = 0; i < c->n_files; i++)
                free(c->files[i]);
        free(c->files);
        for (size_t i = 0; i < c->n_fs; i++) {
                free(c->fs[i].device);
                free(c->fs[i].format);
                free(c->fs[i].path);
        }
        free(c->fs);
        for (size_t i = 0; i < c->n_paths; i++)
                free(c->paths[i]);
        free(c->paths);
        for (size_t i = 0; i < c->n_users; i++) {
                free(c->users[i].name);
                free(c->users[i].home);
        }
        free(c->users);
        *c = (struct ignition_cache){0};
}
