/* SPDX-License-Identifier: MIT */
/* "modules" and "permissiveDomains": parsing, messages with JSON paths and
 * positions, merging across sources; the CIL syntax check and the module
 * `semanage permissive -a` would generate. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "selinux/selinux.h"
#include "config/config.h"
#include "lib/util.h"

static char *parse(const char *text, struct se_config *cfg, int *r) {
        struct diags d = {0};
        char *buf = NULL;
        size_t size = 0;
        FILE *f = open_memstream(&buf, &size);

        assert_non_null(f);
        *r = config_parse("t.json", text, strlen(text), CONFIG_KIND_BLOCK_FILE, cfg, NULL, &d);
        diags_print(&d, f);
        fclose(f);
        if (size && buf[size - 1] == '\n')
                buf[size - 1] = 0;
        diags_free(&d);
        return buf;
}

static void expect_error(const char *text, const char *msg) {
        struct se_config cfg;
        int r;

        se_config_init(&cfg);
        _cleanup_free_ char *out = parse(text, &cfg, &r);
        assert_int_equal(r, -EINVAL);
        assert_string_equal(out, msg);
        assert_int_equal(cfg.n_modules, 0);
        assert_null(cfg.permissive);
        se_config_free(&cfg);
}

static void test_valid(void **state) {
        struct se_config cfg;
        int r;

        se_config_init(&cfg);
        _cleanup_free_ char *out = parse("{\"selinux\": {\"modules\": [\n"
                                         "  {\"name\": \"flannel-cni\", \"cil\": \"(allow a b (c (d)))\"},\n"
                                         "  {\"name\": \"x.y\", \"source\": \"data:,(typepermissive%20t)\", \"priority\": 500},\n"
                                         "  {\"name\": \"old\", \"remove\": true, \"priority\": 100}],\n"
                                         " \"permissiveDomains\": [\"b_t\", \"a_t\", \"b_t\"]}}",
                                         &cfg, &r);
        assert_string_equal(out, "");
        assert_int_equal(r, 0);
        assert_int_equal(cfg.n_modules, 3);
        assert_string_equal(cfg.modules[0].name, "flannel-cni");
        assert_string_equal(cfg.modules[0].cil, "(allow a b (c (d)))");
        assert_int_equal(cfg.modules[0].priority, MODULE_PRIORITY_DEFAULT);
        assert_string_equal(cfg.modules[0].origin, "t.json:2:3");
        assert_string_equal(cfg.modules[1].cil, "(typepermissive t)");
        assert_int_equal(cfg.modules[1].cil_len, 18);
        assert_int_equal(cfg.modules[1].priority, 500);
        assert_true(cfg.modules[2].remove);
        assert_null(cfg.modules[2].cil);
        /* sorted, each once */
        assert_int_equal(cfg.n_permissive, 2);
        assert_string_equal(cfg.permissive[0], "a_t");
        assert_string_equal(cfg.permissive[1], "b_t");
        assert_string_equal(cfg.permissive_origin, "t.json:5:23");
        /* each one's first mention, for messages about it */
        assert_string_equal(cfg.permissive_origins[0], "t.json:5:31");
        assert_string_equal(cfg.permissive_origins[1], "t.json:5:24");
        se_config_free(&cfg);
}

static void test_errors(void **state) {
        expect_error("{\"selinux\": {\"modules\": {\"name\": \"x\"}}}",
                     "error: t.json:1:25: $.selinux.modules: expected an array of modules ({\"name\": ..., \"cil\": ...}), got object");
        expect_error("{\"selinux\": {\"modules\": [{\"cil\": \"()\"}]}}",
                     "error: t.json:1:26: $.selinux.modules[0]: expected a \"name\" key");
        expect_error("{\"selinux\": {\"modules\": [{\"name\": \"1x\", \"cil\": \"()\"}]}}",
                     "error: t.json:1:35: $.selinux.modules[0].name: expected a module name (a letter, then letters, "
                     "digits, _, - and single dots), got string \"1x\"");
        expect_error("{\"selinux\": {\"modules\": [{\"name\": \"x\"}]}}",
                     "error: t.json:1:26: $.selinux.modules[0]: expected \"cil\" or \"source\" (or \"remove\": true)");
        expect_error("{\"selinux\": {\"modules\": [{\"name\": \"x\", \"cil\": \"()\", \"source\": \"data:,()\"}]}}",
                     "error: t.json:1:26: $.selinux.modules[0]: expected one of \"cil\" and \"source\", got both");
        expect_error("{\"selinux\": {\"modules\": [{\"name\": \"x\", \"source\": \"https://example.com/x.cil\"}]}}",
                     "error: t.json:1:50: $.selinux.modules[0].source: expected a data: URL (the initramfs fetches "
                     "nothing; put remote modules in the cil key or a data: URL), got \"https://example.com/x.cil\"");
        expect_error("{\"selinux\": {\"modules\": [{\"name\": \"x\", \"cil\": \"()\", \"priority\": 0}]}}",
                     "error: t.json:1:65: $.selinux.modules[0].priority: expected an integer from 1 to 999, got number 0");
        expect_error("{\"selinux\": {\"modules\": [{\"name\": \"x\", \"remove\": true, \"cil\": \"()\"}]}}",
                     "error: t.json:1:26: $.selinux.modules[0]: a module with \"remove\": true takes no \"cil\" or \"source\"");
        expect_error("{\"selinux\": {\"modules\": [{\"name\": \"x\", \"cil\": \"()\"}, {\"name\": \"x\", \"cil\": \"()\"}]}}",
                     "error: t.json:1:54: $.selinux.modules[1]: module \"x\" is declared twice (first at 1:26)");
        expect_error("{\"selinux\": {\"modules\": [{\"name\": \"x\", \"cli\": \"()\"}]}}",
                     "error: t.json:1:40: $.selinux.modules[0].cli: unknown key, expected one of \"name\", \"cil\", "
                     "\"source\", \"priority\", \"remove\" (did you mean \"cil\"?)");
        expect_error("{\"selinux\": {\"permissiveDomains\": \"x_t\"}}",
                     "error: t.json:1:35: $.selinux.permissiveDomains: expected an array of type names, got string \"x_t\"");
        expect_error("{\"selinux\": {\"permissiveDomains\": [\"ok_t\", \"bad type\"]}}",
                     "error: t.json:1:44: $.selinux.permissiveDomains[1]: expected a type name (letters, digits, _, . "
                     "and -), got string \"bad type\"");
        expect_error("{\"selinux\": {\"permissive\": []}}",
                     "error: t.json:1:14: $.selinux.permissive: unknown key, expected one of \"mode\", \"policy\", "
                     "\"auditDenials\", \"booleans\", \"btrfs\", \"modules\", \"permissiveDomains\" (did you mean "
                     "\"permissiveDomains\"?)");
}

