# Local rule of this repository, not in Gantry's default policies: every job
# names the cost centre that pays for it in a "cost-centre" label, such as
#
#     "labels": {"cost-centre": "cc-1234"}
#
# The rule adds to the same "deny" set as the default rules in admission.rego,
# so its reason is listed with any others and the job is denied (403).
package gantry.admission

deny contains "label cost-centre is required: name the cost centre that pays for this job" if {
	not valid_cost_centre
}

valid_cost_centre if {
	is_object(job.labels)
	is_string(job.labels["cost-centre"])
	trim_space(job.labels["cost-centre"]) != ""
}
