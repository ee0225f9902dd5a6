# May this job run? The decision lists every rule the job breaks, so a
# submitter can fix them all at once.
#
# Presence and type are checked as "deny unless positively valid", so a
# missing or mistyped field denies the job instead of slipping past the range
# checks, which only look at numbers.
package gantry.admission

import data.gantry.limits
import data.gantry.tenants
import data.gantry.text

gib := 1073741824

decision := {
	"allow": count(deny) == 0,
	"reasons": sort(deny),
	"defaults": {"labels": default_labels},
}

# job and resources are always objects, so a "not" over them never meets an
# undefined argument (which would make the negation itself undefined).
job := input.job if {
	is_object(input.job)
} else := {}

resources := job.resources if {
	is_object(job.resources)
} else := {}

deny contains "job is required" if not input_has_job

input_has_job if is_object(input.job)

# Tenant

deny contains "tenant is required" if not valid_tenant

valid_tenant if {
	is_string(job.tenant)
	trim_space(job.tenant) != ""
}

deny contains msg if {
	valid_tenant
	is_string(input.caller.tenant)
	input.caller.tenant != ""
	job.tenant != input.caller.tenant
	msg := concat("", [
		"tenant ", text.quoted(job.tenant),
		" does not match the caller's tenant ", text.quoted(input.caller.tenant),
	])
}

# CPU: required, fractional cores allowed.

deny contains "cpu is required" if not "cpu" in object.keys(resources)

deny contains "cpu must be a number" if {
	cpu := resources.cpu
	not is_number(cpu)
}

deny contains msg if {
	is_number(resources.cpu)
	resources.cpu <= 0
	msg := concat("", ["cpu must be greater than 0, got ", text.number(resources.cpu)])
}

deny contains msg if {
	is_number(resources.cpu)
	resources.cpu > limits.max_cpu
	msg := concat("", [
		"cpu ", text.number(resources.cpu),
		" exceeds the limit of ", text.number(limits.max_cpu), " per job",
	])
}

# Memory: optional, whole bytes.

deny contains "memoryBytes must be a whole number of bytes" if {
	memory := resources.memoryBytes
	not whole_number(memory)
}

deny contains msg if {
	is_number(resources.memoryBytes)
	resources.memoryBytes < 0
	msg := concat("", ["memoryBytes must not be negative, got ", text.number(resources.memoryBytes)])
}

deny contains msg if {
	is_number(resources.memoryBytes)
	resources.memoryBytes > limits.max_memory_bytes
	msg := concat("", [
		"memory of ", text.number(resources.memoryBytes),
		" bytes exceeds the limit of ", text.number(limits.max_memory_bytes),
		" bytes (", text.number(limits.max_memory_bytes / gib), " GiB) per job",
	])
}

# GPU: optional, whole devices.

deny contains "gpu must be a whole number" if {
	gpu := resources.gpu
	not whole_number(gpu)
}

deny contains msg if {
	is_number(resources.gpu)
	resources.gpu < 0
	msg := concat("", ["gpu must not be negative, got ", text.number(resources.gpu)])
}

deny contains msg if {
	is_number(resources.gpu)
	resources.gpu > limits.max_gpu
	msg := concat("", [
		"gpu ", text.number(resources.gpu),
		" exceeds the limit of ", text.number(limits.max_gpu), " per job",
	])
}

# Timeout: required, so no job runs unbounded.

deny contains "timeoutSeconds is required" if not "timeoutSeconds" in object.keys(job)

deny contains "timeoutSeconds must be a number" if {
	timeout := job.timeoutSeconds
	not is_number(timeout)
}

deny contains msg if {
	is_number(job.timeoutSeconds)
	job.timeoutSeconds <= 0
	msg := concat("", ["timeoutSeconds must be greater than 0, got ", text.number(job.timeoutSeconds)])
}

deny contains msg if {
	is_number(job.timeoutSeconds)
	job.timeoutSeconds > limits.max_timeout_seconds
	msg := concat("", [
		"timeout of ", text.number(job.timeoutSeconds),
		" seconds exceeds the limit of ", text.number(limits.max_timeout_seconds),
		" seconds (", text.number(limits.max_timeout_seconds / 3600), "h) per job",
	])
}

# Retries: optional, at least one attempt and a bounded number of them.

deny contains "retry.maxAttempts must be a whole number" if {
	attempts := job.retry.maxAttempts
	not whole_number(attempts)
}

deny contains msg if {
	is_number(job.retry.maxAttempts)
	job.retry.maxAttempts < 1
	msg := concat("", ["retry.maxAttempts must be at least 1, got ", text.number(job.retry.maxAttempts)])
}

deny contains msg if {
	is_number(job.retry.maxAttempts)
	job.retry.maxAttempts > limits.max_attempts
	msg := concat("", [
		"retry.maxAttempts ", text.number(job.retry.maxAttempts),
		" exceeds the limit of ", text.number(limits.max_attempts),
	])
}

