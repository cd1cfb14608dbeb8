/* SPDX-License-Identifier: MIT */
/* Parsing, validation messages and merging of the `selinux` block; also the
 * position scanner (json-locate) and the hint matcher it relies on. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "config/config.h"
#include "lib/fsutil.h"
#include "lib/hint.h"
#include "config/json-locate.h"
#include "lib/diag.h"
#include "lib/util.h"

/* Output of one config_parse() call, all diagnostics joined. */
struct run {
        int r;
        bool found;
        char *out;
};

static char *join_diags(const struct diags *d) {
        char *buf = NULL;
        size_t size = 0;
        FILE *f = open_memstream(&buf, &size);

        assert_non_null(f);
        diags_print(d, f);
        fclose(f);
        /* drop the last newline so single lines compare naturally */
        if (size > 0 && buf[size - 1] == '\n')
                buf[size - 1] = '\0';
        return buf;
}

static struct run parse_n(const char *text, size_t len, enum config_kind kind, struct se_config *cfg) {
        struct diags d = {0};
        struct run res;

        res.r = config_parse("t.json", text, len, kind, cfg, &res.found, &d);
        res.out = join_diags(&d);
        assert_int_equal(d.n_errors > 0, res.r == -EINVAL);
        diags_free(&d);
        return res;
}

static struct run parse(const char *text, enum config_kind kind, struct se_config *cfg) {
        return parse_n(text, strlen(text), kind, cfg);
}

/* Parses into a throwaway config and checks the exact output. */
static void expect(const char *text, enum config_kind kind, int r, const char *out) {
        struct se_config cfg;
        struct run res;

        se_config_init(&cfg);
        res = parse(text, kind, &cfg);
        assert_string_equal(res.out, out);
        assert_int_equal(res.r, r);
        if (r < 0) {
                /* on error nothing reaches cfg */
                assert_int_equal(cfg.mode, SE_MODE_UNSET);
                assert_null(cfg.policy);
                assert_int_equal(cfg.audit_denials, -1);
                assert_false(cfg.found);
        }
        free(res.out);
        se_config_free(&cfg);
}

#define BLOCK CONFIG_KIND_BLOCK_FILE
#define IGN CONFIG_KIND_IGNITION

static void test_mode_strings(void **state) {
        assert_string_equal(se_mode_to_string(SE_MODE_ENFORCING), "enforcing");
        assert_string_equal(se_mode_to_string(SE_MODE_PERMISSIVE), "permissive");
        assert_string_equal(se_mode_to_string(SE_MODE_DISABLED), "disabled");
        assert_null(se_mode_to_string(SE_MODE_UNSET));
        assert_null(se_mode_to_string((enum se_mode)42));
        assert_int_equal(se_mode_from_string("enforcing"), SE_MODE_ENFORCING);
        assert_int_equal(se_mode_from_string("permissive"), SE_MODE_PERMISSIVE);
        assert_int_equal(se_mode_from_string("disabled"), SE_MODE_DISABLED);
        assert_int_equal(se_mode_from_string("Enforcing"), SE_MODE_UNSET);
        assert_int_equal(se_mode_from_string(""), SE_MODE_UNSET);
        assert_int_equal(se_mode_from_string(NULL), SE_MODE_UNSET);
}

static void test_policy_name_valid(void **state) {
        char long_name[300];

        assert_true(policy_name_valid("mcs"));
        assert_true(policy_name_valid("targeted"));
        assert_true(policy_name_valid("my-policy_2.x"));
        assert_true(policy_name_valid("..."));
        assert_false(policy_name_valid(""));
        assert_false(policy_name_valid("."));
        assert_false(policy_name_valid(".."));
        assert_false(policy_name_valid("../x"));
        assert_false(policy_name_valid("a/b"));
        assert_false(policy_name_valid("a b"));
        assert_false(policy_name_valid("a\tb"));
        assert_false(policy_name_valid("caf\xc3\xa9"));
        assert_false(policy_name_valid(NULL));
        memset(long_name, 'a', 255);
        long_name[255] = '\0';
        assert_true(policy_name_valid(long_name));
        long_name[255] = 'a';
        long_name[256] = '\0';
        assert_false(policy_name_valid(long_name));
}

static void test_valid_block_and_origins(void **state) {
        struct se_config cfg;
        struct run res;

        se_config_init(&cfg);
        res = parse("{\"selinux\": {\"mode\": \"permissive\",\n"
                    "  \"policy\": \"mcs\", \"auditDenials\": false}}",
                    BLOCK, &cfg);
        assert_int_equal(res.r, 0);
        assert_true(res.found);
        assert_string_equal(res.out, "");
        assert_true(cfg.found);
        assert_int_equal(cfg.mode, SE_MODE_PERMISSIVE);
        assert_string_equal(cfg.policy, "mcs");
        assert_int_equal(cfg.audit_denials, 0);
        assert_string_equal(cfg.mode_origin, "t.json:1:22");
        assert_string_equal(cfg.policy_origin, "t.json:2:13");
        assert_string_equal(cfg.audit_origin, "t.json:2:36");
        free(res.out);
        se_config_free(&cfg);
}

static void test_ignition_kind(void **state) {
        struct se_config cfg;
        struct run res;

        se_config_init(&cfg);
        /* other top-level keys belong to Ignition, even odd ones */
        res = parse("{\"ignition\": {\"version\": \"3.4.0\"}, \"foo\": 1, \"foo\": 2,"
                    " \"selinux\": {\"mode\": \"enforcing\"}}",
                    IGN, &cfg);
        assert_int_equal(res.r, 0);
        assert_true(res.found);
        assert_string_equal(res.out, "");
        assert_int_equal(cfg.mode, SE_MODE_ENFORCING);
        assert_string_equal(cfg.mode_origin, "t.json:1:76");
        free(res.out);

        /* no block: nothing found, nothing changed */
        res = parse("{\"ignition\": {\"version\": \"3.4.0\"}}", IGN, &cfg);
        assert_int_equal(res.r, 0);
        assert_false(res.found);
        assert_int_equal(cfg.mode, SE_MODE_ENFORCING);
        free(res.out);
        se_config_free(&cfg);

        expect("[]", IGN, -EINVAL, "error: t.json:1:1: $: expected an object, got array");
        expect("  \"x\"", IGN, -EINVAL, "error: t.json:1:3: $: expected an object, got string \"x\"");
}

