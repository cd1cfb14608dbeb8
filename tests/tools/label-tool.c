/* SPDX-License-Identifier: MIT */
/* Test helper: the labels src/label.c gives with its lookup cache against
 * libselinux's own answer, for every path of a tree.
 *   label-tool compare POLICYDIR TREE [PREFIX]
 * looks up, with the file contexts of POLICYDIR (/etc/selinux/<type>), every
 * entry under TREE as the path PREFIX + its path below TREE (PREFIX defaults
 * to TREE itself), once through a labeler with the cache and once through
 * one without; prints each difference and "N paths, M cached lookups
 * compared, D differences". Exit 0 with no difference, 1 otherwise. */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "label.h"
#include "log.h"
#include "util.h"

static struct labeler *cached, *plain;
static const char *tree, *prefix;
static unsigned long paths, diffs;

static int visit(const char *fpath, const struct stat *st, int flag, struct FTW *ftw) {
        _cleanup_free_ char *path = NULL, *a = NULL, *b = NULL;
        (void)flag;
        (void)ftw;
        if (asprintf(&path, "%s%s", prefix, fpath + strlen(tree)) < 0)
                return -1;
        if (!path[0] || (strlen(path) > 1 && path[strlen(path) - 1] == '/'))
                return 0;
        int ra = label_lookup(cached, path, st->st_mode, &a);
        int rb = label_lookup(plain, path, st->st_mode, &b);
        paths++;
        if (ra != rb || (ra == 0 && strcmp(a, b) != 0)) {
                printf("DIFF %s (mode %o): cached %s, libselinux %s\n", path, st->st_mode & S_IFMT,
                       ra == 0 ? a : strerror(-ra), rb == 0 ? b : strerror(-rb));
                diffs++;
        }
        return 0;
}

static int open_labeler(const char *dir, bool cache, struct labeler **l) {
        _cleanup_close_ int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                return negerrno();
        setenv("IGNITION_SELINUX_NO_LABEL_CACHE", cache ? "0" : "1", 1);
        return labeler_open(fd, l);
}

int main(int argc, char **argv) {
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
        if ((r = open_labeler(argv[2], true, &cached)) < 0 || (r = open_labeler(argv[2], false, &plain)) < 0)
                return log_errno(r, "opening the file contexts of %s", argv[2]), 1;
        if (nftw(tree, visit, 64, FTW_PHYS) < 0)
                return log_errno(negerrno(), "walking %s", tree), 1;
        printf("%lu paths compared, %lu differences\n", paths, diffs);
        labeler_free(cached);
        labeler_free(plain);
        return diffs ? 1 : 0;
}
