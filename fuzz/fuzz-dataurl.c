/* SPDX-License-Identifier: MIT */
/* dataurl_decode() on a NUL-terminated copy of the input, and
 * dataurl_decode_ex() on the bytes themselves (a source string may hold
 * NULs). */
#include <errno.h>

#include "config/dataurl.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        char *url = fuzz_strndup(data, size), *out = NULL;
        size_t outlen = (size_t)-1;
        int r;

        r = dataurl_decode(url, &out, &outlen);
        FUZZ_ASSERT(r == 0 || r == -EINVAL || r == -EPROTONOSUPPORT);
        if (r == 0) {
                FUZZ_ASSERT(out != NULL);
                /* decoding never grows the data, and the result is a C string too */
                FUZZ_ASSERT(outlen <= strlen(url));
                FUZZ_ASSERT(out[outlen] == '\0');
                free(out);
        } else {
                FUZZ_ASSERT(out == NULL);
        }
        /* the same bytes as a JSON string's value, NULs and all */
        out = NULL;
        const char *why = NULL;
        r = dataurl_decode_ex((const char *)data, size, &out, &outlen, &why);
        FUZZ_ASSERT(r == 0 || r == -EINVAL || r == -EPROTONOSUPPORT);
        FUZZ_ASSERT(r != -EINVAL || why != NULL);
        if (r == 0) {
                FUZZ_ASSERT(outlen <= size && out[outlen] == '\0');
                free(out);
        } else {
                FUZZ_ASSERT(out == NULL);
        }
        free(url);
        return 0;
}
