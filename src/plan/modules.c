/* SPDX-License-Identifier: MIT */
/* The planner's part for policy modules: which modules the store needs
 * changed, and how a libsemanage rebuild takes the place of the edits of
 * the binary policy that the rest of the plan would make. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "steps.h"
#include "lib/hint.h"
#include "lib/log.h"
#include "lib/util.h"
#include "selinux/selinux.h"

static int add_op(struct plan *p, const char *name, int priority, const char *cil, size_t len, bool enable,
                  const char *origin) {
        if (GROW_FOR(p->ops, p->n_ops, p->allocated_ops, 16) < 0)
                return -ENOMEM;
        struct module_op *op = &p->ops[p->n_ops];
        *op = (struct module_op){.priority = priority, .len = len, .enable = enable};
        op->name = strdup(name);
        op->origin = strdup(origin);
        op->cil = cil ? malloc(len + 1) : NULL;
        if (!op->name || !op->origin || (cil && !op->cil)) {
                free(op->name);
                free(op->origin);
                free(op->cil);
                return -ENOMEM;
        }
        if (cil) {
                memcpy(op->cil, cil, len);
                op->cil[len] = 0;
        }
        p->n_ops++;
        return 0;
}

/* Whether the store lacks module `name` as `cil` at `priority` (a later run
 * finds it there and plans nothing); *disabled if `semodule -d` disabled it. */
static int module_differs(const struct plan_input *in, struct plan *p, const char *name, int priority,
                          const char *cil, size_t len, bool *disabled) {
        _cleanup_free_ char *cur = NULL;
        size_t cur_len;
        int r;

        r = store_module_cil(in->rootfd, p->type, priority, name, &cur, &cur_len);
        if (r < 0 && r != -ENOENT && r != -EMEDIUMTYPE && r != -EBADMSG)
                return log_errno(r, "Failed to read module %s from the store of %s%s", name, in->root_display,
                                 p->type);
        *disabled = store_module_disabled(in->rootfd, p->type, name);
        return !(r == 0 && !*disabled && cur_len == len && memcmp(cur, cil, len) == 0);
}

/* One module the config wants installed: checked, then planned if the
 * store does not hold it already. */
static int want_module(const struct plan_input *in, struct plan *p, struct diags *d, const char *name, int priority,
                       const char *cil, size_t len, const char *origin) {
        _cleanup_free_ char *msg = NULL;
        bool disabled;
        int r;

        r = module_differs(in, p, name, priority, cil, len, &disabled);
        if (r <= 0)
                return r;
        r = cil_check_syntax(name, cil, len, &msg);
        if (r == -EINVAL) {
                diags_add(d, DIAG_ERROR, "%s: module \"%s\": CIL syntax error: %s", origin, name, msg);
                return r;
        }
        if (r < 0)
                return r;
        return add_op(p, name, priority, cil, len, disabled, origin);
}

/* The types the declared modules define ("(type NAME)"), sorted: a
 * permissive domain may name one of those instead of the policy's. One
 * pass over the modules, then a search per domain. */
static int declared_types(const struct se_config *cfg, char ***out, size_t *n_out) {
        char **v = NULL;
        size_t n = 0, allocated = 0;

        for (size_t i = 0; i < cfg->n_modules; i++)
                for (const char *c = cfg->modules[i].cil; c && (c = strstr(c, "(type "));) {
                        c += strlen("(type ");
                        size_t len = strcspn(c, " \t\n)(");
                        if (c[len] != ')' || len == 0)
                                continue;
                        if (GROW_FOR(v, n, allocated, 16) < 0 || !(v[n] = strndup(c, len))) {
                                strv_free(v, n);
                                return -ENOMEM;
                        }
                        n++;
                }
        if (n)
                qsort(v, n, sizeof(char *), cmp_strings);
        *out = v;
        *n_out = n;
        return 0;
}

