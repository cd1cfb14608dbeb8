/* SPDX-License-Identifier: MIT */
/* dontaudit_count/dontaudit_strip on the host's real kernel policy, and on
 * inputs libsepol must refuse. Skips when the policy is not installed. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "selinux/selinux.h"
#include "lib/util.h"

/* Overridable so the skip path can be exercised. */
#ifndef POLICY_PATH
#define POLICY_PATH "/etc/selinux/default/policy/policy.33"
#endif

struct policy {
        void *data;
        size_t len;
};

static int read_all(const char *path, void **ret, size_t *retlen) {
        _cleanup_close_ int fd = -1;
        _cleanup_free_ char *buf = NULL;
        struct stat st;
        size_t done = 0;

        fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return negerrno();
        if (fstat(fd, &st) < 0)
                return negerrno();
        buf = malloc((size_t)st.st_size + 1);
        if (!buf)
                return -ENOMEM;
        while (done < (size_t)st.st_size) {
                ssize_t k = read(fd, buf + done, (size_t)st.st_size - done);
                if (k < 0)
                        return negerrno();
                if (k == 0)
                        break;
                done += (size_t)k;
        }
        *ret = TAKE_PTR(buf);
        *retlen = done;
        return 0;
}

/* A missing policy is not a failure: the tests skip. Any other read error
 * is. */
static int group_setup(void **state) {
        struct policy *pol = calloc(1, sizeof(*pol));
        int r;

        if (!pol)
                return -1;
        r = read_all(POLICY_PATH, &pol->data, &pol->len);
        if (r == -ENOENT) {
                free(pol);
                *state = NULL;
                return 0;
        }
        if (r < 0) {
                free(pol);
                return -1;
        }
        *state = pol;
        return 0;
}

static int group_teardown(void **state) {
        struct policy *pol = *state;

        if (pol) {
                free(pol->data);
                free(pol);
        }
        return 0;
}

static struct policy *need_policy(void **state) {
        if (!*state)
                skip();
        return *state;
}

/* The version word follows the magic, a length and that many bytes of
 * "SE Linux" (policydb_read's header layout). */
static uint32_t policy_version(const void *data, size_t len) {
        const uint8_t *b = data;
        uint32_t slen, vers;

        assert_true(len >= 8);
        memcpy(&slen, b + 4, 4);
        assert_true(len >= 8 + (size_t)slen + 4);
        memcpy(&vers, b + 8 + slen, 4);
        return vers;
}

static void test_count_host_policy(void **state) {
        struct policy *pol = need_policy(state);
        size_t n = 0;

        assert_int_equal(dontaudit_count(pol->data, pol->len, &n), 0);
        /* Debian's refpolicy has ~16,800; anything near that proves both the
         * unconditional and the conditional tables are walked. */
        assert_true(n > 10000);
}

static void test_strip_host_policy(void **state) {
        struct policy *pol = need_policy(state);
        _cleanup_free_ void *out = NULL;
        size_t before = 0, after = 1, removed = 0, outlen = 0;

        assert_int_equal(dontaudit_count(pol->data, pol->len, &before), 0);
        assert_int_equal(dontaudit_strip(pol->data, pol->len, &out, &outlen, &removed), 0);
        assert_non_null(out);
        assert_true(outlen > 0);
        assert_true(outlen < pol->len);
        assert_int_equal(removed, before);

        /* The output is a policy libsepol reads back, without dontaudit,
         * in the same format version. */
        assert_int_equal(dontaudit_count(out, outlen, &after), 0);
        assert_int_equal(after, 0);
        assert_int_equal(policy_version(out, outlen), policy_version(pol->data, pol->len));

        /* removed may be NULL. */
        {
                _cleanup_free_ void *out2 = NULL;
                size_t outlen2 = 0;

                assert_int_equal(dontaudit_strip(pol->data, pol->len, &out2, &outlen2, NULL), 0);
                assert_int_equal(outlen2, outlen);
                assert_memory_equal(out2, out, outlen);
        }
}

