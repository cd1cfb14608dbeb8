/* SPDX-License-Identifier: MIT */
/* auditrules_filter() on an audit rules file (99-default.rules): the output
 * is the input without its hiding lines, so it holds no hiding line and is
 * never longer than the input. */
#include <errno.h>

#include "plan/auditrules.h"
#include "fuzz.h"

/* Next line of s[*pos..len): its length without the newline, and with it. */
static size_t next_line(const char *s, size_t len, size_t *pos, size_t *with_nl) {
        const char *nl = memchr(s + *pos, '\n', len - *pos);
        size_t n = nl ? (size_t)(nl - (s + *pos)) : len - *pos;

        *with_nl = nl ? n + 1 : n;
        return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        const char *text = (const char *)data;
        char *out = NULL;
        size_t outlen = (size_t)-1, removed = (size_t)-1, hiding = 0, o = 0;

        FUZZ_ASSERT(auditrules_filter(text, size, &out, &outlen, &removed) == 0);
        FUZZ_ASSERT(out != NULL);
        FUZZ_ASSERT(outlen <= size);
        FUZZ_ASSERT(out[outlen] == '\0');

        /* no hiding line is left */
        for (size_t pos = 0, w; pos < outlen; pos += w) {
                size_t n = next_line(out, outlen, &pos, &w);
                FUZZ_ASSERT(!auditrules_line_hides_all(out + pos, n));
        }
        /* and every other line is kept, byte for byte and in order */
        for (size_t pos = 0, w; pos < size; pos += w) {
                size_t n = next_line(text, size, &pos, &w);
                if (auditrules_line_hides_all(text + pos, n)) {
                        hiding++;
                        continue;
                }
                FUZZ_ASSERT(o + w <= outlen && memcmp(out + o, text + pos, w) == 0);
                o += w;
        }
        FUZZ_ASSERT(o == outlen);
        FUZZ_ASSERT(removed == hiding);
        FUZZ_ASSERT((hiding == 0) == (outlen == size));
        free(out);

        /* the NULL `removed` form */
        FUZZ_ASSERT(auditrules_filter(text, size, &out, &outlen, NULL) == 0);
        free(out);
        return 0;
}
