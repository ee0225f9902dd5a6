# Text helpers shared by the Gantry policies.
#
# Numbers are turned into text with arithmetic and format_int rather than
# sprintf: sprintf is not compiled into WebAssembly, and the host-side
# version the embedded engine would call formats numbers differently from
# OPA, so reasons would depend on the engine. format_int itself is only
# exact below 2^31 in WebAssembly, so longer numbers are written in groups
# of nine digits.
package gantry.text

billion := 1000000000

# Beyond this, WebAssembly's 64-bit arithmetic and OPA's arbitrary precision
# could disagree on the digits, so such numbers are not written out.
largest := 1000000000000000

# number(x) is x in decimal, rounded to at most three decimals, without
# trailing zeros: 512 -> "512", 0.5 -> "0.5", 2.0004 -> "2". Magnitudes of
# 10^15 or more are written "over 10^15" or "under -10^15".
number(x) := "over 10^15" if {
	x >= largest
} else := "under -10^15" if {
	x <= 0 - largest
} else := concat("", [sign(x), magnitude(abs(x))])

sign(x) := "-" if {
	round(x * 1000) < 0
} else := ""

magnitude(x) := whole_number(x) if {
	x == floor(x)
} else := concat("", [whole_number((thousandths(x) - (thousandths(x) % 1000)) / 1000), fraction(x)])

thousandths(x) := round(x * 1000)

fraction(x) := "" if {
	thousandths(x) % 1000 == 0
} else := concat("", [".", trim_right(substring(format_int(1000 + (thousandths(x) % 1000), 10), 1, 3), "0")])

# whole_number(n) for a whole n, 0 <= n < 10^18.
whole_number(n) := format_int(n, 10) if {
	n < billion
} else := concat("", [format_int((n - (n % billion)) / billion, 10), nine_digits(n % billion)])

nine_digits(n) := substring(format_int(billion + n, 10), 1, 9)

# quoted(s) is s between single quotes, for user input inside a reason.
quoted(s) := concat("", ["'", s, "'"])
