/* SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "selinux/selinux.h"

static void parse(const char *text, enum se_mode mode, const char *type) {
        struct seconfig_values v;

        assert_int_equal(seconfig_parse(text, strlen(text), &v), 0);
        assert_int_equal(v.mode, mode);
        if (type)
                assert_string_equal(v.type, type);
        else
                assert_null(v.type);
        seconfig_values_free(&v);
}

static void test_parse(void **state) {
        parse("SELINUX=permissive\nSELINUXTYPE=mcs\n", SE_MODE_PERMISSIVE, "mcs");
        parse("# SELINUX=enforcing\n  SELINUX=Enforcing  \nSELINUXTYPE=default", SE_MODE_ENFORCING, "default");
        parse("SELINUX=disabled\n", SE_MODE_DISABLED, NULL);
        parse("SELINUX=bogus\nSELINUXTYPE=a\nSELINUXTYPE=b\n", SE_MODE_UNSET, "b");
        parse("", SE_MODE_UNSET, NULL);
}

static void rewrite(const char *in, enum se_mode mode, const char *type, const char *want) {
        char *out = NULL;
        size_t len;

        assert_int_equal(seconfig_rewrite(in, strlen(in), mode, type, &out, &len), 0);
        assert_int_equal(len, strlen(want));
        assert_string_equal(out, want);
        free(out);
}

static void test_rewrite(void **state) {
        /* Comments, unknown keys and their order survive; values change in place. */
        rewrite("# SELINUX= can take one of\nSELINUX=permissive\n# type\nSELINUXTYPE=mcs\nSETLOCALDEFS=0\n",
                SE_MODE_ENFORCING, "mcs",
                "# SELINUX= can take one of\nSELINUX=enforcing\n# type\nSELINUXTYPE=mcs\nSETLOCALDEFS=0\n");
        /* Missing keys are appended; a missing final newline is added. */
        rewrite("SETLOCALDEFS=0", SE_MODE_DISABLED, "mcs", "SETLOCALDEFS=0\nSELINUX=disabled\nSELINUXTYPE=mcs\n");
        rewrite("", SE_MODE_PERMISSIVE, "default", "SELINUX=permissive\nSELINUXTYPE=default\n");
        /* Indented keys count, as libselinux reads them. */
        rewrite("  SELINUX=permissive\n", SE_MODE_ENFORCING, "t", "SELINUX=enforcing\nSELINUXTYPE=t\n");
        /* Rewriting the result again is a fixed point. */
        rewrite("SELINUX=enforcing\nSELINUXTYPE=t\n", SE_MODE_ENFORCING, "t", "SELINUX=enforcing\nSELINUXTYPE=t\n");
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_parse),
                cmocka_unit_test(test_rewrite),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
