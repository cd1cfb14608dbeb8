/* SPDX-License-Identifier: MIT */
#include "config.h"
#include "check.h"
#include "modules.h"

#include <errno.h>
#include <json-c/json.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "json-locate.h"
#include "lib/fsutil.h"
#include "lib/hint.h"
#include "lib/diag.h"
#include "lib/util.h"


static const char *const block_keys[] = {"mode",  "policy",  "auditDenials", "booleans",
                                         "btrfs", "modules", "permissiveDomains"};

/* Words people reach for from /etc/selinux/config, the kernel command line
 * or other tools, which edit distance alone would not connect. */
static const struct hint_alias key_aliases[] = {
        {"enforce", "mode"},     {"enforcing", "mode"},    {"selinux", "mode"},
        {"state", "mode"},       {"type", "policy"},       {"selinuxtype", "policy"},
        {"policyType", "policy"}, {"audit", "auditDenials"}, {"dontaudit", "auditDenials"},
        {"permissive", "permissiveDomains"}, {"permissiveTypes", "permissiveDomains"}, {"module", "modules"},
};

static const struct hint_alias mode_aliases[] = {
        {"enforce", "enforcing"}, {"enforced", "enforcing"}, {"permit", "permissive"},
        {"disable", "disabled"},  {"off", "disabled"},
};

void se_config_init(struct se_config *c) { *c = (struct se_config){.audit_denials = -1, .btrfs_fatal = -1}; }

static void booleans_free(struct se_boolean *b, size_t n) {
        for (size_t i = 0; i < n; i++) {
                free(b[i].name);
                free(b[i].origin);
        }
        free(b);
}

void se_config_free(struct se_config *c) {
        booleans_free(c->booleans, c->n_booleans);
        modules_free(c->modules, c->n_modules);
        strv_free(c->permissive, c->n_permissive);
        strv_free(c->permissive_origins, c->n_permissive);
        free(c->permissive_origin);
        free(c->policy);
        free(c->mode_origin);
        free(c->policy_origin);
        free(c->audit_origin);
        free(c->btrfs_origin);
        se_config_init(c);
}

bool policy_name_valid(const char *s) {
        size_t n;

        if (!s)
                return false;
        n = strlen(s);
        if (n == 0 || n > 255 || streq(s, ".") || streq(s, ".."))
                return false;
        /* it becomes a directory name and a SELINUXTYPE= value: no spaces */
        for (size_t i = 0; i < n; i++)
                if (s[i] == '/' || (unsigned char)s[i] < 0x21 || (unsigned char)s[i] > 0x7e)
                        return false;
        return true;
}

static int syntax_error(struct diags *d, const char *name, const char *text, size_t len,
                        size_t off, const char *what) {
        unsigned line, col;

        jl_line_col(text, len, off, &line, &col);
        if (diags_add(d, DIAG_ERROR, "%s:%u:%u: $: %s", name, line, col, what) < 0)
                return -ENOMEM;
        return -EINVAL;
}

static int invalid_json(struct diags *d, const char *name, const char *text, size_t len,
                        size_t off, const char *what) {
        _cleanup_free_ char *msg = NULL;

        if (asprintf(&msg, "invalid JSON: %s", what) < 0)
                return -ENOMEM;
        return syntax_error(d, name, text, len, off, msg);
}

static void tokener_freep(struct json_tokener **t) {
        if (*t)
                json_tokener_free(*t);
}

static void json_putp(struct json_object **o) {
        if (*o)
                json_object_put(*o);
}

