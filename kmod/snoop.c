// SPDX-License-Identifier: GPL-2.0
/*
 * DHCPv6 snooping: what the server leased, learned from the exchange.
 *
 * A client request arriving on an access interface is remembered in a
 * small pending table, keyed by (transaction-id, client DUID), with what
 * only the request shows: the client's link-local address and MAC. A
 * RELAY-REPL arriving on an upstream interface adds the server's address
 * and the Interface-Id. The REPLY leaving through the access interface
 * towards the client is where leases are learned: it comes from the relay
 * (or server) on this machine, never from a subscriber. So any relay that
 * sends through the kernel's IPv6 stack works (ISC dhcrelay, others), and
 * so does a server on this machine, whose REPLY is its own.
 *
 * Snooping never drops, delays or changes a packet. DHCPv6-Shield (savi.c)
 * borrows its parser to look inside a subscriber's relay messages.
 */
#include <linux/etherdevice.h>
#include <linux/if_arp.h>
#include <linux/ipv6.h>
#include <linux/jhash.h>
#include <linux/percpu.h>
#include <linux/random.h>
#include <linux/udp.h>
#include <linux/vmalloc.h>
#include <net/ip6_checksum.h>
#include <net/ipv6.h>

#include "leaseguard.h"

#define LG_SNOOP_MAX		2048	/* longer messages are not snooped... */
/* ...but for server messages leaving to clients: any UDP payload. */
#define LG_SNOOP_OUT_MAX	(U16_MAX - sizeof(struct udphdr))

struct lg_snoop_scratch {
	struct dhcp6_packet pkt;
	u8 buf[LG_SNOOP_MAX];
	u8 *out;		/* LG_SNOOP_OUT_MAX bytes */
};

static struct lg_snoop_scratch __percpu *lg_scratch;

/* Keeps where a request lands in the pending table a secret. */
static u32 lg_pending_seed __read_mostly;

/* The malformed counter of each parser error. */
static const u8 lg_malformed_stat[__DHCP6_ERR_MAX] = {
	[DHCP6_ERR_SHORT]	 = LG_STATS_A_DHCP6_MALFORMED_SHORT,
	[DHCP6_ERR_OPT_OVERRUN]	 = LG_STATS_A_DHCP6_MALFORMED_OPT_OVERRUN,
	[DHCP6_ERR_OPT_LEN]	 = LG_STATS_A_DHCP6_MALFORMED_OPT_LEN,
	[DHCP6_ERR_DUID]	 = LG_STATS_A_DHCP6_MALFORMED_DUID,
	[DHCP6_ERR_PREFIX_LEN]	 = LG_STATS_A_DHCP6_MALFORMED_PREFIX_LEN,
	[DHCP6_ERR_DUPLICATE]	 = LG_STATS_A_DHCP6_MALFORMED_DUPLICATE,
	[DHCP6_ERR_HOPS]	 = LG_STATS_A_DHCP6_MALFORMED_HOPS,
	[DHCP6_ERR_NO_RELAY_MSG] = LG_STATS_A_DHCP6_MALFORMED_NO_RELAY_MSG,
	[DHCP6_ERR_TYPE]	 = LG_STATS_A_DHCP6_MALFORMED_TYPE,
};

static u64 lg_duid_hash(const struct dhcp6_bytes *duid)
{
	return ((u64)jhash(duid->data, duid->len, lg_pending_seed) << 32 |
		jhash(duid->data, duid->len, ~lg_pending_seed)) | 1;
}

static struct lg_pending *lg_pending_set(struct lg_pending *table, u32 xid,
					 u64 duid_hash)
{
	u32 h = jhash_3words(xid, (u32)duid_hash, duid_hash >> 32,
			     lg_pending_seed);

	return &table[(h % LG_PENDING_SETS) * LG_PENDING_WAYS];
}

static bool lg_pending_fresh(const struct lg_pending *p)
{
	return p->duid_hash && time_before(jiffies, p->when + LG_PENDING_TTL);
}

