// SPDX-License-Identifier: GPL-2.0
/*
 * Octet strings (DUIDs, MACs, Interface-Ids) as hex, for lgctl,
 * leaseguardd and the test tools: plain C, no other dependency.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "hex.h"

static int lg_hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * "00:01:0a" (two digits between colons) or "00010a"; -ERANGE when there
 * are more than size octets, -EINVAL when it is not hex octets.
 */
int lg_hex_parse(const char *s, uint8_t *buf, size_t size)
{
	bool colons = strchr(s, ':');
	size_t n = 0;

	while (*s) {
		int hi = lg_hex_digit(s[0]);
		int lo = hi < 0 ? -1 : lg_hex_digit(s[1]);

		if (lo < 0)
			return -EINVAL;
		if (n == size)
			return -ERANGE;
		buf[n++] = hi << 4 | lo;
		s += 2;
		if (colons && *s && (*s++ != ':' || !*s))
			return -EINVAL;
	}
	return n;
}

char *lg_hex_format(const uint8_t *p, size_t len, char *out)
{
	char *o = out;
	size_t i;

	*o = '\0';
	for (i = 0; i < len; i++)
		o += sprintf(o, i ? ":%02x" : "%02x", p[i]);
	return out;
}
