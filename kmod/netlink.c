// SPDX-License-Identifier: GPL-2.0
/*
 * The generic netlink family "leaseguard": see uapi/linux/leaseguard.h.
 */
#include <linux/etherdevice.h>
#include <linux/rtnetlink.h>
#include <net/genetlink.h>
#include <net/ipv6.h>
#include <net/sock.h>

#include "leaseguard.h"

/* Without it (6.7, backported to 6.1.y) anybody may join any group. */
#ifndef GENL_MCAST_CAP_NET_ADMIN
#error "genetlink cannot restrict a multicast group here: update the kernel"
#endif

/*
 * Bindings and multicast groups name subscribers (DUIDs, MACs, addresses,
 * what they watch): only the namespace's admin may listen. genl_bind()
 * checks CAP_NET_ADMIN in the user namespace owning the socket's netns.
 */
static const struct genl_multicast_group lg_mcgrps[] = {
	[LG_MCGRP_CONFIG] = { .name = LEASEGUARD_MCGRP_CONFIG },
	[LG_MCGRP_BINDINGS] = { .name = LEASEGUARD_MCGRP_BINDINGS,
				.flags = GENL_MCAST_CAP_NET_ADMIN },
	[LG_MCGRP_MCAST] = { .name = LEASEGUARD_MCGRP_MCAST,
			     .flags = GENL_MCAST_CAP_NET_ADMIN },
};

/*
 * One policy per command and nest: an attribute a command does not take is
 * NLA_UNSPEC here, which strict validation rejects as unsupported.
 */
static const struct nla_policy lg_link_get_policy[LG_LINK_A_MAX + 1] = {
	[LG_LINK_A_IFINDEX]	= NLA_POLICY_MIN(NLA_U32, 1),
};

static struct netlink_range_validation lg_max_bindings_range __ro_after_init = {
	.min = 1,
	.max = LG_MAX_BINDINGS_LIMIT,
};

static struct netlink_range_validation lg_miss_rate_range __ro_after_init = {
	.max = LG_MISS_RATE_LIMIT,
};

static const struct nla_policy lg_link_set_policy[LG_LINK_A_MAX + 1] = {
	[LG_LINK_A_IFINDEX]	= NLA_POLICY_MIN(NLA_U32, 1),
	[LG_LINK_A_ROLE]	= NLA_POLICY_MAX(NLA_U32, LG_ROLE_MAX),
	[LG_LINK_A_MAX_BINDINGS] = NLA_POLICY_FULL_RANGE(NLA_U32,
							 &lg_max_bindings_range),
	[LG_LINK_A_SAVI_MODE]	= NLA_POLICY_MAX(NLA_U32, LG_SAVI_MODE_MAX),
	[LG_LINK_A_SAVI_ANCHOR]	= NLA_POLICY_MAX(NLA_U32, LG_SAVI_ANCHOR_MAX),
	[LG_LINK_A_DHCP6_SHIELD] = NLA_POLICY_MAX(NLA_U8, 1),
	[LG_LINK_A_RELEASE_TRUSTED] = NLA_POLICY_MAX(NLA_U8, 1),
	[LG_LINK_A_RELEASE_FORWARD] = NLA_POLICY_MAX(NLA_U8, 1),
	[LG_LINK_A_MISS_RATE]	= NLA_POLICY_FULL_RANGE(NLA_U32,
							&lg_miss_rate_range),
};

static const struct nla_policy lg_config_policy[LG_CONFIG_A_MAX + 1] = {
	[LG_CONFIG_A_MAX_BINDINGS] = NLA_POLICY_FULL_RANGE(NLA_U32,
							   &lg_max_bindings_range),
	/* 1..37 are IANA's (RFC 8415 and its extensions). */
	[LG_CONFIG_A_RELEASE_REQUEST_TYPE] = NLA_POLICY_RANGE(NLA_U32, 38, 255),
	[LG_CONFIG_A_RELEASE_REPLY_TYPE] = NLA_POLICY_RANGE(NLA_U32, 38, 255),
	[LG_CONFIG_A_MISS_RATE]	= NLA_POLICY_FULL_RANGE(NLA_U32,
							&lg_miss_rate_range),
};

/* A static SAVI entry; the dump's filter takes the interface only. */
static const struct nla_policy lg_savi_policy[LG_SAVI_A_MAX + 1] = {
	[LG_SAVI_A_IFINDEX]	= NLA_POLICY_MIN(NLA_U32, 1),
	[LG_SAVI_A_ADDR]	= NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[LG_SAVI_A_PLEN]	= NLA_POLICY_MAX(NLA_U32, 128),
	[LG_SAVI_A_WIDE]	= { .type = NLA_FLAG },
};

static const struct nla_policy lg_savi_dump_policy[LG_SAVI_A_MAX + 1] = {
	[LG_SAVI_A_IFINDEX]	= NLA_POLICY_MIN(NLA_U32, 1),
};

/* Get (by ID or address) and the dump's filter (any of them, and DUID). */
static const struct nla_policy lg_binding_get_policy[LG_BINDING_A_MAX + 1] = {
	[LG_BINDING_A_ID]	= { .type = NLA_U64 },
	[LG_BINDING_A_ADDR]	= NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[LG_BINDING_A_IFINDEX]	= NLA_POLICY_MIN(NLA_U32, 1),
	[LG_BINDING_A_CLIENT_DUID] = NLA_POLICY_RANGE(NLA_BINARY,
						      DHCP6_DUID_MIN,
						      DHCP6_DUID_MAX),
};

static const struct nla_policy lg_binding_del_policy[LG_BINDING_A_MAX + 1] = {
	[LG_BINDING_A_ID]	= { .type = NLA_U64 },
	[LG_BINDING_A_ADDR]	= NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[LG_BINDING_A_IFINDEX]	= NLA_POLICY_MIN(NLA_U32, 1),
	[LG_BINDING_A_CLIENT_DUID] = NLA_POLICY_RANGE(NLA_BINARY,
						      DHCP6_DUID_MIN,
						      DHCP6_DUID_MAX),
	[LG_BINDING_A_ALL]	= { .type = NLA_FLAG },
	/* Two values of the enum, not a range: checked by the handler. */
	[LG_BINDING_A_DEL_REASON] = { .type = NLA_U32 },
};

static const struct nla_policy lg_binding_release_policy[LG_BINDING_A_MAX + 1] = {
	[LG_BINDING_A_ID]	= { .type = NLA_U64 },
	[LG_BINDING_A_ADDR]	= NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[LG_BINDING_A_IFINDEX]	= NLA_POLICY_MIN(NLA_U32, 1),
	[LG_BINDING_A_CLIENT_DUID] = NLA_POLICY_RANGE(NLA_BINARY,
						      DHCP6_DUID_MIN,
						      DHCP6_DUID_MAX),
	[LG_BINDING_A_ALL]	= { .type = NLA_FLAG },
	[LG_BINDING_A_RELEASE_REASON] = NLA_POLICY_RANGE(NLA_U32, 1,
							 LG_RELEASE_MAX),
	[LG_BINDING_A_RELEASE_CANCEL] = { .type = NLA_FLAG },
};

static const struct nla_policy lg_binding_move_policy[LG_BINDING_A_MAX + 1] = {
	[LG_BINDING_A_ID]	= { .type = NLA_U64 },
};

/* A lease of LG_CMD_BINDING_NEW: lifetimes are what is left of it. */
static const struct nla_policy lg_lease_new_policy[LG_LEASE_A_MAX + 1] = {
	[LG_LEASE_A_ADDR]	= NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[LG_LEASE_A_PLEN]	= NLA_POLICY_RANGE(NLA_U32, 1, 128),
	[LG_LEASE_A_PREFERRED]	= { .type = NLA_U32 },
	[LG_LEASE_A_VALID]	= NLA_POLICY_MIN(NLA_U32, 1),
};

/*
 * LG_BINDING_A_REPLIED: 0 is leaseguardd's store's "unknown" (a sender
 * that does not know leaves the attribute out, and the binding's is now),
 * and a time must fit a signed 64-bit count of ms (SQLite's integers).
 * Nothing is checked against this clock: failover partners' clocks differ
 * by a little, and refusing a time a little ahead would lose the binding.
 */
static struct netlink_range_validation lg_replied_range __ro_after_init = {
	.min = 1,
	.max = S64_MAX,
};

static const struct nla_policy lg_binding_new_policy[LG_BINDING_A_MAX + 1] = {
	[LG_BINDING_A_IFINDEX]	= NLA_POLICY_MIN(NLA_U32, 1),
	[LG_BINDING_A_CLIENT_DUID] = NLA_POLICY_RANGE(NLA_BINARY,
						      DHCP6_DUID_MIN,
						      DHCP6_DUID_MAX),
	[LG_BINDING_A_IA_TYPE]	= NLA_POLICY_RANGE(NLA_U32, 1, LG_IA_MAX),
	[LG_BINDING_A_IAID]	= { .type = NLA_U32 },
	[LG_BINDING_A_CLIENT_LLADDR] = NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[LG_BINDING_A_CLIENT_MAC] = NLA_POLICY_ETH_ADDR,
	[LG_BINDING_A_SERVER_ADDR] = NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[LG_BINDING_A_SERVER_DUID] = NLA_POLICY_RANGE(NLA_BINARY,
						      DHCP6_DUID_MIN,
						      DHCP6_DUID_MAX),
	[LG_BINDING_A_INTERFACE_ID] = NLA_POLICY_RANGE(NLA_BINARY, 1,
						       LG_IFID_MAX),
	[LG_BINDING_A_CREATED]	= { .type = NLA_U64 },
	[LG_BINDING_A_REPLIED]	= NLA_POLICY_FULL_RANGE(NLA_U64,
							&lg_replied_range),
	/* Snooped is what this router saw itself: nobody may say it. */
	[LG_BINDING_A_ORIGIN]	= NLA_POLICY_RANGE(NLA_U32,
						   LG_BINDING_ORIGIN_RESTORED,
						   LG_BINDING_ORIGIN_MAX),
	[LG_BINDING_A_LEASE]	= NLA_POLICY_NESTED(lg_lease_new_policy),
	[LG_BINDING_A_REPLACE]	= { .type = NLA_FLAG },
};

