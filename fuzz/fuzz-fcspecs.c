/* SPDX-License-Identifier: MIT */
/* file_contexts as the subset reads it from the target: the bytes as a
 * compiled file_contexts.bin and as text. Every spec read must lie inside
 * the input, and the prefix rules must hold for it: a regex that may not
 * match beneath a root has a literal start that leaves the root. */
#include <errno.h>

#include "fcspecs.h"
#include "fuzz.h"

static const char *const roots[] = {"/etc/selinux/mcs", "/var/lib/selinux", "/etc/selinux/config", "/"};

static void check(const struct fc_spec *s, const char *lo, const char *hi) {
        FUZZ_ASSERT(s->re >= lo && s->re < hi && s->ctx >= lo && s->ctx < hi);
        size_t len = strlen(s->re), lit = fc_literal_prefix(s->re);
        FUZZ_ASSERT(s->re + len < hi && s->ctx + strlen(s->ctx) < hi);
        FUZZ_ASSERT(lit <= len);
        if (!fc_has_meta(s->re))
                FUZZ_ASSERT(!fc_alternates(s->re));
        for (size_t i = 0; i < sizeof(roots) / sizeof(roots[0]); i++) {
                if (fc_may_match_beneath(s->re, roots[i]))
                        continue;
                /* refused: it cannot begin like the root or a path beneath */
                FUZZ_ASSERT(!fc_alternates(s->re) && strcmp(s->re, roots[i]) != 0);
                FUZZ_ASSERT(strcmp(roots[i], "/") != 0 || s->re[0] != '/');
                size_t rl = strlen(roots[i]);
                if (s->re[lit]) /* a regex: its literal start leaves the root */
                        FUZZ_ASSERT(lit == 0 || strncmp(s->re, roots[i], lit) != 0 || lit > rl);
                else /* one path, neither the root nor beneath it */
                        FUZZ_ASSERT(strncmp(s->re, roots[i], rl) != 0 || (s->re[rl] && s->re[rl] != '/'));
        }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        struct fc_specs s = {0};
        int r = fc_specs_from_bin(data, size, &s);

        FUZZ_ASSERT(r == 0 || r == -EINVAL || r == -EOPNOTSUPP);
        for (size_t i = 0; r == 0 && i < s.n; i++)
                check(&s.v[i], (const char *)data, (const char *)data + size);
        fc_specs_done(&s);

        char *text = fuzz_strndup(data, size);
        r = fc_specs_from_text(text, &s);
        FUZZ_ASSERT(r == 0 || r == -EINVAL);
        for (size_t i = 0; r == 0 && i < s.n; i++)
                check(&s.v[i], text, text + size + 1);
        fc_specs_done(&s);
        free(text);
        return 0;
}
