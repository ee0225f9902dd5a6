package gantry.admission_test

import data.gantry.admission

valid := {
	"job": {
		"name": "nightly-report",
		"tenant": "acme",
		"labels": {"team": "finance"},
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
	minimal := {"job": {"tenant": "acme", "resources": {"cpu": 0.5}, "timeoutSeconds": 60}}
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

# Quotas

with_usage(doc, fields) := object.union(doc, {"usage": object.union(
	{"runningJobs": 0, "queuedJobs": 0, "cpu": 0, "memoryBytes": 0},
	fields,
)})

quota_tenant := object.union(valid, {
	"job": {"tenant": "quota-test"},
	"caller": {"tenant": "quota-test"},
})

test_no_usage_checks_no_quota if {
	allowed(valid)
}

test_usage_within_default_quota_allowed if {
	allowed(with_usage(valid, {"runningJobs": 100, "queuedJobs": 999, "cpu": 254, "memoryBytes": 0}))
}

test_queued_quota_reached_denied if {
	reasons(with_usage(quota_tenant, {"queuedJobs": 3})) == [
		"tenant 'quota-test' has reached its quota of queued jobs (3 queued, quota 3)",
	]
}

test_queued_quota_one_below_allowed if {
	allowed(with_usage(quota_tenant, {"queuedJobs": 2}))
}

test_default_queued_quota_applies_to_unlisted_tenant if {
	reasons(with_usage(valid, {"queuedJobs": 1000})) == [
		"tenant 'acme' has reached its quota of queued jobs (1000 queued, quota 1000)",
	]
}

test_running_jobs_not_limited_at_admission if {
	allowed(with_usage(quota_tenant, {"runningJobs": 5}))
}

test_cpu_quota_exceeded_denied if {
	reasons(with_usage(quota_tenant, {"cpu": 6.5})) == [concat("", [
		"tenant 'quota-test' has 6.5 cpu requested by queued and running jobs; ",
		"with this job's 2 that exceeds its quota of 8",
	])]
}

test_cpu_quota_is_inclusive if {
	allowed(with_usage(quota_tenant, {"cpu": 6}))
}

test_memory_quota_exceeded_denied if {
	reasons(with_usage(quota_tenant, {"memoryBytes": 12884901889})) == [concat("", [
		"tenant 'quota-test' has 12884901889 bytes of memory requested by queued and running jobs; ",
		"with this job's 4294967296 bytes that exceeds its quota of 17179869184 bytes",
	])]
}

test_memory_quota_is_inclusive if {
	allowed(with_usage(quota_tenant, {"memoryBytes": 12884901888}))
}

test_missing_memory_counts_as_zero_against_quota if {
	without_memory := json.remove(quota_tenant, ["job/resources/memoryBytes"])
	allowed(with_usage(without_memory, {"memoryBytes": 17179869184}))
}

test_every_quota_broken_lists_every_reason if {
	count(reasons(with_usage(quota_tenant, {"queuedJobs": 3, "cpu": 8, "memoryBytes": 17179869184}))) == 3
}

test_malformed_usage_denied if {
	reasons(object.union(quota_tenant, {"usage": {"queuedJobs": "many", "cpu": null}})) == [
		"usage must hold non-negative runningJobs, queuedJobs, cpu and memoryBytes",
	]
}

test_malformed_usage_checks_no_quota if {
	reasons(with_usage(quota_tenant, {"queuedJobs": 3, "cpu": -1})) == [
		"usage must hold non-negative runningJobs, queuedJobs, cpu and memoryBytes",
	]
}

test_negative_usage_denied if {
	not allowed(with_usage(valid, {"cpu": -1}))
}

test_usage_not_an_object_denied if {
	not allowed(object.union(valid, {"usage": null}))
}

test_job_over_a_per_job_limit_is_not_also_held_against_the_quota if {
	doc := with_usage(with_resources({"cpu": 512, "memoryBytes": 322122547200}), {"cpu": 1, "memoryBytes": 1})
	reasons(doc) == [
		"cpu 512 exceeds the limit of 64 per job",
		"memory of 322122547200 bytes exceeds the limit of 274877906944 bytes (256 GiB) per job",
	]
}

# Decision shape

test_allowed_decision_has_every_field if {
	admission.decision == {"allow": true, "reasons": [], "defaults": {"labels": {}}} with input as valid
}

# Required labels

finance := object.union(valid, {
	"job": {"tenant": "finance", "labels": {"cost-centre": "cc-1234"}},
	"caller": {"tenant": "finance"},
})

finance_with_labels(labels) := json.patch(finance, [{"op": "replace", "path": "/job/labels", "value": labels}])

test_required_label_present_allowed if {
	allowed(finance)
}

test_required_label_missing_denied if {
	reasons(finance_with_labels({"team": "finance"})) == ["label 'cost-centre' is required for tenant 'finance'"]
}

test_required_label_blank_denied if {
	reasons(finance_with_labels({"cost-centre": " "})) == ["label 'cost-centre' is required for tenant 'finance'"]
}

test_required_label_empty_denied if {
	reasons(finance_with_labels({"cost-centre": ""})) == ["label 'cost-centre' is required for tenant 'finance'"]
}

test_required_label_not_a_string_denied if {
	not allowed(finance_with_labels({"cost-centre": 1234}))
}

test_required_label_with_labels_not_an_object_denied if {
	reasons(finance_with_labels(["cost-centre"])) == ["label 'cost-centre' is required for tenant 'finance'"]
}

test_required_label_with_labels_absent_denied if {
	not allowed(json.remove(finance, ["job/labels"]))
}

test_tenant_without_entry_needs_no_label if {
	allowed(json.remove(valid, ["job/labels"]))
}

test_default_required_labels_apply_to_tenant_without_entry if {
	required := {"default": ["owner", "team"], "finance": ["cost-centre"]}
	reasons(valid) == ["label 'owner' is required for tenant 'acme'"] with data.gantry.required_labels as required
}

test_tenant_entry_replaces_default_required_labels if {
	required := {"default": ["owner"], "finance": ["cost-centre"]}
	allowed(finance) with data.gantry.required_labels as required
}

test_every_missing_label_listed if {
	required := {"default": [], "finance": ["project", "cost-centre"]}
	reasons(finance_with_labels({})) == [
		"label 'cost-centre' is required for tenant 'finance'",
		"label 'project' is required for tenant 'finance'",
	] with data.gantry.required_labels as required
}

test_required_labels_not_checked_without_a_tenant if {
	doc := json.remove(finance, ["job/tenant"])
	reasons(doc) == ["tenant is required"] with data.gantry.required_labels as {"default": ["owner"]}
}

test_no_required_labels_data_requires_nothing if {
	allowed(finance_with_labels({})) with data.gantry.required_labels as {}
}

# Allowed commands

analytics := object.union(valid, {
	"job": {"tenant": "analytics", "command": ["python3", "score.py"]},
	"caller": {"tenant": "analytics"},
})

analytics_running(command) := json.patch(analytics, [{"op": "replace", "path": "/job/command", "value": command}])

analytics_with_env(names) := json.patch(analytics, [{"op": "add", "path": "/job/envNames", "value": names}])

test_restricted_tenant_may_not_set_path if {
	reasons(analytics_with_env(["MODE", "PATH"])) == [concat("", [
		"tenant 'analytics' runs only listed programs, so its jobs may not set PATH, ",
		"which changes which program runs",
	])]
}

test_restricted_tenant_may_not_set_ld_variables if {
	count(reasons(analytics_with_env(["LD_PRELOAD", "LD_LIBRARY_PATH"]))) == 2
}

test_restricted_tenant_may_set_other_variables if {
	allowed(analytics_with_env(["MODE", "SPARK_HOME"]))
}

test_unrestricted_tenant_may_set_path if {
	allowed(json.patch(valid, [{"op": "add", "path": "/job/envNames", "value": ["PATH"]}]))
}

test_allowed_program_allowed if {
	allowed(analytics)
}

test_other_program_denied if {
	reasons(analytics_running(["bash", "-c", "python3 score.py"])) == [
		"program 'bash' is not allowed for tenant 'analytics', which may run only 'python3', 'spark-submit'",
	]
}

test_program_compared_with_its_path if {
	not allowed(analytics_running(["/usr/bin/python3", "score.py"]))
}

test_only_the_program_is_checked if {
	allowed(analytics_running(["spark-submit", "bash"]))
}

test_missing_command_denied_for_tenant_with_entry if {
	reasons(json.remove(analytics, ["job/command"])) == [
		"a job without a program is not allowed for tenant 'analytics', which may run only 'python3', 'spark-submit'",
	]
}

test_empty_command_denied_for_tenant_with_entry if {
	not allowed(analytics_running([]))
}

test_program_not_a_string_denied_for_tenant_with_entry if {
	not allowed(analytics_running([7]))
}

test_tenant_without_entry_runs_anything if {
	allowed(with_job({"command": ["bash", "-c", "anything"]}))
}

test_tenant_with_empty_entry_runs_nothing if {
	reasons(analytics) == [
		"program 'python3' is not allowed for tenant 'analytics', which may run only nothing",
	] with data.gantry.allowed_commands as {"analytics": []}
}

# Default labels

research := json.patch(valid, [
	{"op": "replace", "path": "/job/tenant", "value": "research"},
	{"op": "replace", "path": "/job/labels", "value": {"team": "genomics"}},
	{"op": "replace", "path": "/caller/tenant", "value": "research"},
])

defaults(doc) := result if {
	result := admission.decision.defaults.labels with input as doc
}

test_tenant_default_labels_offered if {
	defaults(research) == {"cost-centre": "cc-research", "retention": "30d"}
}

test_label_the_job_carries_is_not_offered if {
	doc := object.union(research, {"job": {"labels": {"retention": "7d"}}})
	defaults(doc) == {"cost-centre": "cc-research"}
}

test_blank_label_the_job_carries_is_kept if {
	doc := object.union(research, {"job": {"labels": {"retention": ""}}})
	defaults(doc) == {"cost-centre": "cc-research"}
}

test_tenant_without_entry_gets_the_default_labels if {
	defaults(valid) == {"owner": "platform"} with data.gantry.default_labels as {"default": {"owner": "platform"}}
}

test_no_default_labels_by_default if {
	defaults(valid) == {}
}

test_default_labels_that_are_not_strings_are_left_out if {
	labels := {"default": {"owner": "platform", "n": 1}}
	defaults(valid) == {"owner": "platform"} with data.gantry.default_labels as labels
}

test_default_labels_entry_not_an_object_gives_none if {
	defaults(valid) == {} with data.gantry.default_labels as {"default": ["owner"]}
}

test_no_default_labels_data_gives_none if {
	defaults(valid) == {} with data.gantry.default_labels as {}
}

test_default_labels_offered_when_labels_are_not_an_object if {
	doc := json.patch(research, [{"op": "replace", "path": "/job/labels", "value": "team=genomics"}])
	defaults(doc) == {"cost-centre": "cc-research", "retention": "30d"}
}

test_default_labels_listed_even_when_denied if {
	doc := object.union(research, {"job": {"resources": {"cpu": 512}}})
	not allowed(doc)
	defaults(doc) == {"cost-centre": "cc-research", "retention": "30d"}
}

test_default_labels_do_not_satisfy_required_labels if {
	reasons(research) == [
		"label 'cost-centre' is required for tenant 'research'",
	] with data.gantry.required_labels as {"default": [], "research": ["cost-centre"]}
}
