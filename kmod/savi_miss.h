/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LG_SAVI_MISS_H
#define _LG_SAVI_MISS_H

#include <linux/in6.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/leaseguard.h>

/* A token bucket that holds one second's worth of @rate. */
struct lg_miss_bucket {
	u64 credit;		/* ns x rate; a token costs NSEC_PER_SEC */
	u64 last;		/* ktime_get_ns() of the last refill */
	u32 rate;		/* tokens per second; written under the lock */
};

/* Per interface: the sources sent lately, and its budget. */
struct lg_miss_link {
	spinlock_t lock;	/* all of it; the namespace's nests inside */
	struct lg_miss_bucket bucket;
	unsigned int next;	/* the slot of recent[] to overwrite */
	struct {
		struct in6_addr addr;
		u64 sent;	/* ktime_get_ns() */
	} recent[LG_MISS_RECENT];
};

/* Per namespace: the budget all its interfaces share. */
struct lg_miss_net {
	spinlock_t lock;	/* the bucket; taken inside a link's */
	struct lg_miss_bucket bucket;
};

struct lg_net;
struct lg_link;

void lg_savi_miss_init_link(struct lg_miss_link *m);
void lg_savi_miss_init_net(struct lg_miss_net *m);
bool lg_savi_miss_set_link_rate(struct lg_miss_link *m, u32 rate);
bool lg_savi_miss_set_net_rate(struct lg_miss_net *m, u32 rate);
void lg_savi_miss(struct lg_net *ln, struct lg_link *link,
		  const struct in6_addr *saddr, const u8 *mac);

#endif /* _LG_SAVI_MISS_H */