int config_check_syntax(const char *name, const char *text, size_t len, size_t max, struct diags *d) {
        const char *nul, *msg;
        size_t off = 0;

        if (len > max)
                return diags_add(d, DIAG_ERROR, "%s: input is too large (%zu bytes, at most %zu)", name, len,
                                 max) < 0
                               ? -ENOMEM
                               : -EINVAL;
        if (!text)
                len = 0;
        /* json-c would stop at a NUL and call the rest trailing garbage */
        nul = len ? memchr(text, '\0', len) : NULL;
        if (nul)
                return invalid_json(d, name, text, len, (size_t)(nul - text), "NUL byte in input");
        /* editors on other systems add it; JSON (RFC 8259) forbids it */
        if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
                return invalid_json(d, name, text, len, 0, "byte order mark (U+FEFF) at the start");
        off = jl_utf8_invalid_at(text, len);
        if (off < len)
                return invalid_json(d, name, text, len, off, "invalid UTF-8");
        off = 0;
        while (off < len && strchr(" \t\r\n", text[off]))
                off++;
        if (off == len)
                return syntax_error(d, name, text, len, off, "empty input, expected a JSON object");
        /* Our own checker, not json-c: it allocates nothing, where json-c
         * builds every value of the text (some 700 bytes for each "{}" of
         * an Ignition config, which may hold millions); json-c is only
         * given the selinux block (parse_block()). */
        if (jl_check_syntax(text, len, &off, &msg) < 0)
                return invalid_json(d, name, text, len, off, msg);
        return 0;
}

/* json-c's tree of the block at `off`, after checking that it is small
 * enough for json-c: some 700 bytes per object, 70 per other value. */
static struct json_object *parse_block(struct check *c, size_t off) {
        _cleanup_(tokener_freep) struct json_tokener *tok = NULL;
        struct json_object *obj;
        size_t end, values, containers;
        enum json_tokener_error jerr;

        if (jl_value_end(c->text, c->len, off, &end) < 0 ||
            jl_count_values(c->text, c->len, off, &values, &containers) < 0) {
                check_problem(c, off, "$: invalid JSON");
                return NULL;
        }
        if (values > BLOCK_MAX_VALUES || containers > BLOCK_MAX_CONTAINERS) {
                check_problem(c, off,
                              "$.selinux: expected at most %u values, %u of them objects or arrays, got %zu "
                              "values, %zu objects or arrays",
                              BLOCK_MAX_VALUES, BLOCK_MAX_CONTAINERS, values, containers);
                return NULL;
        }
        tok = json_tokener_new_ex(JL_MAX_DEPTH);
        if (!tok) {
                c->error = -ENOMEM;
                return NULL;
        }
        json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
        obj = json_tokener_parse_ex(tok, c->text + off, (int)(end - off));
        jerr = json_tokener_get_error(tok);
        if (jerr == json_tokener_continue) {
                /* A bare number or literal at the end of its input: a NUL
                 * ends it. */
                obj = json_tokener_parse_ex(tok, "", 1);
                jerr = json_tokener_get_error(tok);
        }
        if (jerr != json_tokener_success) {
                /* not expected after jl_check_syntax(); json-c's word then */
                check_problem(c, off + json_tokener_get_parse_end(tok), "$: invalid JSON: %s",
                              json_tokener_error_desc(jerr));
                json_object_put(obj);
                return NULL;
        }
        return obj;
}

