/* SPDX-License-Identifier: MIT */
/* The kernel command line as the kernel itself splits and reads it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "lib/util.h"

struct parsed {
        int enforcing, selinux;
        char platform[128]; /* "(null)" if absent */
        char diags[512];    /* texts joined with '|' */
};

static struct parsed run(const char *text) {
        struct kcmdline k;
        struct diags d = {0};
        struct parsed p = {0};

        kcmdline_init(&k);
        assert_int_equal(kcmdline_parse("cmdline", text, &k, &d), 0);
        p.enforcing = k.enforcing;
        p.selinux = k.selinux;
        snprintf(p.platform, sizeof(p.platform), "%s", k.platform ? k.platform : "(null)");
        for (size_t i = 0; i < d.n; i++) {
                assert_int_equal(d.items[i].severity, DIAG_WARNING);
                strncat(p.diags, i ? "|" : "", sizeof(p.diags) - strlen(p.diags) - 1);
                strncat(p.diags, d.items[i].text, sizeof(p.diags) - strlen(p.diags) - 1);
        }
        assert_int_equal(d.n_errors, 0);
        diags_free(&d);
        kcmdline_free(&k);
        return p;
}

static void expect(const char *text, int enforcing, int selinux, const char *platform,
                   const char *diags) {
        struct parsed p = run(text);
        assert_string_equal(p.diags, diags);
        assert_int_equal(p.enforcing, enforcing);
        assert_int_equal(p.selinux, selinux);
        assert_string_equal(p.platform, platform);
}

static void test_absent(void **state) {
        expect("", -1, -1, "(null)", "");
        expect("   \t\n", -1, -1, "(null)", "");
        expect("BOOT_IMAGE=/vmlinuz root=LABEL=ROOT ro quiet", -1, -1, "(null)", "");
        /* a switch needs '=' to be the kernel's switch */
        expect("enforcing selinux", -1, -1, "(null)", "");
        /* near names are other parameters */
        expect("xenforcing=1 enforcing_x=1 selinux.foo=1 Enforcing=1", -1, -1, "(null)", "");

        struct kcmdline k;
        struct diags d = {0};
        kcmdline_init(&k);
        assert_int_equal(kcmdline_parse("c", NULL, &k, &d), 0);
        assert_int_equal(k.enforcing, -1);
        kcmdline_free(&k);
}

static void test_values(void **state) {
        expect("enforcing=1 selinux=1", 1, 1, "(null)", "");
        expect("enforcing=0 selinux=0", 0, 0, "(null)", "");
        /* the kernel takes any integer: nonzero is 1 */
        expect("enforcing=2", 1, -1, "(null)", "");
        expect("enforcing=00", 0, -1, "(null)", "");
        expect("enforcing=0x10 selinux=010", 1, 1, "(null)", "");
        expect("enforcing=0x0", 0, -1, "(null)", "");
        expect("enforcing=+1", 1, -1, "(null)", "");
        expect("enforcing=18446744073709551615", 1, -1, "(null)", "");
        expect("ignition.platform.id=qemu", -1, -1, "qemu", "");
        expect("ignition.platform.id=", -1, -1, "", "");
}

static void test_last_wins(void **state) {
        expect("enforcing=1 quiet enforcing=0", 0, -1, "(null)", "");
        expect("enforcing=0 enforcing=1", 1, -1, "(null)", "");
        expect("selinux=0 selinux=1 selinux=0", -1, 0, "(null)", "");
        expect("ignition.platform.id=aws ignition.platform.id=metal", -1, -1, "metal", "");
        /* a bad later value is ignored, so the earlier good one stays */
        expect("enforcing=1 enforcing=yes", 1, -1, "(null)",
               "cmdline: enforcing=yes: expected 0 or 1, ignored");
}