/* The pending request a server message answers, if it is still fresh. */
static struct lg_pending *lg_pending_find(struct lg_bindings *bs,
					  const struct dhcp6_msg *m)
{
	struct lg_pending *table, *set;
	u64 hash = lg_duid_hash(&m->client_id);
	unsigned int i;

	/* Pairs with the release in lg_bindings_prepare_access(). */
	table = smp_load_acquire(&bs->pending);
	if (!table)
		return NULL;
	set = lg_pending_set(table, m->xid, hash);
	for (i = 0; i < LG_PENDING_WAYS; i++)
		if (set[i].duid_hash == hash && set[i].xid == m->xid &&
		    lg_pending_fresh(&set[i]))
			return &set[i];
	return NULL;
}

/* Did @a and @b come from one client (its MAC, else its address)? */
static bool lg_pending_same_client(const struct lg_pending *a,
				   const struct lg_pending *b)
{
	if (a->ifindex != b->ifindex || a->has_mac != b->has_mac)
		return false;
	return a->has_mac ? ether_addr_equal(a->mac, b->mac) :
			    ipv6_addr_equal(&a->lladdr, &b->lladdr);
}

/* Is @b a retransmission of @a by the same client, from the same place? */
static bool lg_pending_same_origin(const struct lg_pending *a,
				   const struct lg_pending *b)
{
	return lg_pending_same_client(a, b) &&
	       ipv6_addr_equal(&a->lladdr, &b->lladdr);
}

/*
 * How much of @set the owner of @p holds, @req counted in: its interface's
 * entries, then its client's, scaled so that the interface weighs first.
 */
static unsigned int lg_pending_share(const struct lg_pending *set,
				     const struct lg_pending *p,
				     const struct lg_pending *req)
{
	unsigned int i, link = 0, client = 0;

	for (i = 0; i < LG_PENDING_WAYS; i++) {
		if (set[i].ifindex != p->ifindex)
			continue;
		link++;
		client += lg_pending_same_client(&set[i], p);
	}
	if (req->ifindex == p->ifindex) {
		link++;
		client += lg_pending_same_client(req, p);
	}
	return link * (LG_PENDING_WAYS + 2) + client;
}

/*
 * Where to note @req: its own entry (a retransmission), a free or stale
 * one, or else the entry whose owner holds most of the set, @req counted
 * in (the interface with the most entries there, and its client with the
 * most): the requester's own on a tie, then the oldest. A flood from one
 * client, or from one interface, so only ever evicts its own requests,
 * and everybody else's exchange can still be matched. NULL if a fresh
 * entry has @req's key but another origin: the first request wins, so a
 * neighbour who repeats a client's multicast request cannot put its own
 * address and MAC into that client's binding.
 */
static struct lg_pending *lg_pending_slot(struct lg_pending *table,
					  const struct lg_pending *req)
{
	struct lg_pending *set = lg_pending_set(table, req->xid,
						req->duid_hash);
	struct lg_pending *victim = NULL;
	unsigned int i, share, best = 0;
	bool own, best_own = false;

	for (i = 0; i < LG_PENDING_WAYS; i++) {
		if (set[i].duid_hash != req->duid_hash || set[i].xid != req->xid)
			continue;
		if (lg_pending_fresh(&set[i]) &&
		    !lg_pending_same_origin(&set[i], req))
			return NULL;
		return &set[i];
	}
	for (i = 0; i < LG_PENDING_WAYS; i++)
		if (!lg_pending_fresh(&set[i]))
			return &set[i];

	for (i = 0; i < LG_PENDING_WAYS; i++) {
		share = lg_pending_share(set, &set[i], req);
		own = lg_pending_same_client(&set[i], req);
		if (!victim || share > best ||
		    (share == best && own > best_own) ||
		    (share == best && own == best_own &&
		     time_before(set[i].when, victim->when))) {
			victim = &set[i];
			best = share;
			best_own = own;
		}
	}
	return victim;
}

static u8 lg_ia_type(u16 option)
{
	return option == DHCP6_OPT_IA_NA ? LG_IA_NA : LG_IA_PD;
}

