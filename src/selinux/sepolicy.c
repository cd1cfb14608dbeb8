/* SPDX-License-Identifier: MIT */
#include "sepolicy.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include <sepol/debug.h>
#include <sepol/policydb/policydb.h>

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
void sepol_policydb_freep(sepol_policydb_t **p) {
        sepol_policydb_free(*p);
}

/* Reads a kernel binary policy from memory. libsepol validates what it
 * reads (3.4 runs validate_policydb at the end of policydb_read), so what
 * it accepts is safe to walk. Any read failure is reported as -EINVAL:
 * libsepol returns a bare -1 and does not tell a bad image from a failed
 * allocation. */
int policy_load(const void *policy, size_t len, sepol_policydb_t **ret) {
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

/* Serialises p into a malloc'd buffer: a sizing pass, then a writing one
 * (sepol_policydb_to_image would do the same plus a verifying re-read,
 * which doubles the cost for nothing we need). The policydb keeps the
 * policyvers it was read with, so the format version is unchanged. */
int policy_save(sepol_policydb_t *p, void **out, size_t *outlen) {
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