static void test_block_file_kind(void **state) {
        expect("{\"selinux\": {}, \"foo\": 1}", BLOCK, -EINVAL,
               "error: t.json:1:17: $.foo: unknown key, expected \"selinux\"");
        expect("{\"SELinux\": {}}", BLOCK, -EINVAL,
               "error: t.json:1:2: $.SELinux: unknown key, expected \"selinux\" (did you mean "
               "\"selinux\"?)");
        expect("{\"sel inux\": 1}", BLOCK, -EINVAL,
               "error: t.json:1:2: $[\"sel inux\"]: unknown key, expected \"selinux\" (did you mean "
               "\"selinux\"?)");
        expect("12", BLOCK, -EINVAL, "error: t.json:1:1: $: expected an object, got number 12");
        expect("null", BLOCK, -EINVAL, "error: t.json:1:1: $: expected an object, got null");
        expect("true", BLOCK, -EINVAL, "error: t.json:1:1: $: expected an object, got boolean true");

        /* no block at all is not an error; an empty block is a block */
        struct se_config cfg;
        struct run res;
        se_config_init(&cfg);
        res = parse("{}", BLOCK, &cfg);
        assert_int_equal(res.r, 0);
        assert_false(res.found);
        assert_false(cfg.found);
        free(res.out);
        res = parse("{\"selinux\": null}", BLOCK, &cfg);
        assert_int_equal(res.r, 0);
        assert_false(res.found);
        free(res.out);
        res = parse("{\"selinux\": {}}", BLOCK, &cfg);
        assert_int_equal(res.r, 0);
        assert_true(res.found);
        assert_true(cfg.found);
        assert_int_equal(cfg.mode, SE_MODE_UNSET);
        free(res.out);
        se_config_free(&cfg);
}

static void test_mode_errors(void **state) {
        expect("{\"selinux\": {\"mode\": \"enforce\"}}", BLOCK, -EINVAL,
               "error: t.json:1:22: $.selinux.mode: expected one of \"enforcing\", \"permissive\", "
               "\"disabled\", got \"enforce\" (did you mean \"enforcing\"?)");
        expect("{\"selinux\": {\"mode\": \"Enforcing\"}}", BLOCK, -EINVAL,
               "error: t.json:1:22: $.selinux.mode: expected one of \"enforcing\", \"permissive\", "
               "\"disabled\", got \"Enforcing\" (did you mean \"enforcing\"?)");
        expect("{\"selinux\": {\"mode\": \"permisive\"}}", BLOCK, -EINVAL,
               "error: t.json:1:22: $.selinux.mode: expected one of \"enforcing\", \"permissive\", "
               "\"disabled\", got \"permisive\" (did you mean \"permissive\"?)");
        expect("{\"selinux\": {\"mode\": \"off\"}}", BLOCK, -EINVAL,
               "error: t.json:1:22: $.selinux.mode: expected one of \"enforcing\", \"permissive\", "
               "\"disabled\", got \"off\" (did you mean \"disabled\"?)");
        expect("{\"selinux\": {\"mode\": \"bogus\"}}", BLOCK, -EINVAL,
               "error: t.json:1:22: $.selinux.mode: expected one of \"enforcing\", \"permissive\", "
               "\"disabled\", got \"bogus\"");
        expect("{\"selinux\": {\"mode\": \"\"}}", BLOCK, -EINVAL,
               "error: t.json:1:22: $.selinux.mode: expected one of \"enforcing\", \"permissive\", "
               "\"disabled\", got \"\"");
        expect("{\"selinux\": {\"mode\": 1}}", BLOCK, -EINVAL,
               "error: t.json:1:22: $.selinux.mode: expected one of \"enforcing\", \"permissive\", "
               "\"disabled\", got number 1");
        expect("{\"selinux\": {\"mode\": [\"enforcing\"]}}", BLOCK, -EINVAL,
               "error: t.json:1:22: $.selinux.mode: expected one of \"enforcing\", \"permissive\", "
               "\"disabled\", got array");
        /* a NUL inside the string is not "enforcing" */
        expect("{\"selinux\": {\"mode\": \"enforcing\\u0000\"}}", BLOCK, -EINVAL,
               "error: t.json:1:22: $.selinux.mode: expected one of \"enforcing\", \"permissive\", "
               "\"disabled\", got \"enforcing\\u0000\"");
        /* null means unset */
        expect("{\"selinux\": {\"mode\": null, \"policy\": null, \"auditDenials\": null}}", BLOCK, 0, "");
}

static void test_audit_errors(void **state) {
        expect("{\"selinux\": {\"auditDenials\": \"yes\"}}", BLOCK, -EINVAL,
               "error: t.json:1:30: $.selinux.auditDenials: expected a boolean, got string \"yes\"");
        expect("{\"selinux\": {\"auditDenials\": \"true\"}}", BLOCK, -EINVAL,
               "error: t.json:1:30: $.selinux.auditDenials: expected a boolean, got string \"true\" "
               "(did you mean true, without quotes?)");
        expect("{\"selinux\": {\"auditDenials\": \"False\"}}", BLOCK, -EINVAL,
               "error: t.json:1:30: $.selinux.auditDenials: expected a boolean, got string \"False\" "
               "(did you mean false, without quotes?)");
        expect("{\"selinux\": {\"auditDenials\": 1}}", BLOCK, -EINVAL,
               "error: t.json:1:30: $.selinux.auditDenials: expected a boolean, got number 1");
        expect("{\"selinux\": {\"auditDenials\": -1.5e+3}}", BLOCK, -EINVAL,
               "error: t.json:1:30: $.selinux.auditDenials: expected a boolean, got number -1.5e+3");
        expect("{\"selinux\": {\"auditDenials\": {}}}", BLOCK, -EINVAL,
               "error: t.json:1:30: $.selinux.auditDenials: expected a boolean, got object");
}

static void test_policy_errors(void **state) {
        static const char prefix[] = "error: t.json:1:24: $.selinux.policy: expected a policy name "
                                     "(1 to 255 printable ASCII characters, no spaces or control characters, "
                                     "no \"/\", not \".\" or \"..\"), got ";
        static const struct {
                const char *value, *got;
        } cases[] = {
                {"\"../x\"", "\"../x\""}, {"\"\"", "\"\""},           {"\".\"", "\".\""},
                {"\"..\"", "\"..\""},     {"\"a/b\"", "\"a/b\""},     {"\"a b\"", "\"a b\""},
                {"\"a\\nb\"", "\"a\\nb\""}, {"5", "number 5"},        {"false", "boolean false"},
        };

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                _cleanup_free_ char *text = NULL, *want = NULL;
                assert_true(asprintf(&text, "{\"selinux\": {\"policy\": %s}}", cases[i].value) > 0);
                assert_true(asprintf(&want, "%s%s", prefix, cases[i].got) > 0);
                expect(text, BLOCK, -EINVAL, want);
        }
}