static const struct nla_policy lg_anchor_policy[LG_BINDING_A_MAX + 1] = {
	[LG_BINDING_A_CLIENT_LLADDR] = NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[LG_BINDING_A_CLIENT_MAC] = NLA_POLICY_ETH_ADDR,
};

static const struct nla_policy lg_cmd_link_get_policy[LG_A_MAX + 1] = {
	[LG_A_LINK]		= NLA_POLICY_NESTED(lg_link_get_policy),
};

static const struct nla_policy lg_cmd_link_set_policy[LG_A_MAX + 1] = {
	[LG_A_LINK]		= NLA_POLICY_NESTED(lg_link_set_policy),
};

static const struct nla_policy lg_cmd_config_set_policy[LG_A_MAX + 1] = {
	[LG_A_CONFIG]		= NLA_POLICY_NESTED(lg_config_policy),
};

static const struct nla_policy lg_cmd_binding_get_policy[LG_A_MAX + 1] = {
	[LG_A_BINDING]		= NLA_POLICY_NESTED(lg_binding_get_policy),
};

static const struct nla_policy lg_cmd_binding_del_policy[LG_A_MAX + 1] = {
	[LG_A_BINDING]		= NLA_POLICY_NESTED(lg_binding_del_policy),
};

static const struct nla_policy lg_cmd_binding_release_policy[LG_A_MAX + 1] = {
	[LG_A_BINDING]		= NLA_POLICY_NESTED(lg_binding_release_policy),
};

static const struct nla_policy lg_cmd_binding_move_policy[LG_A_MAX + 1] = {
	[LG_A_BINDING]		= NLA_POLICY_NESTED(lg_binding_move_policy),
	[LG_A_ANCHOR]		= NLA_POLICY_NESTED(lg_anchor_policy),
};

static const struct nla_policy lg_cmd_binding_new_policy[LG_A_MAX + 1] = {
	[LG_A_BINDING]		= NLA_POLICY_NESTED(lg_binding_new_policy),
};

static const struct nla_policy lg_cmd_savi_policy[LG_A_MAX + 1] = {
	[LG_A_SAVI]		= NLA_POLICY_NESTED(lg_savi_policy),
};

static const struct nla_policy lg_cmd_savi_dump_policy[LG_A_MAX + 1] = {
	[LG_A_SAVI]		= NLA_POLICY_NESTED(lg_savi_dump_policy),
};

/* STATS_GET and CONFIG_GET take no attributes: every one is unsupported. */
static const struct nla_policy lg_cmd_no_attrs_policy[LG_A_MAX + 1] = {};

static int lg_nl_link_fill(struct sk_buff *skb, const struct lg_link *link,
			   const struct net_device *dev, u32 portid, u32 seq,
			   int flags, u8 cmd, struct netlink_callback *cb)
{
	struct nlattr *nest;
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &lg_genl_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (cb)
		genl_dump_check_consistent(cb, hdr);

	nest = nla_nest_start(skb, LG_A_LINK);
	if (!nest)
		goto err_cancel;
	if (nla_put_u32(skb, LG_LINK_A_IFINDEX, link->ifindex))
		goto err_cancel;
	if (dev && nla_put_string(skb, LG_LINK_A_IFNAME, dev->name))
		goto err_cancel;
	if (cmd != LG_CMD_LINK_DEL_NTF) {
		if (nla_put_u32(skb, LG_LINK_A_ROLE, READ_ONCE(link->role)) ||
		    nla_put_u32(skb, LG_LINK_A_MAX_BINDINGS,
				READ_ONCE(link->max_bindings)) ||
		    nla_put_u32(skb, LG_LINK_A_BINDINGS,
				READ_ONCE(link->n_bindings)) ||
		    nla_put_u32(skb, LG_LINK_A_SAVI_MODE,
				READ_ONCE(link->savi_mode)) ||
		    nla_put_u32(skb, LG_LINK_A_SAVI_ANCHOR,
				READ_ONCE(link->savi_anchor)) ||
		    nla_put_u8(skb, LG_LINK_A_DHCP6_SHIELD,
			       READ_ONCE(link->dhcp6_shield)) ||
		    nla_put_u8(skb, LG_LINK_A_RELEASE_TRUSTED,
			       READ_ONCE(link->release_trusted)) ||
		    nla_put_u8(skb, LG_LINK_A_RELEASE_FORWARD,
			       READ_ONCE(link->release_forward)) ||
		    nla_put_u32(skb, LG_LINK_A_SAVI_ENTRIES,
				READ_ONCE(link->n_static)) ||
		    nla_put_u32(skb, LG_LINK_A_MISS_RATE,
				READ_ONCE(link->miss.bucket.rate)) ||
		    lg_counters_put(skb, LG_LINK_A_STATS, link->counters,
				    __LG_LINK_STATS_A_MAX, LG_LINK_STATS_A_PAD))
			goto err_cancel;
	}
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	return 0;

err_cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

/* Cleared before the family goes: no notification may follow it. */
static bool lg_nl_live;

bool lg_nl_has_listeners(struct lg_net *ln, unsigned int group)
{
	return READ_ONCE(lg_nl_live) &&
	       genl_has_listeners(&lg_genl_family, ln->net, group);
}

/* Multicasts @cmd about @link, if anybody listens. */
void lg_nl_notify_link(struct lg_net *ln, const struct lg_link *link,
		       const struct net_device *dev, u8 cmd)
{
	struct sk_buff *skb;

	if (!lg_nl_has_listeners(ln, LG_MCGRP_CONFIG))
		return;

	skb = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!skb)
		return;
	if (lg_nl_link_fill(skb, link, dev, 0, 0, 0, cmd, NULL)) {
		nlmsg_free(skb);
		return;
	}
	genlmsg_multicast_netns(&lg_genl_family, ln->net, skb, 0,
				LG_MCGRP_CONFIG, GFP_KERNEL);
}

/* Parses the LG_A_LINK nest and checks that it names an interface. */
static int lg_nl_parse_link(struct genl_info *info,
			    const struct nla_policy *policy,
			    struct nlattr **tb)
{
	int err;

	if (GENL_REQ_ATTR_CHECK(info, LG_A_LINK))
		return -EINVAL;
	err = nla_parse_nested(tb, LG_LINK_A_MAX, info->attrs[LG_A_LINK],
			       policy, info->extack);
	if (err)
		return err;
	if (NL_REQ_ATTR_CHECK(info->extack, info->attrs[LG_A_LINK], tb,
			      LG_LINK_A_IFINDEX)) {
		NL_SET_ERR_MSG_MOD(info->extack, "missing interface index");
		return -EINVAL;
	}
	return 0;
}

static int lg_nl_link_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct nlattr *tb[LG_LINK_A_MAX + 1];
	struct net_device *dev;
	struct lg_link *link;
	struct sk_buff *msg;
	int err;

	err = lg_nl_parse_link(info, lg_link_get_policy, tb);
	if (err)
		return err;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;

	rcu_read_lock();
	dev = dev_get_by_index_rcu(net, nla_get_u32(tb[LG_LINK_A_IFINDEX]));
	if (!dev) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[LG_LINK_A_IFINDEX],
				    "no such interface");
		err = -ENODEV;
		goto err_unlock;
	}
	link = lg_link_lookup_rcu(lg_net(net), dev->ifindex);
	if (!link) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[LG_LINK_A_IFINDEX],
				    "interface has no leaseguard configuration");
		err = -ENOENT;
		goto err_unlock;
	}
	err = lg_nl_link_fill(msg, link, dev, info->snd_portid, info->snd_seq,
			      0, LG_CMD_LINK_GET, NULL);
	rcu_read_unlock();
	if (err)
		goto err_free;
	return genlmsg_reply(msg, info);

err_unlock:
	rcu_read_unlock();
err_free:
	nlmsg_free(msg);
	return err;
}

/*
 * What a dumpit returns after filling @skb: a full skb ends this round and
 * the next resumes at the cursor; an entry too big for an empty skb, or
 * another error, ends the dump.
 */
int lg_nl_dump_ret(struct sk_buff *skb, int err)
{
	if (err == -EMSGSIZE && skb->len)
		return skb->len;
	return err ?: skb->len;
}

/*
 * What genetlink lets through: a newer version of the family (0 is a
 * caller that does not say), and attributes flagged NLA_F_NET_BYTEORDER,
 * which nla_get_u32() would read swapped. Nests were validated against
 * their policies already, so the walk is as deep as those (3 at most).
 */