# Quotas: what the tenant already has queued and running, plus this job, must
# stay within its quota (data.gantry.quotas.<tenant>, else .default). Checked
# only when the control plane passes usage; usage it passes malformed denies,
# and then no quota is checked against it. A job over a per-job limit is
# already denied for that, so its request is not also held against the quota.
# A new job starts queued, so admission cannot bound running jobs:
# max_running_jobs is enforced by placement, which makes the job wait.

deny contains tenants.usage_problem if {
	tenants.usage_given
	not tenants.valid_usage
}

quota := tenants.quota(tenant_name)

usage := tenants.usage

tenant_name := job.tenant if {
	is_string(job.tenant)
} else := ""

deny contains msg if {
	is_number(usage.queuedJobs)
	usage.queuedJobs + 1 > quota.max_queued_jobs
	msg := concat("", [
		"tenant ", text.quoted(tenant_name), " has reached its quota of queued jobs (",
		text.number(usage.queuedJobs), " queued, quota ", text.number(quota.max_queued_jobs), ")",
	])
}

deny contains msg if {
	is_number(usage.cpu)
	is_number(resources.cpu)
	resources.cpu <= limits.max_cpu
	usage.cpu + resources.cpu > quota.max_cpu
	msg := concat("", [
		"tenant ", text.quoted(tenant_name), " has ", text.number(usage.cpu),
		" cpu requested by queued and running jobs; with this job's ", text.number(resources.cpu),
		" that exceeds its quota of ", text.number(quota.max_cpu),
	])
}

deny contains msg if {
	is_number(usage.memoryBytes)
	memory := job_memory_bytes
	memory <= limits.max_memory_bytes
	usage.memoryBytes + memory > quota.max_memory_bytes
	msg := concat("", [
		"tenant ", text.quoted(tenant_name), " has ", text.number(usage.memoryBytes),
		" bytes of memory requested by queued and running jobs; with this job's ", text.number(memory),
		" bytes that exceeds its quota of ", text.number(quota.max_memory_bytes), " bytes",
	])
}

job_memory_bytes := resources.memoryBytes if {
	is_number(resources.memoryBytes)
} else := 0

# Labels: a tenant's jobs must carry every label its entry in
# data.gantry.required_labels names (else the "default" entry's), each with a
# value that is not blank.

job_labels := job.labels if {
	is_object(job.labels)
} else := {}

deny contains msg if {
	valid_tenant
	some name in tenants.setting(data.gantry.required_labels, job.tenant)
	is_string(name)
	not has_label(name)
	msg := concat("", ["label ", text.quoted(name), " is required for tenant ", text.quoted(job.tenant)])
}

has_label(name) if {
	is_string(job_labels[name])
	trim_space(job_labels[name]) != ""
}

# Commands: a tenant with an entry in data.gantry.allowed_commands may only run
# a program (command[0], compared exactly, path included) in that list; a
# tenant without an entry may run anything.

deny contains msg if {
	valid_tenant
	allowed := allowed_programs
	not program in allowed
	msg := concat("", [
		program_text, " is not allowed for tenant ", text.quoted(job.tenant),
		", which may run only ", list_text(allowed),
	])
}

# The program is looked up on PATH and loaded by the dynamic linker, so a job
# of a restricted tenant that sets PATH or LD_* could run another program under
# an allowed name. This keeps the program itself to the list; it does not limit
# what an allowed program does with its arguments (python3 -c runs anything).
deny contains msg if {
	valid_tenant
	_ := allowed_programs
	some name in job_env_names
	loader_variable(name)
	msg := concat("", [
		"tenant ", text.quoted(job.tenant), " runs only listed programs, so its jobs may not set ",
		name, ", which changes which program runs",
	])
}

job_env_names := [name | some name in job.envNames; is_string(name)] if {
	is_array(job.envNames)
} else := []

loader_variable("PATH")

loader_variable(name) if startswith(name, "LD_")

# Undefined for a tenant without an entry, so the rule above is not met.
allowed_programs := [name | some name in entry; is_string(name)] if {
	entry := data.gantry.allowed_commands[tenant_name]
}

program := job.command[0] if {
	is_array(job.command)
	is_string(job.command[0])
} else := null

program_text := concat("", ["program ", text.quoted(program)]) if {
	is_string(program)
} else := "a job without a program"

list_text(names) := "nothing" if {
	count(names) == 0
} else := concat(", ", [text.quoted(name) | some name in names])

# Default labels: data.gantry.default_labels.<tenant> (else .default) names
# labels the control plane adds to an admitted job. The decision lists those
# the job does not carry, so it says exactly what will be added; a label the
# job has, even with a blank value, keeps it.

default_labels := {name: value |
	some name, value in tenant_default_labels
	is_string(value)
	not name in object.keys(job_labels)
}

tenant_default_labels := labels if {
	labels := tenants.setting(data.gantry.default_labels, tenant_name)
	is_object(labels)
} else := {}

whole_number(x) if {
	is_number(x)
	x == floor(x)
}
