// SPDX-License-Identifier: GPL-2.0
/*
 * Per-interface configuration: which interfaces are access or upstream.
 */
#include <linux/if_arp.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>

#include "leaseguard.h"

struct lg_link *lg_link_lookup_rcu(struct lg_net *ln, int ifindex)
{
	return xa_load(&ln->links, ifindex);
}

/* For log messages. */
const char *lg_ifname_rcu(struct lg_net *ln, int ifindex)
{
	struct net_device *dev = dev_get_by_index_rcu(ln->net, ifindex);

	return dev ? dev->name : "(gone)";
}

/* Caller holds bindings.lock. */
void lg_link_plen_get(struct lg_link *link, u8 plen)
{
	if (!link->plen_refs[plen]++)
		set_bit(plen, link->plens);
}

void lg_link_plen_put(struct lg_link *link, u8 plen)
{
	if (!--link->plen_refs[plen])
		clear_bit(plen, link->plens);
}

static void lg_link_free(struct lg_link *link)
{
	lg_counters_free(link->counters);
	kfree(link);
}

static void lg_link_free_rcu(struct rcu_head *rcu)
{
	lg_link_free(container_of(rcu, struct lg_link, rcu));
}

static void lg_links_changed(struct lg_net *ln)
{
	WRITE_ONCE(ln->links_gen, ln->links_gen + 1);
}

static void lg_link_remove(struct lg_net *ln, struct lg_link *link)
{
	if (!link->release_forward)
		WRITE_ONCE(ln->n_release_refusing, ln->n_release_refusing - 1);
	lg_savi_flush_link(ln, link);
	xa_erase(&ln->links, link->ifindex);
	lg_links_changed(ln);
	call_rcu(&link->rcu, lg_link_free_rcu);
}

static struct lg_link *lg_link_create(struct lg_net *ln,
				      const struct net_device *dev, u8 role)
{
	struct lg_link *link;
	int err;

	link = lg_should_fail() ? NULL :
	       kzalloc(sizeof(*link), GFP_KERNEL_ACCOUNT);
	if (!link)
		return ERR_PTR(-ENOMEM);
	link->counters = lg_counters_alloc(__LG_LINK_STATS_A_MAX,
					   GFP_KERNEL_ACCOUNT);
	if (!link->counters) {
		err = -ENOMEM;
		goto err_free_link;
	}
	link->ifindex = dev->ifindex;
	link->role = role;
	link->max_bindings = LG_LINK_MAX_BINDINGS_DEFAULT;
	link->dhcp6_shield = true;	/* RFC 7610: on unless turned off */
	link->release_forward = true;
	INIT_LIST_HEAD(&link->statics);
	lg_savi_miss_init_link(&link->miss);

	err = lg_should_fail() ? -ENOMEM :
	      xa_insert(&ln->links, link->ifindex, link, GFP_KERNEL_ACCOUNT);
	if (err)
		goto err_free_counters;
	return link;

err_free_counters:
	lg_counters_free(link->counters);
err_free_link:
	kfree(link);
	return ERR_PTR(err);
}

/* A policy field of @cfg: -1 keeps the value. True if it changed. */
static bool lg_link_set_u8(u8 *field, s8 value)
{
	if (value < 0 || *field == value)
		return false;
	WRITE_ONCE(*field, value);
	return true;
}

static bool lg_link_set_bool(bool *field, s8 value)
{
	if (value < 0 || *field == !!value)
		return false;
	WRITE_ONCE(*field, !!value);
	return true;
}

/* Does @cfg set anything but the role? */
static bool lg_link_cfg_sets(const struct lg_link_cfg *cfg)
{
	return cfg->max_bindings || cfg->savi_mode >= 0 ||
	       cfg->savi_anchor >= 0 || cfg->dhcp6_shield >= 0 ||
	       cfg->release_trusted >= 0 || cfg->release_forward >= 0 ||
	       cfg->miss_rate >= 0;
}

