/* SPDX-License-Identifier: MIT */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sepol/policydb/policydb.h>

/* After libsepol's headers, which name a member `bool`. */
#include "selinux.h"

#include "sepolicy.h"
#include "lib/util.h"

int booleans_list(const void *policy, size_t len, char ***names, size_t *n) {
        return policy_names(policy, len, POLICY_BOOLEANS, names, n);
}

/* The kernel evaluates every conditional from the booleans' states when it
 * loads the policy, so a boolean's default is its datum's state alone. */
static cond_bool_datum_t *find_bool(policydb_t *p, const char *name) {
        for (size_t i = 0; i < p->p_bools.nprim; i++)
                if (streq(p->p_bool_val_to_name[i], name))
                        return p->bool_val_to_struct[i];
        return NULL;
}

int booleans_set(const void *policy, size_t len, const struct policy_boolean *want, size_t n,
                 void **out, size_t *outlen, size_t *changed, const char **missing) {
        _cleanup_sepol_policydb_ sepol_policydb_t *sp = NULL;
        size_t diff = 0;
        int r = policy_load(policy, len, &sp);

        *out = NULL;
        *outlen = 0;
        if (r < 0)
                return r;
        for (size_t i = 0; i < n; i++) {
                cond_bool_datum_t *b = find_bool(&sp->p, want[i].name);
                if (!b) {
                        if (missing)
                                *missing = want[i].name;
                        return -ENOENT;
                }
                if (b->state != !!want[i].value) {
                        b->state = !!want[i].value;
                        diff++;
                }
        }
        *changed = diff;
        return diff ? policy_save(sp, out, outlen) : 0;
}

static const struct policy_boolean *wanted(const struct policy_boolean *want, size_t n, const char *name,
                                           size_t name_len) {
        for (size_t i = 0; i < n; i++)
                if (strlen(want[i].name) == name_len && memcmp(want[i].name, name, name_len) == 0)
                        return &want[i];
        return NULL;
}

int booleans_local_merge(const char *text, size_t len, const struct policy_boolean *want, size_t n,
                         char **out, size_t *outlen) {
        _cleanup_free_ char **lines = NULL;
        _cleanup_free_ char *buf = NULL;
        size_t nl = 0, cap = 0, size = 0;
        int r = 0;

        /* Existing entries not declared now are kept as they were. */
        for (size_t pos = 0; pos < len && r == 0;) {
                const char *end = memchr(text + pos, '\n', len - pos);
                size_t ll = end ? (size_t)(end - (text + pos)) : len - pos;
                const char *eq = memchr(text + pos, '=', ll);
                if (ll > 0 && !(eq && wanted(want, n, text + pos, (size_t)(eq - (text + pos))))) {
                        if (nl == cap) {
                                cap = cap ? cap * 2 : 16;
                                char **nv = reallocarray(lines, cap, sizeof(char *));
                                if (!nv)
                                        r = -ENOMEM;
                                else
                                        lines = nv;
                        }
                        if (r == 0 && !(lines[nl++] = strndup(text + pos, ll)))
                                r = -ENOMEM;
                }
                pos += ll + 1;
        }
        for (size_t i = 0; i < n && r == 0; i++) {
                if (nl == cap) {
                        cap = cap ? cap * 2 : 16;
                        char **nv = reallocarray(lines, cap, sizeof(char *));
                        if (!nv) {
                                r = -ENOMEM;
                                break;
                        }
                        lines = nv;
                }
                if (asprintf(&lines[nl], "%s=%d", want[i].name, !!want[i].value) < 0)
                        r = -ENOMEM;
                else
                        nl++;
        }
        if (r == 0) {
                qsort(lines, nl, sizeof(char *), cmp_strings);
                FILE *f = open_memstream(&buf, &size);
                if (!f)
                        r = -ENOMEM;
                else {
                        for (size_t i = 0; i < nl; i++)
                                fprintf(f, "%s\n", lines[i]);
                        if (fclose(f) != 0)
                                r = -ENOMEM;
                }
        }
        for (size_t i = 0; i < nl; i++)
                free(lines[i]);
        if (r < 0)
                return r;
        *out = TAKE_PTR(buf);
        *outlen = size;
        return 0;
}