static void test_selinux_not_object(void **state) {
        expect("{\"selinux\": [\"enforcing\"]}", BLOCK, -EINVAL,
               "error: t.json:1:13: $.selinux: expected an object, got array");
        expect("{\"selinux\": \"enforcing\"}", IGN, -EINVAL,
               "error: t.json:1:13: $.selinux: expected an object, got string \"enforcing\"");
        expect("{\"selinux\": true}", IGN, -EINVAL,
               "error: t.json:1:13: $.selinux: expected an object, got boolean true");
}

static void test_unknown_keys(void **state) {
        static const char tail[] = ": unknown key, expected one of \"mode\", \"policy\", \"auditDenials\", \"booleans\", \"btrfs\", \"modules\", \"permissiveDomains\"";
        static const struct {
                const char *key, *path, *hint;
        } cases[] = {
                {"enforce", "$.selinux.enforce", "mode"},
                {"Mode", "$.selinux.Mode", "mode"},
                {"modes", "$.selinux.modes", "mode"},
                {"audit_denials", "$.selinux.audit_denials", "auditDenials"},
                {"auditdenials", "$.selinux.auditdenials", "auditDenials"},
                {"audit-denials", "$.selinux[\"audit-denials\"]", "auditDenials"},
                {"audit", "$.selinux.audit", "auditDenials"},
                {"polcy", "$.selinux.polcy", "policy"},
                {"type", "$.selinux.type", "policy"},
                {"zzz", "$.selinux.zzz", NULL},
                {"x y", "$.selinux[\"x y\"]", NULL},
                {"", "$.selinux[\"\"]", NULL},
        };

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                _cleanup_free_ char *text = NULL, *want = NULL;
                assert_true(asprintf(&text, "{\"selinux\": {\"%s\": 1}}", cases[i].key) > 0);
                if (cases[i].hint)
                        assert_true(asprintf(&want, "error: t.json:1:14: %s%s (did you mean \"%s\"?)",
                                             cases[i].path, tail, cases[i].hint) > 0);
                else
                        assert_true(asprintf(&want, "error: t.json:1:14: %s%s", cases[i].path, tail) > 0);
                expect(text, BLOCK, -EINVAL, want);
        }
}

static void test_duplicates(void **state) {
        expect("{\"selinux\": {\"mode\": \"enforcing\",\n \"mode\": \"permissive\"}}", BLOCK, -EINVAL,
               "error: t.json:2:2: $.selinux.mode: duplicate key (first at 1:14)");
        /* the selinux key itself, in both kinds */
        expect("{\"selinux\": {}, \"selinux\": {}}", IGN, -EINVAL,
               "error: t.json:1:17: $.selinux: duplicate key (first at 1:2)");
        expect("{\"selinux\": {}, \"selinux\": {}}", BLOCK, -EINVAL,
               "error: t.json:1:17: $.selinux: duplicate key (first at 1:2)");
        /* keys spelled with escapes are the same key */
        expect("{\"selinux\": {\"mode\": \"enforcing\", \"\\u006dode\": \"enforcing\"}}", BLOCK, -EINVAL,
               "error: t.json:1:35: $.selinux.mode: duplicate key (first at 1:14)");
        /* three times: each repeat points at the first */
        expect("{\"selinux\": {\"policy\": \"a\", \"policy\": \"b\", \"policy\": \"c\"}}", BLOCK, -EINVAL,
               "error: t.json:1:29: $.selinux.policy: duplicate key (first at 1:14)\n"
               "error: t.json:1:44: $.selinux.policy: duplicate key (first at 1:14)");
        /* anywhere below $.selinux, also inside arrays */
        expect("{\"selinux\": {\"x\": [{\"a\": 1, \"a\": 2}]}}", BLOCK, -EINVAL,
               "error: t.json:1:14: $.selinux.x: unknown key, expected one of \"mode\", \"policy\", "
               "\"auditDenials\", \"booleans\", \"btrfs\", \"modules\", \"permissiveDomains\"\n"
               "error: t.json:1:29: $.selinux.x[0].a: duplicate key (first at 1:21)");
        /* at the top of a block file */
        expect("{\"foo\": 1, \"foo\": 2}", BLOCK, -EINVAL,
               "error: t.json:1:12: $.foo: unknown key, expected \"selinux\"\n"
               "error: t.json:1:12: $.foo: duplicate key (first at 1:2)");
        /* outside the block of an Ignition config: not ours */
        expect("{\"storage\": {\"a\": 1, \"a\": 2}, \"selinux\": {\"mode\": \"enforcing\"}}", IGN, 0, "");
}

static void test_errors_collected_in_order(void **state) {
        expect("{\n"
               "  \"selinux\": {\n"
               "    \"policy\": \"\",\n"
               "    \"enforce\": true,\n"
               "    \"mode\": \"enforce\",\n"
               "    \"auditDenials\": \"yes\"\n"
               "  }\n"
               "}\n",
               IGN, -EINVAL,
               "error: t.json:3:15: $.selinux.policy: expected a policy name (1 to 255 printable ASCII "
               "characters, no spaces or control characters, no \"/\", not \".\" or \"..\"), got \"\"\n"
               "error: t.json:4:5: $.selinux.enforce: unknown key, expected one of \"mode\", "
               "\"policy\", \"auditDenials\", \"booleans\", \"btrfs\", \"modules\", \"permissiveDomains\" (did you mean \"mode\"?)\n"
               "error: t.json:5:13: $.selinux.mode: expected one of \"enforcing\", \"permissive\", "
               "\"disabled\", got \"enforce\" (did you mean \"enforcing\"?)\n"
               "error: t.json:6:21: $.selinux.auditDenials: expected a boolean, got string \"yes\"");
}

static void test_columns_count_characters(void **state) {
        /* "é" and "日本" are 1 and 2 characters but 2 and 6 bytes */
        expect("{\"é\": \"日本\", \"selinux\": {\"mode\": 0}}", IGN, -EINVAL,
               "error: t.json:1:33: $.selinux.mode: expected one of \"enforcing\", \"permissive\", "
               "\"disabled\", got number 0");
        expect("{\"selinux\": {\"mode\": \"ènforcing\"}}", BLOCK, -EINVAL,
               "error: t.json:1:22: $.selinux.mode: expected one of \"enforcing\", \"permissive\", "
               "\"disabled\", got \"ènforcing\" (did you mean \"enforcing\"?)");
        expect("\r\n\t{\"selinux\": 1}", IGN, -EINVAL,
               "error: t.json:2:14: $.selinux: expected an object, got number 1");
}

