/* SPDX-License-Identifier: MIT */
/* data: URLs exactly as Ignition accepts and decodes them. Ignition checks a
 * source with Go's net/url Parse() and then vincent-petithory/dataurl
 * v1.0.0's DecodeString() (config/v3_N/types/url.go, validateURL), and
 * fetches it with DecodeString() too (internal/resource/url.go,
 * fetchFromDataURL). Each group below names the function of those its
 * rules come from; tests/integration/test-dataurl-ignition.sh checks the
 * same verdicts against Debian's ignition-validate. */
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

static void ok_n(const char *url, size_t n, const char *want, size_t want_len) {
        char *out = NULL;
        size_t len = 12345;
        const char *why = "unset";

        if (dataurl_decode_ex(url, n, &out, &len, &why) != 0)
                fail_msg("refused %s: %s", url, why);
        assert_int_equal(len, want_len);
        assert_memory_equal(out, want, want_len);
        assert_int_equal(out[len], '\0');
        free(out);
}

static void fails_n(const char *url, size_t n, int err) {
        char *out = NULL;
        size_t len = 0;
        const char *why = NULL;
        int r = dataurl_decode_ex(url, n, &out, &len, &why);

        if (r != err)
                fail_msg("%s: got %d, expected %d", url, r, err);
        assert_null(out);
        if (err == -EINVAL)
                assert_non_null(why);
}

#define OK(url, want) ok_n(url, strlen(url), want, sizeof(want) - 1)
#define FAILS(url) fails_n(url, strlen(url), -EINVAL)
#define REMOTE(url) fails_n(url, strlen(url), -EPROTONOSUPPORT)

/* rfc2396.go Unescape: '%' and two hex digits of either case; '+' is not a
 * space; nothing else is special. */
static void test_percent(void **state) {
        OK("data:,", "");
        OK("data:,hello", "hello");
        OK("data:,%7B%22selinux%22%3A%7B%7D%7D", "{\"selinux\":{}}");
        OK("data:,a%20b%0a", "a b\n");
        OK("data:,%e2%82%ac", "\xe2\x82\xac");
        OK("data:,%00x", "\0x");
        OK("data:,a+b", "a+b");
        OK("data:,a,b", "a,b");
        FAILS("data:,%");
        FAILS("data:,%4");
        FAILS("data:,%zz");
        FAILS("data:,%4g");
        FAILS("data:,ok%");
}

/* lex.go lexData, isURLCharRune: plain data may hold raw any printable
 * ASCII but space < > # " { } | \ ^ [ ] `; no control character, nothing
 * beyond ASCII. So the JSON of a block cannot be written raw: its braces
 * and quotes must be %-escaped (Butane does). */
static void test_raw_characters(void **state) {
        OK("data:,~!$&'()*+,;=:@/?", "~!$&'()*+,;=:@/?");
        OK("data:,a?b", "a?b");
        FAILS("data:,{}");
        FAILS("data:application/json,{\"a\":1}");
        FAILS("data:,\"x\"");
        FAILS("data:,a b");
        FAILS("data:,a#b");
        FAILS("data:,<");
        FAILS("data:,[");
        FAILS("data:,|");
        FAILS("data:,^");
        FAILS("data:,`");
        FAILS("data:,\\");
        FAILS("data:,\x7f");
        FAILS("data:,\xc3\xa9");
        fails_n("data:,a\0b", 9, -EINVAL);
}

/* encoding/base64 StdEncoding.DecodeString (decodeQuantum), as
 * dataurl.go's base64DataReader calls it: groups of four, padding
 * required, nothing but newlines after it, the unused bits of the last
 * group not checked. lex.go lexBase64Data, isBase64Rune: only the alphabet,
 * '=' and '\n' raw, so no %-escapes. */
static void test_base64(void **state) {
        OK("data:;base64,eyJzZWxpbnV4Ijp7fX0=", "{\"selinux\":{}}");
        OK("data:;base64,", "");
        OK("data:;base64,QQ==", "A");
        OK("data:;base64,QUI=", "AB");
        OK("data:;base64,QUJD", "ABC");
        OK("data:;base64,QR==", "A"); /* unused bits set: not Strict */
        OK("data:;base64,+/+/", "\xfb\xff\xbf");
        OK("data:;base64,AA==", "\0");
        OK("data:application/json;base64,e30=", "{}");
        OK("data:text/plain;charset=utf-8;base64,e30=", "{}");
        FAILS("data:;base64,eyJzZWxpbnV4Ijp7fX0"); /* unpadded */
        FAILS("data:;base64,QQ");
        FAILS("data:;base64,QUI");
        FAILS("data:;base64,Q");
        FAILS("data:;base64,QQ=");
        FAILS("data:;base64,Q===");
        FAILS("data:;base64,====");
        FAILS("data:;base64,=");
        FAILS("data:;base64,QQ==QQ==");
        FAILS("data:;base64,e30%3D");
        FAILS("data:;base64,e3 0=");
        FAILS("data:;base64,e3\t0");
        FAILS("data:;base64,e3-_"); /* URL-safe alphabet */
        FAILS("data:;base64,e3*0");
}

/* Go's net/url Parse(), which validateURL calls before DecodeString():
 * no control character before the first '#', so a newline fails even in
 * base64, where decodeQuantum would skip it. After a '#' (which only a
 * media type or parameter can hold) Parse() only checks the fragment's
 * %-escapes, and the newline goes through to decodeQuantum. */
