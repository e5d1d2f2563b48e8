/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One print call for text and JSON output, in iproute2's style:
 *
 *	print_uint(PRINT_ANY, "ifindex", "%u:", ifindex);
 *
 * prints "3:" in text mode and "ifindex":3 in JSON mode. PRINT_FP
 * prints only in text mode, PRINT_JSON only in JSON mode. A NULL key
 * inside a JSON array prints just the value. The open/close calls only
 * matter in JSON mode; a top-level value is followed by a newline, so
 * a stream of events is one JSON value per line (unless pretty).
 */
#ifndef LG_JSON_PRINT_H
#define LG_JSON_PRINT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

enum output_type {
	PRINT_FP = 1,
	PRINT_JSON = 2,
	PRINT_ANY = 4,
};

void new_json_obj(bool json, bool pretty);
void delete_json_obj(void);
bool is_json_context(void);

void open_json_object(const char *key);
void close_json_object(void);
void open_json_array(const char *key);
void close_json_array(void);

void print_string(enum output_type t, const char *key, const char *fmt,
		  const char *value);
void print_uint(enum output_type t, const char *key, const char *fmt,
		unsigned int value);
void print_int(enum output_type t, const char *key, const char *fmt,
	       int value);
void print_u64(enum output_type t, const char *key, const char *fmt,
	       uint64_t value);
/* In text mode, fmt gets "true" or "false" as %s. */
void print_bool(enum output_type t, const char *key, const char *fmt,
		bool value);
/* A newline in text mode. */
void print_nl(void);

/* Write s as a JSON string: escaped, invalid UTF-8 as U+FFFD. */
void json_write_string(FILE *f, const char *s);

#endif /* LG_JSON_PRINT_H */