bool boolean_name_valid(const char *s) {
        size_t n = s ? strlen(s) : 0;

        if (n == 0 || n > 255)
                return false;
        for (size_t i = 0; i < n; i++)
                if (!(s[i] == '_' || (s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
                      (s[i] >= '0' && s[i] <= '9')))
                        return false;
        return true;
}

static void check_mode(struct check *c, struct json_object *v, struct se_config *tmp) {
        const struct jl_step at[] = {JL_KEY("selinux"), JL_KEY("mode")};
        size_t off = check_pos(c, at, 2, false);
        const char *s = check_string(v);
        char got[GOT_SIZE], hint[96];

        if (json_object_is_type(v, json_type_null))
                return;
        tmp->mode = se_mode_from_string(s);
        if (tmp->mode != SE_MODE_UNSET) {
                tmp->mode_origin = check_origin(c, off);
                if (!tmp->mode_origin)
                        c->error = -ENOMEM;
                return;
        }
        const char *const modes[] = {se_mode_to_string(SE_MODE_ENFORCING), se_mode_to_string(SE_MODE_PERMISSIVE),
                                     se_mode_to_string(SE_MODE_DISABLED)};
        check_describe(c, v, off, true, got, sizeof(got));
        check_hint(hint, sizeof(hint),
                    hint_closest_ex(s, modes, ELEMENTSOF(modes), mode_aliases,
                                    ELEMENTSOF(mode_aliases)));
        check_problem(c, off,
                "$.selinux.mode: expected one of \"enforcing\", \"permissive\", \"disabled\", "
                "got %s%s",
                got, hint);
}

static void check_policy(struct check *c, struct json_object *v, struct se_config *tmp) {
        const struct jl_step at[] = {JL_KEY("selinux"), JL_KEY("policy")};
        size_t off = check_pos(c, at, 2, false);
        const char *s = check_string(v);

        if (json_object_is_type(v, json_type_null))
                return;
        if (s && policy_name_valid(s)) {
                tmp->policy = strdup(s);
                tmp->policy_origin = check_origin(c, off);
                if (!tmp->policy || !tmp->policy_origin)
                        c->error = -ENOMEM;
                return;
        }
        check_problem_got(c, v, off, true,
                          "$.selinux.policy: expected a policy name (1 to 255 printable ASCII characters, no spaces "
                          "or control characters, no \"/\", not \".\" or \"..\")");
}

static void check_audit(struct check *c, struct json_object *v, struct se_config *tmp) {
        const struct jl_step at[] = {JL_KEY("selinux"), JL_KEY("auditDenials")};
        size_t off = check_pos(c, at, 2, false);
        const char *s = check_string(v);
        char got[GOT_SIZE];

        if (json_object_is_type(v, json_type_null))
                return;
        if (json_object_is_type(v, json_type_boolean)) {
                tmp->audit_denials = json_object_get_boolean(v) ? 1 : 0;
                tmp->audit_origin = check_origin(c, off);
                if (!tmp->audit_origin)
                        c->error = -ENOMEM;
                return;
        }
        check_describe(c, v, off, false, got, sizeof(got));
        if (s && (strcasecmp(s, "true") == 0 || strcasecmp(s, "false") == 0))
                check_problem(c, off,
                        "$.selinux.auditDenials: expected a boolean, got %s (did you mean %s, "
                        "without quotes?)",
                        got, strcasecmp(s, "true") == 0 ? "true" : "false");
        else
                check_problem(c, off, "$.selinux.auditDenials: expected a boolean, got %s", got);
}

static void add_boolean(struct check *c, struct se_config *tmp, size_t *allocated, const char *name, int value,
                        size_t off) {
        /* doubling: growing by one each time may copy the array each time */
        if (GROW_FOR(tmp->booleans, tmp->n_booleans, *allocated, 16) < 0) {
                c->error = -ENOMEM;
                return;
        }
        struct se_boolean *nb = tmp->booleans;
        nb[tmp->n_booleans] = (struct se_boolean){.name = strdup(name), .value = value, .origin = check_origin(c, off)};
        if (!nb[tmp->n_booleans].name || !nb[tmp->n_booleans].origin) {
                free(nb[tmp->n_booleans].name);
                free(nb[tmp->n_booleans].origin);
                c->error = -ENOMEM;
                return;
        }
        tmp->n_booleans++;
}

static void check_booleans(struct check *c, struct json_object *v, struct se_config *tmp) {
        const struct jl_step at[] = {JL_KEY("selinux"), JL_KEY("booleans")};
        size_t allocated = 0;

        if (json_object_is_type(v, json_type_null))
                return;
        if (!json_object_is_type(v, json_type_object)) {
                size_t off = check_pos(c, at, 2, false);
                check_problem_got(c, v, off, false,
                            "$.selinux.booleans: expected an object of boolean names and true/false");
                return;
        }
        json_object_object_foreach(v, key, val) {
                const struct jl_step kat[] = {JL_KEY("selinux"), JL_KEY("booleans"), JL_KEY(key)};
                _cleanup_free_ char *path = jl_path_key("$.selinux.booleans", key, strlen(key));
                if (!path) {
                        c->error = -ENOMEM;
                        return;
                }
                if (!boolean_name_valid(key)) {
                        /* shown as any string is: cut, escaped */
                        char got[GOT_SIZE];
                        diag_quote(got, sizeof(got), key, strlen(key), GOT_MAX_CHARS);
                        check_problem(c, check_pos(c, kat, 3, true),
                                      "%s: expected a boolean name (1 to 255 letters, digits and _), got %s", path, got);
                        continue;
                }
                size_t off = check_pos(c, kat, 3, false);
                if (json_object_is_type(val, json_type_boolean)) {
                        add_boolean(c, tmp, &allocated, key, json_object_get_boolean(val) ? 1 : 0, off);
                        continue;
                }
                if (json_object_is_type(val, json_type_null))
                        continue;
                check_problem_got(c, val, off, false, "%s: expected true or false", path);
        }
}

static void check_btrfs(struct check *c, struct json_object *v, struct se_config *tmp) {
        const struct jl_step at[] = {JL_KEY("selinux"), JL_KEY("btrfs")};
        size_t off = check_pos(c, at, 2, false);
        const char *s = check_string(v);

        if (json_object_is_type(v, json_type_null))
                return;
        if (s && (streq(s, "warn") || streq(s, "fail"))) {
                tmp->btrfs_fatal = streq(s, "fail");
                tmp->btrfs_origin = check_origin(c, off);
                if (!tmp->btrfs_origin)
                        c->error = -ENOMEM;
                return;
        }
        check_problem_got(c, v, off, true, "$.selinux.btrfs: expected one of \"warn\", \"fail\"");
}

static void check_block(struct check *c, struct json_object *sel, struct se_config *tmp) {
        const struct jl_step at[] = {JL_KEY("selinux")};
        char hint[96];

        if (!json_object_is_type(sel, json_type_object)) {
                size_t off = check_pos(c, at, 1, false);
                check_problem_got(c, sel, off, false, "$.selinux: expected an object");
                return;
        }
        json_object_object_foreach(sel, key, v) {
                if (streq(key, "mode")) {
                        check_mode(c, v, tmp);
                } else if (streq(key, "policy")) {
                        check_policy(c, v, tmp);
                } else if (streq(key, "auditDenials")) {
                        check_audit(c, v, tmp);
                } else if (streq(key, "booleans")) {
                        check_booleans(c, v, tmp);
                } else if (streq(key, "btrfs")) {
                        check_btrfs(c, v, tmp);
                } else if (streq(key, "modules")) {
                        check_modules(c, v, tmp);
                } else if (streq(key, "permissiveDomains")) {
                        check_permissive(c, v, tmp);
                } else {
                        const struct jl_step kat[] = {JL_KEY("selinux"), JL_KEY(key)};
                        _cleanup_free_ char *path = jl_path_key("$.selinux", key, strlen(key));
                        if (!path) {
                                c->error = -ENOMEM;
                                return;
                        }
                        check_hint(hint, sizeof(hint),
                                    hint_closest_ex(key, block_keys, ELEMENTSOF(block_keys),
                                                    key_aliases, ELEMENTSOF(key_aliases)));
                        check_problem(c, check_pos(c, kat, 2, true),
                                "%s: unknown key, expected one of \"mode\", \"policy\", "
                                "\"auditDenials\", \"booleans\", \"btrfs\", \"modules\", \"permissiveDomains\"%s",
                                path, hint);
                }
        }
}

/* Checks the top level. Sets *sel_off to the value of the `selinux` key
 * (the last one, as json-c would keep) and returns whether there is one. */
static bool check_top(struct check *c, size_t root_off, size_t *sel_off) {
        static const char *const top_keys[] = {"selinux"};
        const struct jl_member *m;
        struct jl_loc loc;
        size_t n;
        char hint[96];
        int r;

        if (c->text[root_off] != '{') {
                char got[GOT_SIZE];
                check_describe_at(c, root_off, false, got, sizeof(got));
                check_problem(c, root_off, "$: expected an object, got %s", got);
                return false;
        }
        if (c->kind == CONFIG_KIND_BLOCK_FILE) {
                r = jl_doc_members(c->doc, root_off, &m, &n);
                if (r == -ENOMEM)
                        c->error = r;
                if (r < 0)
                        return false;
                for (size_t i = 0; i < n; i++) {
                        /* each key once, where json-c keeps it */
                        if (!m[i].last || (m[i].keylen == 7 && streq(m[i].key, "selinux")))
                                continue;
                        _cleanup_free_ char *path = jl_path_key("$", m[i].key, m[i].keylen);
                        if (!path) {
                                c->error = -ENOMEM;
                                return false;
                        }
                        check_hint(hint, sizeof(hint), hint_closest(m[i].key, top_keys, 1));
                        check_problem(c, m[i].key_off, "%s: unknown key, expected \"selinux\"%s", path, hint);
                }
        }
        r = jl_doc_member(c->doc, root_off, "selinux", &loc);
        if (r == -ENOMEM)
                c->error = r;
        if (r < 0)
                return false;
        *sel_off = loc.value_off;
        return true;
}

struct dup_filter {
        struct check *c;
        bool top;
};

static int on_duplicate(const char *path, size_t first_off, size_t dup_off, void *userdata) {
        struct dup_filter *f = userdata;
        unsigned line, col;

        /* at the top of an Ignition config only our own key is our business */
        if (f->top && f->c->kind == CONFIG_KIND_IGNITION && !streq(path, "$.selinux"))
                return 0;
        jl_doc_line_col(f->c->doc, first_off, &line, &col);
        check_problem(f->c, dup_off, "%s: duplicate key (first at %u:%u)", path, line, col);
        return 0;
}

static void check_duplicates(struct check *c, bool has_selinux_key) {
        const struct jl_step at[] = {JL_KEY("selinux")};
        struct dup_filter f = {.c = c, .top = true};
        int r;

        r = jl_find_duplicates(c->text, c->len, NULL, 0, false, on_duplicate, &f);
        if (r == 0 && has_selinux_key) {
                f.top = false;
                r = jl_find_duplicates(c->text, c->len, at, 1, true, on_duplicate, &f);
        }
        if (r == -ENOMEM)
                c->error = r;
}

static int cmp_boolean_index(const void *a, const void *b, void *arg) {
        const struct se_boolean *v = arg;
        return strcmp(v[*(const size_t *)a].name, v[*(const size_t *)b].name);
}

/* Room in cfg for tmp's booleans and an index of cfg's names sorted, made
 * before anything is merged so that merging cannot fail half way. Sorting
 * once makes the merge n log n where a search per name was quadratic. */
static int booleans_prepare(struct se_config *cfg, const struct se_config *tmp, size_t **idx) {
        struct se_boolean *nb;
        size_t n = cfg->n_booleans;

        *idx = NULL;
        if (!tmp->n_booleans)
                return 0;
        nb = reallocarray(cfg->booleans, n + tmp->n_booleans, sizeof(*nb));
        if (!nb)
                return -ENOMEM;
        cfg->booleans = nb;
        *idx = malloc((n ? n : 1) * sizeof(**idx));
        if (!*idx)
                return -ENOMEM;
        for (size_t i = 0; i < n; i++)
                (*idx)[i] = i;
        qsort_r(*idx, n, sizeof(**idx), cmp_boolean_index, cfg->booleans);
        return 0;
}

/* Moves tmp's booleans into cfg, later wins by name; cfg keeps its order
 * (first declared first). */
static void merge_booleans(struct se_config *cfg, struct se_config *tmp, const size_t *idx) {
        size_t n = cfg->n_booleans;

        for (size_t i = 0; i < tmp->n_booleans; i++) {
                struct se_boolean *b = &tmp->booleans[i], *dst = NULL;
                size_t lo = 0, hi = n;
                while (lo < hi) {
                        size_t mid = lo + (hi - lo) / 2;
                        int k = strcmp(cfg->booleans[idx[mid]].name, b->name);
                        if (k == 0) {
                                dst = &cfg->booleans[idx[mid]];
                                break;
                        }
                        if (k < 0)
                                lo = mid + 1;
                        else
                                hi = mid;
                }
                if (!dst) {
                        /* a source names each boolean once (json-c keeps
                         * one of each key), so new names cannot collide */
                        dst = &cfg->booleans[cfg->n_booleans++];
                        *dst = (struct se_boolean){0};
                }
                free(dst->name);
                free(dst->origin);
                *dst = *b;
                *b = (struct se_boolean){0};
        }
}

static void merge(struct se_config *cfg, struct se_config *tmp) {
        if (tmp->mode != SE_MODE_UNSET) {
                cfg->mode = tmp->mode;
                free(cfg->mode_origin);
                cfg->mode_origin = TAKE_PTR(tmp->mode_origin);
        }
        if (tmp->policy) {
                free(cfg->policy);
                free(cfg->policy_origin);
                cfg->policy = TAKE_PTR(tmp->policy);
                cfg->policy_origin = TAKE_PTR(tmp->policy_origin);
        }
        if (tmp->btrfs_fatal >= 0) {
                cfg->btrfs_fatal = tmp->btrfs_fatal;
                free(cfg->btrfs_origin);
                cfg->btrfs_origin = TAKE_PTR(tmp->btrfs_origin);
        }
        if (tmp->audit_denials >= 0) {
                cfg->audit_denials = tmp->audit_denials;
                free(cfg->audit_origin);
                cfg->audit_origin = TAKE_PTR(tmp->audit_origin);
        }
        cfg->found = true;
}

static void jl_doc_freep(struct jl_doc **d) { jl_doc_free(*d); }

int config_parse(const char *name, const char *text, size_t len, enum config_kind kind,
                 struct se_config *cfg, bool *found, struct diags *d) {
        _cleanup_(json_putp) struct json_object *sel = NULL;
        _cleanup_(jl_doc_freep) struct jl_doc *doc = NULL;
        struct check c = {.name = name, .text = text, .len = len, .kind = kind};
        size_t root_off = 0, sel_off = 0;
        struct se_config tmp;
        bool has_key, block = false;
        int r;

        if (found)
                *found = false;
        r = config_check_syntax(name, text, len, kind == CONFIG_KIND_BLOCK_FILE ? CONFIG_MAX_SIZE : IGNITION_MAX_SIZE,
                                d);
        if (r < 0)
                return r;
        r = jl_doc_new(text, len, &doc);
        if (r < 0)
                return r;
        c.doc = doc;
        while (strchr(" \t\r\n", text[root_off]))
                root_off++;

        se_config_init(&tmp);
        has_key = check_top(&c, root_off, &sel_off);
        /* "selinux": null is an unset block, as null is for every key */
        if (has_key && !(text[sel_off] == 'n')) {
                sel = parse_block(&c, sel_off);
                block = true;
        }
        if (sel)
                check_block(&c, sel, &tmp);
        check_duplicates(&c, has_key);
        r = check_flush(&c, d);
        if (found)
                *found = block;
        _cleanup_free_ size_t *idx = NULL;
        if (r == 0 && block)
                r = booleans_prepare(cfg, &tmp, &idx);
        if (r == 0 && block)
                r = merge_modules(cfg, &tmp);
        if (r == 0 && block) {
                merge_booleans(cfg, &tmp, idx);
                merge(cfg, &tmp);
        }
        se_config_free(&tmp);
        return r;
}

int config_parse_fd(int fd, const char *name, enum config_kind kind, struct se_config *cfg,
                    bool *found, struct diags *d) {
        _cleanup_free_ char *buf = NULL;
        size_t len;
        int r;

        if (found)
                *found = false;
        r = config_read_fd(fd, name, kind == CONFIG_KIND_BLOCK_FILE ? CONFIG_MAX_SIZE : IGNITION_MAX_SIZE, &buf,
                           &len, d);
        if (r < 0)
                return r;
        return config_parse(name, buf, len, kind, cfg, found, d);
}