static void test_quotes(void **state) {
        expect("foo=\"enforcing=0 selinux=0\" enforcing=1", 1, -1, "(null)", "");
        expect("\"enforcing=0\"", 0, -1, "(null)", "");
        expect("enforcing=\"0\"", 0, -1, "(null)", "");
        expect("ignition.platform.id=\"a b\" x", -1, -1, "a b", "");
        expect("x=\"unterminated enforcing=0", -1, -1, "(null)", "");
        expect("\"", -1, -1, "(null)", "");
        expect("\"\"", -1, -1, "(null)", "");
        expect("=", -1, -1, "(null)", "");
        expect("==1 =enforcing=1", -1, -1, "(null)", "");
}

static void test_bad_values(void **state) {
        expect("enforcing=abc", -1, -1, "(null)", "cmdline: enforcing=abc: expected 0 or 1, ignored");
        expect("enforcing=", -1, -1, "(null)", "cmdline: enforcing=: expected 0 or 1, ignored");
        expect("selinux=-1", -1, -1, "(null)", "cmdline: selinux=-1: expected 0 or 1, ignored");
        expect("selinux=1x", -1, -1, "(null)", "cmdline: selinux=1x: expected 0 or 1, ignored");
        expect("enforcing=08", -1, -1, "(null)", "cmdline: enforcing=08: expected 0 or 1, ignored");
        expect("enforcing=0x", -1, -1, "(null)", "cmdline: enforcing=0x: expected 0 or 1, ignored");
        expect("enforcing=18446744073709551616", -1, -1, "(null)",
               "cmdline: enforcing=18446744073709551616: expected 0 or 1, ignored");
        expect("enforcing=\"1\x1b[0m\"", -1, -1, "(null)",
               "cmdline: enforcing=1?[0m: expected 0 or 1, ignored");
        expect("enforcing=a selinux=b", -1, -1, "(null)",
               "cmdline: enforcing=a: expected 0 or 1, ignored|cmdline: selinux=b: expected 0 or 1, ignored");
}

static void test_whitespace_and_end(void **state) {
        expect("\tenforcing=0\nselinux=1\r\n", 0, 1, "(null)", "");
        /* the kernel's isspace() includes 0xa0 */
        expect("quiet\xa0" "enforcing=0", 0, -1, "(null)", "");
        /* after "--" the arguments are init's */
        expect("enforcing=1 -- enforcing=0", 1, -1, "(null)", "");
        expect("enforcing=1 \"--\" enforcing=0", 1, -1, "(null)", "");
        expect("enforcing=1 --x enforcing=0", 0, -1, "(null)", "");
}

static void test_long_value(void **state) {
        char text[400];
        struct parsed p;

        strcpy(text, "enforcing=");
        memset(text + 10, 'z', 300);
        text[310] = '\0';
        p = run(text);
        assert_int_equal(p.enforcing, -1);
        assert_non_null(strstr(p.diags, "zzz...: expected 0 or 1, ignored"));
        assert_true(strlen(p.diags) < 140);
}

static void test_random_input(void **state) {
        static const char alphabet[] = "\" =\t\nenforcing=01selinux-x\xa0";
        unsigned s = 99;

        for (int i = 0; i < 20000; i++) {
                char text[64];
                size_t n = (size_t)(i % 63);
                struct kcmdline k;
                struct diags d = {0};

                for (size_t j = 0; j < n; j++) {
                        s = s * 1103515245 + 12345;
                        text[j] = alphabet[(s >> 8) % (sizeof(alphabet) - 1)];
                }
                text[n] = '\0';
                kcmdline_init(&k);
                assert_int_equal(kcmdline_parse("c", text, &k, &d), 0);
                assert_true(k.enforcing >= -1 && k.enforcing <= 1);
                assert_true(k.selinux >= -1 && k.selinux <= 1);
                kcmdline_free(&k);
                diags_free(&d);
        }
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_absent),         cmocka_unit_test(test_values),
                cmocka_unit_test(test_last_wins),      cmocka_unit_test(test_quotes),
                cmocka_unit_test(test_bad_values),     cmocka_unit_test(test_whitespace_and_end),
                cmocka_unit_test(test_long_value),     cmocka_unit_test(test_random_input),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
