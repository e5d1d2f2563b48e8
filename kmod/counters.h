/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LG_COUNTERS_H
#define _LG_COUNTERS_H

#include <linux/percpu.h>
#include <linux/u64_stats_sync.h>

struct sk_buff;

/*
 * Per-cpu u64 counters indexed by a uapi attribute id (LG_STATS_A_* or
 * LG_LINK_STATS_A_*), so that a counter added to the uapi enum is
 * counted and dumped with no further code.
 */
struct lg_counters {
	struct u64_stats_sync syncp;
	u64_stats_t c[];
};

struct lg_counters __percpu *lg_counters_alloc(unsigned int n, gfp_t gfp);
void lg_counters_free(struct lg_counters __percpu *pc);
int lg_counters_put(struct sk_buff *skb, int attrtype,
		    struct lg_counters __percpu *pc, unsigned int n, int padattr);

static inline void lg_counter_add(struct lg_counters __percpu *pc,
				  unsigned int id, unsigned long v)
{
	struct lg_counters *c = get_cpu_ptr(pc);
	unsigned long flags;

	flags = u64_stats_update_begin_irqsave(&c->syncp);
	u64_stats_add(&c->c[id], v);
	u64_stats_update_end_irqrestore(&c->syncp, flags);
	put_cpu_ptr(pc);
}

static inline void lg_counter_inc(struct lg_counters __percpu *pc,
				  unsigned int id)
{
	lg_counter_add(pc, id, 1);
}

/* For gauges: the per-cpu values may go negative, their sum does not. */
static inline void lg_counter_dec(struct lg_counters __percpu *pc,
				  unsigned int id)
{
	struct lg_counters *c = get_cpu_ptr(pc);
	unsigned long flags;

	flags = u64_stats_update_begin_irqsave(&c->syncp);
	u64_stats_sub(&c->c[id], 1);
	u64_stats_update_end_irqrestore(&c->syncp, flags);
	put_cpu_ptr(pc);
}

#endif /* _LG_COUNTERS_H */
