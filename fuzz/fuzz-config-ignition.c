/* SPDX-License-Identifier: MIT */
/* config_parse() on a whole raw Ignition config (base.d, user.ign, fw_cfg):
 * an optional top-level `selinux` key among Ignition's own keys. */
#include <errno.h>

#include "config/config.h"
#include "lib/diag.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        struct diags d = {0};
        struct se_config cfg;
        bool found = true;
        int r;

        se_config_init(&cfg);
        r = config_parse("fuzz.ign", (const char *)data, size, CONFIG_KIND_IGNITION, &cfg, &found,
                         &d);
        FUZZ_ASSERT(r == 0 || r == -EINVAL);
        FUZZ_ASSERT((r == 0) == (d.n_errors == 0));
        if (r < 0) {
                FUZZ_ASSERT(cfg.mode == SE_MODE_UNSET && !cfg.policy && cfg.audit_denials == -1 &&
                            !cfg.found);
        } else {
                FUZZ_ASSERT(cfg.found == found);
                FUZZ_ASSERT(!cfg.policy || policy_name_valid(cfg.policy));
        }
        se_config_free(&cfg);
        diags_free(&d);
        return 0;
}