static bool lg_is_client_request(u8 type)
{
	switch (type) {
	case DHCP6_SOLICIT:
	case DHCP6_REQUEST:
	case DHCP6_RENEW:
	case DHCP6_REBIND:
	case DHCP6_RELEASE:
	case DHCP6_DECLINE:
		return true;
	}
	return false;
}

/* A client message arrived on an access interface. */
static void lg_snoop_request(struct lg_net *ln, struct lg_link *link,
			     struct sk_buff *skb, const struct dhcp6_packet *pkt)
{
	const struct dhcp6_msg *m = &pkt->msg;
	struct lg_bindings *bs = &ln->bindings;
	struct lg_pending *table, *p, req;
	unsigned int i;

	/* Pairs with the release in lg_bindings_prepare_access(). */
	table = smp_load_acquire(&bs->pending);
	if (!table || !lg_is_client_request(m->type) || !m->client_id.len)
		return;

	memset(&req, 0, sizeof(req));
	req.duid_hash = lg_duid_hash(&m->client_id);
	req.xid = m->xid;
	req.type = m->type;
	req.ifindex = link->ifindex;
	req.when = jiffies;
	if (pkt->n_relays) {
		/* A relay below us (e.g. an LDRA) saw the client. */
		const struct dhcp6_relay *r = &pkt->relays[pkt->n_relays - 1];

		memcpy(&req.lladdr, r->peer_addr, sizeof(req.lladdr));
		if (r->lladdr_type == 1 && r->lladdr.len == ETH_ALEN) {
			memcpy(req.mac, r->lladdr.data, ETH_ALEN);
			req.has_mac = true;
		}
	} else {
		req.lladdr = ipv6_hdr(skb)->saddr;
		if (skb->dev->type == ARPHRD_ETHER && skb_mac_header_was_set(skb) &&
		    skb_mac_header_len(skb) >= ETH_HLEN) {
			memcpy(req.mac, eth_hdr(skb)->h_source, ETH_ALEN);
			req.has_mac = true;
		}
	}
	for (i = 0; i < m->n_ias && i < ARRAY_SIZE(req.ias); i++) {
		req.ias[i].type = lg_ia_type(m->ias[i].type);
		req.ias[i].iaid = m->ias[i].iaid;
	}
	req.n_ias = i;

	spin_lock_bh(&bs->lock);
	p = lg_pending_slot(table, &req);
	/* A retransmission keeps what a RELAY-REPL told already. */
	if (p && p->xid == req.xid && p->duid_hash == req.duid_hash &&
	    lg_pending_fresh(p))
		p->when = req.when;
	else if (p)
		*p = req;
	spin_unlock_bh(&bs->lock);
}

/* A RELAY-REPL arrived upstream: note who answered, and through what. */
static void lg_snoop_relay_reply(struct lg_net *ln, struct sk_buff *skb,
				 const struct dhcp6_packet *pkt)
{
	const struct dhcp6_relay *ours = &pkt->relays[0];
	struct lg_bindings *bs = &ln->bindings;
	struct lg_pending *p;

	if (ours->type != DHCP6_RELAY_REPL || !pkt->msg.client_id.len)
		return;

	spin_lock_bh(&bs->lock);
	p = lg_pending_find(bs, &pkt->msg);
	if (p) {
		p->server_addr = ipv6_hdr(skb)->saddr;
		p->has_server = true;
		if (ours->interface_id.len <= sizeof(p->ifid)) {
			p->ifid_len = ours->interface_id.len;
			memcpy(p->ifid, ours->interface_id.data, p->ifid_len);
		}
	}
	spin_unlock_bh(&bs->lock);
}

static const struct dhcp6_ia *lg_reply_ia(const struct dhcp6_msg *m, u8 type,
					  u32 iaid)
{
	unsigned int i;

	for (i = 0; i < m->n_ias; i++)
		if (m->ias[i].iaid == iaid && lg_ia_type(m->ias[i].type) == type)
			return &m->ias[i];
	return NULL;
}

