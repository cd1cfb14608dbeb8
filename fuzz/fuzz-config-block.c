/* SPDX-License-Identifier: MIT */
/* config_parse() on a block file (/etc/selinux/ignition.json), merged twice
 * into the same configuration as sources are merged at boot. */
#include <errno.h>

#include "config/config.h"
#include "lib/diag.h"
#include "fuzz.h"

static void check_config(const struct se_config *c) {
        FUZZ_ASSERT(c->mode >= SE_MODE_UNSET && c->mode <= SE_MODE_DISABLED);
        FUZZ_ASSERT((c->mode == SE_MODE_UNSET) == (c->mode_origin == NULL));
        FUZZ_ASSERT(!c->policy || policy_name_valid(c->policy));
        FUZZ_ASSERT(!c->policy == !c->policy_origin);
        FUZZ_ASSERT(c->audit_denials >= -1 && c->audit_denials <= 1);
        FUZZ_ASSERT((c->audit_denials < 0) == (c->audit_origin == NULL));
}

static void parse_once(const uint8_t *data, size_t size, struct se_config *cfg) {
        struct diags d = {0};
        struct se_config before = *cfg;
        char *policy_before = cfg->policy ? strdup(cfg->policy) : NULL;
        bool found = true;
        int r;

        r = config_parse("fuzz.json", (const char *)data, size, CONFIG_KIND_BLOCK_FILE, cfg, &found,
                         &d);
        FUZZ_ASSERT(r == 0 || r == -EINVAL);
        /* an error always says why; success says nothing */
        FUZZ_ASSERT((r == 0) == (d.n_errors == 0));
        if (r < 0) {
                /* on error the configuration is left untouched */
                FUZZ_ASSERT(cfg->mode == before.mode && cfg->audit_denials == before.audit_denials &&
                            cfg->found == before.found && cfg->policy == before.policy &&
                            cfg->mode_origin == before.mode_origin &&
                            cfg->policy_origin == before.policy_origin &&
                            cfg->audit_origin == before.audit_origin);
                FUZZ_ASSERT(!policy_before || strcmp(cfg->policy, policy_before) == 0);
        } else if (found) {
                FUZZ_ASSERT(cfg->found);
        }
        check_config(cfg);
        free(policy_before);
        diags_free(&d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        struct se_config cfg;

        se_config_init(&cfg);
        parse_once(data, size, &cfg);
        parse_once(data, size, &cfg);
        se_config_free(&cfg);
        return 0;
}
