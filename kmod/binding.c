// SPDX-License-Identifier: GPL-2.0
/*
 * The binding table: what the DHCPv6 servers leased to the subscribers.
 *
 * Bindings are copy-on-write: a writer (under lg_bindings.lock, BH off)
 * builds a new binding from a draft and swaps it into the three indexes;
 * RCU readers (source validation, netlink) always see a whole binding.
 *
 *   by_duid  rhltable: client DUID -> its bindings (every IA, interface)
 *   leases   rhashtable: (ifindex, plen, prefix) -> lease -> binding
 *   by_id    xarray: binding ID -> binding, in creation order (dumps)
 *
 * Leases expire on a wheel of LG_WHEEL_SIZE one-second buckets, turned by
 * a delayed work while there are bindings: no per-packet scanning.
 */
#include <linux/etherdevice.h>
#include <linux/jhash.h>
#include <linux/moduleparam.h>
#include <linux/rhashtable.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>
#include <net/ipv6.h>

#include "leaseguard.h"

struct lg_duid_key {
	const u8 *duid;
	u8 len;
};

static u32 lg_duid_hashfn(const void *data, u32 len, u32 seed)
{
	const struct lg_duid_key *key = data;

	return jhash(key->duid, key->len, seed);
}

static u32 lg_duid_obj_hashfn(const void *data, u32 len, u32 seed)
{
	const struct lg_binding *b = data;

	return jhash(lg_binding_duid(b), b->m.duid_len, seed);
}

static int lg_duid_obj_cmpfn(struct rhashtable_compare_arg *arg,
			     const void *obj)
{
	const struct lg_duid_key *key = arg->key;
	const struct lg_binding *b = obj;

	return b->m.duid_len != key->len ||
	       memcmp(lg_binding_duid(b), key->duid, key->len);
}

static const struct rhashtable_params lg_duid_params = {
	.head_offset		= offsetof(struct lg_binding, node),
	.hashfn			= lg_duid_hashfn,
	.obj_hashfn		= lg_duid_obj_hashfn,
	.obj_cmpfn		= lg_duid_obj_cmpfn,
	.automatic_shrinking	= true,
};

static const struct rhashtable_params lg_lease_params = {
	.head_offset		= offsetof(struct lg_lease, node),
	.key_offset		= offsetof(struct lg_lease, key),
	.key_len		= sizeof(struct lg_lease_key),
	.automatic_shrinking	= true,
};

/* A binding being built: what lg_binding_commit() publishes. */
struct lg_draft {
	struct lg_binding_meta m;
	struct lg_lease leases[LG_BINDING_MAX_LEASES];
	const u8 *duid, *server_duid, *ifid;
};

/* lg_binding_apply()'s draft: it runs in softirq, under bindings.lock. */
static DEFINE_PER_CPU(struct lg_draft, lg_apply_draft);

/*
 * Test knob (Documentation/testing.rst): N > 0 makes the N-th insert of a
 * binding into the DUID table from now fail as if out of memory, once.
 * Debian's kernel has no CONFIG_FAULT_INJECTION, so this is always built;
 * at 0 it costs one read per commit.
 */
static int lg_fail_binding_insert;
module_param_named(fail_binding_insert, lg_fail_binding_insert, int, 0600);
MODULE_PARM_DESC(fail_binding_insert,
		 "testing: fail the N-th binding insert from now (0: never)");

static bool lg_should_fail_insert(void)
{
	int n = READ_ONCE(lg_fail_binding_insert), old;

	while (n > 0) {
		old = cmpxchg(&lg_fail_binding_insert, n, n - 1);
		if (old == n)
			return n == 1;
		n = old;
	}
	return false;
}

u32 lg_now(void)
{
	return ktime_get_boottime_seconds();
}

/* Now as LG_BINDING_A_REPLIED counts: CLOCK_REALTIME milliseconds. */
u64 lg_now_real_ms(void)
{
	return ktime_to_ms(ktime_get_real());
}

/*
 * Realtime minus boottime, in ns: read once per message or dump. Whole
 * seconds of the two clocks tick apart, so their difference read twice
 * may differ by one, and one dump told one expiry as two seconds.
 */
s64 lg_real_offset(void)
{
	return ktime_get_real_ns() - ktime_get_boottime_ns();
}

/* @boottime seconds as realtime seconds, by @offset (lg_real_offset()). */
time64_t lg_time_to_real(s64 boottime, s64 offset)
{
	return div_s64(boottime * NSEC_PER_SEC + offset, NSEC_PER_SEC);
}

static struct lg_net *lg_bindings_net(struct lg_bindings *bs)
{
	return container_of(bs, struct lg_net, bindings);
}

static void lg_draft_from(struct lg_draft *d, const struct lg_binding *b)
{
	d->m = b->m;
	memcpy(d->leases, b->leases, b->m.n_leases * sizeof(d->leases[0]));
	d->duid = lg_binding_duid(b);
	d->server_duid = lg_binding_server_duid(b);
	d->ifid = lg_binding_ifid(b);
}

static void lg_draft_drop_lease(struct lg_draft *d, unsigned int i)
{
	d->m.n_leases--;
	memmove(&d->leases[i], &d->leases[i + 1],
		(d->m.n_leases - i) * sizeof(d->leases[0]));
}

