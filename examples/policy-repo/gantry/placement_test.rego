package gantry.placement_test

import data.gantry.placement

gib := 1073741824

job := {
	"tenant": "acme",
	"resources": {"cpu": 4, "memoryBytes": 8 * gib, "gpu": 0},
	"timeoutSeconds": 3600,
}

gpu_job := object.union(job, {"resources": {"gpu": 1}})

backend(id, overrides) := object.union(
	{
		"id": id,
		"type": "kubernetes",
		"region": "eu-west-1",
		"labels": {"tier": "cloud"},
		"capabilities": {"gpus": false, "pushesStatus": true, "survivesRestart": true},
		"capacity": {
			"free": {"cpu": 16, "memoryBytes": 64 * gib, "gpu": 0},
			"total": {"cpu": 32, "memoryBytes": 128 * gib, "gpu": 0},
			"freeSlots": 10,
			"totalSlots": 10,
		},
	},
	overrides,
)

full := {"capacity": {"free": {"cpu": 0, "memoryBytes": 0, "gpu": 0}, "freeSlots": 0}}

on_prem := {"labels": {"tier": "on-prem"}}

with_gpus := {
	"capabilities": {"gpus": true},
	"capacity": {"free": {"gpu": 4}, "total": {"gpu": 4}},
}

decide(the_job, the_backends) := result if {
	result := placement.decision with input as {"job": the_job, "backends": the_backends}
}

ranked_ids(the_job, the_backends) := [b.id | some b in decide(the_job, the_backends).backends]

rejected_ids(the_job, the_backends) := [b.id | some b in decide(the_job, the_backends).rejected]

reason_for(the_job, the_backends, id) := reason if {
	some entry in decide(the_job, the_backends).rejected
	entry.id == id
	reason := entry.reason
}

test_no_backends_gives_empty_lists if {
	decide(job, []) == {"backends": [], "rejected": [], "wait": []}
}

test_missing_backends_gives_empty_lists if {
	decide(job, null) == {"backends": [], "rejected": [], "wait": []}
}

test_eligible_backend_has_a_reason if {
	decide(job, [backend("k8s", {})]).backends == [{
		"id": "k8s",
		"reason": "has free capacity now; tier 'cloud'; no price listed",
	}]
}

test_ties_ordered_by_id if {
	ranked_ids(job, [backend("b", {}), backend("c", {}), backend("a", {})]) == ["a", "b", "c"]
}

test_free_backend_ranked_before_full_one if {
	ranked_ids(job, [backend("a-full", full), backend("z-free", {})]) == ["z-free", "a-full"]
}

test_full_backend_reason_says_it_would_wait if {
	reason := decide(job, [backend("k8s", full)]).backends[0].reason
	reason == "no free capacity now, the job would wait; tier 'cloud'; no price listed"
}

test_no_free_slot_is_not_free if {
	no_slot := {"capacity": {"freeSlots": 0}}
	ranked_ids(job, [backend("a", no_slot), backend("b", {})]) == ["b", "a"]
}

test_free_memory_short_is_not_free if {
	short := {"capacity": {"free": {"memoryBytes": gib}}}
	ranked_ids(job, [backend("a", short), backend("b", {})]) == ["b", "a"]
}

test_on_prem_ranked_before_cloud if {
	ranked_ids(job, [backend("a-cloud", {}), backend("z-prem", on_prem)]) == ["z-prem", "a-cloud"]
}

test_free_capacity_outranks_tier if {
	prem_full := object.union(on_prem, full)
	ranked_ids(job, [backend("prem", prem_full), backend("cloud", {})]) == ["cloud", "prem"]
}

test_cheaper_ranked_first if {
	cheap := {"price": {"perCpuHour": 0.03, "perGibHour": 0.004}}
	dear := {"price": {"perCpuHour": 0.05, "perGibHour": 0.004}}
	ranked_ids(job, [backend("a-dear", dear), backend("z-cheap", cheap)]) == ["z-cheap", "a-dear"]
}

test_priced_ranked_before_unpriced if {
	priced := {"price": {"perCpuHour": 0.05}}
	ranked_ids(job, [backend("a-unpriced", {}), backend("z-priced", priced)]) == ["z-priced", "a-unpriced"]
}

test_tier_outranks_price if {
	cheap := {"price": {"perCpuHour": 0.01}}
	prem_dear := object.union(on_prem, {"price": {"perCpuHour": 1}})
	ranked_ids(job, [backend("cloud", cheap), backend("prem", prem_dear)]) == ["prem", "cloud"]
}

