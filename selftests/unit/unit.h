/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the unit tests share: a DHCPv6 option builder that aborts rather
 * than overrun, and the fuzzing seeds each test writes when asked.
 */
#ifndef LG_UNIT_H
#define LG_UNIT_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

/*
 * When environment variable @env names a directory, writes @buf there as
 * "<test>-<n>", a seed for the fuzzer; not if longer than @max (0: any).
 */
static inline void write_seed(const char *env, size_t max, const char *test,
			      int n, const uint8_t *buf, size_t len)
{
	const char *dir = getenv(env);
	char path[4096];
	FILE *f;

	if (!dir || (max && len > max))
		return;
	snprintf(path, sizeof(path), "%s/%s-%d", dir, test, n);
	f = fopen(path, "w");
	if (!f || fwrite(buf, 1, len, f) != len || fclose(f)) {
		perror(path);
		exit(1);
	}
}

#ifdef LG_UNIT_BUILDER
struct builder {
	uint8_t data[8192];
	size_t len;
	size_t open[16];	/* offsets of options still open */
	int depth;
};

static inline void put(struct builder *b, const void *p, size_t n)
{
	if (b->len + n > sizeof(b->data))
		abort();
	memcpy(b->data + b->len, p, n);
	b->len += n;
}

static inline void put8(struct builder *b, uint8_t v)
{
	put(b, &v, 1);
}

static inline void put16(struct builder *b, uint16_t v)
{
	put8(b, v >> 8);
	put8(b, v);
}

static inline void put32(struct builder *b, uint32_t v)
{
	put16(b, v >> 16);
	put16(b, v);
}

/* Opens an option; its length is filled in by end(). */
static inline void begin(struct builder *b, uint16_t code)
{
	if (b->depth == ARRAY_SIZE(b->open))
		abort();
	put16(b, code);
	b->open[b->depth++] = b->len;
	put16(b, 0);
}

static inline void end(struct builder *b)
{
	size_t at = b->open[--b->depth];
	size_t len = b->len - at - 2;

	b->data[at] = len >> 8;
	b->data[at + 1] = len;
}

static inline void opt(struct builder *b, uint16_t code, const void *data,
		uint16_t len)
{
	put16(b, code);
	put16(b, len);
	put(b, data, len);
}

/* An option of len octets of filler. */
static inline void opt_fill(struct builder *b, uint16_t code, uint16_t len)
{
	put16(b, code);
	put16(b, len);
	while (len--)
		put8(b, 0x5a);
}

static inline void msg(struct builder *b, uint8_t type, uint32_t xid)
{
	put8(b, type);
	put8(b, xid >> 16);
	put16(b, xid);
}

#endif /* LG_UNIT_BUILDER */

#endif /* LG_UNIT_H */