static int lg_nl_check_attrs(const struct nlattr *head, int len,
			     struct netlink_ext_ack *extack)
{
	const struct nlattr *nla;
	int rem, err;

	nla_for_each_attr(nla, head, len, rem) {
		if (nla->nla_type & NLA_F_NET_BYTEORDER) {
			NL_SET_ERR_MSG_ATTR(extack, nla,
					    "leaseguard: attributes are in host byte order");
			return -EINVAL;
		}
		if (nla->nla_type & NLA_F_NESTED) {
			err = lg_nl_check_attrs(nla_data(nla), nla_len(nla),
						extack);
			if (err)
				return err;
		}
	}
	return 0;
}

static int lg_nl_check_req(const struct nlmsghdr *nlh,
			   struct netlink_ext_ack *extack)
{
	const struct genlmsghdr *genl = nlmsg_data(nlh);

	if (genl->version > LEASEGUARD_GENL_VERSION) {
		NL_SET_ERR_MSG_MOD(extack, "the module speaks version "
				   __stringify(LEASEGUARD_GENL_VERSION)
				   " of the family");
		return -EOPNOTSUPP;
	}
	return lg_nl_check_attrs(nlmsg_attrdata(nlh, GENL_HDRLEN),
				 nlmsg_attrlen(nlh, GENL_HDRLEN), extack);
}

static int lg_nl_pre_doit(const struct genl_ops *ops, struct sk_buff *skb,
			  struct genl_info *info)
{
	return lg_nl_check_req(info->nlhdr, info->extack);
}

/* GENL_REQ_ATTR_CHECK() and the like name the attribute, but say nothing. */
static void lg_nl_post_doit(const struct genl_ops *ops, struct sk_buff *skb,
			    struct genl_info *info)
{
	struct netlink_ext_ack *extack = info->extack;

	if (extack && extack->miss_type && !extack->_msg)
		NL_SET_ERR_MSG_MOD(extack, "a required attribute is missing");
}

/*
 * A dump's .start has no extack in 6.1, so its dumpit checks the request:
 * the error and message end up in NLMSG_DONE.
 */
static int lg_nl_dump_check(struct netlink_callback *cb)
{
	return lg_nl_check_req(cb->nlh, cb->extack);
}

/*
 * The interface and proxy dumps share their doit's policy, which takes
 * @attrtype: refuse it rather than ignore it (the fuzzer found that).
 */
static int lg_nl_dump_no_attrs(struct netlink_callback *cb, int attrtype)
{
	struct nlattr *attr = genl_dumpit_info(cb)->attrs[attrtype];

	if (!attr)
		return 0;
	NL_SET_ERR_MSG_ATTR(cb->extack, attr,
			    "leaseguard: this dump takes no attributes");
	return -EINVAL;
}

static int lg_nl_mcast_get_dump_checked(struct sk_buff *skb,
					struct netlink_callback *cb)
{
	return lg_nl_dump_check(cb) ?: lg_nl_dump_no_attrs(cb, LG_A_MCAST) ?:
	       lg_nl_mcast_get_dumpit(skb, cb);
}

static int lg_nl_mc_group_get_dump_checked(struct sk_buff *skb,
					   struct netlink_callback *cb)
{
	return lg_nl_dump_check(cb) ?: lg_nl_mc_group_get_dumpit(skb, cb);
}

/* cb->args[0]: the ifindex to resume from. */
static int lg_nl_link_get_dumpit(struct sk_buff *skb,
				 struct netlink_callback *cb)
{
	struct net *net = sock_net(skb->sk);
	struct lg_net *ln = lg_net(net);
	unsigned long index;
	struct lg_link *link;
	int err;

	err = lg_nl_dump_check(cb) ?: lg_nl_dump_no_attrs(cb, LG_A_LINK);
	if (err)
		return err;
	rcu_read_lock();
	cb->seq = READ_ONCE(ln->links_gen);
	xa_for_each_start(&ln->links, index, link, cb->args[0]) {
		err = lg_nl_link_fill(skb, link,
				      dev_get_by_index_rcu(net, link->ifindex),
				      NETLINK_CB(cb->skb).portid,
				      cb->nlh->nlmsg_seq, NLM_F_MULTI,
				      LG_CMD_LINK_GET, cb);
		if (err)
			break;
		cb->args[0] = index + 1;
	}
	rcu_read_unlock();
	return lg_nl_dump_ret(skb, err);
}

static int lg_nl_link_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct lg_net *ln = lg_net(genl_info_net(info));
	struct nlattr *tb[LG_LINK_A_MAX + 1];
	struct lg_link_cfg cfg = {
		.savi_mode = -1,
		.savi_anchor = -1,
		.dhcp6_shield = -1,
		.release_trusted = -1,
		.release_forward = -1,
		.miss_rate = -1,
	};
	struct net_device *dev;
	int err;

	err = lg_nl_parse_link(info, lg_link_set_policy, tb);
	if (err)
		return err;
	if (tb[LG_LINK_A_SAVI_MODE])
		cfg.savi_mode = nla_get_u32(tb[LG_LINK_A_SAVI_MODE]);
	if (tb[LG_LINK_A_SAVI_ANCHOR])
		cfg.savi_anchor = nla_get_u32(tb[LG_LINK_A_SAVI_ANCHOR]);
	if (tb[LG_LINK_A_DHCP6_SHIELD])
		cfg.dhcp6_shield = nla_get_u8(tb[LG_LINK_A_DHCP6_SHIELD]);
	if (tb[LG_LINK_A_RELEASE_TRUSTED])
		cfg.release_trusted = nla_get_u8(tb[LG_LINK_A_RELEASE_TRUSTED]);
	if (tb[LG_LINK_A_RELEASE_FORWARD])
		cfg.release_forward = nla_get_u8(tb[LG_LINK_A_RELEASE_FORWARD]);
	if (tb[LG_LINK_A_ROLE]) {
		cfg.has_role = true;
		cfg.role = nla_get_u32(tb[LG_LINK_A_ROLE]);
	}
	if (tb[LG_LINK_A_MAX_BINDINGS])
		cfg.max_bindings = nla_get_u32(tb[LG_LINK_A_MAX_BINDINGS]);
	if (tb[LG_LINK_A_MISS_RATE])
		cfg.miss_rate = nla_get_u32(tb[LG_LINK_A_MISS_RATE]);

	rtnl_lock();
	dev = __dev_get_by_index(ln->net, nla_get_u32(tb[LG_LINK_A_IFINDEX]));
	if (!dev) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[LG_LINK_A_IFINDEX],
				    "no such interface");
		err = -ENODEV;
	} else {
		err = lg_link_set(ln, dev, &cfg, info->extack);
	}
	rtnl_unlock();
	return err;
}

static int lg_nl_stats_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct lg_net *ln = lg_net(genl_info_net(info));
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &lg_genl_family, 0,
				LG_CMD_STATS_GET);
	if (!hdr)
		goto err_free;
	if (lg_counters_put(msg, LG_A_STATS, ln->counters, __LG_STATS_A_MAX,
			    LG_STATS_A_PAD))
		goto err_free;
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

err_free:
	nlmsg_free(msg);
	return -EMSGSIZE;
}

static int lg_nl_config_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct lg_net *ln = lg_net(genl_info_net(info));
	struct nlattr *nest;
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &lg_genl_family, 0,
				LG_CMD_CONFIG_GET);
	if (!hdr)
		goto err_free;
	nest = nla_nest_start(msg, LG_A_CONFIG);
	if (!nest || nla_put_u32(msg, LG_CONFIG_A_MAX_BINDINGS,
				 READ_ONCE(ln->bindings.max)) ||
	    nla_put_u32(msg, LG_CONFIG_A_RELEASE_REQUEST_TYPE,
			READ_ONCE(ln->release_request_type)) ||
	    nla_put_u32(msg, LG_CONFIG_A_RELEASE_REPLY_TYPE,
			READ_ONCE(ln->release_reply_type)) ||
	    nla_put_u32(msg, LG_CONFIG_A_MISS_RATE,
			READ_ONCE(ln->miss.bucket.rate)))
		goto err_free;
	nla_nest_end(msg, nest);
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

err_free:
	nlmsg_free(msg);
	return -EMSGSIZE;
}

static int lg_nl_config_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct lg_net *ln = lg_net(genl_info_net(info));
	struct nlattr *tb[LG_CONFIG_A_MAX + 1];
	u8 request, reply;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, LG_A_CONFIG))
		return -EINVAL;
	err = nla_parse_nested(tb, LG_CONFIG_A_MAX, info->attrs[LG_A_CONFIG],
			       lg_config_policy, info->extack);
	if (err)
		return err;

	/* Serialized by RTNL: two setters must not interleave the check. */
	rtnl_lock();
	request = tb[LG_CONFIG_A_RELEASE_REQUEST_TYPE] ?
		  nla_get_u32(tb[LG_CONFIG_A_RELEASE_REQUEST_TYPE]) :
		  ln->release_request_type;
	reply = tb[LG_CONFIG_A_RELEASE_REPLY_TYPE] ?
		nla_get_u32(tb[LG_CONFIG_A_RELEASE_REPLY_TYPE]) :
		ln->release_reply_type;
	if (request == reply) {
		NL_SET_ERR_MSG_MOD(info->extack,
				   "RELEASE-REQUEST and its reply need two types");
		rtnl_unlock();
		return -EINVAL;
	}
	WRITE_ONCE(ln->release_request_type, request);
	WRITE_ONCE(ln->release_reply_type, reply);
	if (tb[LG_CONFIG_A_MAX_BINDINGS]) {
		WRITE_ONCE(ln->bindings.max,
			   nla_get_u32(tb[LG_CONFIG_A_MAX_BINDINGS]));
		lg_links_reserve(ln);
	}
	if (tb[LG_CONFIG_A_MISS_RATE])
		lg_savi_miss_set_net_rate(&ln->miss,
					  nla_get_u32(tb[LG_CONFIG_A_MISS_RATE]));
	rtnl_unlock();
	return 0;
}