test_price_reason_shows_estimate if {
	priced := {"price": {"perCpuHour": 0.05, "perGibHour": 0.005}}
	reason := decide(job, [backend("k8s", priced)]).backends[0].reason
	reason == "has free capacity now; tier 'cloud'; estimated 0.24 per hour"
}

test_backend_without_tier_label if {
	reason := decide(job, [backend("k8s", {"labels": {"tier": null}})]).backends[0].reason
	reason == "has free capacity now; no tier label; no price listed"
}

test_preferred_tiers_come_from_data if {
	candidates := [backend("a-prem", on_prem), backend("z-cloud", {})]
	ids := ranked_ids(job, candidates) with data.gantry.ranking.preferred_tiers as ["cloud"]
	ids == ["z-cloud", "a-prem"]
}

test_too_small_backend_rejected if {
	small := {"capacity": {"total": {"cpu": 2}}}
	reason_for(job, [backend("small", small)], "small") == "cpu 4 exceeds the backend's total of 2"
}

test_too_little_memory_rejected if {
	small := {"capacity": {"total": {"memoryBytes": 4 * gib}}}
	reason := reason_for(job, [backend("small", small)], "small")
	reason == "memoryBytes 8589934592 exceeds the backend's total of 4294967296"
}

test_missing_capacity_counts_as_zero if {
	rejected_ids(job, [{"id": "bare"}]) == ["bare"]
}

test_backend_without_slots_rejected if {
	no_slots := {"capacity": {"totalSlots": 0, "freeSlots": 0}}
	reason_for(job, [backend("none", no_slots)], "none") == "the backend has no slots"
}

test_gpu_job_rejected_without_gpus if {
	reason_for(gpu_job, [backend("cpu-only", {})], "cpu-only") == concat("; ", [
		"gpu 1 exceeds the backend's total of 0",
		"the job needs GPUs but the backend has no gpus capability",
	])
}

test_gpu_job_rejected_without_capability_even_with_devices if {
	devices_only := {"capacity": {"total": {"gpu": 2}}}
	reason := reason_for(gpu_job, [backend("odd", devices_only)], "odd")
	reason == "the job needs GPUs but the backend has no gpus capability"
}

test_gpu_job_placed_on_gpu_backend if {
	decision := decide(gpu_job, [backend("cpu-only", {}), backend("gpu", with_gpus)])
	[b.id | some b in decision.backends] == ["gpu"]
	[b.id | some b in decision.rejected] == ["cpu-only"]
}

test_cpu_job_may_use_gpu_backend if {
	ranked_ids(job, [backend("gpu", with_gpus)]) == ["gpu"]
}

test_allow_list_rejects_others if {
	hinted := object.union(job, {"placement": {"backends": ["b"]}})
	decision := decide(hinted, [backend("a", {}), backend("b", {})])
	[b.id | some b in decision.backends] == ["b"]
	decision.rejected == [{"id": "a", "reason": "not in the job's backend allow-list"}]
}

test_empty_allow_list_allows_all if {
	hinted := object.union(job, {"placement": {"backends": []}})
	ranked_ids(hinted, [backend("a", {}), backend("b", {})]) == ["a", "b"]
}

test_region_hint_rejects_other_regions if {
	hinted := object.union(job, {"placement": {"region": "us-east-1"}})
	decision := decide(hinted, [backend("eu", {}), backend("us", {"region": "us-east-1"})])
	[b.id | some b in decision.backends] == ["us"]
	decision.rejected == [{
		"id": "eu",
		"reason": "the backend is in region 'eu-west-1', the job requires region 'us-east-1'",
	}]
}

test_region_hint_rejects_backend_without_region if {
	hinted := object.union(job, {"placement": {"region": "us-east-1"}})
	no_region := {"id": "x", "capacity": {"total": {"cpu": 8, "memoryBytes": 16 * gib}}}
	reason_for(hinted, [no_region], "x") == "the backend has no region, the job requires region 'us-east-1'"
}

test_label_hint_rejects_mismatch if {
	hinted := object.union(job, {"placement": {"labels": {"tier": "on-prem"}}})
	decision := decide(hinted, [backend("cloud", {}), backend("prem", on_prem)])
	[b.id | some b in decision.backends] == ["prem"]
	decision.rejected == [{"id": "cloud", "reason": "label 'tier' is 'cloud', the job requires 'on-prem'"}]
}

