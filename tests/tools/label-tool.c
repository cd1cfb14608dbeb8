/* SPDX-License-Identifier: MIT */
/* Test helper: the labels src/selinux/label.c gives (through its lookup
 * cache) against libselinux's own answer, for every path of a tree.
 *   label-tool compare POLICYDIR TREE [PREFIX]
 * looks up, with the file contexts of POLICYDIR (/etc/selinux/<type>), every
 * entry under TREE as the path PREFIX + its path below TREE (PREFIX defaults
 * to TREE itself), once through the labeler and once through a plain
 * selabel_open() of the same file_contexts; prints each difference and "N
 * paths compared, D differences". Exit 0 with no difference, 1 otherwise. */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <selinux/label.h>
#include <selinux/selinux.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lib/log.h"
#include "lib/util.h"
#include "selinux/selinux.h"

static struct labeler *cached;
static struct selabel_handle *plain;
static const char *tree, *prefix;
static unsigned long paths, diffs;

static int visit(const char *fpath, const struct stat *st, int flag, struct FTW *ftw) {
        _cleanup_free_ char *path = NULL, *a = NULL;
        char *b = NULL;
        (void)flag;
        (void)ftw;
        if (asprintf(&path, "%s%s", prefix, fpath + strlen(tree)) < 0)
                return -1;
        if (!path[0] || (strlen(path) > 1 && path[strlen(path) - 1] == '/'))
                return 0;
        int ra = label_lookup(cached, path, st->st_mode, &a);
        int rb = selabel_lookup_raw(plain, &b, path, (int)(st->st_mode & S_IFMT)) < 0 ? -errno : 0;
        paths++;
        if (ra != rb || (ra == 0 && strcmp(a, b) != 0)) {
                printf("DIFF %s (mode %o): labeler %s, libselinux %s\n", path, st->st_mode & S_IFMT,
                       ra == 0 ? a : strerror(-ra), rb == 0 ? b : strerror(-rb));
                diffs++;
        }
        freecon(b);
        return 0;
}

int main(int argc, char **argv) {
        char fc[4096];
        int r;

        log_set_prefix("label-tool");
        if ((argc != 4 && argc != 5) || !streq(argv[1], "compare")) {
                fprintf(stderr, "usage: label-tool compare POLICYDIR TREE [PREFIX]\n");
                return 2;
        }
        tree = argv[3];
        prefix = argc == 5 ? argv[4] : argv[3];
        if (streq(prefix, "/"))
                prefix = "";
        _cleanup_close_ int fd = open(argv[2], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0 || (r = labeler_open(fd, &cached)) < 0)
                return log_errno(fd < 0 ? negerrno() : r, "opening the file contexts of %s", argv[2]), 1;
        snprintf(fc, sizeof(fc), "%s/contexts/files/file_contexts", argv[2]);
        const struct selinux_opt opts[] = {{SELABEL_OPT_PATH, fc}, {SELABEL_OPT_VALIDATE, NULL}};
        if (!(plain = selabel_open(SELABEL_CTX_FILE, opts, ELEMENTSOF(opts))))
                return log_errno(negerrno(), "selabel_open %s", fc), 1;
        if (nftw(tree, visit, 64, FTW_PHYS) < 0)
                return log_errno(negerrno(), "walking %s", tree), 1;
        printf("%lu paths compared, %lu differences\n", paths, diffs);
        labeler_free(cached);
        selabel_close(plain);
        return diffs ? 1 : 0;
}
