/* SPDX-License-Identifier: MIT */
/* The command line: argument handling only; the work is in sources → config
 * → plan → apply → load. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdint.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apply/apply.h"
#include "config/config.h"
#include "lib/diag.h"
#include "lib/fsutil.h"
#include "lib/lock.h"
#include "lib/log.h"
#include "lib/root.h"
#include "lib/util.h"
#include "plan/plan.h"
#include "report/report.h"
#include "selinux/selinux.h"

enum exit_code {
        EXIT_OK = 0,
        EXIT_INVALID = 1, /* the configuration is invalid or cannot be honoured */
        EXIT_USAGE = 2,
        EXIT_APPLY = 3, /* the target could not be read or changed */
        EXIT_LOAD = 4,  /* the policy could not be loaded in the mode asked */
        /* denials */
        EXIT_DENIALS_ENFORCED = 1,   /* at least one denial or SELinux error would be refused */
        EXIT_DENIALS_UNREADABLE = 3, /* the input could not be read */
};

/* Long enough for a libsemanage rebuild under emulation (a QEMU boot
 * without KVM), which another run on the same root would be waiting for. */
#define LOCK_WAIT_DEFAULT_S 60

struct opts {
        const char *root, *cmdline, *source_root, *platform, *ignition_config;
        const char **configs;
        size_t n_configs;
        bool no_load, verbose;
        unsigned lock_wait_ms;
};

static void usage(FILE *f) {
        fputs("Usage: ignition-selinux apply [OPTIONS]\n"
              "       ignition-selinux plan [OPTIONS]\n"
              "       ignition-selinux validate FILE...\n"
              "       ignition-selinux denials [--json] [--raw] [--cil|--ignition] [--permissive-domain TYPE]... [FILE|-]\n"
              "\n"
              "Apply the `selinux` block of the Ignition configuration to the target root:\n"
              "a writable, labelled policy store, a real /etc/selinux/config, and the\n"
              "policy loaded in the requested mode before switch-root.\n"
              "\n"
              "Options for apply and plan:\n"
              "  --root DIR         target root (default /sysroot)\n"
              "  --config FILE      read the block from FILE instead of the raw Ignition\n"
              "                     sources (repeatable; later wins key by key)\n"
              "  --cmdline FILE     kernel command line (default /proc/cmdline)\n"
              "  --source-root DIR  prefix of the raw Ignition sources (default /)\n"
              "  --platform NAME    platform for base.platform.d (default: ignition.platform.id=)\n"
              "  --ignition-config FILE  the config Ignition ran (default /run/ignition.json\n"
              "                     under --source-root; with --config, those files)\n"
              "  --no-load          do not load the policy\n"
              "  --lock-wait SECONDS  wait that long for another run on the same root\n"
              "                     (default 60; 0: refuse at once)\n"
              "  -v, --verbose      more messages; plan lists every entry it labels\n"
              "  -q, --quiet        errors only\n"
              "  -h, --help         this help\n"
              "      --version      version\n"
              "\n"
              "Options for denials (reads audit.log, journal or dmesg text; default stdin):\n"
              "  --json             the groups and counts as JSON\n"
              "  --raw              each record as read, after its group key (with --json:\n"
              "                     a JSON array of records)\n"
              "  --cil              the allow rules that would let it all through, as CIL\n"
              "  --ignition         those rules as a module in a selinux block\n"
              "  --permissive-domain TYPE  a domain that stays permissive: its denials would\n"
              "                     not be enforced (repeatable)\n"
              "\n"
              "Exit status: 0 done, 1 invalid configuration, 2 usage, 3 target not\n"
              "changed as asked, 4 policy not loaded as asked. denials: 0 nothing would be\n"
              "refused, 1 a denial or SELinux error would, 2 usage, 3 unreadable input.\n"
              "See ignition-selinux(8).\n",
              f);
}