static struct lg_binding *lg_binding_build(struct lg_net *ln,
					   const struct lg_draft *d)
{
	struct lg_binding *b;
	unsigned int i;
	u8 *bytes;

	b = lg_kmalloc_kept(ln, struct_size(b, leases, d->m.n_leases) +
			    d->m.duid_len + d->m.server_duid_len +
			    d->m.ifid_len, 0);
	if (!b)
		return NULL;
	b->m = d->m;
	INIT_HLIST_NODE(&b->wheel);
	memcpy(b->leases, d->leases, d->m.n_leases * sizeof(b->leases[0]));
	for (i = 0; i < b->m.n_leases; i++)
		b->leases[i].granted = false;
	bytes = (u8 *)lg_binding_duid(b);
	memcpy(bytes, d->duid, d->m.duid_len);
	memcpy(bytes + d->m.duid_len, d->server_duid, d->m.server_duid_len);
	memcpy(bytes + d->m.duid_len + d->m.server_duid_len, d->ifid,
	       d->m.ifid_len);
	return b;
}

static void lg_binding_free_rcu(struct rcu_head *rcu)
{
	kfree(container_of(rcu, struct lg_binding, rcu));
}

static struct lg_lease *lg_binding_find_lease(struct lg_binding *b,
					      const struct lg_lease_key *key)
{
	unsigned int i;

	for (i = 0; b && i < b->m.n_leases; i++)
		if (b->leases[i].indexed &&
		    !memcmp(&b->leases[i].key, key, sizeof(*key)))
			return &b->leases[i];
	return NULL;
}

/* The access interface of a binding, if it still is one. */
static struct lg_link *lg_binding_link(struct lg_net *ln, int ifindex)
{
	struct lg_link *link = lg_link_lookup_rcu(ln, ifindex);

	return link && READ_ONCE(link->role) == LG_ROLE_ACCESS ? link : NULL;
}

static void lg_lease_unindex(struct lg_net *ln, struct lg_lease *lease)
{
	struct lg_link *link = lg_link_lookup_rcu(ln, lease->key.ifindex);

	rhashtable_remove_fast(&ln->bindings.leases, &lease->node,
			       lg_lease_params);
	if (link)
		lg_link_plen_put(link, lease->key.plen);
}

static void lg_binding_commit(struct lg_net *ln, struct lg_binding *old,
			      struct lg_draft *d, u8 reason);

/* Another binding on the interface held @key: the server's latest word wins. */
static void lg_lease_supersede(struct lg_net *ln, struct lg_lease *lease)
{
	struct lg_binding *other = lg_lease_binding(lease);
	struct lg_draft *d;
	unsigned int i;

	d = lg_should_fail() ? NULL : kmalloc(sizeof(*d), GFP_ATOMIC);
	if (!d) {
		lg_counter_inc(ln->counters, LG_STATS_A_DHCP6_NOMEM);
		return;
	}
	lg_draft_from(d, other);
	for (i = 0; i < d->m.n_leases; i++)
		if (!memcmp(&d->leases[i].key, &lease->key, sizeof(lease->key)))
			lg_draft_drop_lease(d, i--);
	lg_binding_commit(ln, other, d->m.n_leases ? d : NULL,
			  LG_BINDING_DEL_SUPERSEDED);
	kfree(d);
}

/*
 * Keeps in @d only the leases it may hold: @old's own, those the REPLY
 * being applied grants (taken from whoever holds them), and carried-over
 * unindexed ones that nobody holds. A lease carried over unindexed (a
 * supersede or an insert failed) never takes another binding's: that one
 * may be the server's later word, and a rebuild by the expiry walk or an
 * admin must change no binding but its own.
 */
static void lg_draft_claim(struct lg_net *ln, struct lg_binding *old,
			   struct lg_draft *d)
{
	struct lg_bindings *bs = &ln->bindings;
	struct lg_lease *held;
	unsigned int i;

	for (i = 0; i < d->m.n_leases; i++) {
		const struct lg_lease_key *key = &d->leases[i].key;

		if (lg_binding_find_lease(old, key))
			continue;
		held = rhashtable_lookup_fast(&bs->leases, key,
					      lg_lease_params);
		if (held && d->leases[i].granted) {
			lg_lease_supersede(ln, held);
			held = rhashtable_lookup_fast(&bs->leases, key,
						      lg_lease_params);
		}
		/* Still another binding's (the supersede failed): not ours. */
		if (held)
			lg_draft_drop_lease(d, i--);
	}
}

/* Puts @new's leases in the lease index, taking over @old's. */
static void lg_binding_index_leases(struct lg_net *ln, struct lg_binding *old,
				    struct lg_binding *new)
{
	struct lg_link *link = lg_link_lookup_rcu(ln, new->m.ifindex);
	struct lg_bindings *bs = &ln->bindings;
	unsigned int i;

	for (i = 0; i < new->m.n_leases; i++) {
		struct lg_lease *lease = &new->leases[i], *prev;
		int err;

		lease->idx = i;
		lease->indexed = true;
		prev = lg_binding_find_lease(old, &lease->key);
		if (prev) {
			/* Readers see the old or the new lease, never none. */
			rhashtable_replace_fast(&bs->leases, &prev->node,
						&lease->node, lg_lease_params);
			continue;
		}
		/* lg_draft_claim() left no other holder: -EEXIST cannot be. */
		err = lg_should_fail() ? -ENOMEM :
		      rhashtable_lookup_insert_fast(&bs->leases, &lease->node,
						    lg_lease_params);
		if (err) {
			lease->indexed = false;
			lg_counter_inc(ln->counters, LG_STATS_A_DHCP6_NOMEM);
			continue;
		}
		if (link)
			lg_link_plen_get(link, lease->key.plen);
	}
	/* What @new did not take over goes. */
	for (i = 0; old && i < old->m.n_leases; i++)
		if (old->leases[i].indexed &&
		    !lg_binding_find_lease(new, &old->leases[i].key))
			lg_lease_unindex(ln, &old->leases[i]);
}

