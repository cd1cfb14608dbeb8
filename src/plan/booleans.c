/* SPDX-License-Identifier: MIT */
/* "booleans": what `setsebool -P` makes persistent, planned on top of what
 * the plan already writes to the policies. */
#include "steps.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lib/hint.h"
#include "lib/log.h"
#include "lib/util.h"
#include "selinux/selinux.h"

/* The content the plan leaves at `path`: the payload of the last step that
 * writes it, else what is there now. *step is that step, or NULL; *gone
 * when the plan removes the file. */
static int planned_content(const struct plan_input *in, struct plan *p, const char *path, struct step **step,
                           char **buf, size_t *len, struct stat *st, bool *gone, struct diags *d) {
        *step = NULL;
        *gone = false;
        for (size_t i = p->n; i-- > 0;) {
                struct step *s = &p->steps[i];
                if (s->kind == STEP_UNLINK && streq(s->path, path)) {
                        *gone = true;
                        return 0;
                }
                if (s->kind == STEP_WRITE_FILE && streq(s->path, path)) {
                        *step = s;
                        return 0;
                }
                /* A copy leaves what its source holds when it runs: what an
                 * earlier step writes there, else what is there now. */
                if (s->kind == STEP_COPY_FILE && streq(s->path, path)) {
                        *step = s;
                        for (size_t j = i; j-- > 0;) {
                                const struct step *w = &p->steps[j];
                                if (w->kind == STEP_WRITE_FILE && streq(w->path, s->path2)) {
                                        *buf = malloc(w->len ? w->len : 1);
                                        if (!*buf)
                                                return -ENOMEM;
                                        memcpy(*buf, w->data, w->len);
                                        *len = w->len;
                                        *st = (struct stat){.st_mode = S_IFREG | s->mode, .st_uid = s->uid,
                                                            .st_gid = s->gid};
                                        return 0;
                                }
                        }
                        return read_in(in, s->path2, POLICY_MAX_SIZE, buf, len, st, d);
                }
        }
        return read_in(in, path, POLICY_MAX_SIZE, buf, len, st, d);
}

/* One policy file gets the declared boolean defaults, on top of whatever
 * the plan already writes there. */
static int plan_booleans_in(const struct plan_input *in, struct plan *p, const char *path,
                            const struct policy_boolean *want, size_t n, struct diags *d) {
        _cleanup_free_ char *cur = NULL;
        _cleanup_free_ void *out = NULL;
        struct stat st;
        struct step *s;
        size_t len = 0, outlen, changed;
        bool gone;
        int r;

        r = planned_content(in, p, path, &s, &cur, &len, &st, &gone, d);
        if (r == -ENOENT || gone)
                return 0;
        if (r < 0)
                return r;
        bool from_step = s && s->kind == STEP_WRITE_FILE;
        r = booleans_set(from_step ? s->data : cur, from_step ? s->len : len, want, n, &out, &outlen, &changed,
                         NULL);
        if (r < 0)
                return log_errno(r, "Failed to set booleans in %s%s", in->root_display, path);
        if (changed == 0)
                return 0;
        if (s) {
                /* A planned copy becomes a write of the changed content. */
                s->kind = STEP_WRITE_FILE;
                free(s->data);
                s->data = TAKE_PTR(out);
                s->len = outlen;
                return 0;
        }
        r = add_step(p, STEP_WRITE_FILE, path, NULL, "write %s with %zu boolean default%s changed", path, changed,
                     changed == 1 ? "" : "s");
        if (r < 0)
                return r;
        set_payload(p, TAKE_PTR(out), outlen, &st);
        if (tagged_stripped(in->rootfd, path))
                p->steps[p->n - 1].tag = TAG_STRIPPED;
        return 0;
}

/* "booleans": persistent as `setsebool -P` makes them: in the store's
 * booleans.local, which later rebuilds apply, and in the compiled policies
 * (and their saved originals), so they hold from the first load. */