static int parse_opts(int argc, char **argv, struct opts *o) {
        enum {
                OPT_ROOT = 0x100,
                OPT_CONFIG,
                OPT_CMDLINE,
                OPT_SOURCE_ROOT,
                OPT_PLATFORM,
                OPT_IGNITION_CONFIG,
                OPT_NO_LOAD,
                OPT_LOCK_WAIT,
                OPT_VERSION
        };
        static const struct option longopts[] = {
                {"root", required_argument, NULL, OPT_ROOT},
                {"config", required_argument, NULL, OPT_CONFIG},
                {"cmdline", required_argument, NULL, OPT_CMDLINE},
                {"source-root", required_argument, NULL, OPT_SOURCE_ROOT},
                {"platform", required_argument, NULL, OPT_PLATFORM},
                {"ignition-config", required_argument, NULL, OPT_IGNITION_CONFIG},
                {"no-load", no_argument, NULL, OPT_NO_LOAD},
                {"lock-wait", required_argument, NULL, OPT_LOCK_WAIT},
                {"verbose", no_argument, NULL, 'v'},
                {"quiet", no_argument, NULL, 'q'},
                {"help", no_argument, NULL, 'h'},
                {"version", no_argument, NULL, OPT_VERSION},
                {0},
        };
        int c;

        o->root = "/sysroot";
        o->lock_wait_ms = LOCK_WAIT_DEFAULT_S * 1000;
        o->cmdline = "/proc/cmdline";
        o->source_root = "/";
        while ((c = getopt_long(argc, argv, "vqh", longopts, NULL)) >= 0) {
                switch (c) {
                case OPT_ROOT: o->root = optarg; break;
                case OPT_CMDLINE: o->cmdline = optarg; break;
                case OPT_SOURCE_ROOT: o->source_root = optarg; break;
                case OPT_PLATFORM: o->platform = optarg; break;
                case OPT_IGNITION_CONFIG: o->ignition_config = optarg; break;
                case OPT_NO_LOAD: o->no_load = true; break;
                case OPT_LOCK_WAIT: {
                        char *end;
                        errno = 0;
                        unsigned long v = strtoul(optarg, &end, 10);
                        if (errno || end == optarg || *end || v > 3600) {
                                log_error("--lock-wait: expected seconds from 0 to 3600, got \"%s\"", optarg);
                                return -EINVAL;
                        }
                        o->lock_wait_ms = (unsigned)v * 1000;
                        break;
                }
                case 'v': log_set_level(LOG_LVL_DEBUG); o->verbose = true; break;
                case 'q': log_set_level(LOG_LVL_ERR); break;
                case 'h': usage(stdout); exit(EXIT_OK);
                case OPT_VERSION: puts("ignition-selinux " VERSION); exit(EXIT_OK);
                case OPT_CONFIG: {
                        const char **n = realloc(o->configs, (o->n_configs + 1) * sizeof(*n));
                        if (!n)
                                return -ENOMEM;
                        o->configs = n;
                        o->configs[o->n_configs++] = optarg;
                        break;
                }
                default: return -EINVAL;
                }
        }
        if (optind != argc) {
                log_error("unexpected argument: %s", argv[optind]);
                return -EINVAL;
        }
        return 0;
}

/* A test build (make's build/tests/ignition-selinux-hooks) stops `apply`
 * after N steps, so that the fault suite can reach every intermediate
 * state; the product reads no such switch. */
static size_t max_steps(void) {
#ifdef IGNITION_SELINUX_TEST_HOOKS
        const char *e = getenv("IGNITION_SELINUX_MAX_STEPS");
        if (e && *e)
                return (size_t)strtoull(e, NULL, 10);
#endif
        return SIZE_MAX;
}

/* The config Ignition ran: --ignition-config, else the --config files (a
 * workstation's `plan --config my.ign`), else Ignition's cache. Missing on
 * a boot where Ignition ran, it is worth a warning: only what Ignition
 * writes on its own can then be found to label. */
static int read_ignition_cache(const struct opts *o, const struct kcmdline *k, struct ignition_cache *c,
                               struct diags *d) {
        _cleanup_free_ char *cache = NULL;

        if (o->ignition_config)
                return ignition_cache_read(&o->ignition_config, 1, true, c, d);
        if (o->configs)
                return ignition_cache_read(o->configs, o->n_configs, true, c, d);
        if (asprintf(&cache, "%s%s", streq(o->source_root, "/") ? "" : o->source_root, IGNITION_CACHE) < 0)
                return -ENOMEM;
        const char *files[] = {cache};
        int r = ignition_cache_read(files, 1, k->firstboot, c, d);
        if (r >= 0 && !c->read && k->firstboot)
                diags_add(d, DIAG_WARNING, "%s: the config Ignition ran is not at hand: only what Ignition "
                          "writes on its own (passwd files, its result and preset files) is labelled", cache);
        return r;
}

