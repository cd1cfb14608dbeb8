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
#include "dontaudit.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include <sepol/debug.h>
#include <sepol/policydb.h>
#include <sepol/policydb/avtab.h>
#include <sepol/policydb/conditional.h>
#include <sepol/policydb/policydb.h>

#include "util.h"

#define DONTAUDIT_SPECIFIED (AVTAB_AUDITDENY | AVTAB_XPERMS_DONTAUDIT)

/* int, not bool: conditional.h has a member named `bool`, so <stdbool.h>
 * cannot be included alongside libsepol's headers. */
static int is_dontaudit(const struct avtab_node *n) {
        return (n->key.specified & DONTAUDIT_SPECIFIED) != 0;
}

/* libsepol reports parse errors through a global "compat" handle that
 * prints to stdout/stderr; many read paths pass a NULL handle, so a handle
 * of our own on the policy_file would not catch them all. The product must
 * stay quiet (our callers report errors themselves), and nothing else in
 * this process wants libsepol's chatter, so switch the global one off. */
static void sepol_quiet(void) {
        sepol_debug(0);
}

/* libsepol.so exports only its sepol_* API (policydb_read and friends are
 * in libsepol.a alone), so the policydb is created, read, written and freed
 * through the sepol_* wrappers; the structures they wrap (struct
 * sepol_policydb { struct policydb p; }, avtab, cond lists) are public
 * headers, and editing them needs nothing but free(). */
static void sepol_policydb_freep(sepol_policydb_t **p) {
        sepol_policydb_free(*p);
}
#define _cleanup_sepol_policydb_ _cleanup_(sepol_policydb_freep)

/* Reads a kernel binary policy from memory. libsepol validates what it
 * reads (3.4 runs validate_policydb at the end of policydb_read), so what
 * it accepts is safe to walk. Any read failure is reported as -EINVAL:
 * libsepol returns a bare -1 and does not tell a bad image from a failed
 * allocation. */
static int policy_load(const void *policy, size_t len, sepol_policydb_t **ret) {
        _cleanup_sepol_policydb_ sepol_policydb_t *p = NULL;
        struct sepol_policy_file pf = {};

        if (!policy || len == 0)
                return -EINVAL;

        sepol_quiet();

        if (sepol_policydb_create(&p) < 0)
                return -ENOMEM;

        /* Reading only goes through pf.data; the cast is for the non-const
         * prototype. (len 0 would mean "size a write", excluded above.) */
        sepol_policy_file_set_mem(&pf, (char *)policy, len);
        /* Unlike sepol_policydb_from_image, this leaves a failed policydb
         * for us to free, exactly once. */
        if (sepol_policydb_read(p, &pf) < 0)
                return -EINVAL;

        /* A module (.pp base or module) parses too, but it is not what the
         * kernel loads and its rules are not in te_avtab. */
        if (p->p.policy_type != POLICY_KERN)
                return -EINVAL;

        *ret = TAKE_PTR(p);
        return 0;
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

/* Serialises p into a malloc'd buffer: a sizing pass, then a writing one
 * (sepol_policydb_to_image would do the same plus a verifying re-read,
 * which doubles the cost for nothing we need). The policydb keeps the
 * policyvers it was read with, so the format version is unchanged. */
static int policy_save(sepol_policydb_t *p, void **out, size_t *outlen) {
        _cleanup_free_ char *buf = NULL;
        struct sepol_policy_file pf = {};
        size_t len = 0;

        sepol_policy_file_set_mem(&pf, NULL, 0); /* PF_LEN: only add up */
        if (sepol_policydb_write(p, &pf) < 0)
                return -EINVAL;
        if (sepol_policy_file_get_len(&pf, &len) < 0 || len == 0)
                return -EINVAL;

        buf = malloc(len);
        if (!buf)
                return -ENOMEM;

        pf = (struct sepol_policy_file){};
        sepol_policy_file_set_mem(&pf, buf, len);
        if (sepol_policydb_write(p, &pf) < 0)
                return -EINVAL;
        /* Both passes must agree; bytes left over would be uninitialised
         * memory in the image. */
        if (pf.pf.len != 0)
                return -EINVAL;

        *out = TAKE_PTR(buf);
        *outlen = len;
        return 0;
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