test_label_hint_rejects_missing_label if {
	hinted := object.union(job, {"placement": {"labels": {"zone": "a"}}})
	reason_for(hinted, [backend("k8s", {})], "k8s") == "label 'zone' is missing, the job requires 'a'"
}

test_label_hint_with_non_string_value_rejects if {
	hinted := object.union(job, {"placement": {"labels": {"zone": 1}}})
	reason := reason_for(hinted, [backend("k8s", {})], "k8s")
	reason == "label 'zone' is missing, the job requires a value that is not a string"
}

test_all_rejection_reasons_listed if {
	hinted := object.union(gpu_job, {"placement": {"region": "us-east-1", "backends": ["other"]}})
	reason_for(hinted, [backend("k8s", {})], "k8s") == concat("; ", [
		"gpu 1 exceeds the backend's total of 0",
		"not in the job's backend allow-list",
		"the backend is in region 'eu-west-1', the job requires region 'us-east-1'",
		"the job needs GPUs but the backend has no gpus capability",
	])
}

test_rejected_sorted_by_id if {
	small := {"capacity": {"total": {"cpu": 1}}}
	rejected_ids(job, [backend("c", small), backend("a", small), backend("b", small)]) == ["a", "b", "c"]
}

test_backend_without_id_left_out if {
	decide(job, [{"region": "eu-west-1"}, backend("k8s", {})]) == {
		"backends": [{"id": "k8s", "reason": "has free capacity now; tier 'cloud'; no price listed"}],
		"rejected": [],
		"wait": [],
	}
}

# Waiting: the running-jobs quota

usage(running) := {"runningJobs": running, "queuedJobs": 1, "cpu": 4, "memoryBytes": 0}

quota_job := object.union(job, {"tenant": "quota-test"})

wait_for(the_job, the_usage) := result if {
	doc := {"job": the_job, "usage": the_usage, "backends": [backend("k8s", {})]}
	result := placement.decision.wait with input as doc
}

test_no_usage_no_wait if {
	decide(job, [backend("k8s", {})]).wait == []
}

test_running_below_quota_no_wait if {
	wait_for(quota_job, usage(0)) == []
}

test_running_quota_reached_waits if {
	wait_for(quota_job, usage(1)) == ["tenant 'quota-test' has reached its quota of running jobs (1 running, quota 1)"]
}

test_running_over_quota_waits if {
	wait_for(quota_job, usage(3)) == ["tenant 'quota-test' has reached its quota of running jobs (3 running, quota 1)"]
}

test_default_running_quota_applies_to_unlisted_tenant if {
	wait_for(job, usage(99)) == []
	wait_for(job, usage(100)) == ["tenant 'acme' has reached its quota of running jobs (100 running, quota 100)"]
}

test_running_quota_comes_from_data if {
	quotas := {"default": {"max_running_jobs": 2}}
	expected := "tenant 'acme' has reached its quota of running jobs (2 running, quota 2)"
	wait_for(job, usage(2)) == [expected] with data.gantry.quotas as quotas
}

test_job_without_tenant_gets_the_default_running_quota if {
	expected := "tenant '' has reached its quota of running jobs (100 running, quota 100)"
	wait_for(json.remove(job, ["tenant"]), usage(100)) == [expected]
}

test_waiting_job_still_gets_its_backends_ranked if {
	doc := {"job": quota_job, "usage": usage(1), "backends": [backend("k8s", {})]}
	decision := placement.decision with input as doc
	[b.id | some b in decision.backends] == ["k8s"]
}

test_malformed_usage_waits if {
	wait_for(job, {"runningJobs": "two", "queuedJobs": 0, "cpu": 0, "memoryBytes": 0}) == [
		"usage must hold non-negative runningJobs, queuedJobs, cpu and memoryBytes",
	]
}

test_negative_usage_waits if {
	wait_for(quota_job, usage(-1)) == ["usage must hold non-negative runningJobs, queuedJobs, cpu and memoryBytes"]
}

test_usage_not_an_object_waits if {
	wait_for(job, null) == ["usage must hold non-negative runningJobs, queuedJobs, cpu and memoryBytes"]
}

test_usage_missing_a_figure_waits if {
	wait_for(job, {"runningJobs": 0}) == ["usage must hold non-negative runningJobs, queuedJobs, cpu and memoryBytes"]
}

