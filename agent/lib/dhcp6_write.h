/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Writing DHCPv6 options into a buffer of fixed size, for the codecs that
 * build messages (dhcp6_release.c, dhcp6_leasequery.c). Every write is
 * checked against the capacity: once one does not fit, nothing more is
 * written and the writer stays full, so a sizing slip truncates the
 * message (the caller sees full) and never writes past the buffer.
 * Numbers are written in network byte order.
 */
#ifndef LG_DHCP6_WRITE_H
#define LG_DHCP6_WRITE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define DHCP6_OPT_LEN_MAX	0xffff

struct dhcp6_writer {
	uint8_t *buf;
	size_t cap;
	size_t len;
	bool full;
};

static inline void w_put(struct dhcp6_writer *w, const void *data, size_t n)
{
	if (w->full || n > w->cap - w->len) {
		w->full = true;
		return;
	}
	if (n)
		memcpy(w->buf + w->len, data, n);
	w->len += n;
}

static inline void w_put8(struct dhcp6_writer *w, uint8_t v)
{
	w_put(w, &v, 1);
}

static inline void w_put16(struct dhcp6_writer *w, uint16_t v)
{
	uint8_t b[2] = { (uint8_t)(v >> 8), (uint8_t)v };

	w_put(w, b, sizeof(b));
}

static inline void w_put32(struct dhcp6_writer *w, uint32_t v)
{
	uint8_t b[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16),
			 (uint8_t)(v >> 8), (uint8_t)v };

	w_put(w, b, sizeof(b));
}

/* Opens an option; returns where its length goes, for w_end(). */
static inline size_t w_begin(struct dhcp6_writer *w, uint16_t code)
{
	size_t at;

	w_put16(w, code);
	at = w->len;
	w_put16(w, 0);
	return at;
}

/* Closes the option w_begin() opened: one too long makes the writer full. */
static inline void w_end(struct dhcp6_writer *w, size_t at)
{
	size_t len;

	if (w->full)
		return;
	len = w->len - at - 2;
	if (len > DHCP6_OPT_LEN_MAX) {
		w->full = true;
		return;
	}
	w->buf[at] = (uint8_t)(len >> 8);
	w->buf[at + 1] = (uint8_t)len;
}

/* An option whose body is data (the caller checked len fits 16 bits). */
static inline void w_opt(struct dhcp6_writer *w, uint16_t code,
			 const uint8_t *data, uint16_t len)
{
	w_put16(w, code);
	w_put16(w, len);
	w_put(w, data, len);
}

#endif /* LG_DHCP6_WRITE_H */
