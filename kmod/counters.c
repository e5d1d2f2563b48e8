// SPDX-License-Identifier: GPL-2.0
#include <linux/overflow.h>
#include <linux/slab.h>
#include <net/netlink.h>

#include "counters.h"

struct lg_counters __percpu *lg_counters_alloc(unsigned int n, gfp_t gfp)
{
	struct lg_counters __percpu *pc;
	int cpu;

	pc = __alloc_percpu_gfp(struct_size((struct lg_counters *)NULL, c, n),
				__alignof__(struct lg_counters), gfp);
	if (!pc)
		return NULL;
	for_each_possible_cpu(cpu)
		u64_stats_init(&per_cpu_ptr(pc, cpu)->syncp);
	return pc;
}

void lg_counters_free(struct lg_counters __percpu *pc)
{
	free_percpu(pc);
}

static u64 lg_counter_sum(struct lg_counters __percpu *pc, unsigned int id)
{
	u64 sum = 0;
	int cpu;

	for_each_possible_cpu(cpu) {
		const struct lg_counters *c = per_cpu_ptr(pc, cpu);
		unsigned int start;
		u64 v;

		do {
			start = u64_stats_fetch_begin(&c->syncp);
			v = u64_stats_read(&c->c[id]);
		} while (u64_stats_fetch_retry(&c->syncp, start));
		sum += v;
	}
	return sum;
}

/*
 * Puts a nest @attrtype holding every counter from id 1 to @n - 1 but
 * @padattr, which is the pad attribute of the nest's own attribute space.
 */
int lg_counters_put(struct sk_buff *skb, int attrtype,
		    struct lg_counters __percpu *pc, unsigned int n, int padattr)
{
	struct nlattr *nest;
	unsigned int id;

	nest = nla_nest_start(skb, attrtype);
	if (!nest)
		return -EMSGSIZE;
	for (id = 1; id < n; id++) {
		if (id == padattr)
			continue;
		if (nla_put_u64_64bit(skb, id, lg_counter_sum(pc, id), padattr)) {
			nla_nest_cancel(skb, nest);
			return -EMSGSIZE;
		}
	}
	nla_nest_end(skb, nest);
	return 0;
}
