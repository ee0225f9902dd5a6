# Per-tenant settings and usage, shared by admission and placement.
#
# A per-tenant table in data.gantry (quotas, required_labels, default_labels)
# is an object keyed by tenant name whose "default" entry applies to every
# tenant without an entry of its own. A tenant's entry replaces the default as
# a whole; it is not merged with it.
package gantry.tenants

# setting(table, tenant) is the tenant's entry in table, else table's default.
setting(table, tenant) := table[tenant] if {
	is_string(tenant)
	_ := table[tenant]
} else := table["default"]

quota(tenant) := setting(data.gantry.quotas, tenant)

# The usage document is what the tenant already has in the system, not
# counting the job being decided. Policies check it only when it is sent, and
# treat a malformed one as a reason to hold the job back, never as zero.

usage_problem := "usage must hold non-negative runningJobs, queuedJobs, cpu and memoryBytes"

usage_given if {
	_ := input.usage
}

valid_usage if {
	is_object(input.usage)
	every key in ["runningJobs", "queuedJobs", "cpu", "memoryBytes"] {
		is_number(input.usage[key])
		input.usage[key] >= 0
	}
}

# usage is input.usage when it is valid, {} otherwise, so that rules reading a
# figure from it are simply not met when there is none to read.
usage := input.usage if {
	valid_usage
} else := {}
