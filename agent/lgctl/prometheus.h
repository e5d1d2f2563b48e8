/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A writer of the Prometheus text exposition format (version 0.0.4), for
 * "lgctl -o prometheus stats":
 *
 *	struct lg_prom *p = lg_prom_new(stdout);
 *
 *	lg_prom_family(p, "leaseguard_link_savi_drops_total", LG_PROM_COUNTER,
 *		       "Packets dropped by source-address validation.");
 *	lg_prom_sample(p, 3, "ifname", "acc0", "reason", "source", NULL);
 *	...
 *	err = lg_prom_end(p, why, sizeof(why));
 *
 * A family's HELP and TYPE lines come first, then its samples, which
 * therefore are contiguous. The writer refuses (and the first refusal
 * sticks until lg_prom_end(), which returns it, so that callers need not
 * check every call):
 *   -EINVAL   a metric or label name that is not one ([a-zA-Z_:][a-zA-Z0-9_:]*,
 *             labels [a-zA-Z_][a-zA-Z0-9_]* and not "__..."), a counter
 *             whose name does not end in "_total", an empty HELP, a
 *             sample before any family;
 *   -EEXIST   a family given twice, or a sample whose labels repeat an
 *             earlier sample of its family (a duplicate series), or a
 *             label given twice in one sample;
 *   -ENOMEM, -EIO (a write failed).
 * Label values are escaped (\\, \", \n), and so is HELP (\\, \n); bytes
 * that are not UTF-8 become U+FFFD, since the format is UTF-8. A label
 * whose value is empty is left out: Prometheus takes it as absent, so
 * a{x=""} and a are one series.
 */
#ifndef LG_PROMETHEUS_H
#define LG_PROMETHEUS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum lg_prom_type {
	LG_PROM_COUNTER,
	LG_PROM_GAUGE,
	LG_PROM_UNTYPED,
};

struct lg_prom;

/* A writer to f, or NULL (no memory). */
struct lg_prom *lg_prom_new(FILE *f);

/* The HELP and TYPE of the family whose samples follow. */
void lg_prom_family(struct lg_prom *p, const char *name,
		    enum lg_prom_type type, const char *help);

/*
 * A sample of the current family: its labels as name, value pairs, NULL
 * after the last name (a NULL name also ends early, so that an optional
 * pair may come last: ..., reason ? "reason" : NULL, reason, NULL).
 */
void lg_prom_sample(struct lg_prom *p, uint64_t value, ...)
	__attribute__((sentinel));

/* The same, the labels in an array of 2 * n strings (name, value...). */
void lg_prom_samplev(struct lg_prom *p, uint64_t value,
		     const char *const *labels, unsigned int n);

/*
 * Flushes, frees p and returns 0 or the first error; why (may be NULL)
 * then says what caused it ("duplicate series name{labels}"...).
 */
int lg_prom_end(struct lg_prom *p, char *why, size_t len);

#endif /* LG_PROMETHEUS_H */
