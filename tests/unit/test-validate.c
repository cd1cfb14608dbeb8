/* SPDX-License-Identifier: MIT */
/* `validate` on the fixtures in tests/data/validate: whole Ignition configs
 * (top-level block, storage.files data: URLs) and bare block files. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/util.h"
#include "config/config.h"

#define TOP_WARNING                                                                                \
        ": $.selinux: a top-level block only reaches a machine through configs the initramfs "    \
        "reads raw (base.d, user.ign, QEMU fw_cfg); Ignition and Butane drop it from fetched "     \
        "configs — to reach every platform, write it with storage.files to "                      \
        "/etc/selinux/ignition.json"
#define MODE_EXPECTED "expected one of \"enforcing\", \"permissive\", \"disabled\""

/* Fixtures are opened relative to their directory, so messages carry
 * plain file names. */
static int enter_data_dir(void **state) {
        const char *srcdir = getenv("SRCDIR");
        char dir[4096];

        snprintf(dir, sizeof(dir), "%s/tests/data/validate", srcdir ? srcdir : ".");
        return chdir(dir) < 0 ? -1 : 0;
}

static char *run(const char *path, int *r) {
        struct diags d = {0};
        char *buf = NULL;
        size_t size = 0;
        FILE *f;

        *r = validate_file(path, &d);
        f = open_memstream(&buf, &size);
        assert_non_null(f);
        diags_print(&d, f);
        fclose(f);
        if (size && buf[size - 1] == '\n')
                buf[size - 1] = '\0';
        assert_int_equal(d.n_errors > 0, *r == -EINVAL);
        diags_free(&d);
        return buf;
}

static void expect(const char *path, int r, const char *out) {
        int got_r;
        _cleanup_free_ char *got = run(path, &got_r);

        assert_string_equal(got, out);
        assert_int_equal(got_r, r);
}

static void test_files_percent(void **state) { expect("files-percent.ign", 0, ""); }
static void test_files_base64(void **state) { expect("files-base64.ign", 0, ""); }
static void test_block_file(void **state) { expect("block.json", 0, ""); }

static void test_files_invalid(void **state) {
        expect("files-invalid.ign", -EINVAL,
               "error: files-invalid.ign:$.storage.files[1].contents.source:1:22: $.selinux.mode: "
               MODE_EXPECTED ", got \"enforce\" (did you mean \"enforcing\"?)\n"
               "error: files-invalid.ign:$.storage.files[1].contents.source:1:33: $.selinux.audit: "
               "unknown key, expected one of \"mode\", \"policy\", \"auditDenials\", \"booleans\", \"btrfs\", \"modules\", \"permissiveDomains\" (did you mean "
               "\"auditDenials\"?)\n"
               "error: files-invalid.ign:$.storage.files[1].contents.source:1:49: $.extra: unknown "
               "key, expected \"selinux\"");
}

static void test_top_level(void **state) {
        expect("top-level.ign", 0, "warning: top-level.ign" TOP_WARNING);
}

static void test_invalid_top_level(void **state) {
        expect("invalid.ign", -EINVAL,
               "error: invalid.ign:4:13: $.selinux.mode: " MODE_EXPECTED
               ", got \"Enforcing\" (did you mean \"enforcing\"?)\n"
               "error: invalid.ign:5:21: $.selinux.auditDenials: expected a boolean, got string \"yes\"\n"
               "error: invalid.ign:6:15: $.selinux.policy: expected a policy name (1 to 255 printable "
               "ASCII characters, no spaces or control characters, no \"/\", not \".\" or \"..\"), got "
               "\"../x\"\n"
               "error: invalid.ign:8:5: $.selinux.audit_denials: unknown key, expected one of "
               "\"mode\", \"policy\", \"auditDenials\", \"booleans\", \"btrfs\", \"modules\", \"permissiveDomains\" (did you mean \"auditDenials\"?)\n"
               "error: invalid.ign:8:5: $.selinux.audit_denials: duplicate key (first at 7:5)\n"
               "warning: invalid.ign" TOP_WARNING);
}

static void test_both(void **state) {
        /* the file entry's path is "/etc/selinux/./ignition.json" */
        expect("both.ign", 0, "warning: both.ign" TOP_WARNING);
}

static void test_no_block(void **state) {
        expect("no-block.ign", 0,
               "warning: no-block.ign: no selinux block found (neither a top-level \"selinux\" "
               "key nor a storage.files entry for /etc/selinux/ignition.json)");
}