/* The server's REPLY leaves through an access interface: learn from it. */
static void lg_snoop_reply(struct lg_net *ln, struct lg_link *link,
			   struct sk_buff *skb, const struct dhcp6_msg *m)
{
	struct lg_bindings *bs = &ln->bindings;
	struct lg_binding_update u = {
		.ifindex = link->ifindex,
		.msg = m,
		.reply_saddr = &ipv6_hdr(skb)->saddr,
	};
	const struct lg_pending *p;
	unsigned int i;

	if (m->type != DHCP6_REPLY || !m->client_id.len || !m->server_id.len)
		return;
	/* A failed exchange changes nothing. */
	if (m->has_status && m->status != DHCP6_STATUS_SUCCESS)
		return;
	/* One server transaction: one time for all the IAs it answers. */
	u.replied = lg_now_real_ms();

	spin_lock_bh(&bs->lock);
	rcu_read_lock();
	p = lg_pending_find(bs, m);
	if (!p || p->ifindex != link->ifindex) {
		lg_counter_inc(ln->counters, LG_STATS_A_DHCP6_UNMATCHED);
		goto out;
	}
	u.req = p;
	switch (p->type) {
	case DHCP6_SOLICIT:
		if (!m->rapid_commit)
			break;
		fallthrough;
	case DHCP6_REQUEST:
	case DHCP6_RENEW:
	case DHCP6_REBIND:
		for (i = 0; i < m->n_ias; i++) {
			u.ia = &m->ias[i];
			if (u.ia->type != DHCP6_OPT_IA_NA &&
			    u.ia->type != DHCP6_OPT_IA_PD)
				continue;
			if (u.ia->has_status &&
			    u.ia->status != DHCP6_STATUS_SUCCESS)
				continue;
			lg_binding_apply(ln, &u);
		}
		break;
	case DHCP6_RELEASE:
	case DHCP6_DECLINE:
		/* The REPLY lists only the IAs it could not release. */
		for (i = 0; i < p->n_ias; i++) {
			const struct dhcp6_ia *ia;

			ia = lg_reply_ia(m, p->ias[i].type, p->ias[i].iaid);
			if (ia && ia->has_status &&
			    ia->status != DHCP6_STATUS_SUCCESS)
				continue;
			lg_binding_release(ln, link->ifindex, &m->client_id,
					   p->ias[i].type, p->ias[i].iaid,
					   p->type == DHCP6_RELEASE ?
					   LG_BINDING_DEL_CLIENT_RELEASE :
					   LG_BINDING_DEL_CLIENT_DECLINE);
		}
		break;
	}
out:
	rcu_read_unlock();
	spin_unlock_bh(&bs->lock);
}

/*
 * Finds the UDP payload of a DHCPv6 message in @skb: arriving (@rx), to
 * the server port; leaving, from it. Cheap, and no scratch: every UDP
 * packet of a configured interface comes through here.
 */
static bool lg_dhcp6_locate(struct sk_buff *skb, bool rx, unsigned int *off,
			    unsigned int *len)
{
	const struct udphdr *uh;
	struct udphdr _uh;
	int thoff = 0, flags = 0;

	if (ipv6_hdr(skb)->nexthdr == IPPROTO_UDP) {
		thoff = skb_network_offset(skb) + sizeof(struct ipv6hdr);
	} else if (ipv6_find_hdr(skb, &thoff, IPPROTO_UDP, NULL, &flags) !=
		   IPPROTO_UDP || (flags & IP6_FH_F_FRAG)) {
		return false;	/* not UDP, or a fragment: not snooped */
	}

	uh = skb_header_pointer(skb, thoff, sizeof(_uh), &_uh);
	if (!uh)
		return false;
	if (rx ? uh->dest != htons(DHCP6_SERVER_PORT) :
		 uh->source != htons(DHCP6_SERVER_PORT))
		return false;

	*off = thoff + sizeof(_uh);
	if (ntohs(uh->len) < sizeof(_uh) || *off > skb->len)
		return false;
	*len = min_t(unsigned int, ntohs(uh->len) - sizeof(_uh),
		     skb->len - *off);
	return true;
}