static void test_strip_idempotent(void **state) {
        struct policy *pol = need_policy(state);
        _cleanup_free_ void *once = NULL, *twice = NULL;
        size_t once_len = 0, twice_len = 0, removed = 1;

        assert_int_equal(dontaudit_strip(pol->data, pol->len, &once, &once_len, NULL), 0);
        assert_int_equal(dontaudit_strip(once, once_len, &twice, &twice_len, &removed), 0);
        assert_int_equal(removed, 0);
        assert_int_equal(twice_len, once_len);
        assert_memory_equal(twice, once, once_len);
}

static void expect_einval(const void *data, size_t len) {
        void *out = NULL;
        size_t n = 12345, outlen = 12345, removed = 12345;

        assert_int_equal(dontaudit_count(data, len, &n), -EINVAL);
        assert_int_equal(n, 12345);
        assert_int_equal(dontaudit_strip(data, len, &out, &outlen, &removed), -EINVAL);
        /* Nothing is handed out on failure. */
        assert_null(out);
        assert_int_equal(outlen, 12345);
        assert_int_equal(removed, 12345);
}

static void test_garbage(void **state) {
        static const char text[] = "this is not a policy\n";
        uint8_t junk[4096];
        uint32_t x = 2463534242u;
        /* A valid kernel policy magic followed by rubbish. */
        uint8_t magic_only[64] = {0x8c, 0xff, 0x7c, 0xf9, 0x08, 0x00, 0x00, 0x00};

        (void)state;

        for (size_t i = 0; i < sizeof(junk); i++) {
                /* xorshift32: deterministic, so a failure reproduces. */
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                junk[i] = (uint8_t)x;
        }

        expect_einval(text, sizeof(text) - 1);
        expect_einval(junk, sizeof(junk));
        expect_einval(magic_only, sizeof(magic_only));
        expect_einval(junk, 1);
        expect_einval(junk, 0);
        expect_einval(NULL, 0);
        expect_einval(NULL, 100);
}

static void test_bad_arguments(void **state) {
        struct policy *pol = need_policy(state);
        void *out = NULL;
        size_t outlen = 0;

        assert_int_equal(dontaudit_count(pol->data, pol->len, NULL), -EINVAL);
        assert_int_equal(dontaudit_strip(pol->data, pol->len, NULL, &outlen, NULL), -EINVAL);
        assert_int_equal(dontaudit_strip(pol->data, pol->len, &out, NULL, NULL), -EINVAL);
        assert_null(out);
}

static void test_truncated(void **state) {
        struct policy *pol = need_policy(state);
        /* Cuts in the header, in the symbol tables, in the avtab and near
         * the end, so libsepol fails (and we clean up) from many places. */
        const size_t fixed[] = {1, 4, 7, 8, 12, 16, 20, 31, 64, 100, 1000, 4096, 65536};
        const size_t steps = 24;

        for (size_t i = 0; i < ELEMENTSOF(fixed); i++)
                if (fixed[i] < pol->len)
                        expect_einval(pol->data, fixed[i]);
        for (size_t i = 1; i < steps; i++)
                expect_einval(pol->data, pol->len / steps * i);
        expect_einval(pol->data, pol->len - 1);
}

/* A flipped byte inside the header's magic, string length, "SE Linux" and
 * version words. (The config word after them is not checked strictly by
 * libsepol: flipped bits there still read, so it is left out.) */
static void test_corrupt_header(void **state) {
        struct policy *pol = need_policy(state);
        _cleanup_free_ uint8_t *copy = malloc(pol->len);

        assert_non_null(copy);
        for (size_t off = 0; off < 20; off++) {
                memcpy(copy, pol->data, pol->len);
                copy[off] ^= 0xff;
                expect_einval(copy, pol->len);
        }
}

/* A small policy with every kind of dontaudit the strip must handle:
 * unconditional, on an attribute, dontauditxperm (its datum owns an
 * allocation) and in both branches of a conditional. Debian's policy has
 * no dontauditxperm, so this is the only coverage of that path. Built with
 * checkpolicy at run time; skipped without it. */