static void test_remote(void **state) {
        expect("remote.ign", 0,
               "warning: remote.ign:10:21: $.storage.files[0].contents.source: contents fetched from "
               "elsewhere (https) cannot be checked");
}

/* Butane gzips contents whenever that is shorter: they are checked */
static void test_compressed(void **state) {
        expect("compressed.ign", 0, "");
        expect("gzip-invalid.ign", -EINVAL,
               "error: gzip-invalid.ign:$.storage.files[0].contents.source:1:22: $.selinux.mode: " MODE_EXPECTED
               ", got \"enforce\" (did you mean \"enforcing\"?)");
        expect("gzip-truncated.ign", -EINVAL,
               "error: gzip-truncated.ign:11:26: $.storage.files[0].contents.compression: expected gzip data in "
               "$.storage.files[0].contents.source, got data zlib refuses: gzip data cut short");
        /* 23 kB holding 17 MiB: stopped at the block file's limit */
        expect("gzip-bomb.ign", -EINVAL,
               "error: gzip-bomb.ign:1:125: $.storage.files[0].contents.compression: the gzip data holds more than "
               "16777216 bytes, more than ignition-selinux reads");
        /* config/v3_N/types/resource.go validateCompression: "" and "gzip" */
        expect("compression-xz.ign", -EINVAL,
               "error: compression-xz.ign:10:26: $.storage.files[0].contents.compression: expected \"gzip\" or \"\" "
               "(Ignition knows no other), got string \"xz\"");
}

static void test_bad_dataurl(void **state) {
        expect("bad-dataurl.ign", -EINVAL,
               "error: bad-dataurl.ign:10:21: $.storage.files[0].contents.source: expected a data: URL Ignition "
               "accepts, got one it refuses: invalid %-escape in data");
}

#define VERSION_EXPECTED "expected a config spec version Ignition accepts (\"3.0.0\" to \"3.6.0\"), got "

/* config/v3_N/config.go Parse: the version must equal a spec's MaxVersion */
static void test_versions(void **state) {
        expect("version-banana.ign", -EINVAL,
               "error: version-banana.ign:3:16: $.ignition.version: " VERSION_EXPECTED "string \"banana\"");
        expect("version-4.0.0.ign", -EINVAL,
               "error: version-4.0.0.ign:3:16: $.ignition.version: " VERSION_EXPECTED "string \"4.0.0\"");
        expect("version-3.4.ign", -EINVAL,
               "error: version-3.4.ign:3:16: $.ignition.version: " VERSION_EXPECTED
               "string \"3.4\" (did you mean \"3.4.0\"?)");
        expect("version-missing.ign", -EINVAL,
               "error: version-missing.ign:2:15: $.ignition.version: " VERSION_EXPECTED "nothing");
        expect("version-experimental.ign", 0,
               "warning: version-experimental.ign:3:16: $.ignition.version: \"3.5.0-experimental\" is an "
               "experimental spec: only Ignition 2.15 to 2.19 accepts it, a later Ignition refuses the config");
}

/* internal/exec/config_fetcher.go RenderConfig: children are fetched,
 * parsed as whole configs, and (for replace) used instead */
static void test_merge_replace(void **state) {
        expect("merge-bad-child.ign", -EINVAL,
               "error: merge-bad-child.ign:$.ignition.config.merge[0].source:$.storage.files[0].contents.source:1:22: "
               "$.selinux.mode: " MODE_EXPECTED ", got \"enforce\" (did you mean \"enforcing\"?)\n"
               "warning: merge-bad-child.ign:10:21: $.ignition.config.merge[1].source: a config fetched from "
               "elsewhere (https) cannot be checked");
        expect("merge-bad-version.ign", -EINVAL,
               "error: merge-bad-version.ign:$.ignition.config.merge[0].source:1:26: $.ignition.version: "
               VERSION_EXPECTED "string \"banana\"");
        expect("replace.ign", 0,
               "warning: replace.ign:6:19: $.ignition.config.replace: Ignition uses the config there instead of "
               "this one: the rest of this config is discarded\n"
               "warning: replace.ign:12:7: $.storage.files[0]: discarded: Ignition replaces this config with the one "
               "at $.ignition.config.replace, so this file is not written");
}

