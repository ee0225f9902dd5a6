package gantry.admission_test

import data.gantry.admission

valid := {
	"job": {
		"name": "nightly-report",
		"tenant": "acme",
		"labels": {"team": "finance", "cost-centre": "cc-1234"},
		"command": ["python", "report.py"],
		"envNames": ["REPORT_DATE"],
		"resources": {"cpu": 2, "memoryBytes": 4294967296, "gpu": 0},
		"timeoutSeconds": 3600,
		"retry": {"maxAttempts": 3},
		"priority": 0,
	},
	"caller": {"tenant": "acme", "subject": "alice"},
	"now": "2025-01-01T00:00:00Z",
}

with_job(fields) := object.union(valid, {"job": fields})

with_resources(fields) := with_job({"resources": fields})

reasons(doc) := result if {
	result := admission.decision.reasons with input as doc
}

allowed(doc) if {
	admission.decision.allow with input as doc
}

test_valid_job_allowed if {
	allowed(valid)
	reasons(valid) == []
}

test_minimal_job_allowed if {
	minimal := {"job": {
		"tenant": "acme",
		"labels": {"cost-centre": "cc-1234"},
		"resources": {"cpu": 0.5},
		"timeoutSeconds": 60,
	}}
	allowed(minimal)
}

test_limits_are_inclusive if {
	doc := with_job({
		"resources": {"cpu": 64, "memoryBytes": 274877906944, "gpu": 8},
		"timeoutSeconds": 86400,
		"retry": {"maxAttempts": 10},
	})
	allowed(doc)
}

test_missing_job_denied if {
	reasons({"caller": {"tenant": "acme"}}) == [
		"cpu is required",
		"job is required",
		"label cost-centre is required: name the cost centre that pays for this job",
		"tenant is required",
		"timeoutSeconds is required",
	]
}

test_job_not_an_object_denied if {
	"job is required" in reasons({"job": "run"})
}

test_missing_tenant_denied if {
	doc := json.remove(valid, ["job/tenant"])
	not allowed(doc)
	reasons(doc) == ["tenant is required"]
}

test_blank_tenant_denied if {
	doc := object.union(with_job({"tenant": "  "}), {"caller": {"tenant": ""}})
	reasons(doc) == ["tenant is required"]
}

test_tenant_not_a_string_denied if {
	"tenant is required" in reasons(with_job({"tenant": 7}))
}

test_tenant_of_another_caller_denied if {
	reasons(with_job({"tenant": "globex"})) == ["tenant 'globex' does not match the caller's tenant 'acme'"]
}

test_caller_without_tenant_allowed if {
	allowed(json.remove(valid, ["caller/tenant"]))
}

test_missing_cpu_denied if {
	reasons(json.remove(valid, ["job/resources/cpu"])) == ["cpu is required"]
}

test_missing_resources_denied if {
	reasons(json.remove(valid, ["job/resources"])) == ["cpu is required"]
}

test_cpu_not_a_number_denied if {
	reasons(with_resources({"cpu": "4"})) == ["cpu must be a number"]
}

test_zero_cpu_denied if {
	reasons(with_resources({"cpu": 0})) == ["cpu must be greater than 0, got 0"]
}

test_negative_cpu_denied if {
	reasons(with_resources({"cpu": -1.5})) == ["cpu must be greater than 0, got -1.5"]
}

test_cpu_over_limit_denied if {
	reasons(with_resources({"cpu": 512})) == ["cpu 512 exceeds the limit of 64 per job"]
}

test_fractional_cpu_over_limit_denied if {
	reasons(with_resources({"cpu": 64.5})) == ["cpu 64.5 exceeds the limit of 64 per job"]
}

test_memory_over_limit_denied if {
	reasons(with_resources({"memoryBytes": 322122547200})) == [
		"memory of 322122547200 bytes exceeds the limit of 274877906944 bytes (256 GiB) per job",
	]
}

test_negative_memory_denied if {
	reasons(with_resources({"memoryBytes": -1})) == ["memoryBytes must not be negative, got -1"]
}

test_fractional_memory_denied if {
	reasons(with_resources({"memoryBytes": 1.5})) == ["memoryBytes must be a whole number of bytes"]
}

test_missing_memory_allowed if {
	allowed(json.remove(valid, ["job/resources/memoryBytes"]))
}

test_gpu_over_limit_denied if {
	reasons(with_resources({"gpu": 16})) == ["gpu 16 exceeds the limit of 8 per job"]
}

test_negative_gpu_denied if {
	reasons(with_resources({"gpu": -2})) == ["gpu must not be negative, got -2"]
}

test_gpu_not_a_whole_number_denied if {
	reasons(with_resources({"gpu": "one"})) == ["gpu must be a whole number"]
}

test_missing_gpu_allowed if {
	allowed(json.remove(valid, ["job/resources/gpu"]))
}

test_missing_timeout_denied if {
	reasons(json.remove(valid, ["job/timeoutSeconds"])) == ["timeoutSeconds is required"]
}

test_timeout_not_a_number_denied if {
	reasons(with_job({"timeoutSeconds": "1h"})) == ["timeoutSeconds must be a number"]
}

test_zero_timeout_denied if {
	reasons(with_job({"timeoutSeconds": 0})) == ["timeoutSeconds must be greater than 0, got 0"]
}

test_timeout_over_limit_denied if {
	reasons(with_job({"timeoutSeconds": 172800})) == [
		"timeout of 172800 seconds exceeds the limit of 86400 seconds (24h) per job",
	]
}

test_zero_attempts_denied if {
	reasons(with_job({"retry": {"maxAttempts": 0}})) == ["retry.maxAttempts must be at least 1, got 0"]
}

test_attempts_over_limit_denied if {
	reasons(with_job({"retry": {"maxAttempts": 50}})) == ["retry.maxAttempts 50 exceeds the limit of 10"]
}

test_fractional_attempts_denied if {
	reasons(with_job({"retry": {"maxAttempts": 2.5}})) == ["retry.maxAttempts must be a whole number"]
}

test_missing_retry_allowed if {
	allowed(json.remove(valid, ["job/retry"]))
}

test_every_broken_rule_is_listed if {
	doc := with_job({
		"tenant": "globex",
		"resources": {"cpu": 512, "memoryBytes": 322122547200, "gpu": 16},
		"timeoutSeconds": 172800,
		"retry": {"maxAttempts": 50},
	})
	reasons(doc) == [
		"cpu 512 exceeds the limit of 64 per job",
		"gpu 16 exceeds the limit of 8 per job",
		"memory of 322122547200 bytes exceeds the limit of 274877906944 bytes (256 GiB) per job",
		"retry.maxAttempts 50 exceeds the limit of 10",
		"tenant 'globex' does not match the caller's tenant 'acme'",
		"timeout of 172800 seconds exceeds the limit of 86400 seconds (24h) per job",
	]
}

test_limits_come_from_data if {
	doc := with_resources({"cpu": 8})
	reasons(doc) == ["cpu 8 exceeds the limit of 4 per job"] with data.gantry.limits.max_cpu as 4
}