/* Applies @cfg to @dev; absent fields keep their value. Caller holds RTNL. */
int lg_link_set(struct lg_net *ln, struct net_device *dev,
		const struct lg_link_cfg *cfg, struct netlink_ext_ack *extack)
{
	struct lg_link *link;
	bool changed = false;
	u8 role;

	ASSERT_RTNL();

	if (dev->flags & IFF_LOOPBACK) {
		NL_SET_ERR_MSG_MOD(extack, "a loopback interface cannot have a role");
		return -EOPNOTSUPP;
	}
	if (cfg->savi_anchor == LG_SAVI_ANCHOR_MAC && dev->type != ARPHRD_ETHER) {
		NL_SET_ERR_MSG_MOD(extack, "a MAC anchor needs an Ethernet interface");
		return -EOPNOTSUPP;
	}

	link = xa_load(&ln->links, dev->ifindex);
	role = cfg->has_role ? cfg->role : link ? link->role : LG_ROLE_NONE;

	if (role == LG_ROLE_NONE && !link && lg_link_cfg_sets(cfg)) {
		NL_SET_ERR_MSG_MOD(extack, "the interface has no role: give it one first");
		return -ENOENT;
	}
	if (role == LG_ROLE_NONE) {
		if (link) {
			lg_nl_notify_link(ln, link, dev, LG_CMD_LINK_DEL_NTF);
			lg_link_remove(ln, link);
			lg_bindings_flush_link(ln, dev->ifindex,
					       LG_BINDING_DEL_INTERFACE);
			lg_mcast_flush_link(ln, dev->ifindex);
			lg_links_reserve(ln);
		}
		return 0;
	}

	if (role == LG_ROLE_ACCESS) {
		int err;

		/* The proxy would both join upstream and snoop its own reports. */
		if ((!link || link->role != LG_ROLE_ACCESS) &&
		    lg_mcast_is_upstream(ln, dev->ifindex)) {
			NL_SET_ERR_MSG_MOD(extack,
					   "the IGMP/MLD upstream interface cannot be an access interface");
			return -EINVAL;
		}
		err = lg_bindings_prepare_access(ln);
		if (err) {
			NL_SET_ERR_MSG_MOD(extack, "no memory for snooping");
			return err;
		}
	}

	if (!link) {
		lg_net_set_memcg(ln);
		link = lg_link_create(ln, dev, role);
		if (IS_ERR(link))
			return PTR_ERR(link);
		changed = true;
	} else if (link->role != role) {
		/* Readers see the new role before its bindings go. */
		WRITE_ONCE(link->role, role);
		if (role != LG_ROLE_ACCESS) {
			lg_savi_flush_link(ln, link);
			lg_bindings_flush_link(ln, dev->ifindex,
					       LG_BINDING_DEL_INTERFACE);
			lg_mcast_flush_link(ln, dev->ifindex);
		}
		changed = true;
	}
	if (cfg->max_bindings && cfg->max_bindings != link->max_bindings) {
		WRITE_ONCE(link->max_bindings, cfg->max_bindings);
		changed = true;
	}
	changed |= lg_link_set_u8(&link->savi_mode, cfg->savi_mode);
	changed |= lg_link_set_u8(&link->savi_anchor, cfg->savi_anchor);
	changed |= lg_link_set_bool(&link->dhcp6_shield, cfg->dhcp6_shield);
	changed |= lg_link_set_bool(&link->release_trusted,
				    cfg->release_trusted);
	if (cfg->miss_rate >= 0)
		changed |= lg_savi_miss_set_link_rate(&link->miss,
						      cfg->miss_rate);
	if (lg_link_set_bool(&link->release_forward, cfg->release_forward)) {
		u32 n = ln->n_release_refusing;

		WRITE_ONCE(ln->n_release_refusing,
			   link->release_forward ? n - 1 : n + 1);
		changed = true;
	}
	if (!changed)
		return 0;
	lg_links_reserve(ln);
	lg_links_changed(ln);
	lg_nl_notify_link(ln, link, dev, LG_CMD_LINK_NTF);
	return 0;
}

/*
 * Shares out the reserves: half of the namespace's binding limit, in
 * equal parts among the access interfaces, counting at least
 * LG_RESERVE_LINKS of them; an interface's reserve is at most its own
 * limit. Below its reserve, only its own limit stops an interface from
 * learning a binding; past it, an interface takes only what leaves the
 * other interfaces' unused reserves free (lg_binding_apply). Recomputed
 * whenever a term changes. RTNL held.
 */
void lg_links_reserve(struct lg_net *ln)
{
	struct lg_bindings *bs = &ln->bindings;
	struct lg_link *link;
	unsigned long index;
	u32 n = 0, share, unused = 0;

	ASSERT_RTNL();
	xa_for_each(&ln->links, index, link)
		n += link->role == LG_ROLE_ACCESS;
	spin_lock_bh(&bs->lock);
	share = bs->max / 2 / max_t(u32, n, LG_RESERVE_LINKS);
	xa_for_each(&ln->links, index, link) {
		link->reserve = link->role == LG_ROLE_ACCESS ?
				min(share, link->max_bindings) : 0;
		unused += link->reserve - min(link->n_bindings, link->reserve);
	}
	bs->reserve_unused = unused;
	spin_unlock_bh(&bs->lock);
}

/*
 * Frees every configuration of a namespace that is going away (or of every
 * namespace at module unload): the hooks, the notifier and the netlink
 * family can no longer reach them, so no RTNL is needed.
 */
void lg_links_flush(struct lg_net *ln)
{
	struct lg_link *link;
	unsigned long index;

	xa_for_each(&ln->links, index, link) {
		xa_erase(&ln->links, index);
		call_rcu(&link->rcu, lg_link_free_rcu);
	}
	xa_destroy(&ln->links);
}

/*
 * Unregistering the notifier replays NETDEV_UNREGISTER for every device:
 * at module unload the namespaces' exit frees the configurations instead,
 * without notifications from a family that is gone.
 */
static bool lg_unloading;

/*
 * A device that is unregistered, or moved to another namespace (which
 * unregisters it here first), takes its configuration with it: the same
 * ifindex may later name another device.
 */
static int lg_netdev_event(struct notifier_block *nb, unsigned long event,
			   void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	struct lg_net *ln;
	struct lg_link *link;

	if (event != NETDEV_UNREGISTER || READ_ONCE(lg_unloading))
		return NOTIFY_DONE;

	ln = lg_net(dev_net(dev));
	lg_mcast_netdev_gone(ln, dev->ifindex);
	link = xa_load(&ln->links, dev->ifindex);
	if (!link)
		return NOTIFY_DONE;

	lg_nl_notify_link(ln, link, dev, LG_CMD_LINK_DEL_NTF);
	/* Unpublished first: no binding can be created for it after this. */
	lg_link_remove(ln, link);
	lg_bindings_flush_link(ln, dev->ifindex, LG_BINDING_DEL_INTERFACE);
	lg_mcast_flush_link(ln, dev->ifindex);
	lg_links_reserve(ln);
	lg_counter_inc(ln->counters, LG_STATS_A_LINKS_GONE);
	return NOTIFY_DONE;
}

static struct notifier_block lg_netdev_notifier = {
	.notifier_call = lg_netdev_event,
};

int lg_link_notifier_register(void)
{
	return register_netdevice_notifier(&lg_netdev_notifier);
}

void lg_link_notifier_unregister(void)
{
	WRITE_ONCE(lg_unloading, true);
	unregister_netdevice_notifier(&lg_netdev_notifier);
}
