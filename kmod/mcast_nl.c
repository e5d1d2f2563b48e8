// SPDX-License-Identifier: GPL-2.0
/*
 * The IGMP/MLD proxy's part of the "leaseguard" family: configuration,
 * group dumps and notifications (uapi/linux/leaseguard.h).
 */
#include <linux/rtnetlink.h>
#include <net/genetlink.h>
#include <net/sock.h>

#include "leaseguard.h"

static struct netlink_range_validation lg_mc_groups_range __ro_after_init = {
	.min = 1,
	.max = LG_MC_MAX_GROUPS_LIMIT,
};

static struct netlink_range_validation lg_mc_sources_range __ro_after_init = {
	.min = 1,
	.max = LG_MC_MAX_SOURCES_LIMIT,
};

static struct netlink_range_validation lg_mc_ns_groups_range __ro_after_init = {
	.min = 1,
	.max = LG_MC_NS_MAX_GROUPS_LIMIT,
};

static struct netlink_range_validation lg_mc_ns_sources_range __ro_after_init = {
	.min = 1,
	.max = LG_MC_NS_MAX_SOURCES_LIMIT,
};

static struct netlink_range_validation lg_mc_qri_range __ro_after_init = {
	.min = 100,
	.max = 3174400,		/* IGMPv3's largest Max Resp Code */
};

static const struct nla_policy lg_mcast_policy[LG_MCAST_A_MAX + 1] = {
	[LG_MCAST_A_FAMILY]	= { .type = NLA_U8 },
	[LG_MCAST_A_ENABLE]	= NLA_POLICY_MAX(NLA_U8, 1),
	[LG_MCAST_A_UPSTREAM]	= { .type = NLA_U32 },
	[LG_MCAST_A_VERSION]	= NLA_POLICY_RANGE(NLA_U8, 1, 3),
	[LG_MCAST_A_ROBUSTNESS]	= NLA_POLICY_RANGE(NLA_U32, 1, 7),
	[LG_MCAST_A_QUERY_INTERVAL] = NLA_POLICY_RANGE(NLA_U32, 1, 31744),
	[LG_MCAST_A_QUERY_RESPONSE_INTERVAL] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &lg_mc_qri_range),
	[LG_MCAST_A_LAST_MEMBER_INTERVAL] = NLA_POLICY_RANGE(NLA_U32, 100,
							     25500),
	[LG_MCAST_A_LAST_MEMBER_COUNT] = NLA_POLICY_RANGE(NLA_U32, 1, 7),
	[LG_MCAST_A_MAX_GROUPS]	= NLA_POLICY_FULL_RANGE(NLA_U32,
							&lg_mc_groups_range),
	[LG_MCAST_A_MAX_SOURCES] = NLA_POLICY_FULL_RANGE(NLA_U32,
							 &lg_mc_sources_range),
	[LG_MCAST_A_MAX_GROUPS_HOST] = NLA_POLICY_FULL_RANGE(NLA_U32,
							     &lg_mc_groups_range),
	[LG_MCAST_A_NS_MAX_GROUPS] = NLA_POLICY_FULL_RANGE(NLA_U32,
							   &lg_mc_ns_groups_range),
	[LG_MCAST_A_NS_MAX_SOURCES] = NLA_POLICY_FULL_RANGE(NLA_U32,
							    &lg_mc_ns_sources_range),
};

static const struct nla_policy lg_mcast_get_policy[LG_MCAST_A_MAX + 1] = {
	[LG_MCAST_A_FAMILY]	= { .type = NLA_U8 },
};

static const struct nla_policy lg_mc_group_policy[LG_MC_GROUP_A_MAX + 1] = {
	[LG_MC_GROUP_A_IFINDEX]	= NLA_POLICY_MIN(NLA_U32, 1),
	[LG_MC_GROUP_A_FAMILY]	= { .type = NLA_U8 },
	[LG_MC_GROUP_A_GROUP]	= NLA_POLICY_RANGE(NLA_BINARY, 4, 16),
};

static const struct nla_policy lg_mc_group_dump_policy[LG_MC_GROUP_A_MAX + 1] = {
	[LG_MC_GROUP_A_IFINDEX]	= NLA_POLICY_MIN(NLA_U32, 1),
	[LG_MC_GROUP_A_FAMILY]	= { .type = NLA_U8 },
};