# Spot capacity

spot := {"labels": {"tier": "cloud", "capacity": "spot"}}

interruptible(accepts) := object.union(job, {"placement": {"interruptible": accepts}})

spot_rejection := "spot capacity, and the job does not accept interruption (set placement.interruptible)"

test_spot_backend_rejected_when_job_says_nothing if {
	decision := decide(job, [backend("spot", spot), backend("k8s", {})])
	[b.id | some b in decision.backends] == ["k8s"]
	decision.rejected == [{"id": "spot", "reason": spot_rejection}]
}

test_spot_backend_rejected_for_job_not_interruptible if {
	reason_for(interruptible(false), [backend("spot", spot)], "spot") == spot_rejection
}

test_spot_backend_rejected_when_interruptible_is_not_a_boolean if {
	reason_for(interruptible("yes"), [backend("spot", spot)], "spot") == spot_rejection
}

test_spot_backend_eligible_for_interruptible_job if {
	ranked_ids(interruptible(true), [backend("spot", spot)]) == ["spot"]
}

test_on_demand_backend_eligible_for_any_job if {
	on_demand := {"labels": {"capacity": "on-demand"}}
	ranked_ids(job, [backend("k8s", on_demand)]) == ["k8s"]
}

test_cheaper_spot_ranked_first_for_interruptible_job if {
	cheap_spot := object.union(spot, {"price": {"perCpuHour": 0.01}})
	dear := {"price": {"perCpuHour": 0.04}}
	ranked_ids(interruptible(true), [backend("a-dear", dear), backend("z-spot", cheap_spot)]) == ["z-spot", "a-dear"]
}

test_backend_declaring_interruptible_price_is_spot if {
	preemptible := {"price": {"perCpuHour": 0.01, "interruptible": true}}
	reason_for(job, [backend("gce", preemptible)], "gce") == spot_rejection
	ranked_ids(interruptible(true), [backend("gce", preemptible)]) == ["gce"]
}

test_gpu_price_counts_for_gpu_jobs if {
	gpu_job := object.union(job, {"resources": {"gpu": 1}})
	gpus := {"capabilities": {"gpus": true}, "capacity": {
		"free": {"cpu": 8, "memoryBytes": 68719476736, "gpu": 2},
		"total": {"cpu": 8, "memoryBytes": 68719476736, "gpu": 2},
	}}
	cheap_cpu_dear_gpu := object.union(gpus, {"price": {"perCpuHour": 0.01, "perGpuHour": 3}})
	dear_cpu_cheap_gpu := object.union(gpus, {"price": {"perCpuHour": 0.05, "perGpuHour": 1}})
	ranked_ids(gpu_job, [backend("a", cheap_cpu_dear_gpu), backend("b", dear_cpu_cheap_gpu)]) == ["b", "a"]
}

test_backend_with_steady_price_is_not_spot if {
	ranked_ids(job, [backend("gce", {"price": {"perCpuHour": 0.04, "interruptible": false}})]) == ["gce"]
}

test_spot_label_comes_from_data if {
	preemptible := {"labels": {"lifecycle": "preemptible"}}
	rejected := rejected_ids(job, [backend("gce", preemptible)]) with data.gantry.spot as {
		"label": "lifecycle",
		"value": "preemptible",
	}
	rejected == ["gce"]
}

test_spot_rejection_listed_with_the_others if {
	small_spot := object.union(spot, {"capacity": {"total": {"cpu": 2}}})
	reason_for(job, [backend("spot", small_spot)], "spot") == concat("; ", [
		"cpu 4 exceeds the backend's total of 2",
		spot_rejection,
	])
}

# Bursting to the cloud

rack := object.union(on_prem, {"region": "eu-west-1"})

rack_full := object.union(rack, full)

cloud_priced(price) := {"price": {"perCpuHour": price}}

test_on_prem_with_room_used_before_cheaper_cloud if {
	decision := decide(job, [backend("cloud", cloud_priced(0.01)), backend("rack", rack)])
	decision.backends == [
		{"id": "rack", "reason": "has free capacity now; tier 'on-prem'; no price listed"},
		{"id": "cloud", "reason": "has free capacity now; tier 'cloud'; estimated 0.04 per hour"},
	]
}