static void test_got_rendering(void **state) {
        char long_value[200];
        _cleanup_free_ char *text = NULL;

        memset(long_value, 'x', sizeof(long_value) - 1);
        long_value[sizeof(long_value) - 1] = '\0';
        assert_true(asprintf(&text, "{\"selinux\": {\"auditDenials\": \"%s\"}}", long_value) > 0);
        expect(text, BLOCK, -EINVAL,
               "error: t.json:1:30: $.selinux.auditDenials: expected a boolean, got string "
               "\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"...");
        expect("{\"selinux\": {\"auditDenials\": \"a\\u0001\\t\\\"\\\\\\u007f\\u00e9\"}}", BLOCK, -EINVAL,
               "error: t.json:1:30: $.selinux.auditDenials: expected a boolean, got string "
               "\"a\\u0001\\t\\\"\\\\\\u007fé\"");
        /* escape sequences that decode to terminal controls stay escaped */
        expect("{\"selinux\": {\"auditDenials\": \"\\u001b[31m\"}}", BLOCK, -EINVAL,
               "error: t.json:1:30: $.selinux.auditDenials: expected a boolean, got string "
               "\"\\u001b[31m\"");
}

static void test_syntax_errors(void **state) {
        expect("", IGN, -EINVAL, "error: t.json:1:1: $: empty input, expected a JSON object");
        expect(" \n\t ", IGN, -EINVAL, "error: t.json:2:3: $: empty input, expected a JSON object");
        expect("{\"selinux\": {\"mode\": \"enf", IGN, -EINVAL,
               "error: t.json:1:26: $: invalid JSON: unexpected end of data");
        expect("{\"selinux\": {\"mode\": \"enforcing\"}", IGN, -EINVAL,
               "error: t.json:1:34: $: invalid JSON: unexpected end of data");
        expect("{\"selinux\": {}} {}", IGN, -EINVAL,
               "error: t.json:1:17: $: invalid JSON: unexpected characters after the value");
        expect("{\"selinux\": {}} x", IGN, -EINVAL,
               "error: t.json:1:17: $: invalid JSON: unexpected characters after the value");
        expect("{\"selinux\": {},}", IGN, -EINVAL,
               "error: t.json:1:16: $: invalid JSON: expected a quoted key");
        expect("{\"selinux\": {\"mode\": tru}}", IGN, -EINVAL,
               "error: t.json:1:25: $: invalid JSON: invalid literal (not true, false or null)");
        expect("{\"selinux\": {\"mode\": tru", IGN, -EINVAL,
               "error: t.json:1:25: $: invalid JSON: unexpected end of data");
        expect("{\"a\": \"\\x\"}", IGN, -EINVAL,
               "error: t.json:1:9: $: invalid JSON: invalid escape in string");
        expect("/* comment */ {}", IGN, -EINVAL,
               "error: t.json:1:1: $: invalid JSON: unexpected character");
        /* accepted by json-c, refused by the strict check */
        expect("{'selinux': {}}", IGN, -EINVAL,
               "error: t.json:1:2: $: invalid JSON: single-quoted strings are not JSON");
        expect("{\"a\": NaN}", IGN, -EINVAL,
               "error: t.json:1:7: $: invalid JSON: NaN and Infinity are not JSON");
        expect("{\"a\": \"x\ty\"}", IGN, -EINVAL,
               "error: t.json:1:9: $: invalid JSON: control character in string, must be escaped");
        expect("{\"a\": 01}", IGN, -EINVAL, "error: t.json:1:8: $: invalid JSON: leading zeros are not JSON");
        expect("{\"a\": -}", IGN, -EINVAL, "error: t.json:1:8: $: invalid JSON: invalid number");
        expect("{\"a\": 1.}", IGN, -EINVAL, "error: t.json:1:9: $: invalid JSON: invalid number");
}

static void test_bad_bytes(void **state) {
        static const char nul[] = "{\"selinux\": {\"mode\": \"enf\0orcing\"}}";
        expect("{\"selinux\": {\"mode\": \"\xff\"}}", IGN, -EINVAL,
               "error: t.json:1:23: $: invalid JSON: invalid UTF-8");
        expect("{\"selinux\": {\"mode\": \"\xc3\x28\"}}", IGN, -EINVAL,
               "error: t.json:1:23: $: invalid JSON: invalid UTF-8");
        expect("{\"selinux\": {}}\n\xff", IGN, -EINVAL, "error: t.json:2:1: $: invalid JSON: invalid UTF-8");
        /* an encoded surrogate and an overlong '/' */
        expect("{\"a\": \"\xed\xa0\x80\"}", IGN, -EINVAL, "error: t.json:1:8: $: invalid JSON: invalid UTF-8");
        expect("{\"a\": \"\xc0\xaf\"}", IGN, -EINVAL, "error: t.json:1:8: $: invalid JSON: invalid UTF-8");
        expect("\xef\xbb\xbf{}", IGN, -EINVAL,
               "error: t.json:1:1: $: invalid JSON: byte order mark (U+FEFF) at the start");

        struct se_config cfg;
        struct run res;
        se_config_init(&cfg);
        res = parse_n(nul, sizeof(nul) - 1, IGN, &cfg);
        assert_int_equal(res.r, -EINVAL);
        assert_string_equal(res.out, "error: t.json:1:26: $: invalid JSON: NUL byte in input");
        free(res.out);
        /* not NUL-terminated: only len bytes count */
        res = parse_n("{\"selinux\": {}}garbage", 15, BLOCK, &cfg);
        assert_int_equal(res.r, 0);
        assert_true(res.found);
        free(res.out);
        se_config_free(&cfg);
}

static void test_deep_nesting(void **state) {
        size_t depth = 100000;
        _cleanup_free_ char *text = malloc(2 * depth + 64);
        struct se_config cfg;
        struct run res;
        size_t o = 0;

        assert_non_null(text);
        o += (size_t)sprintf(text, "{\"selinux\": {\"x\": ");
        memset(text + o, '[', depth);
        o += depth;
        memset(text + o, ']', depth);
        o += depth;
        strcpy(text + o, "}}");
        se_config_init(&cfg);
        res = parse(text, IGN, &cfg);
        assert_int_equal(res.r, -EINVAL);
        assert_string_equal(res.out, "error: t.json:1:81: $: invalid JSON: nesting too deep");
        free(res.out);

        /* just below the limit is fine, and the scanner descends as far */
        o = (size_t)sprintf(text, "{\"selinux\": {\"x\": ");
        memset(text + o, '[', 60);
        o += 60;
        o += (size_t)sprintf(text + o, "{\"a\": 1, \"a\": 2}");
        memset(text + o, ']', 60);
        o += 60;
        strcpy(text + o, "}}");
        res = parse(text, IGN, &cfg);
        assert_int_equal(res.r, -EINVAL);
        assert_non_null(strstr(res.out, "$.selinux.x: unknown key"));
        assert_non_null(strstr(res.out, "[0][0].a: duplicate key (first at 1:80)"));
        free(res.out);
        se_config_free(&cfg);
}

static void test_too_large(void **state) {
        size_t len = CONFIG_MAX_SIZE + 1;
        _cleanup_free_ char *text = malloc(len);
        struct se_config cfg;
        struct run res;

        assert_non_null(text);
        memset(text, ' ', len);
        text[0] = '{';
        text[len - 1] = '}';
        se_config_init(&cfg);
        /* the block file: 16 MiB */
        res = parse_n(text, len, BLOCK, &cfg);
        assert_int_equal(res.r, -EINVAL);
        assert_string_equal(res.out, "error: t.json: input is too large (16777217 bytes, at most 16777216)");
        free(res.out);

        /* exactly the limit is accepted, and fast */
        res = parse_n(text, len - 1, BLOCK, &cfg);
        assert_int_equal(res.r, -EINVAL); /* the '}' was cut off */
        assert_string_equal(res.out, "error: t.json:1:16777217: $: invalid JSON: unexpected end of data");
        free(res.out);
        text[len - 2] = '}';
        res = parse_n(text, len - 1, BLOCK, &cfg);
        assert_int_equal(res.r, 0);
        free(res.out);

        /* a raw Ignition config may be larger, as Ignition sets no limit */
        text[len - 2] = ' ';
        res = parse_n(text, len, IGN, &cfg);
        assert_int_equal(res.r, 0);
        free(res.out);
        /* up to IGNITION_MAX_SIZE: the size is refused before a byte is
         * read, so a short buffer stands for a long one here */
        res = parse_n(text, IGNITION_MAX_SIZE + 1, IGN, &cfg);
        assert_int_equal(res.r, -EINVAL);
        assert_string_equal(res.out, "error: t.json: input is too large (268435457 bytes, at most 268435456)");
        free(res.out);
        se_config_free(&cfg);
}

static void test_many_keys(void **state) {
        /* a big object with a duplicate at the end: sorted, not quadratic */
        size_t n = 200000;
        _cleanup_free_ char *text = malloc(n * 16 + 64);
        struct se_config cfg;
        struct run res;
        size_t o;

        assert_non_null(text);
        o = (size_t)sprintf(text, "{\"selinux\": {\"x\": {");
        for (size_t i = 0; i < n; i++)
                o += (size_t)sprintf(text + o, "\"k%zu\": 0,", i);
        o += (size_t)sprintf(text + o, "\"k7\": 1}}}");
        se_config_init(&cfg);
        res = parse_n(text, o, IGN, &cfg);
        assert_int_equal(res.r, -EINVAL);
        assert_non_null(strstr(res.out, "$.selinux.x.k7: duplicate key (first at 1:76)"));
        free(res.out);
        se_config_free(&cfg);
}

static void test_untouched_on_error(void **state) {
        struct se_config cfg;
        struct run res;

        se_config_init(&cfg);
        res = parse("{\"selinux\": {\"mode\": \"disabled\", \"policy\": \"mcs\"}}", BLOCK, &cfg);
        assert_int_equal(res.r, 0);
        free(res.out);
        /* the valid policy in a broken block must not leak through */
        res = parse("{\"selinux\": {\"mode\": \"x\", \"policy\": \"other\", \"auditDenials\": true}}", BLOCK, &cfg);
        assert_int_equal(res.r, -EINVAL);
        assert_true(res.found);
        free(res.out);
        assert_int_equal(cfg.mode, SE_MODE_DISABLED);
        assert_string_equal(cfg.policy, "mcs");
        assert_int_equal(cfg.audit_denials, -1);
        assert_null(cfg.audit_origin);
        res = parse("{\"selinux\": {\"mode\": \"permissive\"}", BLOCK, &cfg);
        assert_int_equal(res.r, -EINVAL);
        assert_false(res.found);
        free(res.out);
        assert_int_equal(cfg.mode, SE_MODE_DISABLED);
        se_config_free(&cfg);
}

static void test_merge_order(void **state) {
        struct se_config cfg;
        struct diags d = {0};
        bool found;
        static const char a[] = "{\"selinux\": {\"mode\": \"enforcing\", \"policy\": \"mcs\"}}";
        static const char b[] = "{\"ignition\": {}, \"selinux\": {\"auditDenials\": true, \"mode\": \"permissive\"}}";
        static const char c[] = "{\"selinux\": {\"policy\": \"targeted\", \"mode\": null}}";

        se_config_init(&cfg);
        assert_int_equal(config_parse("base.json", a, strlen(a), BLOCK, &cfg, &found, &d), 0);
        assert_true(found);
        assert_int_equal(config_parse("user.ign", b, strlen(b), IGN, &cfg, &found, &d), 0);
        assert_true(found);
        assert_int_equal(cfg.mode, SE_MODE_PERMISSIVE);
        assert_string_equal(cfg.mode_origin, "user.ign:1:60");
        assert_string_equal(cfg.policy, "mcs");
        assert_string_equal(cfg.policy_origin, "base.json:1:45");
        assert_int_equal(cfg.audit_denials, 1);
        assert_string_equal(cfg.audit_origin, "user.ign:1:46");
        assert_int_equal(config_parse("file.json", c, strlen(c), BLOCK, &cfg, NULL, &d), 0);
        assert_int_equal(cfg.mode, SE_MODE_PERMISSIVE); /* null keeps it */
        assert_string_equal(cfg.mode_origin, "user.ign:1:60");
        assert_string_equal(cfg.policy, "targeted");
        assert_string_equal(cfg.policy_origin, "file.json:1:24");
        assert_int_equal(d.n, 0);
        se_config_free(&cfg);
        assert_null(cfg.policy);
        assert_int_equal(cfg.audit_denials, -1);
        diags_free(&d);
}

static int memfd_with(const char *data, size_t len) {
        int fd = memfd_create("t", 0);
        assert_true(fd >= 0);
        if (len)
                assert_int_equal(write(fd, data, len), (ssize_t)len);
        assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
        return fd;
}

static void test_parse_fd(void **state) {
        static const char text[] = "{\"selinux\": {\"mode\": \"disabled\"}}";
        struct se_config cfg;
        struct diags d = {0};
        bool found;
        int fd;

        se_config_init(&cfg);
        fd = memfd_with(text, strlen(text));
        assert_int_equal(config_parse_fd(fd, "fd.json", BLOCK, &cfg, &found, &d), 0);
        close(fd);
        assert_true(found);
        assert_int_equal(cfg.mode, SE_MODE_DISABLED);
        assert_string_equal(cfg.mode_origin, "fd.json:1:22");

        fd = memfd_with(NULL, 0);
        assert_int_equal(ftruncate(fd, (off_t)CONFIG_MAX_SIZE + 1), 0);
        assert_int_equal(config_parse_fd(fd, "big.json", BLOCK, &cfg, &found, &d), -EINVAL);
        close(fd);
        assert_int_equal(d.n, 1);
        /* told from its size, before anything is read */
        assert_string_equal(d.items[0].text, "big.json: input is too large (16777217 bytes, at most 16777216)");

        assert_int_equal(config_parse_fd(-1, "bad", BLOCK, &cfg, &found, &d), -EBADF);
        assert_int_equal(d.n, 1);
        diags_free(&d);
        se_config_free(&cfg);
}

static void test_read_fd(void **state) {
        char *buf;
        size_t len;
        int fd = memfd_with("abcdef", 6);

        assert_int_equal(read_full_fd(fd, 6, &buf, &len), 0);
        assert_int_equal(len, 6);
        assert_string_equal(buf, "abcdef");
        free(buf);
        assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
        assert_int_equal(read_full_fd(fd, 5, &buf, &len), -EFBIG);
        assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
        assert_int_equal(read_full_fd(fd, 0, &buf, &len), -EFBIG);
        close(fd);
        fd = memfd_with(NULL, 0);
        assert_int_equal(read_full_fd(fd, 0, &buf, &len), 0);
        assert_int_equal(len, 0);
        assert_string_equal(buf, "");
        free(buf);
        close(fd);
}

static void test_hints(void **state) {
        static const char *const modes[] = {"enforcing", "permissive", "disabled"};
        static const char *const keys[] = {"mode", "policy", "auditDenials"};

        assert_string_equal(hint_closest("enforce", modes, 3), "enforcing");
        assert_string_equal(hint_closest("Enforcing", modes, 3), "enforcing");
        assert_string_equal(hint_closest("ENFORCING", modes, 3), "enforcing");
        assert_string_equal(hint_closest("enforcingg", modes, 3), "enforcing");
        assert_string_equal(hint_closest("permisive", modes, 3), "permissive");
        assert_string_equal(hint_closest("perm", modes, 3), "permissive");
        assert_string_equal(hint_closest("disable", modes, 3), "disabled");
        assert_string_equal(hint_closest("dsiabled", modes, 3), "disabled");
        assert_null(hint_closest("x", modes, 3));
        assert_null(hint_closest("", modes, 3));
        assert_null(hint_closest(NULL, modes, 3));
        assert_null(hint_closest("banana", modes, 3));
        assert_string_equal(hint_closest("audit_denials", keys, 3), "auditDenials");
        assert_string_equal(hint_closest("auditdenials", keys, 3), "auditDenials");
        assert_string_equal(hint_closest("AUDIT-DENIALS", keys, 3), "auditDenials");
        assert_string_equal(hint_closest("mdoe", keys, 3), "mode");
        assert_string_equal(hint_closest("mod", keys, 3), "mode");
        assert_null(hint_closest("node x", keys, 3));
        assert_null(hint_closest("de", keys, 3));

        static const struct hint_alias aliases[] = {{"enforce", "mode"}};
        assert_string_equal(hint_closest_ex("Enforce", keys, 3, aliases, 1), "mode");
        assert_null(hint_closest_ex("enforce", keys, 3, NULL, 0));

        char huge[200];
        memset(huge, 'm', sizeof(huge) - 1);
        huge[sizeof(huge) - 1] = '\0';
        assert_null(hint_closest(huge, keys, 3));
}

static void test_locate(void **state) {
        static const char t[] = " {\"a\": [1, {\"b\": \"x\\\"}\"}, [2]], \"a\": {\"c\": null},\n \"d\\u0041\": true}";
        const size_t n = sizeof(t) - 1;
        struct jl_loc loc;

        assert_int_equal(jl_locate(t, n, NULL, 0, &loc), 0);
        assert_int_equal(loc.value_off, 1);
        assert_false(loc.has_key);
        /* of duplicate keys the last counts */
        assert_int_equal(jl_locate(t, n, (struct jl_step[]){JL_KEY("a")}, 1, &loc), 0);
        assert_true(loc.has_key);
        assert_int_equal(loc.key_off, 32);
        assert_int_equal(loc.value_off, 37);
        assert_int_equal(jl_locate(t, n, (struct jl_step[]){JL_KEY("a"), JL_KEY("c")}, 2, &loc), 0);
        assert_int_equal(loc.value_off, 43);
        assert_int_equal(jl_locate(t, n, (struct jl_step[]){JL_KEY("a"), JL_INDEX(0)}, 2, &loc), -ENOENT);
        assert_int_equal(jl_locate(t, n, (struct jl_step[]){JL_KEY("dA")}, 1, &loc), 0);
        assert_int_equal(loc.key_off, 51);
        assert_int_equal(loc.value_off, 62);
        assert_int_equal(jl_locate(t, n, (struct jl_step[]){JL_KEY("zz")}, 1, &loc), -ENOENT);

        static const char arr[] = "[1, {\"b\": \"x\\\"}\"}, [2, [3]]]";
        assert_int_equal(jl_locate(arr, sizeof(arr) - 1, (struct jl_step[]){JL_INDEX(2), JL_INDEX(1), JL_INDEX(0)}, 3, &loc), 0);
        assert_int_equal(loc.value_off, 24);
        assert_int_equal(jl_locate(arr, sizeof(arr) - 1, (struct jl_step[]){JL_INDEX(1), JL_KEY("b")}, 2, &loc), 0);
        assert_int_equal(loc.value_off, 10);
        assert_int_equal(jl_locate(arr, sizeof(arr) - 1, (struct jl_step[]){JL_INDEX(3)}, 1, &loc), -ENOENT);
        assert_int_equal(jl_locate("", 0, NULL, 0, &loc), -EINVAL);
        assert_int_equal(jl_locate(NULL, 5, NULL, 0, &loc), -EINVAL);
        assert_int_equal(jl_locate("{\"a\":", 5, (struct jl_step[]){JL_KEY("a")}, 1, &loc), -EINVAL);
}

static void test_line_col_and_paths(void **state) {
        static const char t[] = "ab\ncé日x\n";
        unsigned line, col;
        char out[64];

        jl_line_col(t, sizeof(t) - 1, 0, &line, &col);
        assert_int_equal(line, 1);
        assert_int_equal(col, 1);
        jl_line_col(t, sizeof(t) - 1, 3, &line, &col);
        assert_int_equal(line, 2);
        assert_int_equal(col, 1);
        jl_line_col(t, sizeof(t) - 1, 9, &line, &col); /* the 'x' */
        assert_int_equal(line, 2);
        assert_int_equal(col, 4);
        jl_line_col(t, sizeof(t) - 1, 1000, &line, &col);
        assert_int_equal(line, 3);
        assert_int_equal(col, 1);

        _cleanup_free_ char *p1 = jl_path_key("$", "mode", 4);
        _cleanup_free_ char *p2 = jl_path_key("$.a", "b.c", 3);
        _cleanup_free_ char *p3 = jl_path_index("$.a", 12);
        _cleanup_free_ char *p4 = jl_path_key("$", "\"\n", 2);
        assert_string_equal(p1, "$.mode");
        assert_string_equal(p2, "$.a[\"b.c\"]");
        assert_string_equal(p3, "$.a[12]");
        assert_string_equal(p4, "$[\"\\\"\\n\"]");

        diag_quote(out, sizeof(out), "abc", 3, 2);
        assert_string_equal(out, "\"ab\"...");
        diag_quote(out, 8, "abcdefgh", 8, 100);
        assert_string_equal(out, "\"ab\"...");
        diag_quote(out, sizeof(out), "a\xff", 2, 100);
        assert_string_equal(out, "\"a\\xff\"");
        diag_quote(out, 3, "abc", 3, 100);
        assert_string_equal(out, "");
}

static void test_check_syntax(void **state) {
        size_t off;
        const char *msg;

        assert_int_equal(jl_check_syntax("{\"a\": [1, -2.5e3, true, false, null, \"\\u00e9\"]}", 47, &off, &msg), 0);
        assert_int_equal(jl_check_syntax(" 0 ", 3, &off, &msg), 0);
        assert_int_equal(jl_check_syntax("[1,]", 4, &off, &msg), -EINVAL);
        assert_int_equal(off, 3);
        assert_string_equal(msg, "unexpected character");
        assert_int_equal(jl_check_syntax("{\"a\" 1}", 7, &off, &msg), -EINVAL);
        assert_string_equal(msg, "expected ':'");
        assert_int_equal(jl_check_syntax("[1.]", 4, &off, &msg), -EINVAL);
        assert_string_equal(msg, "invalid number");
        assert_int_equal(jl_check_syntax("\"\xed\xa0\x80\"", 5, &off, &msg), -EINVAL);
        assert_string_equal(msg, "invalid UTF-8 in string");
        assert_int_equal(jl_check_syntax("[] []", 5, &off, &msg), -EINVAL);
        assert_int_equal(off, 3);
        assert_int_equal(jl_check_syntax("{\"a\":", 5, &off, &msg), -EINVAL);
        assert_string_equal(msg, "unexpected end of data");
}

/* Cheap in-process fuzzing: random and mutated JSON must never crash or
 * read out of bounds (run under ASan). */
static int count_dup(const char *path, size_t a, size_t b, void *ud) {
        (*(int *)ud)++;
        return 0;
}

static void test_scanner_robust(void **state) {
        static const char seed[] = "{\"selinux\": {\"mode\": \"enforcing\", \"x\": [1, {\"a\": \"\\u00e9\\\"\", \"a\": 2}]}}";
        static const char alphabet[] = "{}[]\":,\\ u0aeE-.9tfn\xff";
        unsigned s = 12345;
        struct diags d = {0};

        for (int iter = 0; iter < 20000; iter++) {
                size_t len = sizeof(seed) - 1;
                char *buf = malloc(len);
                assert_non_null(buf);
                memcpy(buf, seed, len);
                for (int k = 0; k < 1 + iter % 4; k++) {
                        s = s * 1103515245 + 12345;
                        size_t at = (s >> 8) % len;
                        s = s * 1103515245 + 12345;
                        buf[at] = alphabet[(s >> 8) % (sizeof(alphabet) - 1)];
                }
                s = s * 1103515245 + 12345;
                len -= (s >> 8) % 8 == 0 ? (s >> 12) % len : 0; /* sometimes truncated */

                struct jl_loc loc;
                size_t off;
                const char *msg;
                int dups = 0;
                struct se_config cfg;
                jl_locate(buf, len, (struct jl_step[]){JL_KEY("selinux"), JL_KEY("x"), JL_INDEX(1)}, 3, &loc);
                jl_find_duplicates(buf, len, NULL, 0, true, count_dup, &dups);
                jl_check_syntax(buf, len, &off, &msg);
                se_config_init(&cfg);
                config_parse("f", buf, len, iter % 2 ? IGN : BLOCK, &cfg, NULL, &d);
                se_config_free(&cfg);
                diags_free(&d);
                free(buf);
        }
}


/* The index answers every question as the scan from the start does: each
 * path (present or not, key or index) and each line and column, across
 * more than one checkpoint stride, with multi-byte characters and CRLF. */
static void test_doc_matches_scan(void **state) {
        char text[8192];
        size_t o = 0;
        struct jl_doc *doc;

        o += (size_t)sprintf(text + o, "{\r\n \"a\": [1, {\"b\": \"x\\\"}\"}, [2]], \"é\": {\"c\": null},\n");
        for (int i = 0; i < 200; i++)
                o += (size_t)sprintf(text + o, " \"k%d\": [\"日本%d\", {\"z\": %d}],\n", i, i, i);
        o += (size_t)sprintf(text + o, " \"a\": {\"c\": [true, false]}, \"k7\": 1\n}");
        assert_true(o < sizeof(text));
        assert_int_equal(jl_check_syntax(text, o, NULL, NULL), 0);
        assert_int_equal(jl_doc_new(text, o, &doc), 0);
        const struct jl_step paths[][3] = {
                {JL_KEY("a")},           {JL_KEY("a"), JL_KEY("c")}, {JL_KEY("a"), JL_KEY("c"), JL_INDEX(1)},
                {JL_KEY("a"), JL_INDEX(0)}, {JL_KEY("é"), JL_KEY("c")}, {JL_KEY("k7")},
                {JL_KEY("k150"), JL_INDEX(1), JL_KEY("z")}, {JL_KEY("k150"), JL_INDEX(2)}, {JL_KEY("nope")},
        };
        const size_t lens[] = {1, 2, 3, 2, 2, 1, 3, 2, 1};
        for (size_t i = 0; i < ELEMENTSOF(paths); i++)
                for (size_t n = 0; n <= lens[i]; n++) {
                        struct jl_loc a = {0}, b = {0};
                        int ra = jl_locate(text, o, paths[i], n, &a), rb = jl_doc_locate(doc, paths[i], n, &b);
                        assert_int_equal(ra, rb);
                        if (ra == 0) {
                                assert_int_equal(a.value_off, b.value_off);
                                assert_int_equal(a.has_key, b.has_key);
                                if (a.has_key)
                                        assert_int_equal(a.key_off, b.key_off);
                        }
                }
        for (size_t off = 0; off <= o + 2; off++) {
                unsigned l1, c1, l2, c2;
                jl_line_col(text, o, off, &l1, &c1);
                jl_doc_line_col(doc, off, &l2, &c2);
                assert_int_equal(l1, l2);
                assert_int_equal(c1, c2);
        }
        /* members in text order, the earlier of duplicates marked */
        const struct jl_member *m;
        size_t n;
        assert_int_equal(jl_doc_members(doc, 0, &m, &n), 0);
        assert_int_equal(n, 204);
        assert_string_equal(m[0].key, "a");
        assert_false(m[0].last);
        assert_true(m[202].last);
        assert_false(m[9].last); /* k7, repeated at the end */
        assert_int_equal(jl_doc_members(doc, 5, &m, &n), -ENOENT); /* the array */
        jl_doc_free(doc);

        size_t v, k;
        static const char cv[] = "{\"a\": [1, \"x\", {\"b\": null}], \"c\": {}}";
        assert_int_equal(jl_count_values(cv, sizeof(cv) - 1, 0, &v, &k), 0);
        assert_int_equal(v, 7); /* keys are not values */
        assert_int_equal(k, 4);
}

/* A long key is cut in paths, so messages under it stay short. */
static void test_long_key_paths(void **state) {
        char key[300];
        memset(key, 'k', sizeof(key));
        _cleanup_free_ char *p = jl_path_key("$", key, sizeof(key));
        assert_string_equal(p, "$[\"kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk\"...]");
        _cleanup_free_ char *q = jl_path_key("$", key, 40);
        assert_string_equal(q, "$.kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk");
}

/* At most CHECK_MAX_PROBLEMS are listed, then how many more there were. */
static void test_problem_cap(void **state) {
        _cleanup_free_ char *text = malloc(1200 * 16 + 64);
        struct se_config cfg;
        struct run res;
        size_t o;

        assert_non_null(text);
        o = (size_t)sprintf(text, "{\"selinux\": {\"booleans\": {");
        for (int i = 0; i < 1200; i++)
                o += (size_t)sprintf(text + o, "%s\"b%d\": 1", i ? ", " : "", i);
        sprintf(text + o, "}}}");
        se_config_init(&cfg);
        res = parse(text, BLOCK, &cfg);
        assert_int_equal(res.r, -EINVAL);
        assert_non_null(strstr(res.out, "error: t.json:1:33: $.selinux.booleans.b0: expected true or false, got number 1\n"));
        assert_non_null(strstr(res.out, "\nerror: t.json: 200 more problems not shown"));
        size_t lines = 0;
        for (const char *c = res.out; *c; c++)
                lines += *c == '\n';
        assert_int_equal(lines + 1, 1001);
        free(res.out);
        se_config_free(&cfg);
}

/* Anything but a regular file is refused by name, never read. */
static void test_read_not_regular(void **state) {
        struct se_config cfg;
        struct diags d = {0};
        int p[2];
        char *buf = NULL;
        size_t len;

        se_config_init(&cfg);
        assert_int_equal(pipe(p), 0);
        /* no writer will ever write: a read would block */
        assert_int_equal(config_parse_fd(p[0], "fifo.ign", IGN, &cfg, NULL, &d), -EINVAL);
        assert_int_equal(config_read_fd(p[0], "fifo.ign", 10, &buf, &len, &d), -EINVAL);
        close(p[0]);
        close(p[1]);
        assert_int_equal(d.n, 2);
        assert_string_equal(d.items[0].text, "fifo.ign: not a regular file (a FIFO)");
        diags_free(&d);
        se_config_free(&cfg);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_mode_strings),
                cmocka_unit_test(test_policy_name_valid),
                cmocka_unit_test(test_valid_block_and_origins),
                cmocka_unit_test(test_ignition_kind),
                cmocka_unit_test(test_block_file_kind),
                cmocka_unit_test(test_mode_errors),
                cmocka_unit_test(test_audit_errors),
                cmocka_unit_test(test_policy_errors),
                cmocka_unit_test(test_selinux_not_object),
                cmocka_unit_test(test_unknown_keys),
                cmocka_unit_test(test_duplicates),
                cmocka_unit_test(test_errors_collected_in_order),
                cmocka_unit_test(test_columns_count_characters),
                cmocka_unit_test(test_got_rendering),
                cmocka_unit_test(test_syntax_errors),
                cmocka_unit_test(test_bad_bytes),
                cmocka_unit_test(test_deep_nesting),
                cmocka_unit_test(test_too_large),
                cmocka_unit_test(test_many_keys),
                cmocka_unit_test(test_untouched_on_error),
                cmocka_unit_test(test_merge_order),
                cmocka_unit_test(test_parse_fd),
                cmocka_unit_test(test_read_fd),
                cmocka_unit_test(test_hints),
                cmocka_unit_test(test_locate),
                cmocka_unit_test(test_line_col_and_paths),
                cmocka_unit_test(test_check_syntax),
                cmocka_unit_test(test_scanner_robust),
                cmocka_unit_test(test_doc_matches_scan),
                cmocka_unit_test(test_long_key_paths),
                cmocka_unit_test(test_problem_cap),
                cmocka_unit_test(test_read_not_regular),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