const struct nla_policy lg_cmd_mcast_set_policy[LG_A_MAX + 1] = {
	[LG_A_MCAST]		= NLA_POLICY_NESTED(lg_mcast_policy),
};

const struct nla_policy lg_cmd_mcast_get_policy[LG_A_MAX + 1] = {
	[LG_A_MCAST]		= NLA_POLICY_NESTED(lg_mcast_get_policy),
};

const struct nla_policy lg_cmd_mc_group_get_policy[LG_A_MAX + 1] = {
	[LG_A_MC_GROUP]		= NLA_POLICY_NESTED(lg_mc_group_policy),
};

const struct nla_policy lg_cmd_mc_group_dump_policy[LG_A_MAX + 1] = {
	[LG_A_MC_GROUP]		= NLA_POLICY_NESTED(lg_mc_group_dump_policy),
};

static int lg_nl_family_check(const struct nlattr *attr,
			      struct netlink_ext_ack *extack)
{
	u8 family = nla_get_u8(attr);

	if (family == AF_INET || family == AF_INET6)
		return family;
	NL_SET_ERR_MSG_ATTR(extack, attr, "family must be AF_INET or AF_INET6");
	return -EAFNOSUPPORT;
}

static int lg_nl_addr_put(struct sk_buff *skb, int type, const u8 *a)
{
	return mc_addr_is_v4(a) ? nla_put(skb, type, 4, a + 12) :
				  nla_put(skb, type, MC_ADDR_LEN, a);
}

static u32 lg_ms_left(u64 timer, u64 now)
{
	if (!timer)
		return 0;
	/* A timer that ran out but has not fired yet: 1, not "not running". */
	return timer > now ? min_t(u64, timer - now, U32_MAX) : 1;
}

size_t lg_nl_mc_group_size(unsigned int n_sources)
{
	size_t source = nla_total_size(0) + nla_total_size(MC_ADDR_LEN) +
			2 * nla_total_size(sizeof(u32)) +
			nla_total_size(sizeof(u8));

	return NLMSG_ALIGN(GENL_HDRLEN) + nla_total_size(0) +
	       nla_total_size(sizeof(u32)) +		/* IFINDEX */
	       nla_total_size(IFNAMSIZ) +
	       nla_total_size(sizeof(u8)) +		/* FAMILY */
	       nla_total_size(MC_ADDR_LEN) +
	       nla_total_size(sizeof(u32)) +		/* FILTER_MODE */
	       nla_total_size(sizeof(u8)) +		/* COMPAT */
	       3 * nla_total_size(sizeof(u32)) +	/* UP_TIME, TIMER, DEL */
	       n_sources * source;
}