/*
 * Is the UDP checksum of the datagram whose payload is at @off right? What
 * the device vouches for is trusted, and so is CHECKSUM_PARTIAL (made on
 * this machine; the checksum is filled in on the way out). A sum the
 * device took (CHECKSUM_COMPLETE) is used on the way in only: forwarding
 * changes the header under it. The rest is summed here: only DHCPv6
 * messages come this way. @skb is not changed.
 */
static bool lg_udp_csum_ok(struct sk_buff *skb, unsigned int off, bool out)
{
	const struct ipv6hdr *ip6h = ipv6_hdr(skb);
	unsigned int thoff = off - sizeof(struct udphdr), ulen;
	const struct udphdr *uh;
	struct udphdr _uh;
	__wsum csum;

	if (skb_csum_unnecessary(skb))
		return true;
	uh = skb_header_pointer(skb, thoff, sizeof(_uh), &_uh);
	/* IPv6 has no "no checksum" (RFC 8200 section 8.1). */
	if (!uh || !uh->check)
		return false;
	/* 0: the rest of the packet, as Linux's UDP reads it (RFC 2675) */
	ulen = ntohs(uh->len) ?: skb->len - thoff;
	if (ulen < sizeof(_uh) || ulen > skb->len - thoff)
		return false;
	if (!out && skb->ip_summed == CHECKSUM_COMPLETE &&
	    thoff + ulen == skb->len) {
		csum = csum_sub(skb->csum, skb_checksum(skb, 0, thoff, 0));
		if (!csum_ipv6_magic(&ip6h->saddr, &ip6h->daddr, ulen,
				     IPPROTO_UDP, csum))
			return true;
	}
	csum = skb_checksum(skb, thoff, ulen, 0);
	return !csum_ipv6_magic(&ip6h->saddr, &ip6h->daddr, ulen, IPPROTO_UDP,
				csum);
}

/*
 * Parses the DHCPv6 message at [@off, @off + @len) of @skb into this CPU's
 * scratch; NULL if it is too long, fails its UDP checksum or is malformed
 * (counted). A server message leaving (@out) may be as long as UDP allows.
 * BHs are off.
 */
static const struct dhcp6_packet *__lg_snoop_parse(struct lg_net *ln,
						   struct sk_buff *skb,
						   unsigned int off,
						   unsigned int len, bool out)
{
	struct lg_snoop_scratch *s = this_cpu_ptr(lg_scratch);
	enum dhcp6_err err;
	const u8 *data;

	if (len > (out ? LG_SNOOP_OUT_MAX : LG_SNOOP_MAX)) {
		lg_counter_inc(ln->counters, LG_STATS_A_DHCP6_TOO_BIG);
		return NULL;
	}
	if (!lg_udp_csum_ok(skb, off, out)) {
		lg_counter_inc(ln->counters, LG_STATS_A_DHCP6_MALFORMED_CSUM);
		return NULL;
	}
	/* A linear skb is read in place; only the rest is copied. */
	data = skb_header_pointer(skb, off, len,
				  len > LG_SNOOP_MAX ? s->out : s->buf);
	if (!data)
		return NULL;

	err = dhcp6_parse(data, len, &s->pkt);
	if (err) {
		lg_counter_inc(ln->counters, lg_malformed_stat[err]);
		return NULL;
	}
	return &s->pkt;
}

/* The same, for a message arriving. */
static const struct dhcp6_packet *lg_snoop_parse(struct lg_net *ln,
						 struct sk_buff *skb,
						 unsigned int off,
						 unsigned int len)
{
	return __lg_snoop_parse(ln, skb, off, len, false);
}

/*
 * DHCPv6-Shield, for what only parsing shows (lg_shield() asks, for a
 * subscriber's RELAY-FORW or, on a trusted interface, release message to
 * the server port): the message at [@off, @off + @len) of @skb must parse
 * whole, and a RELEASE-REQUEST (or its reply) wrapped in RELAY-FORWs by a
 * relay below us is dropped unless the interface trusts them. Returns the
 * counter to drop with, or 0. *@why says why for the log. The message is
 * parsed again for snooping if it passes: only relays below us pay that.
 */