/* Where the config names permissive domain i. */
static const char *origin_of(const struct se_config *cfg, size_t i) {
        return cfg->permissive_origins && cfg->permissive_origins[i] ? cfg->permissive_origins[i] : cfg->permissive_origin;
}

static int cmp_module_name(const void *a, const void *b) {
        return strcmp((*(const struct se_module *const *)a)->name, (*(const struct se_module *const *)b)->name);
}

/* Types for permissiveDomains that need their module: each must be a type
 * of the target's policy, or one a declared module defines. */
static int check_types(const struct plan_input *in, struct plan *p, struct diags *d, const size_t *want, size_t n) {
        const struct se_config *cfg = in->cfg;
        _cleanup_free_ char *policy = NULL, *text = NULL;
        _cleanup_free_ char **types = NULL;
        size_t len, n_types;
        int r;

        if (n == 0)
                return 0;
        r = policy_file_find(in->rootfd, p->type, -1, &policy);
        /* A policy that is there but cannot be read is reported as such. */
        if (r >= 0 && (r = read_in(in, policy, POLICY_MAX_SIZE, &text, &len, NULL, d)) < 0 && r != -ENOENT)
                return r;
        if (r >= 0)
                r = policy_names(text, len, POLICY_TYPES, &types, &n_types);
        if (r < 0) {
                diags_add(d, DIAG_ERROR, "%s: $.selinux.permissiveDomains: cannot read the types of the %s policy on the target: %s",
                          cfg->permissive_origin, p->type, strerror(-r));
                return -EINVAL;
        }
        char **declared = NULL;
        size_t n_declared = 0, n_unknown = 0;
        if ((r = declared_types(cfg, &declared, &n_declared)) < 0)
                return r;
        for (size_t i = 0; i < n; i++) {
                const char *t = cfg->permissive[want[i]];
                if (bsearch(&t, types, n_types, sizeof(char *), cmp_strings) ||
                    (n_declared && bsearch(&t, declared, n_declared, sizeof(char *), cmp_strings)))
                        continue;
                /* A hint costs a pass over the policy's thousands of types:
                 * the first few get one, the rest are counted. */
                if (n_unknown++ >= UNKNOWN_NAMED_MAX)
                        continue;
                const char *hint = hint_closest(t, (const char *const *)types, n_types);
                diags_add(d, DIAG_ERROR, "%s: $.selinux.permissiveDomains: expected a type the %s policy defines, got \"%s\"%s%s%s",
                          origin_of(cfg, want[i]), p->type, t, hint ? " (did you mean \"" : "", hint ? hint : "",
                          hint ? "\"?)" : "");
        }
        if (n_unknown > UNKNOWN_NAMED_MAX)
                diags_add(d, DIAG_ERROR, "%s: $.selinux.permissiveDomains: %zu more types the %s policy does not define",
                          cfg->permissive_origin, n_unknown - UNKNOWN_NAMED_MAX, p->type);
        strv_free(declared, n_declared);
        return n_unknown ? -EINVAL : 0;
}