static void lg_binding_wheel_add(struct lg_bindings *bs, struct lg_binding *b)
{
	u32 next = lg_binding_next_expiry(b);

	if (next == LG_FOREVER)
		return;
	hlist_add_head(&b->wheel, &bs->wheel[next % LG_WHEEL_SIZE]);
	if (!delayed_work_pending(&bs->expiry_work))
		schedule_delayed_work(&bs->expiry_work, HZ);
}

static void lg_binding_delete(struct lg_net *ln, struct lg_binding *b,
			      u8 reason)
{
	struct lg_bindings *bs = &ln->bindings;
	struct lg_link *link = lg_link_lookup_rcu(ln, b->m.ifindex);
	unsigned int i;

	for (i = 0; i < b->m.n_leases; i++)
		if (b->leases[i].indexed)
			lg_lease_unindex(ln, &b->leases[i]);
	rhltable_remove(&bs->by_duid, &b->node, lg_duid_params);
	xa_erase(&bs->by_id, b->m.id);
	if (!hlist_unhashed(&b->wheel))
		hlist_del(&b->wheel);
	bs->count--;
	bs->gen++;
	if (link)
		lg_link_binding_put(bs, link);
	lg_counter_inc(ln->counters, LG_STATS_A_BINDINGS_DELETED);
	lg_counter_dec(ln->counters, LG_STATS_A_BINDINGS);
	lg_nl_notify_binding(ln, b, LG_CMD_BINDING_DEL_NTF, reason);
	call_rcu(&b->rcu, lg_binding_free_rcu);
}

/*
 * Publishes draft @d in place of @old (either may be NULL: create or
 * delete); @d may lose the leases other bindings hold (lg_draft_claim).
 * Caller holds bs->lock and the RCU read lock. On error (-ENODEV: not an
 * access interface any more) @old stays as it was.
 */
static int __lg_binding_commit(struct lg_net *ln, struct lg_binding *old,
			       struct lg_draft *d, u8 reason)
{
	struct lg_bindings *bs = &ln->bindings;
	struct lg_link *link = NULL;
	struct lg_duid_key key;
	struct lg_binding *new;
	int err;

	if (!d) {
		lg_binding_delete(ln, old, reason);
		return 0;
	}
	if (!old) {
		link = lg_binding_link(ln, d->m.ifindex);
		if (!link)
			return -ENODEV;
	}
	lg_draft_claim(ln, old, d);
	if (!d->m.n_leases) {
		if (old)
			lg_binding_delete(ln, old, LG_BINDING_DEL_SUPERSEDED);
		return 0;
	}

	new = lg_binding_build(ln, d);
	if (!new)
		return -ENOMEM;
	if (!old) {
		struct mem_cgroup *memcg;

		/* Reserved: reads as no binding until stored below. */
		new->m.id = bs->next_id + 1;
		err = -ENOMEM;
		if (lg_should_fail())
			goto err_free;
		err = xa_reserve(&bs->by_id, new->m.id,
				 lg_charge_begin(ln, &memcg));
		lg_charge_end(memcg);
		if (err)
			goto err_free;
		bs->next_id++;
	}
	/*
	 * The list table takes duplicates: insert before removing @old. With
	 * a key that obj_cmpfn can read, so that the bindings of one DUID
	 * share one list. Only writers look there: @new is still unseen.
	 */
	key.duid = lg_binding_duid(new);
	key.len = new->m.duid_len;
	err = lg_should_fail_insert() || lg_should_fail() ? -ENOMEM :
	      rhltable_insert_key(&bs->by_duid, &key, &new->node,
				  lg_duid_params);
	if (err)
		goto err_release_id;
	if (old)
		rhltable_remove(&bs->by_duid, &old->node, lg_duid_params);

	/*
	 * Nothing fails from here. Publish last: RCU readers (dumps, get by
	 * ID) find @new only now, so the error paths above may kfree() it.
	 * The slot exists (@old's, or reserved): storing allocates nothing.
	 */
	xa_store(&bs->by_id, new->m.id, new, GFP_ATOMIC);
	lg_binding_index_leases(ln, old, new);

	if (old && !hlist_unhashed(&old->wheel))
		hlist_del(&old->wheel);
	lg_binding_wheel_add(bs, new);

	if (old) {
		lg_nl_notify_binding(ln, new, LG_CMD_BINDING_UPD_NTF, 0);
		call_rcu(&old->rcu, lg_binding_free_rcu);
	} else {
		bs->count++;
		bs->gen++;
		lg_link_binding_get(bs, link);
		lg_counter_inc(ln->counters, LG_STATS_A_BINDINGS_CREATED);
		lg_counter_inc(ln->counters, LG_STATS_A_BINDINGS);
		lg_nl_notify_binding(ln, new, LG_CMD_BINDING_NEW_NTF, 0);
	}
	return 0;

err_release_id:
	if (!old)
		xa_release(&bs->by_id, new->m.id);
err_free:
	kfree(new);
	return err;
}