test_cloud_chosen_when_on_prem_is_full if {
	decision := decide(job, [backend("cloud", cloud_priced(0.1)), backend("rack", rack_full)])
	decision.backends == [
		{"id": "cloud", "reason": concat("; ", [
			"has free capacity now",
			"tier 'cloud'",
			"bursting: no 'on-prem' backend has room now",
			"estimated 0.4 per hour",
		])},
		{"id": "rack", "reason": "no free capacity now, the job would wait; tier 'on-prem'; no price listed"},
	]
}

test_any_on_prem_with_room_stops_the_burst if {
	candidates := [backend("cloud", {}), backend("rack-1", rack_full), backend("rack-2", rack)]
	decision := decide(job, candidates)
	[b.id | some b in decision.backends] == ["rack-2", "cloud", "rack-1"]
	not contains(decision.backends[1].reason, "bursting")
}

test_cheapest_cloud_first_when_bursting if {
	candidates := [
		backend("a-dear", cloud_priced(0.2)),
		backend("b-cheap", cloud_priced(0.1)),
		backend("rack", rack_full),
	]
	decision := decide(job, candidates)
	[b.id | some b in decision.backends] == ["b-cheap", "a-dear", "rack"]
	every b in array.slice(decision.backends, 0, 2) {
		contains(b.reason, "bursting: no 'on-prem' backend has room now")
	}
}

test_cloud_without_room_is_not_bursting if {
	candidates := [backend("cloud", full), backend("rack", rack_full)]
	reasons := [b.reason | some b in decide(job, candidates).backends]
	reasons == [
		"no free capacity now, the job would wait; tier 'on-prem'; no price listed",
		"no free capacity now, the job would wait; tier 'cloud'; no price listed",
	]
}

test_no_on_prem_backend_is_not_bursting if {
	decide(job, [backend("cloud", {})]).backends[0].reason == "has free capacity now; tier 'cloud'; no price listed"
}

test_rejected_on_prem_backend_is_not_burst_from if {
	small_rack := object.union(rack_full, {"capacity": {"total": {"cpu": 2}}})
	decision := decide(job, [backend("cloud", {}), backend("rack", small_rack)])
	decision.backends == [{"id": "cloud", "reason": "has free capacity now; tier 'cloud'; no price listed"}]
}

test_burst_names_every_preferred_tier if {
	candidates := [backend("cloud", {}), backend("rack", rack_full)]
	tiers := ["on-prem", "colo"]
	reason := decide(job, candidates).backends[0].reason with data.gantry.ranking.preferred_tiers as tiers
	reason == concat("; ", [
		"has free capacity now",
		"tier 'cloud'",
		"bursting: no 'on-prem' or 'colo' backend has room now",
		"no price listed",
	])
}

test_gpu_job_bursts_to_cloud_gpus_when_on_prem_gpus_are_busy if {
	busy_gpus := object.union(rack, object.union(with_gpus, {"capacity": {"free": {"gpu": 0}}}))
	cloud_gpus := object.union(with_gpus, cloud_priced(0.5))
	candidates := [backend("cloud-gpu", cloud_gpus), backend("cpu-only", {}), backend("rack-gpu", busy_gpus)]
	decision := decide(gpu_job, candidates)
	[b.id | some b in decision.backends] == ["cloud-gpu", "rack-gpu"]
	contains(decision.backends[0].reason, "bursting")
	[b.id | some b in decision.rejected] == ["cpu-only"]
}

# Data residency: the job's region hint narrows the choice before any burst.

test_residency_keeps_the_job_in_its_region if {
	resident := object.union(job, {"placement": {"region": "eu-west-1"}})
	candidates := [backend("cloud-us", {"region": "us-east-1"}), backend("cloud-eu", {}), backend("rack", rack)]
	decision := decide(resident, candidates)
	[b.id | some b in decision.backends] == ["rack", "cloud-eu"]
	[b.id | some b in decision.rejected] == ["cloud-us"]
}

test_residency_job_bursts_only_within_its_region if {
	resident := object.union(job, {"placement": {"region": "eu-west-1"}})
	candidates := [backend("cloud-us", {"region": "us-east-1"}), backend("cloud-eu", {}), backend("rack", rack_full)]
	decision := decide(resident, candidates)
	[b.id | some b in decision.backends] == ["cloud-eu", "rack"]
	contains(decision.backends[0].reason, "bursting")
	decision.rejected == [{
		"id": "cloud-us",
		"reason": "the backend is in region 'us-east-1', the job requires region 'eu-west-1'",
	}]
}