int plan_booleans(const struct plan_input *in, struct plan *p, struct diags *d) {
        const struct se_config *cfg = in->cfg;
        _cleanup_free_ struct policy_boolean *want = calloc(cfg->n_booleans, sizeof(*want));
        _cleanup_free_ char *policy = NULL, *text = NULL, *local = NULL, *merged = NULL;
        _cleanup_free_ char **names = NULL;
        size_t len, n_names, mlen, local_len = 0;
        struct stat st = {.st_mode = S_IFREG | 0600};
        int r;

        if (!want)
                return -ENOMEM;
        for (size_t i = 0; i < cfg->n_booleans; i++)
                want[i] = (struct policy_boolean){cfg->booleans[i].name, cfg->booleans[i].value};
        r = policy_file_find(in->rootfd, p->type, -1, &policy);
        /* A policy that is there but cannot be read is reported as such. */
        if (r >= 0 && (r = read_in(in, policy, POLICY_MAX_SIZE, &text, &len, NULL, d)) < 0 && r != -ENOENT)
                return r;
        if (r >= 0)
                r = booleans_list(text, len, &names, &n_names);
        if (r < 0) {
                diags_add(d, DIAG_ERROR, "%s: $.selinux.booleans: cannot read the booleans of the %s policy on the target: %s",
                          cfg->booleans[0].origin, p->type, strerror(-r));
                return -EINVAL;
        }
        size_t unknown = 0;
        for (size_t i = 0; i < cfg->n_booleans; i++) {
                if (bsearch(&want[i].name, names, n_names, sizeof(char *), cmp_strings))
                        continue;
                /* A hint costs a pass over every boolean: the first few get one. */
                if (unknown++ >= UNKNOWN_NAMED_MAX)
                        continue;
                const char *hint = hint_closest(want[i].name, (const char *const *)names, n_names);
                diags_add(d, DIAG_ERROR, "%s: $.selinux.booleans.%s: expected a boolean the %s policy defines, got \"%s\"%s%s%s",
                          cfg->booleans[i].origin, want[i].name, p->type, want[i].name,
                          hint ? " (did you mean \"" : "", hint ? hint : "", hint ? "\"?)" : "");
        }
        if (unknown > UNKNOWN_NAMED_MAX)
                diags_add(d, DIAG_ERROR, "%s: $.selinux.booleans: %zu more booleans the %s policy does not define",
                          cfg->booleans[0].origin, unknown - UNKNOWN_NAMED_MAX, p->type);
        if (unknown)
                return -EINVAL;

        if (asprintf(&local, "%s/%s/active/booleans.local", VAR_LIB_SELINUX, p->type) < 0)
                return -ENOMEM;
        _cleanup_free_ char *old = NULL;
        r = read_in(in, local, SMALL_FILE_MAX, &old, &local_len, &st, d);
        if (r < 0 && r != -ENOENT)
                return r;
        r = booleans_local_merge(old ? old : "", old ? local_len : 0, want, cfg->n_booleans, &merged, &mlen);
        if (r < 0)
                return r;
        if (!old || !same_bytes(old, local_len, merged, mlen)) {
                r = add_step(p, STEP_WRITE_FILE, local, NULL, "record %zu boolean%s in %s (as setsebool -P does)",
                             cfg->n_booleans, cfg->n_booleans == 1 ? "" : "s", local);
                if (r < 0)
                        return r;
                set_payload(p, TAKE_PTR(merged), mlen, &st);
        }

        _cleanup_free_ char *kern = NULL, *b1 = NULL, *b2 = NULL;
        if (asprintf(&kern, "%s/%s/active/policy.kern", VAR_LIB_SELINUX, p->type) < 0 ||
            asprintf(&b1, "%s/%s/%s/%s", VAR_LIB_SELINUX, p->type, BACKUP_DIR, base_name(policy)) < 0 ||
            asprintf(&b2, "%s/%s/%s/policy.kern", VAR_LIB_SELINUX, p->type, BACKUP_DIR) < 0)
                return -ENOMEM;
        const char *const paths[] = {policy, kern, b1, b2};
        for (size_t i = 0; i < ELEMENTSOF(paths); i++)
                if ((r = plan_booleans_in(in, p, paths[i], want, cfg->n_booleans, d)) < 0)
                        return r;
        return 0;
}

