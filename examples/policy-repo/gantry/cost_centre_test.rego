package gantry.cost_centre_test

import data.gantry.admission

job_with_labels(labels) := {
	"job": {
		"tenant": "acme",
		"labels": labels,
		"resources": {"cpu": 1},
		"timeoutSeconds": 60,
	},
	"caller": {"tenant": "acme"},
}

missing := "label cost-centre is required: name the cost centre that pays for this job"

test_job_with_cost_centre_allowed if {
	decision := admission.decision with input as job_with_labels({"cost-centre": "cc-1234"})
	decision.allow
	decision.reasons == []
}

test_job_without_labels_denied if {
	decision := admission.decision with input as job_with_labels({})
	not decision.allow
	decision.reasons == [missing]
}

test_blank_cost_centre_denied if {
	admission.decision.reasons == [missing] with input as job_with_labels({"cost-centre": "  "})
}

test_cost_centre_not_a_string_denied if {
	admission.decision.reasons == [missing] with input as job_with_labels({"cost-centre": 1234})
}

test_reason_listed_with_the_others if {
	doc := object.union(job_with_labels({}), {"job": {"resources": {"cpu": 512}}})
	admission.decision.reasons == ["cpu 512 exceeds the limit of 64 per job", missing] with input as doc
}
