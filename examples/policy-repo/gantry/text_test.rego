package gantry.text_test

import data.gantry.text

test_number_integer if text.number(512) == "512"

test_number_zero if text.number(0) == "0"

test_number_negative_integer if text.number(-3) == "-3"

test_number_fraction if text.number(0.5) == "0.5"

test_number_fraction_trailing_zeros if text.number(12.25) == "12.25"

test_number_fraction_leading_zero if text.number(1.05) == "1.05"

test_number_rounds_to_three_decimals if text.number(2.0004) == "2"

test_number_negative_fraction if text.number(-0.25) == "-0.25"

test_number_tiny_negative_has_no_sign if text.number(-0.0001) == "0"

test_number_large if text.number(274877906944) == "274877906944"

test_number_float_notation if text.number(64.0) == "64"

test_quoted if text.quoted("acme") == "'acme'"

test_number_beyond_32_bits if text.number(274877906945) == "274877906945"

test_number_keeps_inner_zeros if text.number(5000000007) == "5000000007"

test_number_large_fraction if text.number(123456789012.345) == "123456789012.345"

test_number_half_thousandth_rounds_away_from_zero if text.number(-0.0005) == "-0.001"

test_number_too_large_to_write if text.number(1e30) == "over 10^15"

test_number_too_small_to_write if text.number(-1000000000000000) == "under -10^15"
