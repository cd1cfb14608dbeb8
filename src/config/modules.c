/* SPDX-License-Identifier: MIT */
/* The "modules" and "permissiveDomains" keys of the selinux block. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dataurl.h"
#include "modules.h"
#include "lib/hint.h"
#include "lib/util.h"

static const char *const module_keys[] = {"name", "cil", "source", "priority", "remove"};

bool module_name_valid(const char *s) {
        size_t n = s ? strlen(s) : 0;

        if (n == 0 || n > 255 || !((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z')))
                return false;
        for (size_t i = 1; i < n; i++) {
                char ch = s[i];
                bool word = ch == '_' || ch == '-' || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                            (ch >= '0' && ch <= '9');
                /* a dot only between two other characters, never doubled */
                if (ch == '.' && i + 1 < n && s[i + 1] != '.')
                        continue;
                if (!word)
                        return false;
        }
        return true;
}

bool type_name_valid(const char *s) {
        size_t n = s ? strlen(s) : 0;

        if (n == 0 || n > 255 || s[0] == '.' || s[0] == '-')
                return false;
        for (size_t i = 0; i < n; i++)
                if (!(s[i] == '_' || s[i] == '.' || s[i] == '-' || (s[i] >= 'a' && s[i] <= 'z') ||
                      (s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9')))
                        return false;
        return true;
}

void modules_free(struct se_module *m, size_t n) {
        for (size_t i = 0; i < n; i++) {
                free(m[i].name);
                free(m[i].cil);
                free(m[i].origin);
                free(m[i].jpath);
        }
        free(m);
}

/* The CIL of a "source": only data: URLs, since nothing is fetched here. */
static void module_source(struct check *c, struct json_object *v, const char *path, size_t off, struct se_module *m) {
        const char *url = check_string(v);
        int r;

        if (!url) {
                check_problem_got(c, v, off, false, "%s.source: expected a data: URL", path);
                return;
        }
        free(m->cil); /* "cil" given too: an error below, but no leak */
        m->cil = NULL;
        r = dataurl_decode(url, &m->cil, &m->cil_len);
        if (r == -ENOMEM) {
                c->error = r;
                return;
        }
        if (r < 0) {
                check_problem_got(c, v, off, true, "%s.source: expected %s", path,
                            r == -EPROTONOSUPPORT ? "a data: URL (the initramfs fetches nothing; put remote modules "
                                                    "in the cil key or a data: URL)"
                                                  : "a well-formed data: URL");
                return;
        }
        if (memchr(m->cil, '\0', m->cil_len)) {
                check_problem(c, off, "%s.source: expected CIL text, got data holding a NUL byte", path);
                free(m->cil);
                m->cil = NULL;
        }
}

/* One element of "modules"; on success it is appended to tmp and its
 * offset to *offs. */
static void check_module(struct check *c, struct json_object *v, size_t i, struct se_config *tmp, size_t *offs) {
        const struct jl_step at[] = {JL_KEY("selinux"), JL_KEY("modules"), JL_INDEX(i)};
        _cleanup_free_ char *path = jl_path_index("$.selinux.modules", i);
        struct se_module m = {.priority = MODULE_PRIORITY_DEFAULT};
        size_t obj_off = check_pos(c, at, 3, false), before = check_count(c);
        bool has_cil = false, has_source = false;
        char hint[96];

        if (!path) {
                c->error = -ENOMEM;
                return;
        }
        if (!json_object_is_type(v, json_type_object)) {
                check_problem_got(c, v, obj_off, false, "%s: expected a module object ({\"name\": ..., \"cil\": ...})", path);
                return;
        }
        json_object_object_foreach(v, key, val) {
                const struct jl_step kat[] = {JL_KEY("selinux"), JL_KEY("modules"), JL_INDEX(i), JL_KEY(key)};
                size_t off = check_pos(c, kat, 4, false);
                const char *s = check_string(val);

                if (json_object_is_type(val, json_type_null))
                        continue;
                if (streq(key, "name")) {
                        if (s && module_name_valid(s)) {
                                m.name = strdup(s);
                                if (!m.name)
                                        c->error = -ENOMEM;
                                continue;
                        }
                        check_problem_got(c, val, off, false,
                                    "%s.name: expected a module name (a letter, then letters, digits, _, - and single dots)",
                                    path);
                } else if (streq(key, "cil")) {
                        has_cil = true;
                        if (s && *s) {
                                free(m.cil);
                                m.cil = strdup(s);
                                m.cil_len = strlen(s);
                                if (!m.cil)
                                        c->error = -ENOMEM;
                                continue;
                        }
                        check_problem_got(c, val, off, false, "%s.cil: expected CIL text", path);
                } else if (streq(key, "source")) {
                        has_source = true;
                        module_source(c, val, path, off, &m);
                } else if (streq(key, "priority")) {
                        int64_t p = json_object_get_int64(val);
                        if (json_object_is_type(val, json_type_int) && p >= 1 && p <= 999) {
                                m.priority = (int)p;
                                continue;
                        }
                        check_problem_got(c, val, off, false, "%s.priority: expected an integer from 1 to 999", path);
                } else if (streq(key, "remove")) {
                        if (json_object_is_type(val, json_type_boolean)) {
                                m.remove = json_object_get_boolean(val);
                                continue;
                        }
                        check_problem_got(c, val, off, false, "%s.remove: expected true or false", path);
                } else {
                        _cleanup_free_ char *kpath = jl_path_key(path, key, strlen(key));
                        if (!kpath) {
                                c->error = -ENOMEM;
                                break;
                        }
                        check_hint(hint, sizeof(hint), hint_closest(key, module_keys, ELEMENTSOF(module_keys)));
                        check_problem(c, check_pos(c, kat, 4, true),
                                "%s: unknown key, expected one of \"name\", \"cil\", \"source\", \"priority\", "
                                "\"remove\"%s", kpath, hint);
                }
        }
        if (check_count(c) == before) {
                if (!m.name && !json_object_object_get_ex(v, "name", NULL))
                        check_problem(c, obj_off, "%s: expected a \"name\" key", path);
                else if (has_cil && has_source)
                        check_problem(c, obj_off, "%s: expected one of \"cil\" and \"source\", got both", path);
                else if (m.remove && (has_cil || has_source))
                        check_problem(c, obj_off, "%s: a module with \"remove\": true takes no \"cil\" or \"source\"", path);
                else if (!m.remove && !m.cil)
                        check_problem(c, obj_off, "%s: expected \"cil\" or \"source\" (or \"remove\": true)", path);
        }
        /* a name declared twice is found by check_modules() once all are in */
        if (check_count(c) == before && !c->error) {
                m.origin = check_origin(c, obj_off);
                m.jpath = TAKE_PTR(path);
                struct se_module *nm = m.origin ? reallocarray(tmp->modules, tmp->n_modules + 1, sizeof(*nm)) : NULL;
                if (nm) {
                        tmp->modules = nm;
                        offs[tmp->n_modules] = obj_off;
                        tmp->modules[tmp->n_modules++] = m;
                        return;
                }
                c->error = -ENOMEM;
        }
        free(m.name);
        free(m.cil);
        free(m.origin);
        free(m.jpath);
}

struct named {
        const char *name;
        size_t i; /* position in the list */
};

static int cmp_named(const void *a, const void *b) {
        const struct named *x = a, *y = b;
        int k = strcmp(x->name, y->name);
        return k ? k : (x->i > y->i) - (x->i < y->i);
}

/* Names sorted with their positions, for finding repeats and matches in
 * n log n (a search per name was quadratic). NULL on ENOMEM. */
static struct named *sorted_names(const struct se_module *m, size_t n) {
        struct named *s = malloc((n ? n : 1) * sizeof(*s));

        if (!s)
                return NULL;
        for (size_t i = 0; i < n; i++)
                s[i] = (struct named){.name = m[i].name, .i = i};
        qsort(s, n, sizeof(*s), cmp_named);
        return s;
}

void check_modules(struct check *c, struct json_object *v, struct se_config *tmp) {
        const struct jl_step at[] = {JL_KEY("selinux"), JL_KEY("modules")};
        _cleanup_free_ size_t *offs = NULL;
        _cleanup_free_ struct named *s = NULL;
        size_t n;

        if (json_object_is_type(v, json_type_null))
                return;
        if (!json_object_is_type(v, json_type_array)) {
                size_t off = check_pos(c, at, 2, false);
                check_problem_got(c, v, off, false,
                            "$.selinux.modules: expected an array of modules ({\"name\": ..., \"cil\": ...})");
                return;
        }
        n = json_object_array_length(v);
        offs = malloc((n ? n : 1) * sizeof(*offs));
        if (!offs) {
                c->error = -ENOMEM;
                return;
        }
        for (size_t i = 0; i < n && !c->error; i++)
                check_module(c, json_object_array_get_idx(v, i), i, tmp, offs);
        if (c->error)
                return;
        /* each name once: every later declaration is a problem */
        s = sorted_names(tmp->modules, tmp->n_modules);
        if (!s) {
                c->error = -ENOMEM;
                return;
        }
        for (size_t k = 1; k < tmp->n_modules; k++) {
                size_t first = k - 1;
                while (k < tmp->n_modules && streq(s[k].name, s[first].name)) {
                        const struct se_module *m = &tmp->modules[s[k].i];
                        check_problem(c, offs[s[k].i], "%s: module \"%s\" is declared twice (first at %s)", m->jpath,
                                      m->name, tmp->modules[s[first].i].origin + strlen(c->name) + 1);
                        k++;
                }
        }
}

struct perm {
        char *name, *origin;
        size_t i;
};

static int cmp_perm(const void *a, const void *b) {
        const struct perm *x = a, *y = b;
        int k = strcmp(x->name, y->name);
        return k ? k : (x->i > y->i) - (x->i < y->i);
}

void check_permissive(struct check *c, struct json_object *v, struct se_config *tmp) {
        const struct jl_step at[] = {JL_KEY("selinux"), JL_KEY("permissiveDomains")};
        _cleanup_free_ struct perm *p = NULL;
        size_t off = check_pos(c, at, 2, false), n, k = 0, before = check_count(c);

        if (json_object_is_type(v, json_type_null))
                return;
        if (!json_object_is_type(v, json_type_array)) {
                check_problem_got(c, v, off, false, "$.selinux.permissiveDomains: expected an array of type names");
                return;
        }
        n = json_object_array_length(v);
        p = calloc(n ? n : 1, sizeof(*p));
        tmp->permissive = calloc(n ? n : 1, sizeof(char *));
        tmp->permissive_origins = calloc(n ? n : 1, sizeof(char *));
        tmp->permissive_origin = check_origin(c, off);
        if (!p || !tmp->permissive || !tmp->permissive_origins || !tmp->permissive_origin) {
                c->error = -ENOMEM;
                return;
        }
        for (size_t i = 0; i < n && !c->error; i++) {
                const struct jl_step iat[] = {JL_KEY("selinux"), JL_KEY("permissiveDomains"), JL_INDEX(i)};
                struct json_object *e = json_object_array_get_idx(v, i);
                const char *s = check_string(e);
                size_t eoff = check_pos(c, iat, 3, false);
                if (s && type_name_valid(s)) {
                        p[k] = (struct perm){.name = strdup(s), .origin = check_origin(c, eoff), .i = i};
                        if (!p[k].name || !p[k].origin)
                                c->error = -ENOMEM;
                        k++;
                        continue;
                }
                check_problem_got(c, e, eoff, false,
                            "$.selinux.permissiveDomains[%zu]: expected a type name (letters, digits, _, . and -)", i);
        }
        /* sorted, each once, with the origin of its first mention */
        if (check_count(c) == before && !c->error)
                qsort(p, k, sizeof(*p), cmp_perm);
        for (size_t i = 0; i < k; i++) {
                if (check_count(c) != before || c->error ||
                    (tmp->n_permissive > 0 && streq(tmp->permissive[tmp->n_permissive - 1], p[i].name))) {
                        free(p[i].name);
                        free(p[i].origin);
                        continue;
                }
                tmp->permissive[tmp->n_permissive] = p[i].name;
                tmp->permissive_origins[tmp->n_permissive++] = p[i].origin;
        }
}

int merge_modules(struct se_config *cfg, struct se_config *tmp) {
        _cleanup_free_ struct named *s = NULL;
        _cleanup_free_ size_t *dst = NULL;
        size_t added = 0, n = cfg->n_modules;

        if (tmp->n_modules) {
                /* cfg's names sorted once, each of tmp's found by binary
                 * search: where it goes, decided before anything moves */
                s = sorted_names(cfg->modules, n);
                dst = malloc(tmp->n_modules * sizeof(*dst));
                if (!s || !dst)
                        return -ENOMEM;
                for (size_t i = 0; i < tmp->n_modules; i++) {
                        size_t lo = 0, hi = n;
                        dst[i] = SIZE_MAX;
                        while (lo < hi) {
                                size_t mid = lo + (hi - lo) / 2;
                                int k = strcmp(s[mid].name, tmp->modules[i].name);
                                if (k == 0) {
                                        dst[i] = s[mid].i;
                                        break;
                                }
                                if (k < 0)
                                        lo = mid + 1;
                                else
                                        hi = mid;
                        }
                        /* a source names each module once (check_modules) */
                        if (dst[i] == SIZE_MAX)
                                dst[i] = n + added++;
                }
        }
        if (added) {
                struct se_module *nm = reallocarray(cfg->modules, n + added, sizeof(*nm));
                if (!nm)
                        return -ENOMEM;
                cfg->modules = nm;
        }
        for (size_t i = 0; i < tmp->n_modules; i++) {
                struct se_module *d = &cfg->modules[dst[i]];
                if (dst[i] < n) {
                        free(d->name);
                        free(d->cil);
                        free(d->origin);
                        free(d->jpath);
                }
                *d = tmp->modules[i];
                tmp->modules[i] = (struct se_module){0};
        }
        cfg->n_modules = n + added;
        if (tmp->permissive) {
                strv_free(cfg->permissive, cfg->n_permissive);
                strv_free(cfg->permissive_origins, cfg->n_permissive);
                free(cfg->permissive_origin);
                cfg->permissive = TAKE_PTR(tmp->permissive);
                cfg->permissive_origins = TAKE_PTR(tmp->permissive_origins);
                cfg->n_permissive = tmp->n_permissive;
                cfg->permissive_origin = TAKE_PTR(tmp->permissive_origin);
                tmp->n_permissive = 0;
        }
        return 0;
}