/* apply: alone on the root; plan: beside other plans, never in the middle
 * of an apply (lib/lock.h). */
static int lock_root(const struct opts *o, bool exclusive, int *fd) {
        pid_t holder;
        int r = root_lock(o->root, exclusive, 0, fd, &holder);

        if (r == -EWOULDBLOCK && o->lock_wait_ms > 0) {
                log_info("waiting up to %u s for another ignition-selinux (pid %d) on %s", o->lock_wait_ms / 1000,
                         (int)holder, o->root);
                r = root_lock(o->root, exclusive, o->lock_wait_ms, fd, &holder);
        }
        if (r == -EWOULDBLOCK && holder > 0)
                log_error("another ignition-selinux is running on %s (pid %d); nothing was changed", o->root,
                          (int)holder);
        else if (r == -EWOULDBLOCK)
                log_error("another ignition-selinux is running on %s; nothing was changed", o->root);
        else if (r < 0)
                log_errno(r, "Failed to lock %s", o->root);
        return r;
}

static int run(bool do_apply, int argc, char **argv) {
        struct opts o = {0};
        struct kcmdline k;
        struct se_config cfg;
        struct diags d = {0};
        struct plan p = {0};
        struct ignition_cache ign = {0};
        _cleanup_close_ int lockfd = -1, rootfd = -1;
        int r, ret = EXIT_OK;

        kcmdline_init(&k);
        se_config_init(&cfg);
        r = parse_opts(argc, argv, &o);
        if (r < 0) {
                usage(stderr);
                free(o.configs);
                return EXIT_USAGE;
        }
        rootfd = root_open(o.root);
        if (rootfd < 0) {
                log_errno(rootfd, "Failed to open the target root %s", o.root);
                ret = EXIT_APPLY;
                goto out;
        }
        if (lock_root(&o, do_apply, &lockfd) < 0) {
                ret = EXIT_APPLY;
                goto out;
        }
        const char *display = streq(o.root, "/") ? "" : o.root;
        r = kcmdline_read(o.cmdline, &k, &d);
        if (r < 0) {
                diags_print(&d, stderr);
                ret = r == -EINVAL ? EXIT_INVALID : EXIT_APPLY;
                goto out;
        }
        struct source_opts so = {
                .source_root = o.source_root,
                .configs = o.configs,
                .n_configs = o.n_configs,
                .platform = o.platform ? o.platform : k.platform,
        };
        r = sources_read_raw(&so, &cfg, &d);
        if (r >= 0)
                r = sources_read_target(rootfd, display, &cfg, &d);
        if (r >= 0)
                r = read_ignition_cache(&o, &k, &ign, &d);
        if (r >= 0) {
                struct plan_input in = {
                        .rootfd = rootfd, .root_display = display, .cfg = &cfg, .kcmd = &k, .ignition = &ign};
                r = plan_build(&in, &p, &d);
        }
        if (r >= 0) {
                struct preflight_input pi = {
                        .rootfd = rootfd,
                        .root_display = display,
                        .ignition = &ign,
                        /* Reading every disk's superblock again is for a
                         * run that changes something, or that may refuse. */
                        .probe_devices = p.n > 0 || cfg.btrfs_fatal == 1,
                };
                r = preflight_btrfs(&pi, &cfg, &p, &d);
        }
        diags_print(&d, stderr);
        if (r < 0) {
                ret = r == -EINVAL || d.n_errors > 0 ? EXIT_INVALID : EXIT_APPLY;
                if (do_apply)
                        log_error("nothing was changed on %s", o.root);
                goto out;
        }
        if (!do_apply) {
                plan_print(&p, o.verbose, stdout);
                goto out;
        }
        if (p.n == 0)
                log_info(p.block_found ? "nothing to change on %s" : "no selinux block: %s left as it is", o.root);
        r = apply_plan(rootfd, o.root, display, &p, max_steps());
        if (r < 0) {
                ret = EXIT_APPLY;
                goto out;
        }
        if (o.no_load)
                log_info("this boot: %s (%s); not loading the policy (--no-load)",
                         se_mode_to_string(p.boot_mode), p.boot_mode_reason);
        else if (load_policy(rootfd, o.root, p.type, p.boot_mode, p.boot_mode_reason) < 0)
                ret = EXIT_LOAD;
out:
        plan_free(&p);
        ignition_cache_free(&ign);
        diags_free(&d);
        se_config_free(&cfg);
        kcmdline_free(&k);
        free(o.configs);
        return ret;
}