/* @real_off: lg_real_offset(), one for the whole message or dump. */
static int lg_nl_binding_put(struct sk_buff *skb, struct lg_net *ln,
			     const struct lg_binding *b, u8 reason,
			     s64 real_off)
{
	const struct lg_binding_meta *m = &b->m;
	struct net_device *dev;
	struct nlattr *nest, *lnest;
	unsigned int i;

	nest = nla_nest_start(skb, LG_A_BINDING);
	if (!nest)
		return -EMSGSIZE;
	dev = dev_get_by_index_rcu(ln->net, m->ifindex);
	if (nla_put_u64_64bit(skb, LG_BINDING_A_ID, m->id, LG_BINDING_A_PAD) ||
	    nla_put_u32(skb, LG_BINDING_A_IFINDEX, m->ifindex) ||
	    (dev && nla_put_string(skb, LG_BINDING_A_IFNAME, dev->name)) ||
	    nla_put(skb, LG_BINDING_A_CLIENT_DUID, m->duid_len,
		    lg_binding_duid(b)) ||
	    nla_put_u32(skb, LG_BINDING_A_IA_TYPE, m->ia_type) ||
	    nla_put_u32(skb, LG_BINDING_A_IAID, m->iaid) ||
	    nla_put_u32(skb, LG_BINDING_A_STATE, m->state) ||
	    nla_put_u32(skb, LG_BINDING_A_ORIGIN, m->origin) ||
	    (m->state == LG_BINDING_RELEASING &&
	     nla_put_u32(skb, LG_BINDING_A_RELEASE_REASON,
			 m->release_reason)) ||
	    nla_put_in6_addr(skb, LG_BINDING_A_CLIENT_LLADDR,
			     &m->client_lladdr) ||
	    (m->has_mac && nla_put(skb, LG_BINDING_A_CLIENT_MAC, ETH_ALEN,
				   m->mac)) ||
	    (m->server_duid_len &&
	     nla_put(skb, LG_BINDING_A_SERVER_DUID, m->server_duid_len,
		     lg_binding_server_duid(b))) ||
	    nla_put_in6_addr(skb, LG_BINDING_A_SERVER_ADDR, &m->server_addr) ||
	    (m->ifid_len && nla_put(skb, LG_BINDING_A_INTERFACE_ID,
				    m->ifid_len, lg_binding_ifid(b))) ||
	    nla_put_u64_64bit(skb, LG_BINDING_A_CREATED,
			      lg_time_to_real(m->created, real_off), LG_BINDING_A_PAD) ||
	    nla_put_u64_64bit(skb, LG_BINDING_A_UPDATED,
			      lg_time_to_real(m->updated, real_off), LG_BINDING_A_PAD) ||
	    nla_put_u64_64bit(skb, LG_BINDING_A_REPLIED, m->replied,
			      LG_BINDING_A_PAD) ||
	    (reason && nla_put_u32(skb, LG_BINDING_A_DEL_REASON, reason)))
		goto err_cancel;

	for (i = 0; i < m->n_leases; i++) {
		const struct lg_lease *l = &b->leases[i];

		if (!l->indexed)
			continue;
		lnest = nla_nest_start(skb, LG_BINDING_A_LEASE);
		if (!lnest ||
		    nla_put_in6_addr(skb, LG_LEASE_A_ADDR, &l->key.prefix) ||
		    nla_put_u32(skb, LG_LEASE_A_PLEN, l->key.plen) ||
		    nla_put_u32(skb, LG_LEASE_A_PREFERRED, l->preferred) ||
		    nla_put_u32(skb, LG_LEASE_A_VALID, l->valid) ||
		    (l->expires != LG_FOREVER &&
		     nla_put_u64_64bit(skb, LG_LEASE_A_EXPIRES,
				       lg_time_to_real(l->expires, real_off),
				       LG_LEASE_A_PAD)))
			goto err_cancel;
		nla_nest_end(skb, lnest);
	}
	nla_nest_end(skb, nest);
	return 0;

err_cancel:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

/*
 * At least what lg_nl_binding_put() adds for a binding like @m with
 * @n_leases leases (and @reason): exact but for IFNAME, counted at its
 * longest since the interface may be renamed between sizing and filling,
 * and EXPIRES, counted for every lease.
 */
static size_t lg_nl_binding_meta_size(const struct lg_binding_meta *m,
				      unsigned int n_leases, u8 reason)
{
	size_t lease = nla_total_size(0) +			/* LEASE */
		       nla_total_size(sizeof(struct in6_addr)) +	/* ADDR */
		       3 * nla_total_size(sizeof(u32)) +	/* PLEN, PREFERRED, VALID */
		       nla_total_size_64bit(sizeof(u64));	/* EXPIRES */

	return nla_total_size(0) +				/* LG_A_BINDING */
	       nla_total_size_64bit(sizeof(u64)) +		/* ID */
	       nla_total_size(sizeof(u32)) +			/* IFINDEX */
	       nla_total_size(IFNAMSIZ) +			/* IFNAME */
	       nla_total_size(m->duid_len) +			/* CLIENT_DUID */
	       4 * nla_total_size(sizeof(u32)) +		/* IA_TYPE, IAID, STATE, ORIGIN */
	       (m->state == LG_BINDING_RELEASING ?
		nla_total_size(sizeof(u32)) : 0) +		/* RELEASE_REASON */
	       2 * nla_total_size(sizeof(struct in6_addr)) +	/* CLIENT_LLADDR, SERVER_ADDR */
	       (m->has_mac ? nla_total_size(ETH_ALEN) : 0) +	/* CLIENT_MAC */
	       (m->server_duid_len ?
		nla_total_size(m->server_duid_len) : 0) +	/* SERVER_DUID */
	       (m->ifid_len ? nla_total_size(m->ifid_len) : 0) + /* INTERFACE_ID */
	       3 * nla_total_size_64bit(sizeof(u64)) +		/* CREATED, UPDATED, REPLIED */
	       (reason ? nla_total_size(sizeof(u32)) : 0) +	/* DEL_REASON */
	       n_leases * lease;
}

/* lg_nl_binding_put()'s size for @b: @b is immutable once published. */
static size_t lg_nl_binding_size(const struct lg_binding *b, u8 reason)
{
	unsigned int i, n = 0;

	for (i = 0; i < b->m.n_leases; i++)
		n += b->leases[i].indexed;
	return lg_nl_binding_meta_size(&b->m, n, reason);
}

/*
 * The largest binding LG_CMD_BINDING_NEW's @n can make: a REPLACE keeps
 * the old binding's state and interface-id, which are not known yet.
 * Not inlined: its lg_binding_meta would join the handler's large frame.
 */
static noinline_for_stack size_t
lg_nl_binding_new_size(const struct lg_binding_new *n)
{
	const struct lg_binding_meta m = {
		.state = LG_BINDING_RELEASING,
		.has_mac = true,
		.duid_len = n->duid_len,
		.server_duid_len = n->server_duid_len,
		.ifid_len = LG_IFID_MAX,
	};

	return lg_nl_binding_meta_size(&m, n->n_leases, 0);
}

/* The largest binding of all, for a reply sized before the lookup. */
static size_t lg_nl_binding_max_size(void)
{
	const struct lg_binding_meta m = {
		.state = LG_BINDING_RELEASING,
		.has_mac = true,
		.duid_len = DHCP6_DUID_MAX,
		.server_duid_len = DHCP6_DUID_MAX,
		.ifid_len = LG_IFID_MAX,
	};

	return lg_nl_binding_meta_size(&m, LG_BINDING_MAX_LEASES, 0);
}

static int lg_nl_binding_fill(struct sk_buff *skb, struct lg_net *ln,
			      const struct lg_binding *b, u32 portid, u32 seq,
			      int flags, u8 cmd, u8 reason,
			      struct netlink_callback *cb, s64 real_off)
{
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &lg_genl_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (cb)
		genl_dump_check_consistent(cb, hdr);
	if (lg_nl_binding_put(skb, ln, b, reason, real_off)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

int lg_nl_binding_reply(struct sk_buff *skb, struct lg_net *ln,
			const struct lg_binding *b, u32 portid, u32 seq)
{
	return lg_nl_binding_fill(skb, ln, b, portid, seq, 0,
				  LG_CMD_BINDING_NEW, 0, NULL,
				  lg_real_offset());
}

/* From the binding table's writers: BHs are off, so no sleeping here. */
void lg_nl_notify_binding(struct lg_net *ln, const struct lg_binding *b,
			  u8 cmd, u8 reason)
{
	struct sk_buff *skb;

	if (!lg_nl_has_listeners(ln, LG_MCGRP_BINDINGS))
		return;

	skb = genlmsg_new(lg_nl_binding_size(b, reason), GFP_ATOMIC);
	if (!skb)
		return;
	rcu_read_lock();
	if (WARN_ON_ONCE(lg_nl_binding_fill(skb, ln, b, 0, 0, 0, cmd, reason,
					    NULL, lg_real_offset()))) {
		rcu_read_unlock();
		nlmsg_free(skb);
		return;
	}
	rcu_read_unlock();
	genlmsg_multicast_netns(&lg_genl_family, ln->net, skb, 0,
				LG_MCGRP_BINDINGS, GFP_ATOMIC);
}

/* LG_CMD_BINDING_ANCHOR_NTF: another anchor than @b's asked for it. */
void lg_nl_notify_binding_anchor(struct lg_net *ln, const struct lg_binding *b,
				 const struct in6_addr *lladdr, const u8 *mac)
{
	struct sk_buff *skb;
	struct nlattr *nest;
	void *hdr;

	if (!lg_nl_has_listeners(ln, LG_MCGRP_BINDINGS))
		return;

	skb = genlmsg_new(lg_nl_binding_size(b, 0) +
			  nla_total_size(0) +			/* LG_A_ANCHOR */
			  nla_total_size(sizeof(*lladdr)) +
			  (mac ? nla_total_size(ETH_ALEN) : 0), GFP_ATOMIC);
	if (!skb)
		return;
	hdr = genlmsg_put(skb, 0, 0, &lg_genl_family, 0,
			  LG_CMD_BINDING_ANCHOR_NTF);
	if (WARN_ON_ONCE(!hdr))
		goto err_free;
	rcu_read_lock();
	if (WARN_ON_ONCE(lg_nl_binding_put(skb, ln, b, 0, lg_real_offset()))) {
		rcu_read_unlock();
		goto err_free;
	}
	rcu_read_unlock();
	nest = nla_nest_start(skb, LG_A_ANCHOR);
	if (WARN_ON_ONCE(!nest ||
			 nla_put_in6_addr(skb, LG_BINDING_A_CLIENT_LLADDR,
					  lladdr) ||
			 (mac && nla_put(skb, LG_BINDING_A_CLIENT_MAC, ETH_ALEN,
					 mac))))
		goto err_free;
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	genlmsg_multicast_netns(&lg_genl_family, ln->net, skb, 0,
				LG_MCGRP_BINDINGS, GFP_ATOMIC);
	return;

err_free:
	nlmsg_free(skb);
}

static int lg_nl_binding_move_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct lg_net *ln = lg_net(genl_info_net(info));
	struct nlattr *tb[LG_BINDING_A_MAX + 1], *ta[LG_BINDING_A_MAX + 1];
	struct netlink_ext_ack *extack = info->extack;
	const struct in6_addr *lladdr;
	const u8 *mac = NULL;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, LG_A_BINDING) ||
	    GENL_REQ_ATTR_CHECK(info, LG_A_ANCHOR))
		return -EINVAL;
	err = nla_parse_nested(tb, LG_BINDING_A_MAX, info->attrs[LG_A_BINDING],
			       lg_binding_move_policy, extack);
	if (err)
		return err;
	err = nla_parse_nested(ta, LG_BINDING_A_MAX, info->attrs[LG_A_ANCHOR],
			       lg_anchor_policy, extack);
	if (err)
		return err;
	if (NL_REQ_ATTR_CHECK(extack, info->attrs[LG_A_BINDING], tb,
			      LG_BINDING_A_ID)) {
		NL_SET_ERR_MSG_MOD(extack, "say which binding to move");
		return -EINVAL;
	}
	if (NL_REQ_ATTR_CHECK(extack, info->attrs[LG_A_ANCHOR], ta,
			      LG_BINDING_A_CLIENT_LLADDR)) {
		NL_SET_ERR_MSG_MOD(extack, "an anchor needs the client's link-local");
		return -EINVAL;
	}
	lladdr = nla_data(ta[LG_BINDING_A_CLIENT_LLADDR]);
	if (ipv6_addr_any(lladdr) || ipv6_addr_is_multicast(lladdr)) {
		NL_SET_ERR_MSG_ATTR(extack, ta[LG_BINDING_A_CLIENT_LLADDR],
				    "the client's address is a unicast one");
		return -EINVAL;
	}
	if (ta[LG_BINDING_A_CLIENT_MAC]) {
		mac = nla_data(ta[LG_BINDING_A_CLIENT_MAC]);
		if (!is_valid_ether_addr(mac)) {
			NL_SET_ERR_MSG_ATTR(extack, ta[LG_BINDING_A_CLIENT_MAC],
					    "the client's MAC is a unicast one");
			return -EINVAL;
		}
	}
	err = lg_binding_move(ln, nla_get_u64(tb[LG_BINDING_A_ID]), lladdr, mac);
	if (err == -ENOENT)
		NL_SET_ERR_MSG_ATTR(extack, tb[LG_BINDING_A_ID], "no such binding");
	else if (err)
		NL_SET_ERR_MSG_MOD(extack, "no memory for the change");
	return err;
}