/* permissiveDomains: one module per type, as `semanage permissive -a`. */
static int plan_permissive(const struct plan_input *in, struct plan *p, struct diags *d) {
        const struct se_config *cfg = in->cfg;
        _cleanup_free_ size_t *need = calloc(cfg->n_permissive + 1, sizeof(size_t));
        _cleanup_free_ bool *need_disabled = calloc(cfg->n_permissive + 1, sizeof(bool));
        _cleanup_free_ const struct se_module **by_name = calloc(cfg->n_modules + 1, sizeof(*by_name));
        _cleanup_free_ char *where = NULL;
        size_t n_need = 0;
        bool bad = false;
        int r;

        if (!need || !need_disabled || !by_name ||
            asprintf(&where, "%s: $.selinux.permissiveDomains", cfg->permissive_origin) < 0)
                return -ENOMEM;
        /* The declared modules by name, for one search per domain. */
        for (size_t j = 0; j < cfg->n_modules; j++)
                by_name[j] = &cfg->modules[j];
        if (cfg->n_modules)
                qsort(by_name, cfg->n_modules, sizeof(*by_name), cmp_module_name);
        for (size_t i = 0; i < cfg->n_permissive; i++) {
                _cleanup_free_ char *name = NULL, *text = NULL;
                size_t len;
                bool disabled;
                r = cil_permissive_module(cfg->permissive[i], &name, &text, &len);
                if (r < 0)
                        return r;
                const struct se_module key = {.name = name}, *kp = &key, *const *same =
                        cfg->n_modules ? bsearch(&kp, by_name, cfg->n_modules, sizeof(*by_name), cmp_module_name) : NULL;
                if (same) {
                        diags_add(d, DIAG_ERROR, "%s: $.selinux.permissiveDomains: \"%s\" makes module \"%s\", "
                                  "which $.selinux.modules declares too (%s)",
                                  origin_of(cfg, i), cfg->permissive[i], name, (*same)->origin);
                        bad = true;
                }
                r = module_differs(in, p, name, MODULE_PRIORITY_DEFAULT, text, len, &disabled);
                if (r < 0)
                        return r;
                if (r > 0) {
                        need_disabled[n_need] = disabled;
                        need[n_need++] = i;
                }
        }
        if (bad)
                return -EINVAL;
        /* The store was read once above; the generated text needs no
         * syntax check, its type names were checked by the parser. */
        r = check_types(in, p, d, need, n_need);
        for (size_t i = 0; r >= 0 && i < n_need; i++) {
                _cleanup_free_ char *name = NULL, *text = NULL;
                size_t len;
                r = cil_permissive_module(cfg->permissive[need[i]], &name, &text, &len);
                if (r >= 0)
                        r = add_op(p, name, MODULE_PRIORITY_DEFAULT, text, len, need_disabled[i], where);
        }
        return r;
}

int plan_modules(const struct plan_input *in, struct plan *p, struct diags *d) {
        const struct se_config *cfg = in->cfg;
        bool bad = false;
        int r;

        for (size_t i = 0; i < cfg->n_modules; i++) {
                const struct se_module *m = &cfg->modules[i];
                _cleanup_free_ char *where = NULL;
                if (asprintf(&where, "%s: %s", m->origin, m->jpath) < 0)
                        return -ENOMEM;
                if (m->remove) {
                        if (store_module_exists(in->rootfd, p->type, m->priority, m->name) &&
                            (r = add_op(p, m->name, m->priority, NULL, 0, false, where)) < 0)
                                return r;
                        continue;
                }
                r = want_module(in, p, d, m->name, m->priority, m->cil, m->cil_len, where);
                if (r == -EINVAL)
                        bad = true;
                else if (r < 0)
                        return r;
        }
        r = plan_permissive(in, p, d);
        return r < 0 ? r : bad ? -EINVAL : 0;
}

static bool under(const char *path, const char *dir) {
        size_t n = strlen(dir);
        return strncmp(path, dir, n) == 0 && (path[n] == '/' || !path[n]);
}

static bool planned(const struct plan *p, enum step_kind kind, const char *path) {
        for (size_t i = 0; i < p->n; i++)
                if (p->steps[i].kind == kind && streq(p->steps[i].path, path))
                        return true;
        return false;
}

/* libsemanage builds both policies from the modules, honouring the marker
 * and booleans.local that earlier steps write: the planned edits of those
 * files would be overwritten, and originals saved by an earlier run no
 * longer match anything. */