static void test_newlines(void **state) {
        FAILS("data:;base64,e3\n0=");
        FAILS("data:;base64,e30=\n");
        OK("data:text/pl#ain;base64,e3\n0=", "{}");
        OK("data:text/pl#ain,abc", "abc");
        FAILS("data:text/pl#%zz,abc");
}

/* lex.go lexBeforeDataPrefix: "data:" in lower case, although Parse()
 * finds the scheme in any case (so "DATA:" is a data: URL Ignition
 * refuses, not a remote one). */
static void test_prefix(void **state) {
        OK("data:,x", "x");
        FAILS("DATA:,x");
        FAILS("Data:;base64,e30=");
        FAILS("data:");
        FAILS("data:text/plain");
}

/* lex.go lexAfterDataPrefix, lexInDiscreteMediaType, lexXTokenMediaType,
 * isDiscreteType, isCompositeType, isTokenRune: a media type is a token
 * starting with text, image, audio, video, application, message or
 * multipart (a prefix: "textual" passes), or "x-" and any token; the
 * subtype is a token, possibly empty. */
static void test_media_type(void **state) {
        OK("data:text/plain,x", "x");
        OK("data:text/,x", "x");
        OK("data:textual/x,x", "x");
        OK("data:x-foo/bar,x", "x");
        OK("data:X-/y,x", "x");
        OK("data:multipart/mixed,x", "x");
        FAILS("data:xfoo/bar,x");
        FAILS("data:foo/bar,x");
        FAILS("data:Text/plain,x"); /* prefixes are compared as written */
        FAILS("data:text plain,x");
        FAILS("data:text/pl/ain,x");
        FAILS("data:\x01,x");
        FAILS("data:/plain,x");
}

/* lex.go lexAfterParamSemicolon, lexInParamAttr, lexBase64Enc,
 * lexAfterParamEqual, lexInParamVal, lexInQuotedStringParamVal; dataurl.go
 * parse: an attribute and '=' and a value, unless it is "base64" (exactly)
 * just before the comma; a plain value must unescape (rfc2396.go
 * Unescape); a quoted one must pass strconv.Unquote, and an empty quoted
 * one leaves the parser unquoting the next value instead. */
static void test_parameters(void **state) {
        OK("data:;charset=x,x", "x");
        OK("data:text/plain;a=b;base64,e30=", "{}");
        OK("data:text/plain;a=%41,x", "x");
        OK("data:text/plain;a=\"\",x", "x");
        OK("data:text/plain;a=\"b c\",x", "x");
        OK("data:text/plain;a=\"b\\\"c\",x", "x");
        OK("data:text/plain;a=\"\\x41\",x", "x");
        OK("data:text/plain;a=\"\\u00e9\",x", "x");
        OK("data:text/plain;a=\"\\101\",x", "x");
        OK("data:text/plain;a=\"\";b=%zz,x", "x"); /* the parser's leftover switch */
        FAILS("data:;,x");
        FAILS("data:text/plain;,x");
        FAILS("data:text/plain;a,x");
        FAILS("data:text/plain;a=,x");
        FAILS("data:text/plain;a=%zz,x");
        FAILS("data:;BASE64,e30=");
        FAILS("data:text/plain;base64;a=b,e30=");
        FAILS("data:text/plain;a=\"b\\'c\",x");
        FAILS("data:text/plain;a=\"\\777\",x");
        FAILS("data:text/plain;a=\"\\ud800\",x");
        FAILS("data:text/plain;a=\"\\q\",x");
        FAILS("data:text/plain;a=\"x\ny\",x");
        FAILS("data:text/plain;a=\"\x01\",x"); /* Parse(): a control character */
        FAILS("data:text/plain;a=\"\\");
        FAILS("data:text/plain;a=\"\xc3\xa9\",x");
}

/* Go's net/url getScheme(): other schemes are not data: URLs (and which of
 * them a spec allows is validate.c's business); a ':' first, or a control
 * character, fails Parse() itself. */
static void test_not_data(void **state) {
        char scheme[16];
        const char *why;

        REMOTE("https://example.com/x.json");
        REMOTE("s3://bucket/x");
        REMOTE("");
        REMOTE("data");
        REMOTE(" data:,x");
        REMOTE("1data:,x");
        REMOTE("/etc/passwd");
        FAILS(":x");
        FAILS("https://example.com/\x01");
        assert_int_equal(dataurl_decode(NULL, &(char *){NULL}, &(size_t){0}), -EPROTONOSUPPORT);

        assert_int_equal(url_scheme("HTTPS://x", 9, scheme, sizeof(scheme), &why), 0);
        assert_string_equal(scheme, "https");
        assert_int_equal(url_scheme("a+b-c.d:x", 9, scheme, sizeof(scheme), &why), 0);
        assert_string_equal(scheme, "a+b-c.d");
        assert_int_equal(url_scheme("/x:y", 4, scheme, sizeof(scheme), &why), 0);
        assert_string_equal(scheme, "");
        /* a scheme longer than the buffer never comes back as a known one */
        assert_int_equal(url_scheme("dataaaaaaaaaaaaaaaaaa:,x", 24, scheme, sizeof(scheme), &why), 0);
        assert_int_equal(strlen(scheme), sizeof(scheme) - 1);
        assert_int_equal(scheme[sizeof(scheme) - 2], '~');
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_percent),    cmocka_unit_test(test_raw_characters),
                cmocka_unit_test(test_base64),     cmocka_unit_test(test_newlines),
                cmocka_unit_test(test_prefix),     cmocka_unit_test(test_media_type),
                cmocka_unit_test(test_parameters), cmocka_unit_test(test_not_data),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