static int lg_nl_binding_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct lg_net *ln = lg_net(genl_info_net(info));
	struct nlattr *tb[LG_BINDING_A_MAX + 1];
	struct netlink_ext_ack *extack = info->extack;
	const struct lg_binding *b;
	struct sk_buff *msg;
	int ifindex = 0;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, LG_A_BINDING))
		return -EINVAL;
	err = nla_parse_nested(tb, LG_BINDING_A_MAX, info->attrs[LG_A_BINDING],
			       lg_binding_get_policy, extack);
	if (err)
		return err;
	if (tb[LG_BINDING_A_CLIENT_DUID]) {
		NL_SET_ERR_MSG_ATTR(extack, tb[LG_BINDING_A_CLIENT_DUID],
				    "a DUID selects several bindings: dump with it");
		return -EINVAL;
	}
	if (!tb[LG_BINDING_A_ID] == !tb[LG_BINDING_A_ADDR]) {
		NL_SET_ERR_MSG_MOD(extack, "give a binding ID or an address");
		return -EINVAL;
	}

	msg = genlmsg_new(lg_nl_binding_max_size(), GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	if (tb[LG_BINDING_A_IFINDEX])
		ifindex = nla_get_u32(tb[LG_BINDING_A_IFINDEX]);
	rcu_read_lock();
	if (tb[LG_BINDING_A_ID])
		b = xa_load(&ln->bindings.by_id,
			    nla_get_u64(tb[LG_BINDING_A_ID]));
	else
		b = lg_binding_lookup_addr_rcu(ln, ifindex,
					       nla_data(tb[LG_BINDING_A_ADDR]));
	if (!b) {
		NL_SET_ERR_MSG_MOD(extack, "no such binding");
		err = -ENOENT;
	} else {
		err = lg_nl_binding_fill(msg, ln, b, info->snd_portid,
					 info->snd_seq, 0, LG_CMD_BINDING_GET,
					 0, NULL, lg_real_offset());
	}
	rcu_read_unlock();
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

/*
 * cb->args[0]: the binding ID to resume from; [1] (and [2] on 32 bits):
 * the dump's lg_real_offset(); [3]: set once it is taken.
 */
static int lg_nl_binding_get_dumpit(struct sk_buff *skb,
				    struct netlink_callback *cb)
{
	const struct genl_dumpit_info *info = genl_dumpit_info(cb);
	struct lg_net *ln = lg_net(sock_net(skb->sk));
	struct nlattr *tb[LG_BINDING_A_MAX + 1] = {};
	struct lg_binding_filter f = {};
	struct lg_binding *b;
	unsigned long index;
	s64 real_off;
	int err;

	err = lg_nl_dump_check(cb);
	if (err)
		return err;
	if (!cb->args[3]) {
		real_off = lg_real_offset();
		memcpy(&cb->args[1], &real_off, sizeof(real_off));
		cb->args[3] = 1;
	}
	memcpy(&real_off, &cb->args[1], sizeof(real_off));
	if (info->attrs[LG_A_BINDING]) {
		err = nla_parse_nested(tb, LG_BINDING_A_MAX,
				       info->attrs[LG_A_BINDING],
				       lg_binding_get_policy, cb->extack);
		if (err)
			return err;
	}
	if (tb[LG_BINDING_A_IFINDEX])
		f.ifindex = nla_get_u32(tb[LG_BINDING_A_IFINDEX]);
	if (tb[LG_BINDING_A_CLIENT_DUID]) {
		f.duid = nla_data(tb[LG_BINDING_A_CLIENT_DUID]);
		f.duid_len = nla_len(tb[LG_BINDING_A_CLIENT_DUID]);
	}
	if (tb[LG_BINDING_A_ID]) {
		f.has_id = true;
		f.id = nla_get_u64(tb[LG_BINDING_A_ID]);
	}
	if (tb[LG_BINDING_A_ADDR])
		f.addr = nla_data(tb[LG_BINDING_A_ADDR]);

	rcu_read_lock();
	cb->seq = READ_ONCE(ln->bindings.gen);
	xa_for_each_start(&ln->bindings.by_id, index, b, cb->args[0]) {
		if (lg_binding_match(ln, b, &f)) {
			err = lg_nl_binding_fill(skb, ln, b,
						 NETLINK_CB(cb->skb).portid,
						 cb->nlh->nlmsg_seq, NLM_F_MULTI,
						 LG_CMD_BINDING_GET, 0, cb,
						 real_off);
			if (err)
				break;
		}
		cb->args[0] = index + 1;
	}
	rcu_read_unlock();
	return lg_nl_dump_ret(skb, err);
}

/*
 * The selectors of a delete or a release, into @f: at least one, and
 * "all" alone. @tb was parsed with the command's policy.
 */
static int lg_nl_binding_filter(struct nlattr **tb, bool release,
				struct lg_binding_filter *f,
				struct netlink_ext_ack *extack)
{
	memset(f, 0, sizeof(*f));
	f->all = nla_get_flag(tb[LG_BINDING_A_ALL]);
	if (tb[LG_BINDING_A_ID]) {
		f->has_id = true;
		f->id = nla_get_u64(tb[LG_BINDING_A_ID]);
	}
	if (tb[LG_BINDING_A_IFINDEX])
		f->ifindex = nla_get_u32(tb[LG_BINDING_A_IFINDEX]);
	if (tb[LG_BINDING_A_CLIENT_DUID]) {
		f->duid = nla_data(tb[LG_BINDING_A_CLIENT_DUID]);
		f->duid_len = nla_len(tb[LG_BINDING_A_CLIENT_DUID]);
	}
	if (tb[LG_BINDING_A_ADDR])
		f->addr = nla_data(tb[LG_BINDING_A_ADDR]);

	if (f->all && (f->has_id || f->ifindex || f->duid || f->addr)) {
		NL_SET_ERR_MSG_ATTR(extack, tb[LG_BINDING_A_ALL],
				    "\"all\" goes alone");
		return -EINVAL;
	}
	if (!f->all && !f->has_id && !f->ifindex && !f->duid && !f->addr) {
		if (release)
			NL_SET_ERR_MSG_MOD(extack, "say which bindings to release");
		else
			NL_SET_ERR_MSG_MOD(extack, "say which bindings to delete");
		return -EINVAL;
	}
	return 0;
}

static int lg_nl_binding_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct lg_net *ln = lg_net(genl_info_net(info));
	struct nlattr *tb[LG_BINDING_A_MAX + 1];
	struct netlink_ext_ack *extack = info->extack;
	u32 reason = LG_BINDING_DEL_ADMIN;
	struct lg_binding_filter f;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, LG_A_BINDING))
		return -EINVAL;
	err = nla_parse_nested(tb, LG_BINDING_A_MAX, info->attrs[LG_A_BINDING],
			       lg_binding_del_policy, extack);
	if (err)
		return err;
	err = lg_nl_binding_filter(tb, false, &f, extack);
	if (err)
		return err;
	if (tb[LG_BINDING_A_DEL_REASON])
		reason = nla_get_u32(tb[LG_BINDING_A_DEL_REASON]);
	if (reason != LG_BINDING_DEL_ADMIN &&
	    reason != LG_BINDING_DEL_RELAY_RELEASE) {
		NL_SET_ERR_MSG_ATTR(extack, tb[LG_BINDING_A_DEL_REASON],
				    "the reason of a deletion is admin or relay-release");
		return -ERANGE;
	}

	/* "all" of nothing is done; a selector that matches nothing is not. */
	if (!lg_bindings_delete(ln, &f, reason) && !f.all) {
		NL_SET_ERR_MSG_MOD(extack, "no binding matched");
		return -ENOENT;
	}
	return 0;
}

