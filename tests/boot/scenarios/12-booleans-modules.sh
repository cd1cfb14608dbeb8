#!/bin/bash
# 12. Booleans, a CIL module and a permissive domain (enforcing, old layout): the boolean
#     reads back through getsebool after switch-root; the module's rule and the permissive
#     domain are in the loaded policy (asked of selinuxfs); an operator's `setsebool -P`
#     works on the writable store with /usr read-only (scenario 08 shows it failing on the
#     stock image); the next boot keeps all of it.
source "$(dirname "$0")/../scenario.sh"
fresh_disk old
block='{"selinux":{"mode":"enforcing","booleans":{"allow_execmem":true},
 "modules":[{"name":"flannel-cni","cil":"(allow ntpd_t shadow_t (file (read)))"}],
 "permissiveDomains":["ntpd_t"]}}'
cfg=$(file_form "$block" | config modules)
probes="probe.bool=allow_execmem probe.bool=httpd_use_nfs probe.av=ntpd_t:shadow_t:file:read probe.av=sshd_t:shadow_t:file:write"
first_boot "$probes probe.rousr probe.setsebool=httpd_use_nfs" "$cfg"
assert_unit_ran
record_unit_time unit_seconds_modules
assert_state Enforcing enforcing
assert_unit_log "rebuild the policy with libsemanage: install module flannel-cni (priority 400), install module permissive_ntpd_t (priority 400)"
assert_eq "$(p bool_allow_execmem)" "allow_execmem --> on" "getsebool after switch-root"
assert_eq "$(p av_ntpd_t_shadow_t_file_read)" "allowed=yes permissive=yes" "the module's rule and the permissive domain, loaded"
assert_eq "$(p av_sshd_t_shadow_t_file_write)" "allowed=no permissive=no" "a rule no module adds (the query can say no)"
assert_eq "$(p usr_ro)" yes "/usr read-only, as on Flatcar"
assert_eq "$(p setsebool_rc)" 0 "an operator's setsebool -P, with /usr read-only"
assert_eq "$(p bool_after_setsebool_httpd_use_nfs)" "httpd_use_nfs --> on" "getsebool after setsebool -P"
assert_labels_ok
assert_no_denials_of_ours

boot "ignition.platform.id=qemu $probes"
assert_state Enforcing enforcing
assert_eq "$(p bool_allow_execmem)" "allow_execmem --> on" "the declared boolean after a second boot"
assert_eq "$(p bool_httpd_use_nfs)" "httpd_use_nfs --> on" "the operator's boolean after a second boot"
assert_eq "$(p av_ntpd_t_shadow_t_file_read)" "allowed=yes permissive=yes" "module and permissive domain after a second boot"
assert_labels_ok
assert_no_denials_of_ours
