/* SPDX-License-Identifier: MIT */
/* dontaudit rules in a kernel binary policy, with libsepol's policydb API.
 *
 * In a kernel policy a dontaudit rule is an avtab entry whose key carries
 * AVTAB_AUDITDENY (or AVTAB_XPERMS_DONTAUDIT for dontauditxperm). The
 * unconditional ones live in p->te_avtab. The boolean-dependent ones live in
 * p->te_cond_avtab and are referenced from the true_list/false_list of the
 * cond_list nodes; policydb_write() writes the conditional rules from those
 * lists, not from te_cond_avtab, so both places have to be pruned together.
 *
 * Both kinds of flag are dropped because that is what libsepol does when
 * `semodule -D` sets disable_dontaudit: CIL skips every
 * CIL_AVRULE_DONTAUDIT rule, plain and extended-permission alike
 * (libsepol/cil/src/cil_binary.c). Conditional nodes whose lists become
 * empty are kept, as CIL keeps a booleanif whose rules it skipped. */

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include <sepol/policydb.h>
#include <sepol/policydb/avtab.h>
#include <sepol/policydb/conditional.h>
#include <sepol/policydb/policydb.h>

/* After libsepol's headers, which name a member `bool`. */
#include "selinux.h"

#include "sepolicy.h"
#include "lib/util.h"

#define DONTAUDIT_SPECIFIED (AVTAB_AUDITDENY | AVTAB_XPERMS_DONTAUDIT)

/* int, not bool: conditional.h has a member named `bool`, so <stdbool.h>
 * cannot be included alongside libsepol's headers. */
static int is_dontaudit(const struct avtab_node *n) {
        return (n->key.specified & DONTAUDIT_SPECIFIED) != 0;
}

static size_t avtab_count_dontaudit(const avtab_t *t) {
        size_t n = 0;

        if (!t->htable)
                return 0;
        for (uint32_t i = 0; i < t->nslot; i++)
                for (const struct avtab_node *cur = t->htable[i]; cur; cur = cur->next)
                        if (is_dontaudit(cur))
                                n++;
        return n;
}

/* Unlinks and frees every dontaudit node of an avtab, keeping nel right
 * (avtab_write writes nel as the element count). */
static size_t avtab_drop_dontaudit(avtab_t *t) {
        size_t n = 0;

        if (!t->htable)
                return 0;
        for (uint32_t i = 0; i < t->nslot; i++) {
                struct avtab_node **pp = &t->htable[i];

                while (*pp) {
                        struct avtab_node *cur = *pp;

                        if (!is_dontaudit(cur)) {
                                pp = &cur->next;
                                continue;
                        }
                        *pp = cur->next;
                        /* As avtab_destroy: only xperms entries own a datum
                         * allocation. */
                        if (cur->key.specified & AVTAB_XPERMS)
                                free(cur->datum.xperms);
                        free(cur);
                        t->nel--;
                        n++;
                }
        }
        return n;
}

/* Drops the list entries that point at dontaudit nodes. Only the list
 * cells are freed here; the nodes belong to te_cond_avtab and are freed by
 * avtab_drop_dontaudit afterwards, so no list is left pointing at freed
 * memory even if two cells shared a node. */
static void cond_av_list_drop_dontaudit(cond_av_list_t **head) {
        cond_av_list_t **pp = head;

        while (*pp) {
                cond_av_list_t *cur = *pp;

                if (cur->node && is_dontaudit(cur->node)) {
                        *pp = cur->next;
                        free(cur);
                } else
                        pp = &cur->next;
        }
}

int dontaudit_count(const void *policy, size_t len, size_t *count) {
        _cleanup_sepol_policydb_ sepol_policydb_t *sp = NULL;
        policydb_t *p;
        int r;

        if (!count)
                return -EINVAL;

        r = policy_load(policy, len, &sp);
        if (r < 0)
                return r;
        p = &sp->p;

        /* Every conditional rule is exactly one te_cond_avtab node
         * (cond_insertf inserts one per list entry), so counting the table
         * counts the rules of the true and false lists. */
        *count = avtab_count_dontaudit(&p->te_avtab) + avtab_count_dontaudit(&p->te_cond_avtab);
        return 0;
}

int dontaudit_strip(const void *policy, size_t len, void **out, size_t *outlen, size_t *removed) {
        _cleanup_sepol_policydb_ sepol_policydb_t *sp = NULL;
        policydb_t *p;
        size_t n;
        int r;

        if (!out || !outlen)
                return -EINVAL;

        r = policy_load(policy, len, &sp);
        if (r < 0)
                return r;
        p = &sp->p;

        /* Lists first, then the table their cells point into. */
        for (cond_node_t *c = p->cond_list; c; c = c->next) {
                cond_av_list_drop_dontaudit(&c->true_list);
                cond_av_list_drop_dontaudit(&c->false_list);
        }
        n = avtab_drop_dontaudit(&p->te_avtab);
        n += avtab_drop_dontaudit(&p->te_cond_avtab);

        r = policy_save(sp, out, outlen);
        if (r < 0)
                return r;

        if (removed)
                *removed = n;
        return 0;
}