static int lg_nl_binding_release_doit(struct sk_buff *skb,
				      struct genl_info *info)
{
	struct lg_net *ln = lg_net(genl_info_net(info));
	struct nlattr *tb[LG_BINDING_A_MAX + 1];
	struct netlink_ext_ack *extack = info->extack;
	u32 reason = LG_RELEASE_ADMIN;
	struct lg_binding_filter f;
	bool cancel;
	int ret;

	if (GENL_REQ_ATTR_CHECK(info, LG_A_BINDING))
		return -EINVAL;
	ret = nla_parse_nested(tb, LG_BINDING_A_MAX, info->attrs[LG_A_BINDING],
			       lg_binding_release_policy, extack);
	if (ret)
		return ret;
	ret = lg_nl_binding_filter(tb, true, &f, extack);
	if (ret)
		return ret;
	cancel = nla_get_flag(tb[LG_BINDING_A_RELEASE_CANCEL]);
	if (cancel && tb[LG_BINDING_A_RELEASE_REASON]) {
		NL_SET_ERR_MSG_ATTR(extack, tb[LG_BINDING_A_RELEASE_REASON],
				    "a cancel has no reason");
		return -EINVAL;
	}
	if (tb[LG_BINDING_A_RELEASE_REASON])
		reason = nla_get_u32(tb[LG_BINDING_A_RELEASE_REASON]);

	ret = lg_bindings_mark_release(ln, &f, reason, cancel);
	if (ret < 0) {
		NL_SET_ERR_MSG_MOD(extack, "no memory for the change");
		return ret;
	}
	if (!ret && !f.all) {
		NL_SET_ERR_MSG_MOD(extack, "no binding matched");
		return -ENOENT;
	}
	return 0;
}

/* The leases of LG_CMD_BINDING_NEW's @nest into @n, their nests in @attrs. */
static int lg_nl_binding_new_leases(const struct nlattr *nest,
				    struct lg_binding_new *n,
				    const struct nlattr **attrs,
				    struct netlink_ext_ack *extack)
{
	struct nlattr *tb[LG_LEASE_A_MAX + 1];
	const struct in6_addr *addr;
	const struct nlattr *attr;
	struct in6_addr prefix;
	unsigned int i;
	int rem, err;
	u32 plen;

	nla_for_each_nested(attr, nest, rem) {
		if (nla_type(attr) != LG_BINDING_A_LEASE)
			continue;
		if (n->n_leases == LG_BINDING_MAX_LEASES) {
			NL_SET_ERR_MSG_ATTR(extack, attr,
					    "a binding holds at most "
					    __stringify(LG_BINDING_MAX_LEASES)
					    " leases");
			return -EINVAL;
		}
		err = nla_parse_nested(tb, LG_LEASE_A_MAX, attr,
				       lg_lease_new_policy, extack);
		if (err)
			return err;
		if (NL_REQ_ATTR_CHECK(extack, attr, tb, LG_LEASE_A_ADDR) ||
		    NL_REQ_ATTR_CHECK(extack, attr, tb, LG_LEASE_A_PLEN) ||
		    NL_REQ_ATTR_CHECK(extack, attr, tb, LG_LEASE_A_PREFERRED) ||
		    NL_REQ_ATTR_CHECK(extack, attr, tb, LG_LEASE_A_VALID)) {
			NL_SET_ERR_MSG_MOD(extack,
					   "a lease needs address, length and lifetimes");
			return -EINVAL;
		}
		addr = nla_data(tb[LG_LEASE_A_ADDR]);
		if (ipv6_addr_type(addr) == IPV6_ADDR_ANY ||
		    ipv6_addr_type(addr) & (IPV6_ADDR_MULTICAST |
					    IPV6_ADDR_LINKLOCAL |
					    IPV6_ADDR_LOOPBACK)) {
			NL_SET_ERR_MSG_ATTR(extack, tb[LG_LEASE_A_ADDR],
					    "a lease is unicast and not link-local");
			return -EINVAL;
		}
		plen = nla_get_u32(tb[LG_LEASE_A_PLEN]);
		if (n->ia_type == LG_IA_NA && plen != 128) {
			NL_SET_ERR_MSG_ATTR(extack, tb[LG_LEASE_A_PLEN],
					    "an IA_NA lease is an address: length 128");
			return -EINVAL;
		}
		ipv6_addr_prefix(&prefix, addr, plen);
		if (!ipv6_addr_equal(&prefix, addr)) {
			NL_SET_ERR_MSG_ATTR(extack, tb[LG_LEASE_A_ADDR],
					    "the prefix has host bits set");
			return -EINVAL;
		}
		if (nla_get_u32(tb[LG_LEASE_A_PREFERRED]) >
		    nla_get_u32(tb[LG_LEASE_A_VALID])) {
			NL_SET_ERR_MSG_ATTR(extack, tb[LG_LEASE_A_PREFERRED],
					    "the preferred lifetime is longer than the valid one");
			return -EINVAL;
		}
		for (i = 0; i < n->n_leases; i++) {
			if (n->leases[i].plen == plen &&
			    ipv6_addr_equal(n->leases[i].addr, addr)) {
				NL_SET_ERR_MSG_ATTR(extack, attr,
						    "the same lease twice");
				return -EINVAL;
			}
		}
		attrs[n->n_leases] = attr;
		n->leases[n->n_leases].addr = addr;
		n->leases[n->n_leases].plen = plen;
		n->leases[n->n_leases].preferred =
			nla_get_u32(tb[LG_LEASE_A_PREFERRED]);
		n->leases[n->n_leases].valid = nla_get_u32(tb[LG_LEASE_A_VALID]);
		n->n_leases++;
	}
	if (!n->n_leases) {
		NL_SET_ERR_ATTR_MISS(extack, nest, LG_BINDING_A_LEASE);
		NL_SET_ERR_MSG_MOD(extack, "a binding needs a lease");
		return -EINVAL;
	}
	return 0;
}