static const char mini_conf[] =
        "class process\n"
        "class file\n"
        "class blk_file\n"
        "sid kernel\n"
        "common file { ioctl read write }\n"
        "class process { transition signal }\n"
        "class file inherits file\n"
        "class blk_file inherits file\n"
        "attribute domattr;\n"
        "type a_t;\n"
        "type b_t;\n"
        "type c_t;\n"
        "typeattribute a_t domattr;\n"
        "typeattribute b_t domattr;\n"
        "bool flag true;\n"
        "allow a_t b_t:file { read write ioctl };\n"
        "dontaudit a_t c_t:file { read write };\n"
        "dontaudit domattr c_t:process signal;\n"
        "allowxperm a_t b_t:file ioctl 0x8910;\n"
        "dontauditxperm a_t c_t:file ioctl { 0x8911 0x8912 };\n"
        "if (flag) {\n"
        "  allow b_t c_t:file read;\n"
        "  dontaudit b_t c_t:file write;\n"
        "} else {\n"
        "  dontaudit a_t b_t:process signal;\n"
        "  allow a_t b_t:process signal;\n"
        "}\n"
        "role r;\n"
        "role r types { a_t b_t c_t };\n"
        "user u roles { r };\n"
        "sid kernel u:r:a_t\n"
;

static void test_mini_policy_all_kinds(void **state) {
        char dir[] = "/tmp/test-dontaudit.XXXXXX";
        char conf[64], bin[64], cmd[256];
        _cleanup_free_ void *data = NULL, *out = NULL, *out2 = NULL;
        size_t len = 0, outlen = 0, out2len = 0, n = 0, removed = 0;
        FILE *f;
        int r;

        (void)state;
        if (system("command -v checkpolicy >/dev/null 2>&1") != 0)
                skip();

        assert_non_null(mkdtemp(dir));
        snprintf(conf, sizeof(conf), "%s/policy.conf", dir);
        snprintf(bin, sizeof(bin), "%s/policy.33", dir);
        f = fopen(conf, "we");
        assert_non_null(f);
        assert_int_equal(fputs(mini_conf, f) >= 0, 1);
        assert_int_equal(fclose(f), 0);
        snprintf(cmd, sizeof(cmd), "checkpolicy -c 33 -o %s %s >/dev/null 2>&1", bin, conf);
        r = system(cmd);
        if (r == 0)
                r = read_all(bin, &data, &len);
        unlink(bin);
        unlink(conf);
        rmdir(dir);
        assert_int_equal(r, 0);

        /* 4 dontaudit (2 plain, 1 true branch, 1 false branch) + 1
         * dontauditxperm. */
        assert_int_equal(dontaudit_count(data, len, &n), 0);
        assert_int_equal(n, 5);
        assert_int_equal(dontaudit_strip(data, len, &out, &outlen, &removed), 0);
        assert_int_equal(removed, 5);
        assert_int_equal(dontaudit_count(out, outlen, &n), 0);
        assert_int_equal(n, 0);
        assert_int_equal(policy_version(out, outlen), 33);
        /* The allow rules, allowxperm and the conditional survive: a second
         * strip removes nothing and changes nothing. */
        assert_true(outlen < len);
        assert_int_equal(dontaudit_strip(out, outlen, &out2, &out2len, &removed), 0);
        assert_int_equal(removed, 0);
        assert_int_equal(out2len, outlen);
        assert_memory_equal(out2, out, outlen);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_count_host_policy),
                cmocka_unit_test(test_strip_host_policy),
                cmocka_unit_test(test_strip_idempotent),
                cmocka_unit_test(test_garbage),
                cmocka_unit_test(test_bad_arguments),
                cmocka_unit_test(test_truncated),
                cmocka_unit_test(test_corrupt_header),
                cmocka_unit_test(test_mini_policy_all_kinds),
        };

        return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
