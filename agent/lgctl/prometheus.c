// SPDX-License-Identifier: GPL-2.0
/*
 * The Prometheus text exposition format (prometheus.h has the API).
 *
 * Duplicates are found with two sets of strings: the names of the
 * families written so far, and the label sets of the current family's
 * samples (labels sorted by name, so that an order does not hide a
 * repeat). Both are open-addressing tables of FNV-1a hashes.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "prometheus.h"

#define LG_PROM_MAX_LABELS	16

struct lg_prom_set {
	char **v;
	size_t cap, n;
};

struct lg_prom {
	FILE *f;
	const char *family;		/* in families: NULL before the first */
	enum lg_prom_type type;
	struct lg_prom_set families, series;
	char *buf;			/* a sample's labels, escaped */
	size_t len, cap;
	int err;
	char why[320];
};

static uint64_t lg_prom_hash(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	return h;
}

static void lg_prom_set_clear(struct lg_prom_set *set)
{
	size_t i;

	for (i = 0; i < set->cap; i++)
		free(set->v[i]);
	free(set->v);
	memset(set, 0, sizeof(*set));
}

/* Adds a copy of s: 0, -EEXIST (there already), -ENOMEM. *stored: it. */
static int lg_prom_set_add(struct lg_prom_set *set, const char *s,
			   const char **stored)
{
	size_t i, mask;

	if (2 * (set->n + 1) > set->cap) {
		struct lg_prom_set big = { .cap = set->cap ? 2 * set->cap : 64 };

		big.v = calloc(big.cap, sizeof(*big.v));
		if (!big.v)
			return -ENOMEM;
		for (i = 0; i < set->cap; i++) {
			size_t j;

			if (!set->v[i])
				continue;
			for (j = lg_prom_hash(set->v[i]) & (big.cap - 1);
			     big.v[j]; j = (j + 1) & (big.cap - 1))
				;
			big.v[j] = set->v[i];
		}
		big.n = set->n;
		free(set->v);
		*set = big;
	}
	mask = set->cap - 1;
	for (i = lg_prom_hash(s) & mask; set->v[i]; i = (i + 1) & mask)
		if (!strcmp(set->v[i], s))
			return -EEXIST;
	set->v[i] = strdup(s);
	if (!set->v[i])
		return -ENOMEM;
	set->n++;
	if (stored)
		*stored = set->v[i];
	return 0;
}

struct lg_prom *lg_prom_new(FILE *f)
{
	struct lg_prom *p = calloc(1, sizeof(*p));

	if (p)
		p->f = f;
	return p;
}

static void lg_prom_fail(struct lg_prom *p, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void lg_prom_fail(struct lg_prom *p, int err, const char *fmt, ...)
{
	va_list ap;

	if (p->err)
		return;
	p->err = err;
	va_start(ap, fmt);
	vsnprintf(p->why, sizeof(p->why), fmt, ap);
	va_end(ap);
}

static bool lg_prom_name_ok(const char *s, bool metric)
{
	size_t i;

	if (!s || !*s || (!metric && s[0] == '_' && s[1] == '_'))
		return false;
	for (i = 0; s[i]; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      c == '_' || (metric && c == ':') ||
		      (i > 0 && c >= '0' && c <= '9')))
			return false;
	}
	return true;
}

/*
 * The length of the well-formed UTF-8 sequence at s (n bytes left), or 0:
 * no overlong forms, no surrogates, nothing above U+10FFFF.
 */
static size_t lg_prom_utf8_len(const unsigned char *s, size_t n)
{
	size_t len, i;
	uint32_t cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return len;
}

static int lg_prom_put(struct lg_prom *p, const char *s, size_t n)
{
	if (p->len + n + 1 > p->cap) {
		size_t cap = p->cap ? p->cap : 256;
		char *b;

		while (p->len + n + 1 > cap)
			cap *= 2;
		b = realloc(p->buf, cap);
		if (!b)
			return -ENOMEM;
		p->buf = b;
		p->cap = cap;
	}
	memcpy(p->buf + p->len, s, n);
	p->len += n;
	p->buf[p->len] = '\0';
	return 0;
}

/*
 * s escaped into p->buf: backslash and newline always, the double quote
 * in a label value (quote); what is not UTF-8 as U+FFFD.
 */
static int lg_prom_put_escaped(struct lg_prom *p, const char *s, bool quote)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t n = strlen(s), i = 0, len;
	int err = 0;

	while (!err && i < n) {
		if (u[i] == '\\')
			err = lg_prom_put(p, "\\\\", 2);
		else if (u[i] == '\n')
			err = lg_prom_put(p, "\\n", 2);
		else if (u[i] == '"' && quote)
			err = lg_prom_put(p, "\\\"", 2);
		else if ((len = lg_prom_utf8_len(u + i, n - i)))
			err = lg_prom_put(p, s + i, len), i += len - 1;
		else
			err = lg_prom_put(p, "\xef\xbf\xbd", 3);
		i++;
	}
	return err;
}

static const char *const lg_prom_type_names[] = {
	[LG_PROM_COUNTER] = "counter",
	[LG_PROM_GAUGE] = "gauge",
	[LG_PROM_UNTYPED] = "untyped",
};

void lg_prom_family(struct lg_prom *p, const char *name,
		    enum lg_prom_type type, const char *help)
{
	size_t n;
	int err;

