package gantry.tenants_test

import data.gantry.tenants

table := {"default": "everyone", "acme": "acme's own"}

test_setting_of_tenant_with_entry if tenants.setting(table, "acme") == "acme's own"

test_setting_of_tenant_without_entry_is_the_default if tenants.setting(table, "globex") == "everyone"

test_setting_of_tenant_that_is_not_a_string_is_the_default if tenants.setting(table, 7) == "everyone"

test_setting_without_default_is_undefined if not tenants.setting({"acme": 1}, "globex")

test_quota_of_listed_tenant if tenants.quota("quota-test").max_running_jobs == 1

test_quota_of_unlisted_tenant_is_the_default if tenants.quota("acme").max_running_jobs == 100

test_valid_usage if {
	tenants.valid_usage with input as {"usage": {"runningJobs": 0, "queuedJobs": 0, "cpu": 0.5, "memoryBytes": 0}}
}

test_usage_missing_a_figure_is_not_valid if {
	not tenants.valid_usage with input as {"usage": {"runningJobs": 0, "queuedJobs": 0, "cpu": 0.5}}
}

test_usage_with_a_negative_figure_is_not_valid if {
	not tenants.valid_usage with input as {"usage": {"runningJobs": -1, "queuedJobs": 0, "cpu": 0, "memoryBytes": 0}}
}

test_null_usage_is_given_but_not_valid if {
	tenants.usage_given with input as {"usage": null}
	not tenants.valid_usage with input as {"usage": null}
	tenants.usage == {} with input as {"usage": null}
}

test_absent_usage_is_not_given if {
	not tenants.usage_given with input as {}
	tenants.usage == {} with input as {}
}