/* LG_BINDING_A_CREATED, CLOCK_REALTIME, as boottime: before boot is < 0. */
static int lg_nl_binding_created(const struct nlattr *attr, s32 *created,
				 struct netlink_ext_ack *extack)
{
	time64_t real = ktime_get_real_seconds();
	u64 when;

	*created = lg_now();
	if (!attr)
		return 0;
	when = nla_get_u64(attr);
	if (when > (u64)real) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "the binding cannot be created in the future");
		return -EINVAL;
	}
	*created = max_t(s64, (s64)*created - (real - (s64)when), S32_MIN);
	return 0;
}

static int lg_nl_binding_new_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct lg_net *ln = lg_net(genl_info_net(info));
	const struct nlattr *lease_attrs[LG_BINDING_MAX_LEASES];
	struct nlattr *tb[LG_BINDING_A_MAX + 1], *nest;
	struct netlink_ext_ack *extack = info->extack;
	struct lg_binding_new n = {};
	struct sk_buff *msg = NULL;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, LG_A_BINDING))
		return -EINVAL;
	nest = info->attrs[LG_A_BINDING];
	err = nla_parse_nested(tb, LG_BINDING_A_MAX, nest,
			       lg_binding_new_policy, extack);
	if (err)
		return err;
	if (NL_REQ_ATTR_CHECK(extack, nest, tb, LG_BINDING_A_IFINDEX) ||
	    NL_REQ_ATTR_CHECK(extack, nest, tb, LG_BINDING_A_CLIENT_DUID) ||
	    NL_REQ_ATTR_CHECK(extack, nest, tb, LG_BINDING_A_IA_TYPE) ||
	    NL_REQ_ATTR_CHECK(extack, nest, tb, LG_BINDING_A_IAID) ||
	    NL_REQ_ATTR_CHECK(extack, nest, tb, LG_BINDING_A_CLIENT_LLADDR) ||
	    NL_REQ_ATTR_CHECK(extack, nest, tb, LG_BINDING_A_SERVER_ADDR)) {
		NL_SET_ERR_MSG_MOD(extack,
				   "a binding needs interface, DUID, IA, IAID, client link-local and server");
		return -EINVAL;
	}
	n.ifindex = nla_get_u32(tb[LG_BINDING_A_IFINDEX]);
	n.duid = nla_data(tb[LG_BINDING_A_CLIENT_DUID]);
	n.duid_len = nla_len(tb[LG_BINDING_A_CLIENT_DUID]);
	n.ia_type = nla_get_u32(tb[LG_BINDING_A_IA_TYPE]);
	n.iaid = nla_get_u32(tb[LG_BINDING_A_IAID]);
	n.client_lladdr = nla_data(tb[LG_BINDING_A_CLIENT_LLADDR]);
	if ((ipv6_addr_type(n.client_lladdr) &
	     (IPV6_ADDR_LINKLOCAL | IPV6_ADDR_UNICAST)) !=
	    (IPV6_ADDR_LINKLOCAL | IPV6_ADDR_UNICAST)) {
		NL_SET_ERR_MSG_ATTR(extack, tb[LG_BINDING_A_CLIENT_LLADDR],
				    "the client's address is a link-local unicast one");
		return -EINVAL;
	}
	if (tb[LG_BINDING_A_CLIENT_MAC]) {
		n.mac = nla_data(tb[LG_BINDING_A_CLIENT_MAC]);
		if (!is_valid_ether_addr(n.mac)) {
			NL_SET_ERR_MSG_ATTR(extack, tb[LG_BINDING_A_CLIENT_MAC],
					    "the client's MAC is a unicast one");
			return -EINVAL;
		}
	}
	n.server_addr = nla_data(tb[LG_BINDING_A_SERVER_ADDR]);
	if (ipv6_addr_any(n.server_addr) ||
	    ipv6_addr_is_multicast(n.server_addr)) {
		NL_SET_ERR_MSG_ATTR(extack, tb[LG_BINDING_A_SERVER_ADDR],
				    "the server's address is a unicast one");
		return -EINVAL;
	}
	if (tb[LG_BINDING_A_SERVER_DUID]) {
		n.server_duid = nla_data(tb[LG_BINDING_A_SERVER_DUID]);
		n.server_duid_len = nla_len(tb[LG_BINDING_A_SERVER_DUID]);
	}
	if (tb[LG_BINDING_A_INTERFACE_ID]) {
		n.ifid = nla_data(tb[LG_BINDING_A_INTERFACE_ID]);
		n.ifid_len = nla_len(tb[LG_BINDING_A_INTERFACE_ID]);
	}
	err = lg_nl_binding_created(tb[LG_BINDING_A_CREATED], &n.created,
				    extack);
	if (err)
		return err;
	/* The policy checked the range; a time a little ahead is a partner's. */
	n.replied = tb[LG_BINDING_A_REPLIED] ?
		    nla_get_u64(tb[LG_BINDING_A_REPLIED]) : lg_now_real_ms();
	n.origin = tb[LG_BINDING_A_ORIGIN] ?
		   nla_get_u32(tb[LG_BINDING_A_ORIGIN]) :
		   LG_BINDING_ORIGIN_RESTORED;
	n.replace = nla_get_flag(tb[LG_BINDING_A_REPLACE]);
	err = lg_nl_binding_new_leases(nest, &n, lease_attrs, extack);
	if (err)
		return err;

	/* Only NLM_F_ECHO asks for the binding back: a restore needs the ACK. */
	if (info->nlhdr->nlmsg_flags & NLM_F_ECHO) {
		msg = genlmsg_new(lg_nl_binding_new_size(&n), GFP_KERNEL);
		if (!msg) {
			NL_SET_ERR_MSG_MOD(extack, "no memory for the reply");
			return -ENOMEM;
		}
	}
	err = lg_binding_new(ln, &n, msg, info->snd_portid, info->snd_seq);
	switch (err) {
	case 0:
		return msg ? genlmsg_reply(msg, info) : 0;
	case -ENODEV:
		NL_SET_ERR_MSG_ATTR(extack, tb[LG_BINDING_A_IFINDEX],
				    "not an access interface");
		break;
	case -EEXIST:
		NL_SET_ERR_MSG_MOD(extack,
				   "the interface has a binding of this IA (replace it?)");
		break;
	case -EADDRINUSE:
		NL_SET_ERR_MSG_ATTR(extack, lease_attrs[n.bad_lease],
				    "another binding on the interface holds this lease");
		break;
	case -ENOSPC:
		NL_SET_ERR_MSG_MOD(extack, "binding limit reached");
		break;
	case -ENOMEM:
		NL_SET_ERR_MSG_MOD(extack, "no memory for the binding");
		break;
	default:
		NL_SET_ERR_MSG_MOD(extack, "the binding is made but cannot be told");
		break;
	}
	nlmsg_free(msg);
	return err;
}

static int lg_nl_savi_fill(struct sk_buff *skb, struct lg_net *ln,
			   const struct lg_savi_entry *e, u32 portid, u32 seq,
			   struct netlink_callback *cb)
{
	struct net_device *dev;
	struct nlattr *nest;
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &lg_genl_family, NLM_F_MULTI,
			  LG_CMD_SAVI_GET);
	if (!hdr)
		return -EMSGSIZE;
	genl_dump_check_consistent(cb, hdr);

	dev = dev_get_by_index_rcu(ln->net, e->key.ifindex);
	nest = nla_nest_start(skb, LG_A_SAVI);
	if (!nest ||
	    nla_put_u32(skb, LG_SAVI_A_IFINDEX, e->key.ifindex) ||
	    (dev && nla_put_string(skb, LG_SAVI_A_IFNAME, dev->name)) ||
	    nla_put_in6_addr(skb, LG_SAVI_A_ADDR, &e->key.prefix) ||
	    nla_put_u32(skb, LG_SAVI_A_PLEN, e->key.plen) ||
	    (e->key.plen < LG_SAVI_WIDE_PLEN &&
	     nla_put_flag(skb, LG_SAVI_A_WIDE))) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	return 0;
}

/* cb->args[0]: ifindex to resume from; [1]: entries of it already sent. */
static int lg_nl_savi_get_dumpit(struct sk_buff *skb,
				 struct netlink_callback *cb)
{
	const struct genl_dumpit_info *info = genl_dumpit_info(cb);
	struct lg_net *ln = lg_net(sock_net(skb->sk));
	struct nlattr *tb[LG_SAVI_A_MAX + 1] = {};
	struct lg_savi_entry *e;
	unsigned long index;
	struct lg_link *link;
	long skip;
	int err;

	err = lg_nl_dump_check(cb);
	if (err)
		return err;
	if (info->attrs[LG_A_SAVI]) {
		err = nla_parse_nested(tb, LG_SAVI_A_MAX,
				       info->attrs[LG_A_SAVI],
				       lg_savi_dump_policy, cb->extack);
		if (err)
			return err;
	}