static void test_merge(void **state) {
        struct se_config cfg;
        int r;

        se_config_init(&cfg);
        free(parse("{\"selinux\": {\"modules\": [{\"name\": \"a\", \"cil\": \"(one)\"}, {\"name\": \"b\", \"cil\": \"(b)\"}],"
                   " \"permissiveDomains\": [\"x_t\"]}}",
                   &cfg, &r));
        assert_int_equal(r, 0);
        free(parse("{\"selinux\": {\"modules\": [{\"name\": \"a\", \"cil\": \"(two)\"}, {\"name\": \"c\", \"remove\": true}],"
                   " \"permissiveDomains\": []}}",
                   &cfg, &r));
        assert_int_equal(r, 0);
        /* a later source replaces a module by name, adds new ones */
        assert_int_equal(cfg.n_modules, 3);
        assert_string_equal(cfg.modules[0].name, "a");
        assert_string_equal(cfg.modules[0].cil, "(two)");
        assert_string_equal(cfg.modules[1].cil, "(b)");
        assert_true(cfg.modules[2].remove);
        /* and the permissive list as a whole: an empty list is set, not unset */
        assert_non_null(cfg.permissive);
        assert_int_equal(cfg.n_permissive, 0);
        /* null leaves it as it was */
        free(parse("{\"selinux\": {\"permissiveDomains\": null, \"modules\": null}}", &cfg, &r));
        assert_int_equal(r, 0);
        assert_non_null(cfg.permissive);
        assert_int_equal(cfg.n_modules, 3);
        se_config_free(&cfg);
}

static void test_names(void **state) {
        assert_true(module_name_valid("flannel-cni"));
        assert_true(module_name_valid("a.b_c-9"));
        assert_false(module_name_valid("a..b"));
        assert_false(module_name_valid("a."));
        assert_false(module_name_valid(".a"));
        assert_false(module_name_valid("-a"));
        assert_false(module_name_valid("a/b"));
        assert_false(module_name_valid(""));
        assert_true(type_name_valid("wireguard_t"));
        assert_false(type_name_valid("a b"));
        assert_false(type_name_valid("(x)"));
}

static void test_cil(void **state) {
        _cleanup_free_ char *msg = NULL, *name = NULL, *text = NULL;
        size_t len;

        assert_int_equal(cil_check_syntax("m", "(allow a b (c (d)))", 19, &msg), 0);
        assert_null(msg);
        assert_int_equal(cil_check_syntax("flannel", "(allow a b (c (d))", 18, &msg), -EINVAL);
        assert_string_equal(msg, "Open parenthesis without matching close at line 1 of flannel");
        free(TAKE_PTR(msg));
        assert_int_equal(cil_check_syntax("m", "(a)\n)", 5, &msg), -EINVAL);
        assert_string_equal(msg, "Close parenthesis without matching open at line 2 of m");
        assert_int_equal(cil_permissive_module("wireguard_t", &name, &text, &len), 0);
        assert_string_equal(name, "permissive_wireguard_t");
        assert_string_equal(text, "(typepermissive wireguard_t)");
        assert_int_equal(len, strlen(text));
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_valid),
                cmocka_unit_test(test_errors),
                cmocka_unit_test(test_merge),
                cmocka_unit_test(test_names),
                cmocka_unit_test(test_cil),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
