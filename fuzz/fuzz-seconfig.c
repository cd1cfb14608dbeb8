/* SPDX-License-Identifier: MIT */
/* /etc/selinux/config: seconfig_parse() on arbitrary bytes, then
 * seconfig_rewrite() with each mode, and the rewritten text parsed again,
 * which must report exactly the mode and type just written. */
#include <errno.h>

#include "config/config.h"
#include "fuzz.h"
#include "selinux/selinux.h"

static void rewrite_and_check(const char *text, size_t len, enum se_mode mode, const char *type) {
        struct seconfig_values v;
        char *out = NULL;
        size_t outlen = 0;

        FUZZ_ASSERT(seconfig_rewrite(text, len, mode, type, &out, &outlen) == 0);
        FUZZ_ASSERT(out != NULL && outlen > 0);
        FUZZ_ASSERT(out[outlen] == '\0' && out[outlen - 1] == '\n');
        FUZZ_ASSERT(seconfig_parse(out, outlen, &v) == 0);
        FUZZ_ASSERT(v.mode == mode);
        FUZZ_ASSERT(v.type && strcmp(v.type, type) == 0);
        seconfig_values_free(&v);
        FUZZ_ASSERT(v.type == NULL);
        free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        static const enum se_mode modes[] = {SE_MODE_ENFORCING, SE_MODE_PERMISSIVE,
                                             SE_MODE_DISABLED};
        const char *text = (const char *)data;
        struct seconfig_values v;
        char derived[33];
        size_t n = 0;

        FUZZ_ASSERT(seconfig_parse(text, size, &v) == 0);
        FUZZ_ASSERT(v.mode >= SE_MODE_UNSET && v.mode <= SE_MODE_DISABLED);
        FUZZ_ASSERT(!v.type || strlen(v.type) <= size);
        seconfig_values_free(&v);

        /* a valid policy name made from the input's first bytes, so types
         * other than the usual ones are written too */
        for (size_t i = 0; i < size && n < sizeof(derived) - 1; i++) {
                unsigned char c = data[i];
                if (c > 0x20 && c < 0x7f && c != '/')
                        derived[n++] = (char)c;
        }
        derived[n] = '\0';
        if (!policy_name_valid(derived))
                strcpy(derived, "custom");

        /* each mode once, each with another type */
        const char *types[] = {"targeted", "mls", derived};
        for (size_t m = 0; m < sizeof(modes) / sizeof(modes[0]); m++)
                rewrite_and_check(text, size, modes[m], types[m]);
        return 0;
}
