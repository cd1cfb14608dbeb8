/* SPDX-License-Identifier: MIT */
/* The scanner of json-locate.h on raw bytes (no NUL at the end, no prior
 * validation): every function is documented as bounded by `len` and safe on
 * arbitrary bytes. libFuzzer hands over a heap buffer of exactly `size`
 * bytes, so ASan sees any read past its end. */
#include <errno.h>
#include <stdbool.h>

#include "fuzz.h"
#include "config/json-locate.h"

struct dup_check {
        size_t len, calls;
};

static int on_dup(const char *path, size_t first_off, size_t dup_off, void *userdata) {
        struct dup_check *c = userdata;

        FUZZ_ASSERT(path && path[0] == '$');
        FUZZ_ASSERT(first_off < dup_off && dup_off < c->len);
        c->calls++;
        /* a negative return must stop the search and be passed on */
        return c->calls == 50 ? -ECANCELED : 0;
}

/* What the product asks for, plus deep and odd paths. */
static const struct jl_step p_sel[] = {JL_KEY("selinux")};
static const struct jl_step p_mode[] = {JL_KEY("selinux"), JL_KEY("mode")};
static const struct jl_step p_src[] = {JL_KEY("storage"), JL_KEY("files"), JL_INDEX(0),
                                       JL_KEY("contents"), JL_KEY("source")};
static const struct jl_step p_idx[] = {JL_INDEX(0), JL_INDEX(1), JL_INDEX(2)};
static const struct jl_step p_mix[] = {JL_KEY(""), JL_INDEX(3), JL_KEY("a"), JL_KEY("\xc3\xa9")};
static const struct {
        const struct jl_step *steps;
        size_t n;
} paths[] = {
        {NULL, 0}, {p_sel, 1}, {p_mode, 2}, {p_src, 5}, {p_idx, 3}, {p_mix, 4},
};

/* The documented promise of diag_quote(): NUL-terminated within
 * `size`, no control characters, valid UTF-8. */
static void check_render(const char *s, size_t len, size_t size, size_t max_chars) {
        char *out = malloc(size ? size : 1);

        FUZZ_ASSERT(out);
        diag_quote(out, size, s, len, max_chars);
        if (size) {
                size_t n = strnlen(out, size);
                FUZZ_ASSERT(n < size);
                for (size_t i = 0; i < n; i++)
                        FUZZ_ASSERT((unsigned char)out[i] >= 0x20 && out[i] != 0x7f);
                FUZZ_ASSERT(jl_utf8_invalid_at(out, n) == n);
        }
        free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        const char *text = (const char *)data;
        size_t err_off = (size_t)-1, bad;
        const char *err_msg = NULL;
        unsigned line, col;
        int r;

        /* strict syntax */
        r = jl_check_syntax(text, size, &err_off, &err_msg);
        bool valid = r == 0;
        FUZZ_ASSERT(r == 0 || r == -EINVAL);
        if (r < 0)
                FUZZ_ASSERT(err_msg && err_off <= size);

        /* locating values and finding duplicate keys: the first byte picks
         * the path (it stays part of the text too) */
        {
                size_t i = size ? data[0] % (sizeof(paths) / sizeof(paths[0])) : 0;
                struct jl_loc loc;
                struct dup_check dc = {.len = size};

                r = jl_locate(text, size, paths[i].steps, paths[i].n, &loc);
                FUZZ_ASSERT(r == 0 || r == -ENOENT || r == -EINVAL);
                if (r == 0) {
                        FUZZ_ASSERT(loc.value_off < size);
                        FUZZ_ASSERT(!loc.has_key || loc.key_off < loc.value_off);
                        jl_line_col(text, size, loc.value_off, &line, &col);
                        FUZZ_ASSERT(line >= 1 && col >= 1);
                }
                /* on valid text the index answers as the scan does (on
                 * malformed text the scan may stop early where the index
                 * reads a whole container and fails); line and column
                 * always */
                struct jl_doc *doc = NULL;
                struct jl_loc dloc;
                unsigned l2, c2;
                FUZZ_ASSERT(jl_doc_new(text, size, &doc) == 0);
                int dr = jl_doc_locate(doc, paths[i].steps, paths[i].n, &dloc);
                if (r == 0 && valid) {
                        FUZZ_ASSERT(dr == 0 && dloc.value_off == loc.value_off && dloc.has_key == loc.has_key &&
                                    (!loc.has_key || dloc.key_off == loc.key_off));
                        jl_line_col(text, size, loc.value_off, &line, &col);
                        jl_doc_line_col(doc, loc.value_off, &l2, &c2);
                        FUZZ_ASSERT(line == l2 && col == c2);
                }
                for (size_t off = 0; off <= size + 1; off += 1 + size / 7) {
                        jl_line_col(text, size, off, &line, &col);
                        jl_doc_line_col(doc, off, &l2, &c2);
                        FUZZ_ASSERT(line == l2 && col == c2);
                }
                size_t values, containers;
                if (jl_count_values(text, size, 0, &values, &containers) == 0)
                        FUZZ_ASSERT(containers <= values);
                jl_doc_free(doc);
                for (int recursive = 0; recursive < 2; recursive++) {
                        r = jl_find_duplicates(text, size, paths[i].steps, paths[i].n, recursive,
                                               on_dup, &dc);
                        FUZZ_ASSERT(r == 0 || r == -ENOENT || r == -EINVAL || r == -ECANCELED);
                        FUZZ_ASSERT(r != -ECANCELED || dc.calls == 50);
                }
        }

        /* UTF-8, positions */
        bad = jl_utf8_invalid_at(text, size);
        FUZZ_ASSERT(bad <= size);
        FUZZ_ASSERT(jl_utf8_invalid_at(text, bad) == bad);
        jl_line_col(text, size, size / 2, &line, &col);
        jl_line_col(text, size, size, &line, &col);
        FUZZ_ASSERT(line >= 1 && col >= 1 && col <= size + 1);
        jl_line_col(text, size, size + 100, &line, &col);

        /* rendering and paths, as used in messages */
        static const size_t sizes[] = {0, 5, 6, 7, 16, 40 * 6 + 16};
        check_render(text, size, sizes[size % (sizeof(sizes) / sizeof(sizes[0]))], 40);
        check_render(text, size, size * 6 + 8, SIZE_MAX);
        char *p = jl_path_key("$.selinux", text, size);
        FUZZ_ASSERT(p);
        for (size_t i = 0; p[i]; i++)
                FUZZ_ASSERT((unsigned char)p[i] >= 0x20 && p[i] != 0x7f);
        free(p);
        p = jl_path_index(NULL, size);
        FUZZ_ASSERT(p);
        free(p);
        return 0;
}