/* @g's state (the mcast lock or RCU held). @reason: a deletion. */
int lg_nl_mc_group_put(struct sk_buff *skb, struct lg_net *ln,
		       const struct lg_mc_group *g, u64 now, u8 reason)
{
	const struct lg_mc_snap *snap = rcu_dereference_check(g->snap,
				lockdep_is_held(&ln->mcast.lock));
	const struct mc_state *s = &snap->s;
	struct nlattr *nest, *snest;
	struct net_device *dev;
	unsigned int i;

	nest = nla_nest_start(skb, LG_A_MC_GROUP);
	if (!nest)
		return -EMSGSIZE;
	rcu_read_lock();
	dev = dev_get_by_index_rcu(ln->net, g->key.ifindex);
	if (nla_put_u32(skb, LG_MC_GROUP_A_IFINDEX, g->key.ifindex) ||
	    (dev && nla_put_string(skb, LG_MC_GROUP_A_IFNAME, dev->name))) {
		rcu_read_unlock();
		goto err_cancel;
	}
	rcu_read_unlock();
	if (nla_put_u8(skb, LG_MC_GROUP_A_FAMILY, lg_mc_family(g)) ||
	    lg_nl_addr_put(skb, LG_MC_GROUP_A_GROUP, g->key.group))
		goto err_cancel;
	if (reason) {
		if (nla_put_u32(skb, LG_MC_GROUP_A_DEL_REASON, reason))
			goto err_cancel;
		nla_nest_end(skb, nest);
		return 0;
	}
	if (nla_put_u32(skb, LG_MC_GROUP_A_FILTER_MODE,
			s->mode == MC_MODE_EXCLUDE ? LG_MC_EXCLUDE :
						     LG_MC_INCLUDE) ||
	    nla_put_u8(skb, LG_MC_GROUP_A_COMPAT, s->compat) ||
	    nla_put_u32(skb, LG_MC_GROUP_A_UP_TIME,
			div_u64(now - s->created, 1000)) ||
	    nla_put_u32(skb, LG_MC_GROUP_A_TIMER,
			lg_ms_left(s->group_timer, now)))
		goto err_cancel;
	for (i = 0; i < s->n_sources; i++) {
		const struct mc_source *src = &s->sources[i];

		snest = nla_nest_start(skb, LG_MC_GROUP_A_SOURCE);
		if (!snest ||
		    lg_nl_addr_put(skb, LG_MC_SOURCE_A_ADDR, src->addr) ||
		    nla_put_u32(skb, LG_MC_SOURCE_A_UP_TIME,
				div_u64(now - src->created, 1000)) ||
		    nla_put_u32(skb, LG_MC_SOURCE_A_TIMER,
				lg_ms_left(src->timer, now)) ||
		    nla_put_u8(skb, LG_MC_SOURCE_A_FORWARD,
			       s->mode == MC_MODE_INCLUDE || src->timer))
			goto err_cancel;
		nla_nest_end(skb, snest);
	}
	nla_nest_end(skb, nest);
	return 0;

err_cancel:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

static int lg_nl_mc_group_fill(struct sk_buff *skb, struct lg_net *ln,
			       const struct lg_mc_group *g, u32 portid,
			       u32 seq, int flags, u8 cmd, u8 reason,
			       struct netlink_callback *cb)
{
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &lg_genl_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (cb)
		genl_dump_check_consistent(cb, hdr);
	if (lg_nl_mc_group_put(skb, ln, g, lg_mcast_now(), reason)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/* Under the mcast lock: GFP_ATOMIC. */
void lg_nl_notify_mc_group(struct lg_net *ln, const struct lg_mc_group *g,
			   u8 cmd, u8 reason)
{
	const struct lg_mc_snap *snap;
	struct sk_buff *skb;

	if (!lg_nl_has_listeners(ln, LG_MCGRP_MCAST))
		return;
	snap = rcu_dereference_protected(g->snap,
					 lockdep_is_held(&ln->mcast.lock));
	skb = genlmsg_new(lg_nl_mc_group_size(reason ? 0 : snap->s.n_sources),
			  GFP_ATOMIC);
	if (!skb)
		return;
	if (lg_nl_mc_group_fill(skb, ln, g, 0, 0, 0, cmd, reason, NULL)) {
		nlmsg_free(skb);
		return;
	}
	genlmsg_multicast_netns(&lg_genl_family, ln->net, skb, 0,
				LG_MCGRP_MCAST, GFP_ATOMIC);
}

/* Under the mcast lock: Q(G) or, with @sources, Q(G,A). */
void lg_nl_notify_mc_query(struct lg_net *ln, const struct lg_mc_group *g,
			   const struct mc_query *q, bool sources)
{
	unsigned int n = sources ? q->n_sources : 0, i;
	struct nlattr *nest, *snest;
	struct sk_buff *skb;
	void *hdr;

	if (!lg_nl_has_listeners(ln, LG_MCGRP_MCAST))
		return;
	skb = genlmsg_new(lg_nl_mc_group_size(n), GFP_ATOMIC);
	if (!skb)
		return;
	hdr = genlmsg_put(skb, 0, 0, &lg_genl_family, 0, LG_CMD_MC_QUERY_NTF);
	if (!hdr)
		goto err_free;
	nest = nla_nest_start(skb, LG_A_MC_GROUP);
	if (!nest ||
	    nla_put_u32(skb, LG_MC_GROUP_A_IFINDEX, g->key.ifindex) ||
	    nla_put_u8(skb, LG_MC_GROUP_A_FAMILY, lg_mc_family(g)) ||
	    lg_nl_addr_put(skb, LG_MC_GROUP_A_GROUP, g->key.group))
		goto err_free;
	for (i = 0; i < n; i++) {
		snest = nla_nest_start(skb, LG_MC_GROUP_A_SOURCE);
		if (!snest ||
		    lg_nl_addr_put(skb, LG_MC_SOURCE_A_ADDR, q->sources[i]))
			goto err_free;
		nla_nest_end(skb, snest);
	}
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	genlmsg_multicast_netns(&lg_genl_family, ln->net, skb, 0,
				LG_MCGRP_MCAST, GFP_ATOMIC);
	return;

err_free:
	nlmsg_free(skb);
}

static int lg_nl_mcast_fill(struct sk_buff *skb, struct lg_net *ln,
			    int family, u32 portid, u32 seq, int flags, u8 cmd)
{
	const struct lg_mc_cfg *cfg = &ln->mcast.cfg[family == AF_INET ?
						     LG_MC_IGMP : LG_MC_MLD];
	int upstream = READ_ONCE(cfg->upstream);
	struct net_device *dev;
	struct nlattr *nest;
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &lg_genl_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	nest = nla_nest_start(skb, LG_A_MCAST);
	if (!nest ||
	    nla_put_u8(skb, LG_MCAST_A_FAMILY, family) ||
	    nla_put_u8(skb, LG_MCAST_A_ENABLE, READ_ONCE(cfg->enable)) ||
	    nla_put_u32(skb, LG_MCAST_A_UPSTREAM, upstream) ||
	    nla_put_u8(skb, LG_MCAST_A_VERSION, READ_ONCE(cfg->version)) ||
	    nla_put_u32(skb, LG_MCAST_A_ROBUSTNESS,
			READ_ONCE(cfg->robustness)) ||
	    nla_put_u32(skb, LG_MCAST_A_QUERY_INTERVAL,
			READ_ONCE(cfg->query_interval)) ||
	    nla_put_u32(skb, LG_MCAST_A_QUERY_RESPONSE_INTERVAL,
			READ_ONCE(cfg->query_response_interval)) ||
	    nla_put_u32(skb, LG_MCAST_A_LAST_MEMBER_INTERVAL,
			READ_ONCE(cfg->last_member_interval)) ||
	    nla_put_u32(skb, LG_MCAST_A_LAST_MEMBER_COUNT,
			READ_ONCE(cfg->last_member_count)) ||
	    nla_put_u32(skb, LG_MCAST_A_MAX_GROUPS,
			READ_ONCE(cfg->max_groups)) ||
	    nla_put_u32(skb, LG_MCAST_A_MAX_SOURCES,
			READ_ONCE(cfg->max_sources)) ||
	    nla_put_u32(skb, LG_MCAST_A_GROUPS,
			READ_ONCE(ln->mcast.n_groups[family == AF_INET ?
						     LG_MC_IGMP : LG_MC_MLD])) ||
	    nla_put_u32(skb, LG_MCAST_A_MAX_GROUPS_HOST,
			READ_ONCE(cfg->max_groups_host)) ||
	    nla_put_u32(skb, LG_MCAST_A_NS_MAX_GROUPS,
			READ_ONCE(cfg->ns_max_groups)) ||
	    nla_put_u32(skb, LG_MCAST_A_NS_MAX_SOURCES,
			READ_ONCE(cfg->ns_max_sources)) ||
	    nla_put_u32(skb, LG_MCAST_A_SOURCES,
			READ_ONCE(ln->mcast.n_sources[family == AF_INET ?
						      LG_MC_IGMP : LG_MC_MLD])))
		goto err_cancel;
	if (upstream) {
		rcu_read_lock();
		dev = dev_get_by_index_rcu(ln->net, upstream);
		if (dev && nla_put_string(skb, LG_MCAST_A_UPSTREAM_NAME,
					  dev->name)) {
			rcu_read_unlock();
			goto err_cancel;
		}
		rcu_read_unlock();
	}
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	return 0;

err_cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

void lg_nl_notify_mcast(struct lg_net *ln, int family)
{
	struct sk_buff *skb;

	if (!lg_nl_has_listeners(ln, LG_MCGRP_CONFIG))
		return;
	skb = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!skb)
		return;
	if (lg_nl_mcast_fill(skb, ln, family, 0, 0, 0, LG_CMD_MCAST_NTF)) {
		nlmsg_free(skb);
		return;
	}
	genlmsg_multicast_netns(&lg_genl_family, ln->net, skb, 0,
				LG_MCGRP_CONFIG, GFP_KERNEL);
}

int lg_nl_mcast_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct lg_net *ln = lg_net(genl_info_net(info));
	struct nlattr *tb[LG_MCAST_A_MAX + 1];
	struct sk_buff *msg;
	int family, err;

	if (GENL_REQ_ATTR_CHECK(info, LG_A_MCAST))
		return -EINVAL;
	err = nla_parse_nested(tb, LG_MCAST_A_MAX, info->attrs[LG_A_MCAST],
			       lg_mcast_get_policy, info->extack);
	if (err)
		return err;
	if (NL_REQ_ATTR_CHECK(info->extack, info->attrs[LG_A_MCAST], tb,
			      LG_MCAST_A_FAMILY))
		return -EINVAL;
	family = lg_nl_family_check(tb[LG_MCAST_A_FAMILY], info->extack);
	if (family < 0)
		return family;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	err = lg_nl_mcast_fill(msg, ln, family, info->snd_portid,
			       info->snd_seq, 0, LG_CMD_MCAST_GET);
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

/* cb->args[0]: families done. */
int lg_nl_mcast_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	static const int families[] = { AF_INET, AF_INET6 };
	struct lg_net *ln = lg_net(sock_net(skb->sk));

	for (; cb->args[0] < ARRAY_SIZE(families); cb->args[0]++) {
		if (lg_nl_mcast_fill(skb, ln, families[cb->args[0]],
				     NETLINK_CB(cb->skb).portid,
				     cb->nlh->nlmsg_seq, NLM_F_MULTI,
				     LG_CMD_MCAST_GET))
			break;
	}
	return skb->len;
}

static void lg_mc_cfg_update(struct lg_mc_cfg *cfg, struct nlattr **tb)
{
	if (tb[LG_MCAST_A_ENABLE])
		cfg->enable = nla_get_u8(tb[LG_MCAST_A_ENABLE]);
	if (tb[LG_MCAST_A_UPSTREAM])
		cfg->upstream = nla_get_u32(tb[LG_MCAST_A_UPSTREAM]);
	if (tb[LG_MCAST_A_VERSION])
		cfg->version = nla_get_u8(tb[LG_MCAST_A_VERSION]);
	if (tb[LG_MCAST_A_ROBUSTNESS])
		cfg->robustness = nla_get_u32(tb[LG_MCAST_A_ROBUSTNESS]);
	if (tb[LG_MCAST_A_QUERY_INTERVAL])
		cfg->query_interval =
			nla_get_u32(tb[LG_MCAST_A_QUERY_INTERVAL]);
	if (tb[LG_MCAST_A_QUERY_RESPONSE_INTERVAL])
		cfg->query_response_interval =
			nla_get_u32(tb[LG_MCAST_A_QUERY_RESPONSE_INTERVAL]);
	if (tb[LG_MCAST_A_LAST_MEMBER_INTERVAL])
		cfg->last_member_interval =
			nla_get_u32(tb[LG_MCAST_A_LAST_MEMBER_INTERVAL]);
	if (tb[LG_MCAST_A_LAST_MEMBER_COUNT])
		cfg->last_member_count =
			nla_get_u32(tb[LG_MCAST_A_LAST_MEMBER_COUNT]);
	if (tb[LG_MCAST_A_MAX_GROUPS])
		cfg->max_groups = nla_get_u32(tb[LG_MCAST_A_MAX_GROUPS]);
	if (tb[LG_MCAST_A_MAX_SOURCES])
		cfg->max_sources = nla_get_u32(tb[LG_MCAST_A_MAX_SOURCES]);
	if (tb[LG_MCAST_A_MAX_GROUPS_HOST])
		cfg->max_groups_host =
			nla_get_u32(tb[LG_MCAST_A_MAX_GROUPS_HOST]);
	if (tb[LG_MCAST_A_NS_MAX_GROUPS])
		cfg->ns_max_groups = nla_get_u32(tb[LG_MCAST_A_NS_MAX_GROUPS]);
	if (tb[LG_MCAST_A_NS_MAX_SOURCES])
		cfg->ns_max_sources =
			nla_get_u32(tb[LG_MCAST_A_NS_MAX_SOURCES]);
}

int lg_nl_mcast_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct lg_net *ln = lg_net(genl_info_net(info));
	struct netlink_ext_ack *extack = info->extack;
	struct nlattr *tb[LG_MCAST_A_MAX + 1];
	struct lg_mc_cfg cfg;
	struct lg_link *link;
	int family, err;

	if (GENL_REQ_ATTR_CHECK(info, LG_A_MCAST))
		return -EINVAL;
	err = nla_parse_nested(tb, LG_MCAST_A_MAX, info->attrs[LG_A_MCAST],
			       lg_mcast_policy, extack);
	if (err)
		return err;
	if (NL_REQ_ATTR_CHECK(extack, info->attrs[LG_A_MCAST], tb,
			      LG_MCAST_A_FAMILY))
		return -EINVAL;
	family = lg_nl_family_check(tb[LG_MCAST_A_FAMILY], extack);
	if (family < 0)
		return family;
	if (family == AF_INET6 && tb[LG_MCAST_A_VERSION] &&
	    nla_get_u8(tb[LG_MCAST_A_VERSION]) > 2) {
		NL_SET_ERR_MSG_ATTR(extack, tb[LG_MCAST_A_VERSION],
				    "MLD has versions 1 and 2");
		return -ERANGE;
	}

	rtnl_lock();
	cfg = ln->mcast.cfg[family == AF_INET ? LG_MC_IGMP : LG_MC_MLD];
	lg_mc_cfg_update(&cfg, tb);
	err = -EINVAL;
	if (cfg.query_response_interval >= cfg.query_interval * 1000) {
		NL_SET_ERR_MSG_MOD(extack,
				   "the query response interval must be less than the query interval");
		goto out;
	}
	if (tb[LG_MCAST_A_UPSTREAM] && cfg.upstream) {
		if (!__dev_get_by_index(ln->net, cfg.upstream)) {
			NL_SET_ERR_MSG_ATTR(extack, tb[LG_MCAST_A_UPSTREAM],
					    "no such interface");
			err = -ENODEV;
			goto out;
		}
		link = xa_load(&ln->links, cfg.upstream);
		if (link && link->role == LG_ROLE_ACCESS) {
			NL_SET_ERR_MSG_ATTR(extack, tb[LG_MCAST_A_UPSTREAM],
					    "an access interface cannot be upstream");
			goto out;
		}
	}
	err = lg_mcast_set(ln, family, &cfg, extack);
out:
	rtnl_unlock();
	return err;
}

static int lg_nl_mc_group_parse(struct nlattr *attr, struct nlattr **tb,
				const struct nla_policy *policy,
				struct netlink_ext_ack *extack)
{
	int err;

	err = nla_parse_nested(tb, LG_MC_GROUP_A_MAX, attr, policy, extack);
	if (err)
		return err;
	if (tb[LG_MC_GROUP_A_FAMILY]) {
		err = lg_nl_family_check(tb[LG_MC_GROUP_A_FAMILY], extack);
		if (err < 0)
			return err;
	}
	return 0;
}

int lg_nl_mc_group_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct lg_net *ln = lg_net(genl_info_net(info));
	struct netlink_ext_ack *extack = info->extack;
	struct nlattr *tb[LG_MC_GROUP_A_MAX + 1];
	struct nlattr *nest = info->attrs[LG_A_MC_GROUP];
	const struct lg_mc_group *g;
	u8 group[MC_ADDR_LEN];
	struct sk_buff *msg;
	int err, len;

	if (GENL_REQ_ATTR_CHECK(info, LG_A_MC_GROUP))
		return -EINVAL;
	err = lg_nl_mc_group_parse(nest, tb, lg_mc_group_policy, extack);
	if (err)
		return err;
	if (NL_REQ_ATTR_CHECK(extack, nest, tb, LG_MC_GROUP_A_IFINDEX) ||
	    NL_REQ_ATTR_CHECK(extack, nest, tb, LG_MC_GROUP_A_FAMILY) ||
	    NL_REQ_ATTR_CHECK(extack, nest, tb, LG_MC_GROUP_A_GROUP))
		return -EINVAL;
	len = nla_len(tb[LG_MC_GROUP_A_GROUP]);
	if (len != (nla_get_u8(tb[LG_MC_GROUP_A_FAMILY]) == AF_INET ? 4 : 16)) {
		NL_SET_ERR_MSG_ATTR(extack, tb[LG_MC_GROUP_A_GROUP],
				    "the group's length is not its family's");
		return -EINVAL;
	}
	if (len == 4)
		mc_addr_from_v4(group, nla_data(tb[LG_MC_GROUP_A_GROUP]));
	else
		memcpy(group, nla_data(tb[LG_MC_GROUP_A_GROUP]), MC_ADDR_LEN);

	msg = genlmsg_new(lg_nl_mc_group_size(LG_MC_MAX_SOURCES_LIMIT),
			  GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	spin_lock_bh(&ln->mcast.lock);
	g = lg_mcast_lookup(ln, nla_get_u32(tb[LG_MC_GROUP_A_IFINDEX]), group);
	/* An IPv4-mapped IPv6 address is IGMP's key, not an MLD group. */
	if (g && lg_mc_family(g) != nla_get_u8(tb[LG_MC_GROUP_A_FAMILY]))
		g = NULL;
	err = g ? lg_nl_mc_group_fill(msg, ln, g, info->snd_portid,
				      info->snd_seq, 0, LG_CMD_MC_GROUP_GET,
				      0, NULL) : -ENOENT;
	spin_unlock_bh(&ln->mcast.lock);
	if (err) {
		if (err == -ENOENT)
			NL_SET_ERR_MSG_MOD(extack, "no such group there");
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

/* Room for the biggest group in each skb of the dump. */
int lg_nl_mc_group_dump_start(struct netlink_callback *cb)
{
	cb->min_dump_alloc = lg_nl_mc_group_size(LG_MC_MAX_SOURCES_LIMIT) +
			     NLMSG_HDRLEN;
	return 0;
}

/* Where a group dump is, in cb->ctx. */
struct lg_mc_dump_ctx {
	u8 state;		/* LG_MC_DUMP_* */
	u8 family;		/* the filter's, 0: both */
	int ifindex;		/* the filter's, 0: all */
	struct lg_mc_key key;	/* the last group put */
};

enum { LG_MC_DUMP_START, LG_MC_DUMP_RESUME, LG_MC_DUMP_DONE };

static_assert(sizeof(struct lg_mc_dump_ctx) <=
	      sizeof_field(struct netlink_callback, ctx));

int lg_nl_mc_group_get_dumpit(struct sk_buff *skb,
			      struct netlink_callback *cb)
{
	struct lg_mc_dump_ctx *ctx = (struct lg_mc_dump_ctx *)cb->ctx;
	struct lg_net *ln = lg_net(sock_net(skb->sk));
	const struct genl_dumpit_info *info = genl_dumpit_info(cb);
	struct nlattr *tb[LG_MC_GROUP_A_MAX + 1];
	struct lg_mc_key key = {};
	struct lg_mc_group *g;
	int err = 0;

	if (ctx->state == LG_MC_DUMP_DONE)
		return 0;
	if (ctx->state == LG_MC_DUMP_START && info->attrs[LG_A_MC_GROUP]) {
		err = lg_nl_mc_group_parse(info->attrs[LG_A_MC_GROUP], tb,
					   lg_mc_group_dump_policy,
					   cb->extack);
		if (err)
			return err;
		if (tb[LG_MC_GROUP_A_IFINDEX])
			ctx->ifindex = nla_get_u32(tb[LG_MC_GROUP_A_IFINDEX]);
		if (tb[LG_MC_GROUP_A_FAMILY])
			ctx->family = nla_get_u8(tb[LG_MC_GROUP_A_FAMILY]);
	}
	if (ctx->state == LG_MC_DUMP_RESUME)
		key = ctx->key;
	else
		key.ifindex = ctx->ifindex;

	spin_lock_bh(&ln->mcast.lock);
	cb->seq = ln->mcast.gen;
	g = lg_mcast_first_after(ln, &key, ctx->state == LG_MC_DUMP_START);
	for (; g; g = rb_entry_safe(rb_next(&g->rb), struct lg_mc_group, rb)) {
		if (ctx->ifindex && g->key.ifindex != ctx->ifindex)
			break;
		if (ctx->family && lg_mc_family(g) != ctx->family)
			continue;
		err = lg_nl_mc_group_fill(skb, ln, g,
					  NETLINK_CB(cb->skb).portid,
					  cb->nlh->nlmsg_seq, NLM_F_MULTI,
					  LG_CMD_MC_GROUP_GET, 0, cb);
		if (err)
			break;
		ctx->state = LG_MC_DUMP_RESUME;
		ctx->key = g->key;
	}
	spin_unlock_bh(&ln->mcast.lock);
	if (!err)
		ctx->state = LG_MC_DUMP_DONE;
	return lg_nl_dump_ret(skb, err);
}