static void lg_binding_commit(struct lg_net *ln, struct lg_binding *old,
			      struct lg_draft *d, u8 reason)
{
	int err = __lg_binding_commit(ln, old, d, reason);

	if (err && err != -ENODEV)
		lg_counter_inc(ln->counters, LG_STATS_A_DHCP6_NOMEM);
}

static struct lg_binding *lg_binding_find(struct lg_net *ln, int ifindex,
					  const u8 *duid, u8 duid_len,
					  u8 ia_type, u32 iaid)
{
	struct lg_duid_key key = { .duid = duid, .len = duid_len };
	struct rhlist_head *list, *pos;
	struct lg_binding *b;

	list = rhltable_lookup(&ln->bindings.by_duid, &key, lg_duid_params);
	rhl_for_each_entry_rcu(b, pos, list, node)
		if (b->m.ifindex == ifindex && b->m.ia_type == ia_type &&
		    b->m.iaid == iaid)
			return b;
	return NULL;
}

void lg_lease_key_init(struct lg_lease_key *key, int ifindex,
		       const u8 *addr, u8 plen)
{
	memset(key, 0, sizeof(*key));
	ipv6_addr_prefix(&key->prefix, (const struct in6_addr *)addr, plen);
	key->ifindex = ifindex;
	key->plen = plen;
}

/* Applies one leased or refreshed lease of a REPLY to draft @d. */
static void lg_draft_apply_lease(struct lg_draft *d, int ifindex,
				 const struct dhcp6_lease *l, u32 now)
{
	struct lg_lease_key key;
	struct lg_lease *lease;
	unsigned int i;

	if (l->has_status && l->status != DHCP6_STATUS_SUCCESS)
		return;
	lg_lease_key_init(&key, ifindex, l->addr, l->plen);
	for (i = 0; i < d->m.n_leases; i++)
		if (!memcmp(&d->leases[i].key, &key, sizeof(key)))
			break;
	if (!l->valid) {
		if (i < d->m.n_leases)
			lg_draft_drop_lease(d, i);
		return;
	}
	if (i == d->m.n_leases) {
		if (i == LG_BINDING_MAX_LEASES)
			return;
		d->m.n_leases++;
	}
	lease = &d->leases[i];
	memset(lease, 0, sizeof(*lease));
	lease->key = key;
	lease->granted = true;
	lease->preferred = l->preferred;
	lease->valid = l->valid;
	/* Far beyond 136 years of uptime is as good as forever. */
	lease->expires = l->valid >= LG_FOREVER - now ? LG_FOREVER :
			 now + l->valid;
}

/*
 * Is @req from the client @b is anchored to? The MAC when both have one;
 * a client that keeps its MAC may change its link-local.
 */
static bool lg_binding_same_anchor(const struct lg_binding *b,
				   const struct lg_pending *req)
{
	if (b->m.has_mac && req->has_mac)
		return ether_addr_equal(b->m.mac, req->mac);
	return b->m.has_mac == req->has_mac &&
	       ipv6_addr_equal(&b->m.client_lladdr, &req->lladdr);
}

/*
 * May @link have one more binding? Past its reserve, an interface must
 * leave the namespace room for the unused reserves of the others. A
 * refusal is counted and logged. Caller holds bs->lock.
 */
static bool lg_binding_limited(struct lg_net *ln, struct lg_link *link)
{
	struct lg_bindings *bs = &ln->bindings;

	if (bs->count >= READ_ONCE(bs->max) ||
	    (link->n_bindings >= link->reserve &&
	     bs->count + bs->reserve_unused >= READ_ONCE(bs->max))) {
		lg_counter_inc(ln->counters, LG_STATS_A_BINDINGS_LIMITED);
		net_info_ratelimited("%s: namespace binding limit %u reached (%u held for other interfaces)\n",
				     lg_ifname_rcu(ln, link->ifindex), bs->max,
				     bs->reserve_unused);
		return true;
	}
	if (link->n_bindings >= READ_ONCE(link->max_bindings)) {
		lg_counter_inc(link->counters, LG_LINK_STATS_A_BINDINGS_LIMITED);
		net_info_ratelimited("%s: interface binding limit %u reached\n",
				     lg_ifname_rcu(ln, link->ifindex),
				     link->max_bindings);
		return true;
	}
	return false;
}

