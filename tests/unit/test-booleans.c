/* SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "selinux/selinux.h"
#include "lib/fsutil.h"

static void merge(const char *in, const struct policy_boolean *want, size_t n, const char *expect) {
        char *out = NULL;
        size_t len;

        assert_int_equal(booleans_local_merge(in, strlen(in), want, n, &out, &len), 0);
        assert_string_equal(out, expect);
        assert_int_equal(len, strlen(expect));
        free(out);
}

static void test_local_merge(void **state) {
        const struct policy_boolean w[] = {{"b_bool", 1}, {"a_bool", 0}};

        merge("", w, 2, "a_bool=0\nb_bool=1\n");
        /* declared ones replace theirs, others stay, all sorted */
        merge("z_bool=1\nb_bool=0\n", w, 2, "a_bool=0\nb_bool=1\nz_bool=1\n");
        merge("a_bool=1", w, 1, "a_bool=1\nb_bool=1\n");
        merge("x=1\n", NULL, 0, "x=1\n");
}

static void test_set_on_real_policy(void **state) {
        const char *path = "/etc/selinux/default/policy/policy.33";
        char *buf = NULL, **names = NULL;
        void *out = NULL, *again = NULL;
        size_t len, outlen, againlen, n, changed = 99;
        const char *missing = NULL;
        FILE *f = fopen(path, "re");

        if (!f)
                skip();
        fclose(f);
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        assert_int_equal(read_full_fd(fd, 64u << 20, &buf, &len), 0);
        close(fd);
        assert_int_equal(booleans_list(buf, len, &names, &n), 0);
        assert_true(n > 100);
        for (size_t i = 1; i < n; i++)
                assert_true(strcmp(names[i - 1], names[i]) < 0);
        free(names);

        const struct policy_boolean on[] = {{"allow_execmem", 1}};
        assert_int_equal(booleans_set(buf, len, on, 1, &out, &outlen, &changed, NULL), 0);
        assert_int_equal(changed, 1);
        assert_non_null(out);
        /* setting what is already set changes nothing and writes nothing */
        assert_int_equal(booleans_set(out, outlen, on, 1, &again, &againlen, &changed, NULL), 0);
        assert_int_equal(changed, 0);
        assert_null(again);

        const struct policy_boolean bad[] = {{"no_such_boolean", 1}};
        assert_int_equal(booleans_set(buf, len, bad, 1, &again, &againlen, &changed, &missing), -ENOENT);
        assert_string_equal(missing, "no_such_boolean");
        assert_int_equal(booleans_set("junk", 4, on, 1, &again, &againlen, &changed, NULL), -EINVAL);
        free(out);
        free(buf);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_local_merge),
                cmocka_unit_test(test_set_on_real_policy),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
