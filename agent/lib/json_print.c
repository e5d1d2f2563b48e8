// SPDX-License-Identifier: GPL-2.0
/* A minimal JSON writer behind iproute2-style print_*() calls. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_print.h"

#define JSON_MAX_DEPTH	16

static struct {
	bool json;
	bool pretty;
	unsigned int depth;
	/* per open container: is it an array, how many members so far */
	bool is_array[JSON_MAX_DEPTH];
	unsigned int count[JSON_MAX_DEPTH];
} jw;

#define OUT stdout

void new_json_obj(bool json, bool pretty)
{
	memset(&jw, 0, sizeof(jw));
	jw.json = json || pretty;
	jw.pretty = pretty;
}

void delete_json_obj(void)
{
	while (jw.json && jw.depth)
		jw.is_array[jw.depth - 1] ? close_json_array() :
					    close_json_object();
	fflush(OUT);
}

bool is_json_context(void)
{
	return jw.json;
}

static void json_indent(unsigned int depth)
{
	fputc('\n', OUT);
	while (depth--)
		fputs("  ", OUT);
}

/* Length of the valid UTF-8 sequence at s (RFC 3629), 0 if invalid. */
static size_t utf8_len(const unsigned char *s)
{
	unsigned char lo = 0x80, hi = 0xbf;
	size_t n, i;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4;
	else
		return 0;
	/* no overlong forms, no surrogates, nothing above U+10FFFF */
	if (s[0] == 0xe0)
		lo = 0xa0;
	else if (s[0] == 0xed)
		hi = 0x9f;
	else if (s[0] == 0xf0)
		lo = 0x90;
	else if (s[0] == 0xf4)
		hi = 0x8f;
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < n; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return n;
}

void json_write_string(FILE *f, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;

	fputc('"', f);
	while (*s) {
		size_t n;

		switch (*s) {
		case '"':  fputs("\\\"", f); break;
		case '\\': fputs("\\\\", f); break;
		case '\b': fputs("\\b", f); break;
		case '\f': fputs("\\f", f); break;
		case '\n': fputs("\\n", f); break;
		case '\r': fputs("\\r", f); break;
		case '\t': fputs("\\t", f); break;
		default:
			if (*s < 0x20 || *s == 0x7f) {
				fprintf(f, "\\u%04x", *s);
				break;
			}
			n = utf8_len(s);
			if (!n) {
				fputs("\\ufffd", f);
				break;
			}
			fwrite(s, 1, n, f);
			s += n;
			continue;
		}
		s++;
	}
	fputc('"', f);
}

/* Separator, indentation and key before a value in the current container. */
static void json_member(const char *key)
{
	unsigned int d = jw.depth;

	if (!d)
		return;
	if (jw.count[d - 1]++)
		fputc(',', OUT);
	if (jw.pretty)
		json_indent(d);
	if (jw.is_array[d - 1])
		return;
	json_write_string(OUT, key ? key : "");
	fputs(jw.pretty ? ": " : ":", OUT);
}

static void json_open(const char *key, bool array)
{
	if (!jw.json)
		return;
	if (jw.depth == JSON_MAX_DEPTH)
		abort();	/* a printer nests far too deep: a bug */
	json_member(key);
	fputc(array ? '[' : '{', OUT);
	jw.is_array[jw.depth] = array;
	jw.count[jw.depth] = 0;
	jw.depth++;
}

static void json_close(void)
{
	if (!jw.json || !jw.depth)
		return;
	jw.depth--;
	if (jw.pretty && jw.count[jw.depth])
		json_indent(jw.depth);
	fputc(jw.is_array[jw.depth] ? ']' : '}', OUT);
	if (!jw.depth)
		fputc('\n', OUT);
}

void open_json_object(const char *key)
{
	json_open(key, false);
}

void close_json_object(void)
{
	json_close();
}

void open_json_array(const char *key)
{
	json_open(key, true);
}

void close_json_array(void)
{
	json_close();
}

static bool text_ctx(enum output_type t)
{
	return !jw.json && (t & (PRINT_FP | PRINT_ANY));
}

static bool json_ctx(enum output_type t)
{
	return jw.json && (t & (PRINT_JSON | PRINT_ANY));
}

void print_string(enum output_type t, const char *key, const char *fmt,
		  const char *value)
{
	if (json_ctx(t)) {
		json_member(key);
		if (value)
			json_write_string(OUT, value);
		else
			fputs("null", OUT);
	} else if (text_ctx(t) && fmt) {
		fprintf(OUT, fmt, value ? value : "");
	}
}

void print_uint(enum output_type t, const char *key, const char *fmt,
		unsigned int value)
{
	if (json_ctx(t)) {
		json_member(key);
		fprintf(OUT, "%u", value);
	} else if (text_ctx(t) && fmt) {
		fprintf(OUT, fmt, value);
	}
}

void print_int(enum output_type t, const char *key, const char *fmt,
	       int value)
{
	if (json_ctx(t)) {
		json_member(key);
		fprintf(OUT, "%d", value);
	} else if (text_ctx(t) && fmt) {
		fprintf(OUT, fmt, value);
	}
}

void print_u64(enum output_type t, const char *key, const char *fmt,
	       uint64_t value)
{
	if (json_ctx(t)) {
		json_member(key);
		fprintf(OUT, "%" PRIu64, value);
	} else if (text_ctx(t) && fmt) {
		fprintf(OUT, fmt, value);
	}
}

void print_bool(enum output_type t, const char *key, const char *fmt,
		bool value)
{
	if (json_ctx(t)) {
		json_member(key);
		fputs(value ? "true" : "false", OUT);
	} else if (text_ctx(t) && fmt) {
		fprintf(OUT, fmt, value ? "true" : "false");
	}
}

void print_nl(void)
{
	if (!jw.json)
		fputc('\n', OUT);
}