unsigned int lg_snoop_shield(struct lg_net *ln, const struct lg_link *link,
			     struct sk_buff *skb, unsigned int off,
			     unsigned int len, const char **why)
{
	const struct dhcp6_packet *pkt;
	unsigned int drop = 0;

	/* The scratch is per CPU: no softirq may run on it meanwhile. */
	local_bh_disable();
	pkt = lg_snoop_parse(ln, skb, off, len);
	if (!pkt) {
		*why = "DHCPv6 message that cannot be checked whole";
		drop = LG_LINK_STATS_A_SHIELD_DROP_HIDDEN;
	} else if (pkt->n_relays && !READ_ONCE(link->release_trusted) &&
		   lg_release_type(ln, pkt->msg.type)) {
		*why = "RELEASE-REQUEST(-REPLY) from a subscriber";
		drop = LG_LINK_STATS_A_SHIELD_DROP_RELEASE;
	}
	local_bh_enable();
	return drop;
}

/*
 * From the receive hook: a packet arrived on a configured interface. On an
 * access interface, DHCPv6-Shield (lg_savi_rx()) has judged it already.
 */
void lg_snoop_rx(struct lg_net *ln, struct lg_link *link, struct sk_buff *skb)
{
	const struct dhcp6_packet *pkt;
	u8 role = READ_ONCE(link->role);
	unsigned int off, len;

	if (!lg_dhcp6_locate(skb, true, &off, &len))
		return;

	/* The scratch is per CPU: no softirq may run on it meanwhile. */
	local_bh_disable();
	pkt = lg_snoop_parse(ln, skb, off, len);
	if (!pkt)
		goto out;
	lg_counter_inc(link->counters, LG_LINK_STATS_A_DHCP6_SNOOPED);
	if (role == LG_ROLE_ACCESS)
		lg_snoop_request(ln, link, skb, pkt);
	else if (pkt->n_relays)
		lg_snoop_relay_reply(ln, skb, pkt);
out:
	local_bh_enable();
}

/* Did @skb come in from a subscriber (and is now forwarded)? */
static bool lg_from_access(struct lg_net *ln, const struct sk_buff *skb)
{
	struct lg_link *in;

	if (!skb->skb_iif)
		return false;	/* made on this machine */
	in = lg_link_lookup_rcu(ln, skb->skb_iif);
	return in && READ_ONCE(in->role) == LG_ROLE_ACCESS;
}

/* From the transmit hook: a packet leaves through an access interface. */
void lg_snoop_tx(struct lg_net *ln, struct lg_link *link, struct sk_buff *skb)
{
	const struct dhcp6_packet *pkt;
	unsigned int off, len;

	if (!lg_dhcp6_locate(skb, false, &off, &len))
		return;
	/*
	 * A server message that a subscriber sent to another one (with
	 * DHCPv6-Shield off) must not teach us a lease.
	 */
	if (lg_from_access(ln, skb)) {
		lg_counter_inc(ln->counters, LG_STATS_A_DHCP6_REPLY_FROM_ACCESS);
		return;
	}

	local_bh_disable();
	pkt = __lg_snoop_parse(ln, skb, off, len, true);
	if (pkt) {
		lg_counter_inc(link->counters, LG_LINK_STATS_A_DHCP6_SNOOPED);
		lg_snoop_reply(ln, link, skb, &pkt->msg);
	}
	local_bh_enable();
}

void lg_snoop_exit(void)
{
	int cpu;

	for_each_possible_cpu(cpu)
		kvfree(per_cpu_ptr(lg_scratch, cpu)->out);
	free_percpu(lg_scratch);
}

int __init lg_snoop_init(void)
{
	int cpu;

	lg_pending_seed = get_random_u32();
	lg_scratch = alloc_percpu(struct lg_snoop_scratch);
	if (!lg_scratch)
		return -ENOMEM;
	for_each_possible_cpu(cpu) {
		struct lg_snoop_scratch *s = per_cpu_ptr(lg_scratch, cpu);

		s->out = kvmalloc_node(LG_SNOOP_OUT_MAX, GFP_KERNEL,
				       cpu_to_node(cpu));
		if (!s->out) {
			lg_snoop_exit();
			return -ENOMEM;
		}
	}
	return 0;
}