static void drop_policy_edits(struct plan *p, const char *policy, const char *kern, const char *backup_dir) {
        size_t k = 0;

        for (size_t i = 0; i < p->n; i++) {
                struct step *s = &p->steps[i];
                bool edit = s->kind == STEP_WRITE_FILE || s->kind == STEP_COPY_FILE;
                if ((edit && (streq(s->path, kern) || (policy && streq(s->path, policy)) ||
                              under(s->path, backup_dir))) ||
                    (s->kind == STEP_MKDIR && streq(s->path, backup_dir))) {
                        step_free(s);
                        continue;
                }
                p->steps[k++] = *s;
        }
        p->n = k;
}

int plan_rebuild(const struct plan_input *in, struct plan *p) {
        _cleanup_free_ char *store = NULL, *kern = NULL, *backup_dir = NULL, *policy = NULL, *why = NULL,
                            *marker = NULL;
        int r;

        if (!p->type[0])
                return 0;
        if (asprintf(&store, "%s/%s", VAR_LIB_SELINUX, p->type) < 0 ||
            asprintf(&kern, "%s/active/policy.kern", store) < 0 ||
            asprintf(&backup_dir, "%s/%s", store, BACKUP_DIR) < 0 ||
            asprintf(&marker, "%s/%s", store, RELABEL_MARKER) < 0)
                return -ENOMEM;
        if (p->n_ops == 0 && !p->rebuild) {
                /* A rebuild stopped before its output was labelled. */
                if (exists_in(in, marker))
                        return add_step(p, STEP_RELABEL, store, NULL,
                                        "label the policy store and /etc/selinux/%s (a rebuild was interrupted)",
                                        p->type);
                return 0;
        }
        r = policy_file_find(in->rootfd, p->type, -1, &policy);
        if (r < 0 && r != -ENOENT)
                return r;
        drop_policy_edits(p, policy, kern, backup_dir);

        /* The step's description lists the module changes. */
        size_t size = 0;
        _cleanup_fclose_ FILE *f = open_memstream(&why, &size);
        if (!f)
                return -ENOMEM;
        fprintf(f, "rebuild the policy with libsemanage");
        for (size_t i = 0; i < p->n_ops; i++)
                fprintf(f, "%s %s module %s (priority %d)", i ? "," : ":", p->ops[i].cil ? "install" : "remove",
                        p->ops[i].name, p->ops[i].priority);
        if (p->n_ops == 0)
                fprintf(f, " to restore the dontaudit rules (the policy was rebuilt since auditDenials was enabled)");
        if (fclose(TAKE_PTR(f)) < 0)
                return -ENOMEM;
        r = add_step(p, STEP_REBUILD, store, NULL, "%s", why);
        if (r < 0)
                return r;

        const char *const saved[] = {policy ? strrchr(policy, '/') + 1 : NULL, "policy.kern"};
        for (size_t i = 0; i < ELEMENTSOF(saved); i++) {
                _cleanup_free_ char *b = NULL;
                if (!saved[i])
                        continue;
                if (asprintf(&b, "%s/%s", backup_dir, saved[i]) < 0)
                        return -ENOMEM;
                if (exists_in(in, b) && !planned(p, STEP_UNLINK, b) &&
                    (r = add_step(p, STEP_UNLINK, b, NULL, "remove the saved copy %s (older than the rebuild)", b)) < 0)
                        return r;
        }
        if (exists_in(in, backup_dir) && !planned(p, STEP_RMDIR, backup_dir) &&
            (r = add_step(p, STEP_RMDIR, backup_dir, NULL, "remove %s", backup_dir)) < 0)
                return r;
        /* The mode is persisted last: a module that fails to build leaves
         * the target booting as it did. */
        for (size_t i = 0; i + 1 < p->n; i++)
                if (p->steps[i].kind == STEP_WRITE_FILE && streq(p->steps[i].path, SELINUX_CONFIG)) {
                        struct step cfg_step = p->steps[i];
                        memmove(&p->steps[i], &p->steps[i + 1], (p->n - i - 1) * sizeof(*p->steps));
                        p->steps[p->n - 1] = cfg_step;
                        break;
                }
        return 0;
}
