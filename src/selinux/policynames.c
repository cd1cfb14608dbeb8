/* SPDX-License-Identifier: MIT */

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <sepol/policydb/policydb.h>

/* After libsepol's headers, which name a member `bool`. */
#include "selinux.h"

#include "sepolicy.h"
#include "lib/util.h"

static bool wanted(const policydb_t *p, enum policy_symbols which, size_t i) {
        return which == POLICY_BOOLEANS || p->type_val_to_struct[i]->flavor == TYPE_TYPE;
}

int policy_names(const void *policy, size_t len, enum policy_symbols which, char ***names, size_t *n) {
        _cleanup_sepol_policydb_ sepol_policydb_t *sp = NULL;
        int r = policy_load(policy, len, &sp);

        if (r < 0)
                return r;
        policydb_t *p = &sp->p;
        char **from = which == POLICY_BOOLEANS ? p->p_bool_val_to_name : p->p_type_val_to_name;
        size_t total = which == POLICY_BOOLEANS ? p->p_bools.nprim : p->p_types.nprim, count = 0, bytes = 0;
        for (size_t i = 0; i < total; i++)
                if (from[i] && wanted(p, which, i)) {
                        bytes += strlen(from[i]) + 1;
                        count++;
                }
        char **v = malloc(count * sizeof(char *) + bytes + 1);
        if (!v)
                return -ENOMEM;
        char *s = (char *)(v + count);
        size_t k = 0;
        for (size_t i = 0; i < total; i++)
                if (from[i] && wanted(p, which, i)) {
                        v[k++] = strcpy(s, from[i]);
                        s += strlen(s) + 1;
                }
        qsort(v, count, sizeof(char *), cmp_strings);
        *names = v;
        *n = count;
        return 0;
}