/* A REPLY granted, refreshed or ended the leases of one IA. */
void lg_binding_apply(struct lg_net *ln, const struct lg_binding_update *u)
{
	const struct lg_pending *req = u->req;
	const struct dhcp6_msg *msg = u->msg;
	const struct dhcp6_ia *ia = u->ia;
	struct lg_bindings *bs = &ln->bindings;
	u8 ia_type = ia->type == DHCP6_OPT_IA_NA ? LG_IA_NA : LG_IA_PD;
	u32 now = lg_now();
	struct lg_binding *old;
	struct lg_link *link;
	struct lg_draft *d;
	bool conflict;
	unsigned int i;

	lockdep_assert_held(&bs->lock);
	d = this_cpu_ptr(&lg_apply_draft);

	old = lg_binding_find(ln, u->ifindex, msg->client_id.data,
			      msg->client_id.len, ia_type, ia->iaid);
	if (old) {
		/* A RELEASING binding stays so: the state is not the server's. */
		lg_draft_from(d, old);
	} else {
		memset(d, 0, sizeof(*d));
		d->m.created = now;
		d->m.ifindex = u->ifindex;
		d->m.ia_type = ia_type;
		d->m.iaid = ia->iaid;
		d->m.state = LG_BINDING_BOUND;
		d->m.duid_len = msg->client_id.len;
		d->duid = msg->client_id.data;
	}
	d->m.updated = now;
	d->m.replied = u->replied;
	/* The server's word, seen here, whoever made the binding. */
	d->m.origin = LG_BINDING_ORIGIN_SNOOPED;
	/*
	 * RFC 7513: another anchor's request does not move a bound lease (a
	 * neighbour can repeat a client's DUID and IAID). The leases are the
	 * server's word and apply; leaseguardd hears of the other anchor,
	 * probes this one and moves the binding only if it is gone.
	 */
	conflict = old && !lg_binding_same_anchor(old, req);
	if (!conflict) {
		d->m.client_lladdr = req->lladdr;
		d->m.has_mac = req->has_mac;
		memcpy(d->m.mac, req->mac, ETH_ALEN);
		d->m.ifid_len = req->ifid_len;
		d->ifid = req->ifid;
	}
	d->m.server_addr = req->has_server ? req->server_addr : *u->reply_saddr;
	d->m.server_duid_len = msg->server_id.len;
	d->server_duid = msg->server_id.data;

	for (i = 0; i < ia->n_leases; i++)
		lg_draft_apply_lease(d, u->ifindex, &ia->leases[i], now);

	if (!d->m.n_leases) {
		if (old)
			lg_binding_commit(ln, old, NULL, LG_BINDING_DEL_SERVER);
		return;
	}
	if (!old) {
		link = lg_binding_link(ln, u->ifindex);
		if (!link || lg_binding_limited(ln, link))
			return;
	}
	lg_binding_commit(ln, old, d, 0);
	if (conflict) {
		lg_counter_inc(ln->counters, LG_STATS_A_ANCHOR_CONFLICTS);
		old = lg_binding_find(ln, u->ifindex, msg->client_id.data,
				      msg->client_id.len, ia_type, ia->iaid);
		if (old)
			lg_nl_notify_binding_anchor(ln, old, &req->lladdr,
						    req->has_mac ? req->mac : NULL);
	}
}

/* LG_CMD_BINDING_MOVE: anchors binding @id to another client. */
int lg_binding_move(struct lg_net *ln, u64 id, const struct in6_addr *lladdr,
		    const u8 *mac)
{
	struct lg_bindings *bs = &ln->bindings;
	struct lg_binding *b;
	struct lg_draft *d;
	int err = 0;

	d = lg_should_fail() ? NULL : kmalloc(sizeof(*d), GFP_KERNEL);
	if (!d)
		return -ENOMEM;
	spin_lock_bh(&bs->lock);
	rcu_read_lock();
	b = xa_load(&bs->by_id, id);
	if (!b) {
		err = -ENOENT;
		goto out;
	}
	if (ipv6_addr_equal(&b->m.client_lladdr, lladdr) &&
	    b->m.has_mac == !!mac && (!mac || ether_addr_equal(b->m.mac, mac)))
		goto out;
	lg_draft_from(d, b);
	d->m.client_lladdr = *lladdr;
	d->m.has_mac = !!mac;
	if (mac)
		ether_addr_copy(d->m.mac, mac);
	else
		eth_zero_addr(d->m.mac);
	err = __lg_binding_commit(ln, b, d, 0);
out:
	rcu_read_unlock();
	spin_unlock_bh(&bs->lock);
	kfree(d);
	return err;
}

/*
 * LG_CMD_BINDING_NEW: commits the binding @n describes as a REPLY would
 * (limits, lease index, expiry wheel, ID, notification), after the checks
 * a REPLY does not need: the key is new (or @n->replace), and no lease is
 * another binding's (a restore is not the server's latest word). Then
 * fills @reply (if any: NLM_F_ECHO) with the binding, still under the lock.
 */
int lg_binding_new(struct lg_net *ln, struct lg_binding_new *n,
		   struct sk_buff *reply, u32 portid, u32 seq)
{
	struct lg_bindings *bs = &ln->bindings;
	struct lg_binding *old, *b;
	struct lg_lease_key key;
	struct lg_lease *held;
	struct lg_link *link;
	struct lg_draft *d;
	unsigned int i;
	u32 now;
	int err;

	d = lg_should_fail() ? NULL : kmalloc(sizeof(*d), GFP_KERNEL);
	if (!d)
		return -ENOMEM;
	spin_lock_bh(&bs->lock);
	rcu_read_lock();
	now = lg_now();
	link = lg_binding_link(ln, n->ifindex);
	if (!link) {
		err = -ENODEV;
		goto out;
	}
	old = lg_binding_find(ln, n->ifindex, n->duid, n->duid_len,
			      n->ia_type, n->iaid);
	if (old && !n->replace) {
		err = -EEXIST;
		goto out;
	}
	for (i = 0; i < n->n_leases; i++) {
		lg_lease_key_init(&key, n->ifindex, n->leases[i].addr->s6_addr,
				  n->leases[i].plen);
		held = rhashtable_lookup_fast(&bs->leases, &key,
					      lg_lease_params);
		if (held && lg_lease_binding(held) != old) {
			n->bad_lease = i;
			err = -EADDRINUSE;
			goto out;
		}
	}
	if (!old && lg_binding_limited(ln, link)) {
		err = -ENOSPC;
		goto out;
	}

