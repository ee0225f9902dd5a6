# Which backends may run this job, best first, and must it wait whatever the
# backend?
#
# A backend is rejected when it can never run the job: too small even when
# empty, no GPUs for a GPU job, no slots at all, spot capacity for a job that
# does not accept interruption, or outside the job's placement hints. The
# others are ranked: free capacity now before having to wait, then by
# preferred tier label (data.gantry.ranking), then by estimated hourly cost
# when the backend lists a price (priced before unpriced), then by id so that
# the order is stable. Together the first two make on-premises capacity fill
# first and the cloud take the overflow (see "Ranking" below).
#
# The job waits, wherever it would go, while its tenant already runs as many
# jobs as its quota allows.
#
# A backend without a string id can be neither ranked nor rejected by name, so
# it is left out of the decision and never chosen.
package gantry.placement

import data.gantry.ranking
import data.gantry.spot
import data.gantry.tenants
import data.gantry.text

gib := 1073741824

dimensions := ["cpu", "memoryBytes", "gpu"]

decision := {
	"backends": [{"id": key[3], "reason": eligible_reason(backends[key[3]])} | some key in sort(ranking_keys)],
	"rejected": [{"id": id, "reason": concat("; ", sort(rejection_reasons[id]))} | some id in sort(rejected_ids)],
	"wait": sort(wait),
}

# Inputs, made total so that a missing field never makes a rule undefined:
# "not f(x)" is undefined, not true, when x itself is undefined.

job := input.job if {
	is_object(input.job)
} else := {}

hints := job.placement if {
	is_object(job.placement)
} else := {}

request[name] := amount if {
	some name in dimensions
	amount := number_or_zero(object.get(job, ["resources", name], 0))
}

backends[backend.id] := backend if {
	some backend in input.backends
	is_string(backend.id)
}

number_or_zero(x) := x if {
	is_number(x)
} else := 0

# capacity(backend, "free" or "total", dimension); a missing figure counts as 0.
capacity(backend, kind, name) := number_or_zero(object.get(backend, ["capacity", kind, name], 0))

# slots(backend, "freeSlots" or "totalSlots"), or null when not reported.
slots(backend, name) := count if {
	count := object.get(backend, ["capacity", name], null)
	is_number(count)
} else := null

labels(backend) := backend.labels if {
	is_object(backend.labels)
} else := {}

# Waiting: reasons the job may not start now on any backend.

# Usage that is sent malformed holds the job back rather than letting it run
# unchecked.
wait contains tenants.usage_problem if {
	tenants.usage_given
	not tenants.valid_usage
}

# The running-jobs quota (data.gantry.quotas.<tenant>, else .default): this
# job would be one more running job. Checked only when usage is sent.
wait contains msg if {
	running := tenants.usage.runningJobs
	quota := tenants.quota(tenant_name)
	running + 1 > quota.max_running_jobs
	msg := concat("", [
		"tenant ", text.quoted(tenant_name), " has reached its quota of running jobs (",
		text.number(running), " running, quota ", text.number(quota.max_running_jobs), ")",
	])
}

tenant_name := job.tenant if {
	is_string(job.tenant)
} else := ""

# Rejections: pairs of backend id and reason.

rejection contains [id, reason] if {
	some id, backend in backends
	some name in dimensions
	total := capacity(backend, "total", name)
	request[name] > total
	reason := concat("", [
		name, " ", text.number(request[name]),
		" exceeds the backend's total of ", text.number(total),
	])
}

rejection contains [id, "the job needs GPUs but the backend has no gpus capability"] if {
	request.gpu > 0
	some id, backend in backends
	not object.get(backend, ["capabilities", "gpus"], false) == true
}

rejection contains [id, "the backend has no slots"] if {
	some id, backend in backends
	slots(backend, "totalSlots") != null
	slots(backend, "totalSlots") < 1
}

# Spot capacity can be taken back at any time, so only a job that accepts being
# interrupted and retried may go there. A backend is spot when its price says
# so (the backend declares it) or when the operator labelled it so (the label
# data.gantry.spot.label set to data.gantry.spot.value).
rejection contains [id, spot_reason] if {
	not interruptible
	some id, backend in backends
	is_spot(backend)
}

is_spot(backend) if labels(backend)[spot.label] == spot.value

is_spot(backend) if object.get(backend, ["price", "interruptible"], false) == true

spot_reason := "spot capacity, and the job does not accept interruption (set placement.interruptible)"

interruptible if hints.interruptible == true