static void test_block_invalid(void **state) {
        expect("block-invalid.json", -EINVAL,
               "error: block-invalid.json:3:13: $.selinux.mode: " MODE_EXPECTED
               ", got \"permisive\" (did you mean \"permissive\"?)\n"
               "error: block-invalid.json:5:3: $.selinx: unknown key, expected \"selinux\" (did you "
               "mean \"selinux\"?)");
}

static void test_syntax(void **state) {
        expect("syntax.ign", -EINVAL, "error: syntax.ign:3:35: $: invalid JSON: expected a quoted key");
}

static void test_missing_file(void **state) {
        int r;
        _cleanup_free_ char *out = run("does-not-exist.ign", &r);
        assert_int_equal(r, -ENOENT);
        assert_string_equal(out, "");
}

/* Inline configs for the cases that need no fixture of their own. */
static void expect_text(const char *text, int r, const char *out) {
        char path[] = "/tmp/test-validate-XXXXXX";
        int fd = mkstemp(path);

        assert_true(fd >= 0);
        assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
        close(fd);
        int got_r;
        _cleanup_free_ char *got = run(path, &got_r);
        unlink(path);
        /* messages name the temporary file: compare after it */
        _cleanup_free_ char *want = NULL;
        assert_true(asprintf(&want, out, path, path, path) >= 0);
        assert_string_equal(got, want);
        assert_int_equal(got_r, r);
}

static void test_inline_cases(void **state) {
        /* empty file: Ignition writes an empty file, which fails at boot */
        expect_text("{\"ignition\": {\"version\": \"3.4.0\"}, \"storage\": {\"files\": "
                    "[{\"path\": \"/etc/selinux/ignition.json\"}]}}",
                    -EINVAL,
                    "error: %s:1:58: $.storage.files[0]: no contents.source: the file would be "
                    "empty, which is not a valid block file");
        /* decoded contents that are not JSON */
        expect_text("{\"ignition\": {\"version\": \"3.4.0\"}, \"storage\": {\"files\": "
                    "[{\"path\": \"/etc/selinux/ignition.json\", \"contents\": {\"source\": "
                    "\"data:,%7B%22selinux%22\"}}]}}",
                    -EINVAL,
                    "error: %s:$.storage.files[0].contents.source:1:11: $: invalid JSON: unexpected "
                    "end of data");
        /* decoded contents with a block but no keys, and one without a block */
        expect_text("{\"ignition\": {\"version\": \"3.4.0\"}, \"storage\": {\"files\": "
                    "[{\"path\": \"/etc/selinux/ignition.json\", \"contents\": {\"source\": "
                    "\"data:,%7B%7D\"}}]}}",
                    0, "warning: %s:$.storage.files[0].contents.source: no selinux block found");
        /* other paths and relative paths are not the block file */
        expect_text("{\"ignition\": {\"version\": \"3.4.0\"}, \"storage\": {\"files\": "
                    "[{\"path\": \"etc/selinux/ignition.json\", \"contents\": {\"source\": \"data:,x\"}},"
                    " {\"path\": \"/etc/selinux/ignition.json.bak\", \"contents\": {\"source\": \"data:,x\"}}]}}",
                    0,
                    "warning: %s: no selinux block found (neither a top-level \"selinux\" key nor "
                    "a storage.files entry for /etc/selinux/ignition.json)");
        /* a bare file without the block */
        expect_text("{}", 0, "warning: %s: no selinux block found");
        expect_text("[]", -EINVAL, "error: %s:1:1: $: expected an object, got array");
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_files_percent),   cmocka_unit_test(test_files_base64),
                cmocka_unit_test(test_block_file),      cmocka_unit_test(test_files_invalid),
                cmocka_unit_test(test_top_level),       cmocka_unit_test(test_invalid_top_level),
                cmocka_unit_test(test_both),            cmocka_unit_test(test_no_block),
                cmocka_unit_test(test_remote),          cmocka_unit_test(test_compressed),
                cmocka_unit_test(test_bad_dataurl),     cmocka_unit_test(test_block_invalid),
                cmocka_unit_test(test_syntax),          cmocka_unit_test(test_missing_file),
                cmocka_unit_test(test_inline_cases),    cmocka_unit_test(test_versions),
                cmocka_unit_test(test_merge_replace),
        };
        return cmocka_run_group_tests(tests, enter_data_dir, NULL);
}