	if (old) {
		/* As a REPLY from another anchor: the anchor stays. */
		lg_draft_from(d, old);
		if (!d->m.has_mac && n->mac) {
			d->m.has_mac = true;
			ether_addr_copy(d->m.mac, n->mac);
		}
		if (!d->m.ifid_len && n->ifid_len) {
			d->m.ifid_len = n->ifid_len;
			d->ifid = n->ifid;
		}
	} else {
		memset(d, 0, sizeof(*d));
		d->m.created = n->created;
		d->m.ifindex = n->ifindex;
		d->m.ia_type = n->ia_type;
		d->m.iaid = n->iaid;
		d->m.state = LG_BINDING_BOUND;
		d->m.duid_len = n->duid_len;
		d->duid = n->duid;
		d->m.client_lladdr = *n->client_lladdr;
		if (n->mac) {
			d->m.has_mac = true;
			ether_addr_copy(d->m.mac, n->mac);
		}
		d->m.ifid_len = n->ifid_len;
		d->ifid = n->ifid_len ? n->ifid : n->duid;
	}
	d->m.updated = now;
	d->m.replied = n->replied;
	d->m.origin = n->origin;
	d->m.server_addr = *n->server_addr;
	d->m.server_duid_len = n->server_duid_len;
	d->server_duid = n->server_duid_len ? n->server_duid : n->duid;
	/* Its leases become these; none is granted: nobody else's is taken. */
	d->m.n_leases = n->n_leases;
	for (i = 0; i < n->n_leases; i++) {
		struct lg_lease *l = &d->leases[i];

		memset(l, 0, sizeof(*l));
		lg_lease_key_init(&l->key, n->ifindex,
				  n->leases[i].addr->s6_addr, n->leases[i].plen);
		l->preferred = n->leases[i].preferred;
		l->valid = n->leases[i].valid;
		l->expires = l->valid >= LG_FOREVER - now ? LG_FOREVER :
			     now + l->valid;
	}

	err = __lg_binding_commit(ln, old, d, 0);
	if (err)
		goto out;
	n->replaced = !!old;
	if (!reply)
		goto out;
	b = lg_binding_find(ln, n->ifindex, n->duid, n->duid_len, n->ia_type,
			    n->iaid);
	err = b ? lg_nl_binding_reply(reply, ln, b, portid, seq) : -ENOENT;
out:
	rcu_read_unlock();
	spin_unlock_bh(&bs->lock);
	kfree(d);
	return err;
}

/* The server confirmed a RELEASE or DECLINE of one IA. */
void lg_binding_release(struct lg_net *ln, int ifindex,
			const struct dhcp6_bytes *duid, u8 ia_type, u32 iaid,
			u8 reason)
{
	struct lg_binding *b;

	lockdep_assert_held(&ln->bindings.lock);
	b = lg_binding_find(ln, ifindex, duid->data, duid->len, ia_type, iaid);
	if (b)
		lg_binding_commit(ln, b, NULL, reason);
}

/* Removes the leases of @b that have expired by @now. */
static void lg_binding_expire(struct lg_net *ln, struct lg_binding *b,
			      u32 now)
{
	struct lg_draft *d;
	unsigned int i, n;

	d = lg_should_fail() ? NULL : kmalloc(sizeof(*d), GFP_ATOMIC);
	if (!d)
		return;		/* tried again at the next turn */
	lg_draft_from(d, b);
	n = d->m.n_leases;
	for (i = 0; i < d->m.n_leases; i++)
		if (d->leases[i].expires <= now)
			lg_draft_drop_lease(d, i--);
	lg_counter_add(ln->counters, LG_STATS_A_LEASES_EXPIRED,
		       n - d->m.n_leases);
	lg_binding_commit(ln, b, d->m.n_leases ? d : NULL,
			  LG_BINDING_DEL_EXPIRED);
	kfree(d);
}

/*
 * Expires the bindings on @expired, off the wheel while the bucket was
 * scanned: a commit may take any binding off the wheel, and this list is
 * read afresh after each. One that cannot be rebuilt now (no memory) goes
 * back to @bucket, for the next turn.
 */
static void lg_expire_list(struct lg_net *ln, struct hlist_head *expired,
			   struct hlist_head *bucket, u32 now)
{
	struct lg_binding *b;

	while (!hlist_empty(expired)) {
		b = hlist_entry(expired->first, struct lg_binding, wheel);
		lg_binding_expire(ln, b, now);
		if (expired->first == &b->wheel) {
			hlist_del_init(&b->wheel);
			hlist_add_head(&b->wheel, bucket);
		}
	}
}

/*
 * Each binding looked at costs one of the budget, expired or not: after a
 * long pause every bucket is due, and BHs must not wait for all of them.
 */
#define LG_EXPIRY_BUDGET	4096