	rcu_read_lock();
	cb->seq = READ_ONCE(ln->links_gen);
	xa_for_each_start(&ln->links, index, link, cb->args[0]) {
		if (tb[LG_SAVI_A_IFINDEX] &&
		    index != nla_get_u32(tb[LG_SAVI_A_IFINDEX]))
			continue;
		if (index != cb->args[0]) {
			cb->args[0] = index;
			cb->args[1] = 0;
		}
		skip = cb->args[1];
		list_for_each_entry_rcu(e, &link->statics, list) {
			if (skip-- > 0)
				continue;
			err = lg_nl_savi_fill(skb, ln, e,
					      NETLINK_CB(cb->skb).portid,
					      cb->nlh->nlmsg_seq, cb);
			if (err)
				goto out;
			cb->args[1]++;
		}
	}
	cb->args[0] = ULONG_MAX;
out:
	rcu_read_unlock();
	return lg_nl_dump_ret(skb, err);
}

/* Parses LG_A_SAVI of an add or del; returns the access link, RTNL held. */
static struct lg_link *lg_nl_savi_parse(struct genl_info *info,
					struct nlattr **tb)
{
	struct lg_net *ln = lg_net(genl_info_net(info));
	struct net_device *dev;
	struct lg_link *link;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, LG_A_SAVI))
		return ERR_PTR(-EINVAL);
	err = nla_parse_nested(tb, LG_SAVI_A_MAX, info->attrs[LG_A_SAVI],
			       lg_savi_policy, info->extack);
	if (err)
		return ERR_PTR(err);
	if (NL_REQ_ATTR_CHECK(info->extack, info->attrs[LG_A_SAVI], tb,
			      LG_SAVI_A_IFINDEX) ||
	    NL_REQ_ATTR_CHECK(info->extack, info->attrs[LG_A_SAVI], tb,
			      LG_SAVI_A_ADDR) ||
	    NL_REQ_ATTR_CHECK(info->extack, info->attrs[LG_A_SAVI], tb,
			      LG_SAVI_A_PLEN)) {
		NL_SET_ERR_MSG_MOD(info->extack,
				   "an entry needs interface, address and length");
		return ERR_PTR(-EINVAL);
	}

	dev = __dev_get_by_index(ln->net, nla_get_u32(tb[LG_SAVI_A_IFINDEX]));
	if (!dev) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[LG_SAVI_A_IFINDEX],
				    "no such interface");
		return ERR_PTR(-ENODEV);
	}
	link = xa_load(&ln->links, dev->ifindex);
	if (!link || link->role != LG_ROLE_ACCESS) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[LG_SAVI_A_IFINDEX],
				    "not an access interface");
		return ERR_PTR(-EOPNOTSUPP);
	}
	return link;
}

static int lg_nl_savi_change(struct genl_info *info, bool add)
{
	struct lg_net *ln = lg_net(genl_info_net(info));
	struct nlattr *tb[LG_SAVI_A_MAX + 1];
	const struct in6_addr *prefix;
	struct lg_link *link;
	u8 plen;
	int err;

	rtnl_lock();
	link = lg_nl_savi_parse(info, tb);
	if (IS_ERR(link)) {
		err = PTR_ERR(link);
		goto out;
	}
	prefix = nla_data(tb[LG_SAVI_A_ADDR]);
	plen = nla_get_u32(tb[LG_SAVI_A_PLEN]);
	if (!add && tb[LG_SAVI_A_WIDE]) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[LG_SAVI_A_WIDE],
				    "only an add takes the wide flag");
		err = -EINVAL;
		goto out;
	}
	err = add ? lg_savi_add(ln, link, prefix, plen,
				nla_get_flag(tb[LG_SAVI_A_WIDE]),
				info->extack) :
		    lg_savi_del(ln, link, prefix, plen, info->extack);
	if (!err) {
		WRITE_ONCE(ln->links_gen, ln->links_gen + 1);
		lg_nl_notify_link(ln, link,
				  __dev_get_by_index(ln->net, link->ifindex),
				  LG_CMD_LINK_NTF);
	}
out:
	rtnl_unlock();
	return err;
}

static int lg_nl_savi_add_doit(struct sk_buff *skb, struct genl_info *info)
{
	return lg_nl_savi_change(info, true);
}

static int lg_nl_savi_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	return lg_nl_savi_change(info, false);
}

static const struct genl_ops lg_genl_ops[] = {
	{
		.cmd		= LG_CMD_LINK_GET,
		.doit		= lg_nl_link_get_doit,
		.dumpit		= lg_nl_link_get_dumpit,
		.policy		= lg_cmd_link_get_policy,
		.maxattr	= LG_A_MAX,
	},
	{
		.cmd		= LG_CMD_LINK_SET,
		.doit		= lg_nl_link_set_doit,
		.policy		= lg_cmd_link_set_policy,
		.maxattr	= LG_A_MAX,
		.flags		= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd		= LG_CMD_STATS_GET,
		.doit		= lg_nl_stats_get_doit,
		.policy		= lg_cmd_no_attrs_policy,
		.maxattr	= LG_A_MAX,
	},
	{
		.cmd		= LG_CMD_CONFIG_GET,
		.doit		= lg_nl_config_get_doit,
		.policy		= lg_cmd_no_attrs_policy,
		.maxattr	= LG_A_MAX,
	},
	{
		.cmd		= LG_CMD_CONFIG_SET,
		.doit		= lg_nl_config_set_doit,
		.policy		= lg_cmd_config_set_policy,
		.maxattr	= LG_A_MAX,
		.flags		= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd		= LG_CMD_BINDING_GET,
		.doit		= lg_nl_binding_get_doit,
		.dumpit		= lg_nl_binding_get_dumpit,
		.policy		= lg_cmd_binding_get_policy,
		.maxattr	= LG_A_MAX,
		.flags		= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd		= LG_CMD_BINDING_DEL,
		.doit		= lg_nl_binding_del_doit,
		.policy		= lg_cmd_binding_del_policy,
		.maxattr	= LG_A_MAX,
		.flags		= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd		= LG_CMD_BINDING_RELEASE,
		.doit		= lg_nl_binding_release_doit,
		.policy		= lg_cmd_binding_release_policy,
		.maxattr	= LG_A_MAX,
		.flags		= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd		= LG_CMD_BINDING_MOVE,
		.doit		= lg_nl_binding_move_doit,
		.policy		= lg_cmd_binding_move_policy,
		.maxattr	= LG_A_MAX,
		.flags		= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd		= LG_CMD_BINDING_NEW,
		.doit		= lg_nl_binding_new_doit,
		.policy		= lg_cmd_binding_new_policy,
		.maxattr	= LG_A_MAX,
		.flags		= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd		= LG_CMD_SAVI_GET,
		.dumpit		= lg_nl_savi_get_dumpit,
		.policy		= lg_cmd_savi_dump_policy,
		.maxattr	= LG_A_MAX,
		.flags		= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd		= LG_CMD_SAVI_ADD,
		.doit		= lg_nl_savi_add_doit,
		.policy		= lg_cmd_savi_policy,
		.maxattr	= LG_A_MAX,
		.flags		= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd		= LG_CMD_SAVI_DEL,
		.doit		= lg_nl_savi_del_doit,
		.policy		= lg_cmd_savi_policy,
		.maxattr	= LG_A_MAX,
		.flags		= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd		= LG_CMD_MCAST_GET,
		.doit		= lg_nl_mcast_get_doit,
		.dumpit		= lg_nl_mcast_get_dump_checked,
		.policy		= lg_cmd_mcast_get_policy,
		.maxattr	= LG_A_MAX,
	},
	{
		.cmd		= LG_CMD_MCAST_SET,
		.doit		= lg_nl_mcast_set_doit,
		.policy		= lg_cmd_mcast_set_policy,
		.maxattr	= LG_A_MAX,
		.flags		= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd		= LG_CMD_MC_GROUP_GET,
		.start		= lg_nl_mc_group_dump_start,
		.doit		= lg_nl_mc_group_get_doit,
		.dumpit		= lg_nl_mc_group_get_dump_checked,
		.policy		= lg_cmd_mc_group_get_policy,
		.maxattr	= LG_A_MAX,
		.flags		= GENL_UNS_ADMIN_PERM,
	},
};

struct genl_family lg_genl_family __ro_after_init = {
	.name		= LEASEGUARD_GENL_NAME,
	.version	= LEASEGUARD_GENL_VERSION,
	.netnsok	= true,
	.parallel_ops	= true,
	.pre_doit	= lg_nl_pre_doit,
	.post_doit	= lg_nl_post_doit,
	.module		= THIS_MODULE,
	.ops		= lg_genl_ops,
	.n_ops		= ARRAY_SIZE(lg_genl_ops),
	.mcgrps		= lg_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(lg_mcgrps),
};

int __init lg_genl_register(void)
{
	int err = genl_register_family(&lg_genl_family);

	if (!err)
		WRITE_ONCE(lg_nl_live, true);
	return err;
}

/*
 * The group IDs are free for another family once ours is gone: the
 * notifiers that raced with the flag must be done first. Those of the
 * configuration run under RTNL, the others with BHs off (RCU readers),
 * and doits hold genetlink's cb_lock, which unregistering waits for.
 */
void lg_genl_unregister(void)
{
	rtnl_lock();
	WRITE_ONCE(lg_nl_live, false);
	rtnl_unlock();
	synchronize_rcu();
	genl_unregister_family(&lg_genl_family);
}
