/* SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "plan/auditrules.h"

static bool hides(const char *line) { return auditrules_line_hides_all(line, strlen(line)); }

static void test_line(void **state) {
        assert_true(hides("-a exclude,always -F msgtype>0"));
        assert_true(hides("  -a   always,exclude\t-F msgtype>0  "));
        assert_true(hides("-A exclude,always -F msgtype>0\r"));
        assert_false(hides("-a exclude,never -F msgtype=CONFIG_CHANGE"));
        assert_false(hides("# -a exclude,always -F msgtype>0"));
        assert_false(hides("-a exclude,always -F msgtype>0 -F uid=0"));
        assert_false(hides("-a exclude,always -F msgtype>1400"));
        assert_false(hides(""));
}

static void filter(const char *in, const char *want, size_t want_removed) {
        char *out = NULL;
        size_t len, removed;

        assert_int_equal(auditrules_filter(in, strlen(in), &out, &len, &removed), 0);
        assert_string_equal(out, want);
        assert_int_equal(len, strlen(want));
        assert_int_equal(removed, want_removed);
        free(out);
}

static void test_filter(void **state) {
        filter("# defaults\n-a exclude,never -F msgtype=CONFIG_CHANGE\n-a exclude,always -F msgtype>0\n",
               "# defaults\n-a exclude,never -F msgtype=CONFIG_CHANGE\n", 1);
        filter("-a exclude,always -F msgtype>0", "", 1);
        filter("-D\n", "-D\n", 0);
        filter("", "", 0);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_line),
                cmocka_unit_test(test_filter),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