static void lg_expiry_work(struct work_struct *work)
{
	struct lg_bindings *bs = container_of(to_delayed_work(work),
					      struct lg_bindings, expiry_work);
	struct lg_net *ln = lg_bindings_net(bs);
	unsigned int budget = LG_EXPIRY_BUDGET;
	struct hlist_node *pos = NULL, *next;
	struct hlist_head *bucket;
	struct lg_binding *b;
	HLIST_HEAD(expired);
	u32 now = lg_now(), sec;
	bool resume = false;

	spin_lock_bh(&bs->lock);
	rcu_read_lock();
	/* Behind by more than a turn: each bucket once is enough. */
	sec = bs->wheel_done + 1;
	if (now >= sec && now - sec >= LG_WHEEL_SIZE)
		sec = now - LG_WHEEL_SIZE + 1;
	/* Out of budget last time: go on from where the scan stopped. */
	if (!hlist_unhashed(&bs->wheel_cursor)) {
		resume = sec == bs->wheel_done + 1;
		pos = bs->wheel_cursor.next;
		hlist_del_init(&bs->wheel_cursor);
	}
	for (; sec <= now; sec++, resume = false) {
		bucket = &bs->wheel[sec % LG_WHEEL_SIZE];
		if (!resume)
			pos = bucket->first;
		for (; pos; pos = next) {
			if (!budget--) {
				hlist_add_before(&bs->wheel_cursor, pos);
				break;
			}
			next = pos->next;
			b = hlist_entry(pos, struct lg_binding, wheel);
			if (lg_binding_next_expiry(b) > now)
				continue;
			hlist_del_init(pos);
			hlist_add_head(pos, &expired);
		}
		lg_expire_list(ln, &expired, bucket, now);
		if (pos)
			goto again;
		bs->wheel_done = sec;
	}
	rcu_read_unlock();
	if (bs->count)
		schedule_delayed_work(&bs->expiry_work, HZ);
	spin_unlock_bh(&bs->lock);
	return;

again:
	/* Let BHs run, come back at once (a commit may have armed it for HZ). */
	rcu_read_unlock();
	mod_delayed_work(system_wq, &bs->expiry_work, 0);
	spin_unlock_bh(&bs->lock);
}

bool lg_binding_match(struct lg_net *ln, const struct lg_binding *b,
		      const struct lg_binding_filter *f)
{
	unsigned int i;

	if (f->all)
		return true;
	if (f->has_id && b->m.id != f->id)
		return false;
	if (f->ifindex && b->m.ifindex != f->ifindex)
		return false;
	if (f->duid && (b->m.duid_len != f->duid_len ||
			memcmp(lg_binding_duid(b), f->duid, f->duid_len)))
		return false;
	if (!f->addr)
		return true;
	for (i = 0; i < b->m.n_leases; i++)
		if (ipv6_prefix_equal(&b->leases[i].key.prefix, f->addr,
				      b->leases[i].key.plen))
			return true;
	return false;
}

typedef int (*lg_binding_fn)(struct lg_net *ln, struct lg_binding *b,
			     void *arg);

/*
 * Calls @fn on each binding that @f matches, under the lock, in batches so
 * that BHs are not held off for long. Process context. Returns how many
 * matched, or the first error of @fn, which ends the walk.
 */
static int lg_bindings_walk(struct lg_net *ln,
			    const struct lg_binding_filter *f,
			    lg_binding_fn fn, void *arg)
{
	struct lg_bindings *bs = &ln->bindings;
	unsigned long index = 0;
	struct lg_binding *b;
	int matched = 0, batch, err = 0;

	/* An ID names one binding: no need to look at the others. */
	if (f->has_id) {
		spin_lock_bh(&bs->lock);
		rcu_read_lock();
		b = xa_load(&bs->by_id, f->id);
		if (b && lg_binding_match(ln, b, f)) {
			err = fn(ln, b, arg);
			matched = 1;
		}
		rcu_read_unlock();
		spin_unlock_bh(&bs->lock);
		return err ?: matched;
	}

	do {
		batch = 0;
		spin_lock_bh(&bs->lock);
		rcu_read_lock();
		xa_for_each_start(&bs->by_id, index, b, index) {
			if (++batch > 1024)
				break;
			if (!lg_binding_match(ln, b, f))
				continue;
			err = fn(ln, b, arg);
			if (err)
				break;
			matched++;
		}
		rcu_read_unlock();
		spin_unlock_bh(&bs->lock);
		cond_resched();
	} while (!err && batch > 1024);
	return err ?: matched;
}

static int lg_binding_delete_fn(struct lg_net *ln, struct lg_binding *b,
				void *arg)
{
	lg_binding_commit(ln, b, NULL, *(const u8 *)arg);
	return 0;
}

int lg_bindings_delete(struct lg_net *ln, const struct lg_binding_filter *f,
		       u8 reason)
{
	return lg_bindings_walk(ln, f, lg_binding_delete_fn, &reason);
}

struct lg_release_arg {
	struct lg_draft *d;
	u8 state;			/* what the bindings become */
	u8 reason;
};

static int lg_binding_release_fn(struct lg_net *ln, struct lg_binding *b,
				 void *arg)
{
	const struct lg_release_arg *r = arg;

	/* Releasing already: the first reason stays, nobody is told again. */
	if (b->m.state == r->state)
		return 0;
	lg_draft_from(r->d, b);
	r->d->m.state = r->state;
	r->d->m.release_reason = r->state == LG_BINDING_RELEASING ? r->reason : 0;
	return __lg_binding_commit(ln, b, r->d, 0);
}

/*
 * Only marks: leaseguardd, which hears the notification, talks to the
 * server. The leases and their expiry stay as they are.
 */
int lg_bindings_mark_release(struct lg_net *ln,
			     const struct lg_binding_filter *f,
			     u8 reason, bool cancel)
{
	struct lg_release_arg r = {
		.state = cancel ? LG_BINDING_BOUND : LG_BINDING_RELEASING,
		.reason = reason,
	};
	int ret;

	r.d = lg_should_fail() ? NULL : kmalloc(sizeof(*r.d), GFP_KERNEL);
	if (!r.d)
		return -ENOMEM;
	ret = lg_bindings_walk(ln, f, lg_binding_release_fn, &r);
	kfree(r.d);
	return ret;
}