	if (p->err)
		return;
	if (!lg_prom_name_ok(name, true) ||
	    type > LG_PROM_UNTYPED) {
		lg_prom_fail(p, -EINVAL, "bad metric name or type \"%s\"",
			     name ? name : "(null)");
		return;
	}
	n = strlen(name);
	if (type == LG_PROM_COUNTER &&
	    (n < 6 || strcmp(name + n - 6, "_total"))) {
		lg_prom_fail(p, -EINVAL, "counter %s does not end in _total",
			     name);
		return;
	}
	if (!help || !*help) {
		lg_prom_fail(p, -EINVAL, "family %s has no HELP", name);
		return;
	}
	err = lg_prom_set_add(&p->families, name, &p->family);
	if (err) {
		lg_prom_fail(p, err, "family %s given twice", name);
		return;
	}
	lg_prom_set_clear(&p->series);
	p->type = type;
	p->len = 0;
	if (lg_prom_put_escaped(p, help, false)) {
		lg_prom_fail(p, -ENOMEM, "out of memory");
		return;
	}
	fprintf(p->f, "# HELP %s %s\n# TYPE %s %s\n", name, p->buf, name,
		lg_prom_type_names[type]);
}

/* Orders a sample's label indices by name. */
static void lg_prom_sort(const char *const *labels, unsigned int n,
			 unsigned int *idx)
{
	unsigned int i, j, t;

	for (i = 0; i < n; i++)
		idx[i] = i;
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && strcmp(labels[2 * idx[j - 1]],
					    labels[2 * idx[j]]) > 0; j--) {
			t = idx[j];
			idx[j] = idx[j - 1];
			idx[j - 1] = t;
		}
}

/* p->buf = {a="x",b="y"} of the labels, in the order given or sorted. */
static int lg_prom_labels(struct lg_prom *p, const char *const *labels,
			  unsigned int n, const unsigned int *order)
{
	unsigned int i, k;
	int err = 0;

	p->len = 0;
	if (!n)
		return lg_prom_put(p, "", 0);
	err = lg_prom_put(p, "{", 1);
	for (i = 0; !err && i < n; i++) {
		k = order ? order[i] : i;
		if (i)
			err = lg_prom_put(p, ",", 1);
		if (!err)
			err = lg_prom_put(p, labels[2 * k],
					  strlen(labels[2 * k]));
		if (!err)
			err = lg_prom_put(p, "=\"", 2);
		if (!err)
			err = lg_prom_put_escaped(p, labels[2 * k + 1], true);
		if (!err)
			err = lg_prom_put(p, "\"", 1);
	}
	if (!err)
		err = lg_prom_put(p, "}", 1);
	return err;
}

void lg_prom_samplev(struct lg_prom *p, uint64_t value,
		     const char *const *given, unsigned int n_given)
{
	unsigned int i, j, n = 0, order[LG_PROM_MAX_LABELS];
	const char *labels[2 * LG_PROM_MAX_LABELS];
	int err;

	if (p->err)
		return;
	if (!p->family) {
		lg_prom_fail(p, -EINVAL, "a sample before any family");
		return;
	}
	if (n_given > LG_PROM_MAX_LABELS) {
		lg_prom_fail(p, -EINVAL, "%s: more than %d labels", p->family,
			     LG_PROM_MAX_LABELS);
		return;
	}
	for (i = 0; i < n_given; i++) {
		if (!lg_prom_name_ok(given[2 * i], false) ||
		    !given[2 * i + 1]) {
			lg_prom_fail(p, -EINVAL, "%s: bad label \"%s\"",
				     p->family,
				     given[2 * i] ? given[2 * i] : "(null)");
			return;
		}
		for (j = 0; j < i; j++)
			if (!strcmp(given[2 * i], given[2 * j])) {
				lg_prom_fail(p, -EEXIST,
					     "%s: label %s given twice",
					     p->family, given[2 * i]);
				return;
			}
		/* An empty value is no label at all (the data model's rule). */
		if (!*given[2 * i + 1])
			continue;
		labels[2 * n] = given[2 * i];
		labels[2 * n + 1] = given[2 * i + 1];
		n++;
	}
	lg_prom_sort(labels, n, order);
	err = lg_prom_labels(p, labels, n, order);
	if (!err)
		err = lg_prom_set_add(&p->series, p->buf, NULL);
	if (err) {
		lg_prom_fail(p, err, err == -EEXIST ?
			     "duplicate series %s%s" : "out of memory (%s%s)",
			     p->family, p->buf ? p->buf : "");
		return;
	}
	if (lg_prom_labels(p, labels, n, NULL)) {
		lg_prom_fail(p, -ENOMEM, "out of memory");
		return;
	}
	fprintf(p->f, "%s%s %" PRIu64 "\n", p->family, p->buf, value);
}

void lg_prom_sample(struct lg_prom *p, uint64_t value, ...)
{
	const char *labels[2 * LG_PROM_MAX_LABELS + 2];
	unsigned int n = 0;
	const char *name;
	va_list ap;

	va_start(ap, value);
	while ((name = va_arg(ap, const char *))) {
		if (n == LG_PROM_MAX_LABELS + 1)
			break;
		labels[2 * n] = name;
		labels[2 * n + 1] = va_arg(ap, const char *);
		n++;
	}
	va_end(ap);
	lg_prom_samplev(p, value, labels, n);
}

int lg_prom_end(struct lg_prom *p, char *why, size_t len)
{
	int err;

	if (!p)
		return -ENOMEM;
	if (fflush(p->f) || ferror(p->f))
		lg_prom_fail(p, -EIO, "write error: %s", strerror(errno));
	err = p->err;
	if (err && why && len)
		snprintf(why, len, "%s", p->why);
	lg_prom_set_clear(&p->families);
	lg_prom_set_clear(&p->series);
	free(p->buf);
	free(p);
	return err;
}
