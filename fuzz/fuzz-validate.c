/* SPDX-License-Identifier: MIT */
/* validate_buffer(): `ignition-selinux validate` on a whole Ignition config,
 * including storage.files entries whose data: URLs are decoded and parsed as
 * block files, or on a bare block file. */
#include <errno.h>

#include "lib/diag.h"
#include "fuzz.h"
#include "config/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        struct diags d = {0};
        int r;

        r = validate_buffer("fuzz.ign", (const char *)data, size, &d);
        FUZZ_ASSERT(r == 0 || r == -EINVAL);
        FUZZ_ASSERT((r == 0) == (d.n_errors == 0));
        for (size_t i = 0; i < d.n; i++)
                FUZZ_ASSERT(d.items[i].text != NULL);
        diags_free(&d);
        return 0;
}
