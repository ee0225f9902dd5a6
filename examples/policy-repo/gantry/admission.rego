# May this job run? The decision lists every rule the job breaks, so a
# submitter can fix them all at once.
#
# Presence and type are checked as "deny unless positively valid", so a
# missing or mistyped field denies the job instead of slipping past the range
# checks, which only look at numbers.
package gantry.admission

import data.gantry.limits
import data.gantry.text

gib := 1073741824

decision := {
	"allow": count(deny) == 0,
	"reasons": sort(deny),
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

whole_number(x) if {
	is_number(x)
	x == floor(x)
}
