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
	decide(job, []) == {"backends": [], "rejected": []}
}

test_missing_backends_gives_empty_lists if {
	decide(job, null) == {"backends": [], "rejected": []}
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
	}
}
