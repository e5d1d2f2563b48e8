/* SPDX-License-Identifier: GPL-2.0 */
/* Octet strings as "00:01:0a" (see hex.c). */
#ifndef LG_HEX_H
#define LG_HEX_H

#include <stddef.h>
#include <stdint.h>

/* Hex, with or without colons, into buf: the length, or -EINVAL/-ERANGE. */
int lg_hex_parse(const char *s, uint8_t *buf, size_t size);
/* Lowercase hex with colons; out needs 3 * len (or 1) bytes. */
char *lg_hex_format(const uint8_t *p, size_t len, char *out);

#endif /* LG_HEX_H */
