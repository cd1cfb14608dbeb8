/* SPDX-License-Identifier: MIT */
/* kcmdline_parse() on a kernel command line (a C string, as read from
 * /proc/cmdline: a NUL ends it). */
#include <errno.h>

#include "config/config.h"
#include "lib/diag.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        char *text = fuzz_strndup(data, size);
        struct diags d = {0};
        struct kcmdline k;
        int r;

        kcmdline_init(&k);
        r = kcmdline_parse("fuzz-cmdline", text, &k, &d);
        FUZZ_ASSERT(r == 0);
        /* malformed values are warnings, never errors */
        FUZZ_ASSERT(d.n_errors == 0);
        FUZZ_ASSERT(k.enforcing >= -1 && k.enforcing <= 1);
        FUZZ_ASSERT(k.selinux >= -1 && k.selinux <= 1);
        FUZZ_ASSERT(!k.platform || strlen(k.platform) <= strlen(text));
        kcmdline_free(&k);
        diags_free(&d);
        free(text);
        return 0;
}
