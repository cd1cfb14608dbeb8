/* SPDX-License-Identifier: MIT */
/* RFC 2397 data: URLs as Ignition and Butane write them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "config/dataurl.h"
#include "lib/util.h"

static void ok(const char *url, const char *want, size_t want_len) {
        char *out = NULL;
        size_t len = 12345;

        assert_int_equal(dataurl_decode(url, &out, &len), 0);
        assert_int_equal(len, want_len);
        assert_memory_equal(out, want, want_len);
        assert_int_equal(out[len], '\0');
        free(out);
}

static void fails(const char *url, int err) {
        char *out = NULL;
        size_t len = 0;

        assert_int_equal(dataurl_decode(url, &out, &len), err);
        assert_null(out);
}

#define OK(url, want) ok(url, want, sizeof(want) - 1)

static void test_percent(void **state) {
        OK("data:,", "");
        OK("data:,hello", "hello");
        OK("data:,%7B%22selinux%22%3A%7B%7D%7D", "{\"selinux\":{}}");
        OK("data:,a%20b%0a", "a b\n");
        OK("data:,%e2%82%ac", "\xe2\x82\xac");
        OK("data:,%00x", "\0x");
        /* '+' is not a space outside form encoding */
        OK("data:,a+b", "a+b");
        OK("data:text/plain;charset=utf-8,%7B%7D", "{}");
        OK("data:application/json,{\"a\":1}", "{\"a\":1}");
        /* only the first comma ends the header */
        OK("data:,a,b", "a,b");
}

static void test_percent_malformed(void **state) {
        fails("data:,%", -EINVAL);
        fails("data:,%4", -EINVAL);
        fails("data:,%zz", -EINVAL);
        fails("data:,%4g", -EINVAL);
        fails("data:,ok%", -EINVAL);
}

static void test_base64(void **state) {
        OK("data:;base64,eyJzZWxpbnV4Ijp7fX0=", "{\"selinux\":{}}");
        OK("data:;base64,eyJzZWxpbnV4Ijp7fX0", "{\"selinux\":{}}");
        OK("data:;base64,", "");
        OK("data:;base64,QQ==", "A");
        OK("data:;base64,QQ", "A");
        OK("data:;base64,QUI=", "AB");
        OK("data:;base64,QUI", "AB");
        OK("data:;base64,QUJD", "ABC");
        OK("data:;base64,+/+/", "\xfb\xff\xbf");
        OK("data:application/json;base64,e30=", "{}");
        OK("data:text/plain;charset=utf-8;base64,e30=", "{}");
        OK("DATA:;BASE64,e30=", "{}");
        /* base64 may itself be percent-encoded */
        OK("data:;base64,e30%3D", "{}");
        OK("data:;base64,AA==", "\0");
}

static void test_base64_malformed(void **state) {
        fails("data:;base64,Q", -EINVAL);
        fails("data:;base64,QQ=", -EINVAL);
        fails("data:;base64,Q===", -EINVAL);
        fails("data:;base64,====", -EINVAL);
        fails("data:;base64,=", -EINVAL);
        fails("data:;base64,QQ==QQ==", -EINVAL);
        fails("data:;base64,e3 0=", -EINVAL);
        fails("data:;base64,e30=\n", -EINVAL);
        fails("data:;base64,e3\t0", -EINVAL);
        fails("data:;base64,e3-_", -EINVAL); /* URL-safe alphabet */
        fails("data:;base64,e3*0", -EINVAL);
        fails("data:;base64,%zz", -EINVAL);
}

static void test_not_data(void **state) {
        fails("https://example.com/x.json", -EPROTONOSUPPORT);
        fails("s3://bucket/x", -EPROTONOSUPPORT);
        fails("", -EPROTONOSUPPORT);
        fails("data", -EPROTONOSUPPORT);
        fails(" data:,x", -EPROTONOSUPPORT);
        fails(NULL, -EPROTONOSUPPORT);
}

static void test_malformed_header(void **state) {
        fails("data:", -EINVAL);
        fails("data:text/plain", -EINVAL);
        fails("data:text plain,x", -EINVAL);
        fails("data:\x01,x", -EINVAL);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_percent),          cmocka_unit_test(test_percent_malformed),
                cmocka_unit_test(test_base64),           cmocka_unit_test(test_base64_malformed),
                cmocka_unit_test(test_not_data),         cmocka_unit_test(test_malformed_header),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
