// SPDX-License-Identifier: GPL-2.0
/*
 * LG_CMD_SAVI_MISS_NTF: a source that no binding and no static entry
 * validates, told to leaseguardd so that it can ask the servers for the
 * lease and restore the binding (RFC 7513 section 7).
 *
 * A subscriber picks its source addresses freely, so what it can make
 * the module send is bounded: a holddown of the interface's recent
 * sources, then a token bucket per interface and one per namespace. And
 * none of it costs anything while nobody listens.
 */
#include <linux/etherdevice.h>
#include <linux/timekeeping.h>
#include <net/genetlink.h>
#include <net/ipv6.h>

#include "leaseguard.h"

#define LG_MISS_HOLDDOWN_NS	((u64)LG_MISS_HOLDDOWN_MS * NSEC_PER_MSEC)

static void lg_miss_bucket_init(struct lg_miss_bucket *b, u32 rate)
{
	b->rate = rate;
	b->credit = (u64)rate * NSEC_PER_SEC;
	b->last = ktime_get_ns();
}

/* A new rate starts with a full bucket: it bounds the burst all the same. */
static bool lg_miss_bucket_set(spinlock_t *lock, struct lg_miss_bucket *b,
			       u32 rate)
{
	bool changed;

	spin_lock_bh(lock);
	changed = b->rate != rate;
	if (changed) {
		WRITE_ONCE(b->rate, rate);
		b->credit = (u64)rate * NSEC_PER_SEC;
		b->last = ktime_get_ns();
	}
	spin_unlock_bh(lock);
	return changed;
}

/* Takes a token if there is one; the bucket's lock held. */
static bool lg_miss_bucket_take(struct lg_miss_bucket *b, u64 now)
{
	u64 full = (u64)b->rate * NSEC_PER_SEC;

	/* Elapsed time is capped first: the product stays below 2^47. */
	if (now > b->last) {
		b->credit += min_t(u64, now - b->last, NSEC_PER_SEC) * b->rate;
		b->last = now;
	}
	b->credit = min(b->credit, full);
	if (b->credit < NSEC_PER_SEC)
		return false;
	b->credit -= NSEC_PER_SEC;
	return true;
}

void lg_savi_miss_init_link(struct lg_miss_link *m)
{
	spin_lock_init(&m->lock);
	lg_miss_bucket_init(&m->bucket, LG_LINK_MISS_RATE_DEFAULT);
}

void lg_savi_miss_init_net(struct lg_miss_net *m)
{
	spin_lock_init(&m->lock);
	lg_miss_bucket_init(&m->bucket, LG_MISS_RATE_DEFAULT);
}

bool lg_savi_miss_set_link_rate(struct lg_miss_link *m, u32 rate)
{
	return lg_miss_bucket_set(&m->lock, &m->bucket, rate);
}

bool lg_savi_miss_set_net_rate(struct lg_miss_net *m, u32 rate)
{
	return lg_miss_bucket_set(&m->lock, &m->bucket, rate);
}

/*
 * The counter of why @saddr is not sent, or 0 to send it.
 *
 * This runs on every CPU that receives from the interface. The holddown
 * check, the buckets and the record of the source are one critical
 * section under the interface's lock, so two CPUs that see the same new
 * source send it once, and no token is taken twice. The clock is read
 * inside it, so time never runs backwards for a bucket or a slot. The
 * namespace's lock nests inside; nothing takes them the other way. A
 * spoofing flood contends on the lock only past the listener check, for
 * LG_MISS_RECENT compares.
 */
static unsigned int lg_miss_admit(struct lg_net *ln, struct lg_miss_link *m,
				  const struct in6_addr *saddr)
{
	unsigned int i, why = 0;
	bool ok;
	u64 now;

	spin_lock_bh(&m->lock);
	now = ktime_get_ns();
	for (i = 0; i < LG_MISS_RECENT; i++) {
		if (ipv6_addr_equal(&m->recent[i].addr, saddr) &&
		    now - m->recent[i].sent < LG_MISS_HOLDDOWN_NS) {
			why = LG_LINK_STATS_A_SAVI_MISS_REPEATED;
			goto out;
		}
	}
	why = LG_LINK_STATS_A_SAVI_MISS_LIMITED;
	if (!lg_miss_bucket_take(&m->bucket, now))
		goto out;
	spin_lock(&ln->miss.lock);
	ok = lg_miss_bucket_take(&ln->miss.bucket, now);
	spin_unlock(&ln->miss.lock);
	if (!ok) {
		lg_counter_inc(ln->counters, LG_STATS_A_SAVI_MISS_LIMITED);
		goto out;
	}
	/* Recorded before it is sent: a copy on another CPU is a repeat. */
	i = m->next++ % LG_MISS_RECENT;
	m->recent[i].addr = *saddr;
	m->recent[i].sent = now;
	why = 0;
out:
	spin_unlock_bh(&m->lock);
	return why;
}

static int lg_miss_notify(struct lg_net *ln, int ifindex,
			  const struct in6_addr *saddr, const u8 *mac)
{
	size_t size = nla_total_size(nla_total_size(sizeof(u32)) +
				     nla_total_size(sizeof(*saddr)) +
				     nla_total_size(ETH_ALEN));
	struct nlattr *nest;
	struct sk_buff *skb;
	void *hdr;

	skb = lg_should_fail() ? NULL : genlmsg_new(size, GFP_ATOMIC);
	if (!skb)
		return -ENOMEM;
	hdr = genlmsg_put(skb, 0, 0, &lg_genl_family, 0, LG_CMD_SAVI_MISS_NTF);
	if (!hdr)
		goto err_free;
	nest = nla_nest_start(skb, LG_A_MISS);
	if (!nest || nla_put_u32(skb, LG_MISS_A_IFINDEX, ifindex) ||
	    nla_put_in6_addr(skb, LG_MISS_A_SRC_ADDR, saddr) ||
	    (mac && nla_put(skb, LG_MISS_A_SRC_MAC, ETH_ALEN, mac)))
		goto err_free;
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	genlmsg_multicast_netns(&lg_genl_family, ln->net, skb, 0,
				LG_MCGRP_BINDINGS, GFP_ATOMIC);
	return 0;

err_free:
	nlmsg_free(skb);
	return -EMSGSIZE;
}

/*
 * From SAVI, in softirq: no binding and no static entry of @link validates
 * @saddr (neither link-local nor ::); @mac is the packet's Ethernet source,
 * or NULL. A notification that cannot be allocated is counted as limited:
 * the source is sent again after the holddown, if it comes again.
 */
void lg_savi_miss(struct lg_net *ln, struct lg_link *link,
		  const struct in6_addr *saddr, const u8 *mac)
{
	unsigned int why;

	if (!lg_nl_has_listeners(ln, LG_MCGRP_BINDINGS))
		return;
	why = lg_miss_admit(ln, &link->miss, saddr);
	if (!why)
		why = lg_miss_notify(ln, link->ifindex, saddr, mac) ?
		      LG_LINK_STATS_A_SAVI_MISS_LIMITED :
		      LG_LINK_STATS_A_SAVI_MISS_SENT;
	lg_counter_inc(link->counters, why);
}