rejection contains [id, "not in the job's backend allow-list"] if {
	is_array(hints.backends)
	count(hints.backends) > 0
	some id, _ in backends
	not id in hints.backends
}

rejection contains [id, reason] if {
	is_string(hints.region)
	hints.region != ""
	some id, backend in backends
	object.get(backend, "region", null) != hints.region
	reason := concat("", [region_text(backend), ", the job requires region ", text.quoted(hints.region)])
}

rejection contains [id, reason] if {
	is_object(hints.labels)
	some key, wanted in hints.labels
	some id, backend in backends
	object.get(labels(backend), key, null) != wanted
	reason := concat("", [
		"label ", text.quoted(key), " is ", label_text(labels(backend), key),
		", the job requires ", value_text(wanted),
	])
}

region_text(backend) := concat("", ["the backend is in region ", text.quoted(backend.region)]) if {
	is_string(backend.region)
} else := "the backend has no region"

label_text(labels, key) := value_text(labels[key]) if {
	key in object.keys(labels)
} else := "missing"

value_text(value) := text.quoted(value) if {
	is_string(value)
} else := "a value that is not a string"

rejection_reasons[id] contains reason if {
	some [id, reason] in rejection
}

rejected_ids := {id | some [id, _] in rejection}

# Ranking: one sort key per eligible backend, smallest first. Room now comes
# before tier, so a full on-premises backend does not keep the job waiting
# while the cloud has room; tier comes before price, so on-premises backends
# with room are used before any cloud backend, however cheap. The cloud is
# therefore chosen only when no on-premises backend has room now: the job
# bursts to it.

eligible_ids := {id | some id, _ in backends; not id in rejected_ids}

ranking_keys contains [fit_rank(backend), tier_rank(backend), price_key(backend), id] if {
	some id in eligible_ids
	backend := backends[id]
}

fit_rank(backend) := 0 if {
	backend.id in fitting_ids
} else := 1

# Evaluated once per decision: functions are not memoised, and several rules
# below ask whether a backend fits.
fitting_ids := {id | some id, backend in backends; fits_now(backend)}

fits_now(backend) if {
	every name in dimensions {
		request[name] <= capacity(backend, "free", name)
	}
	slot_free(backend)
}

slot_free(backend) if slots(backend, "freeSlots") == null

slot_free(backend) if slots(backend, "freeSlots") >= 1

tier(backend) := labels(backend)[ranking.tier_label]

tier_rank(backend) := rank if {
	some rank, preferred in ranking.preferred_tiers
	tier(backend) == preferred
} else := count(ranking.preferred_tiers)

# On premises: of a preferred tier. Only backends that may run this job count.
on_premises(backend) if tier_rank(backend) < count(ranking.preferred_tiers)

eligible_on_premises := {id | some id in eligible_ids; on_premises(backends[id])}

on_premises_has_room if {
	some id in eligible_on_premises
	id in fitting_ids
}

# A backend of another tier with room stands in for on-premises backends that
# could run the job but have no room now. Without any such backend the job is
# not bursting: the cloud is simply where it runs.
bursting(backend) if {
	not on_premises(backend)
	backend.id in fitting_ids
	count(eligible_on_premises) > 0
	not on_premises_has_room
}

price_key(backend) := [0, hourly_cost(backend)] if {
	is_object(backend.price)
} else := [1, 0]

hourly_cost(backend) := cost if {
	per_cpu := number_or_zero(object.get(backend.price, "perCpuHour", 0))
	per_gib := number_or_zero(object.get(backend.price, "perGibHour", 0))
	per_gpu := number_or_zero(object.get(backend.price, "perGpuHour", 0))
	cost := ((request.cpu * per_cpu) + ((request.memoryBytes / gib) * per_gib)) + (request.gpu * per_gpu)
}

eligible_reason(backend) := concat("; ", [part |
	some part in [fit_text(backend), tier_text(backend), burst_text(backend), price_text(backend)]
	part != ""
])

fit_text(backend) := "has free capacity now" if {
	backend.id in fitting_ids
} else := "no free capacity now, the job would wait"

tier_text(backend) := concat("", ["tier ", text.quoted(tier(backend))]) if {
	is_string(tier(backend))
} else := "no tier label"

burst_text(backend) := concat("", ["bursting: no ", preferred_tiers_text, " backend has room now"]) if {
	bursting(backend)
} else := ""

preferred_tiers_text := concat(" or ", [text.quoted(name) | some name in ranking.preferred_tiers])

price_text(backend) := concat("", ["estimated ", text.number(hourly_cost(backend)), " per hour"]) if {
	is_object(backend.price)
} else := "no price listed"