static int run_validate(int argc, char **argv) {
        int ret = EXIT_OK;

        if (argc < 2) {
                usage(stderr);
                return EXIT_USAGE;
        }
        for (int i = 1; i < argc; i++) {
                struct diags d = {0};
                int r = validate_file(argv[i], &d);
                diags_print(&d, stderr);
                if (r == -EINVAL)
                        ret = EXIT_INVALID;
                else if (r < 0) {
                        log_errno(r, "Failed to read %s", argv[i]);
                        ret = EXIT_INVALID;
                } else
                        printf("%s: valid\n", argv[i]);
                diags_free(&d);
        }
        return ret;
}

static int run_denials(int argc, char **argv) {
        enum { OPT_JSON = 0x100, OPT_RAW, OPT_CIL, OPT_IGNITION, OPT_PERMISSIVE_DOMAIN };
        static const struct option longopts[] = {
                {"json", no_argument, NULL, OPT_JSON},
                {"raw", no_argument, NULL, OPT_RAW},
                {"cil", no_argument, NULL, OPT_CIL},
                {"ignition", no_argument, NULL, OPT_IGNITION},
                {"permissive-domain", required_argument, NULL, OPT_PERMISSIVE_DOMAIN},
                {"help", no_argument, NULL, 'h'},
                {0},
        };
        struct denials_opts o = {0};
        size_t n_refused = 0;
        int c, r;

        while ((c = getopt_long(argc, argv, "h", longopts, NULL)) >= 0) {
                switch (c) {
                case OPT_JSON: o.json = true; break;
                case OPT_RAW: o.raw = true; break;
                case OPT_CIL: o.cil = true; break;
                case OPT_IGNITION: o.ignition = true; break;
                case 'h': usage(stdout); free(o.permissive_domains); return EXIT_OK;
                case OPT_PERMISSIVE_DOMAIN: {
                        char **n = realloc(o.permissive_domains, (o.n_permissive_domains + 1) * sizeof(*n));
                        if (!n) {
                                free(o.permissive_domains);
                                log_errno(-ENOMEM, "Failed to parse the arguments");
                                return EXIT_USAGE;
                        }
                        o.permissive_domains = n;
                        o.permissive_domains[o.n_permissive_domains++] = optarg;
                        break;
                }
                default: usage(stderr); free(o.permissive_domains); return EXIT_USAGE;
                }
        }
        /* One output: the table, --json, --raw (alone or with --json), --cil or --ignition. */
        if ((o.cil || o.ignition) && (o.cil + o.ignition + o.json + o.raw > 1)) {
                log_error("--cil and --ignition go with no other output option");
                usage(stderr);
                free(o.permissive_domains);
                return EXIT_USAGE;
        }
        if (argc - optind > 1) {
                log_error("unexpected argument: %s", argv[optind + 1]);
                usage(stderr);
                free(o.permissive_domains);
                return EXIT_USAGE;
        }
        r = denials_run(optind < argc ? argv[optind] : NULL, &o, &n_refused);
        free(o.permissive_domains);
        if (r < 0)
                return EXIT_DENIALS_UNREADABLE;
        return n_refused > 0 ? EXIT_DENIALS_ENFORCED : EXIT_OK;
}

int main(int argc, char **argv) {
        if (argc < 2) {
                usage(stderr);
                return EXIT_USAGE;
        }
        const char *verb = argv[1];
        if (streq(verb, "-h") || streq(verb, "--help")) {
                usage(stdout);
                return EXIT_OK;
        }
        if (streq(verb, "--version")) {
                puts("ignition-selinux " VERSION);
                return EXIT_OK;
        }
        if (streq(verb, "apply"))
                return run(true, argc - 1, argv + 1);
        if (streq(verb, "plan"))
                return run(false, argc - 1, argv + 1);
        if (streq(verb, "validate"))
                return run_validate(argc - 1, argv + 1);
        if (streq(verb, "denials"))
                return run_denials(argc - 1, argv + 1);
        log_error("unknown command \"%s\"", verb);
        usage(stderr);
        return EXIT_USAGE;
}