void lg_bindings_flush_link(struct lg_net *ln, int ifindex, u8 reason)
{
	struct lg_binding_filter f = { .ifindex = ifindex };

	lg_bindings_delete(ln, &f, reason);
}

/* The lease of @link that holds @addr at prefix length @plen, or NULL. */
static struct lg_lease *lg_link_lease_rcu(struct lg_net *ln,
					  const struct lg_link *link,
					  const struct in6_addr *addr,
					  unsigned int plen)
{
	struct lg_lease_key key;

	lg_lease_key_init(&key, link->ifindex, addr->s6_addr, plen);
	return rhashtable_lookup(&ln->bindings.leases, &key, lg_lease_params);
}

/* The binding that leases @addr (on @ifindex, or any access interface). */
const struct lg_binding *lg_binding_lookup_addr_rcu(struct lg_net *ln,
						    int ifindex,
						    const struct in6_addr *addr)
{
	struct lg_lease *lease;
	unsigned long index;
	struct lg_link *link;
	int plen;

	xa_for_each(&ln->links, index, link) {
		if (ifindex && link->ifindex != ifindex)
			continue;
		/* Longest first: the most specific lease answers. */
		for (plen = LG_PLENS - 1; plen >= 0; plen--) {
			if (!test_bit(plen, link->plens))
				continue;
			lease = lg_link_lease_rcu(ln, link, addr, plen);
			if (lease)
				return lg_lease_binding(lease);
		}
	}
	return NULL;
}

/*
 * Source validation: does a binding on @link lease @addr? One hash probe
 * per prefix length in use on the link, whatever the number of bindings.
 * With @mac (the MAC anchor), the binding must also be that client's.
 */
enum lg_savi_result lg_binding_validate_rcu(struct lg_net *ln,
					    const struct lg_link *link,
					    const struct in6_addr *addr,
					    const u8 *mac, bool anchor_mac)
{
	enum lg_savi_result res = LG_SAVI_NO_BINDING;
	const struct lg_binding *b;
	struct lg_lease *lease;
	unsigned int plen;

	for_each_set_bit(plen, link->plens, LG_PLENS) {
		lease = lg_link_lease_rcu(ln, link, addr, plen);
		if (!lease)
			continue;
		if (!anchor_mac)
			return LG_SAVI_VALID;
		b = lg_lease_binding(lease);
		if (mac && b->m.has_mac && ether_addr_equal(b->m.mac, mac))
			return LG_SAVI_VALID;
		res = LG_SAVI_MAC_MISMATCH;
	}
	return res;
}

int lg_bindings_init(struct lg_net *ln)
{
	struct lg_bindings *bs = &ln->bindings;
	int err;

	/* One lease, two DUID-LLTs and dhcrelay's Interface-Id: kmalloc-192. */
	BUILD_BUG_ON(sizeof(struct lg_binding) + sizeof(struct lg_lease) +
		     2 * 14 + 4 > 192);

	spin_lock_init(&bs->lock);
	/*
	 * The xarray's first try at a node is its own GFP_NOWAIT: charged
	 * (to lg_net.memcg, lg_charge_begin()) only with XA_FLAGS_ACCOUNT.
	 * Not in the initial namespace, which charges nobody.
	 */
	xa_init_flags(&bs->by_id, XA_FLAGS_LOCK_BH |
		      (net_eq(ln->net, &init_net) ? 0 : XA_FLAGS_ACCOUNT));
	bs->max = LG_MAX_BINDINGS_DEFAULT;
	bs->wheel_done = lg_now();
	INIT_HLIST_NODE(&bs->wheel_cursor);
	INIT_DELAYED_WORK(&bs->expiry_work, lg_expiry_work);

	err = rhltable_init(&bs->by_duid, &lg_duid_params);
	if (err)
		return err;
	err = rhashtable_init(&bs->leases, &lg_lease_params);
	if (err)
		goto err_destroy_duid;
	return 0;

err_destroy_duid:
	rhltable_destroy(&bs->by_duid);
	return err;
}

/* Snooping needs the pending table: made with the first access interface. */
int lg_bindings_prepare_access(struct lg_net *ln)
{
	struct lg_pending *pending;

	ASSERT_RTNL();
	if (ln->bindings.pending)
		return 0;
	pending = kvcalloc(LG_PENDING_SETS * LG_PENDING_WAYS,
			   sizeof(*pending), GFP_KERNEL_ACCOUNT);
	if (!pending)
		return -ENOMEM;
	/* Snooping reads it without RTNL: publish it whole. */
	smp_store_release(&ln->bindings.pending, pending);
	return 0;
}

/* The namespace is going: no hook, notifier or netlink reader is left. */
void lg_bindings_destroy(struct lg_net *ln)
{
	struct lg_bindings *bs = &ln->bindings;
	struct lg_binding *b;
	unsigned long index;

	cancel_delayed_work_sync(&bs->expiry_work);
	rhashtable_destroy(&bs->leases);
	rhltable_destroy(&bs->by_duid);
	xa_for_each(&bs->by_id, index, b) {
		kfree_rcu(b, rcu);
		cond_resched();
	}
	xa_destroy(&bs->by_id);
	kvfree(bs->pending);
}
