// SPDX-License-Identifier: GPL-2.0
/*
 * The generic netlink family "leaseguard": see uapi/linux/leaseguard.h.
 */
#include <linux/rtnetlink.h>
#include <net/genetlink.h>
#include <net/sock.h>

#include "leaseguard.h"

static struct genl_family lg_genl_family;

enum lg_mcgrp {
	LG_MCGRP_CONFIG,
};

static const struct genl_multicast_group lg_mcgrps[] = {
	[LG_MCGRP_CONFIG] = { .name = LEASEGUARD_MCGRP_CONFIG },
};

/*
 * One policy per command and nest: an attribute a command does not take is
 * NLA_UNSPEC here, which strict validation rejects as unsupported.
 */
static const struct nla_policy lg_link_get_policy[LG_LINK_A_MAX + 1] = {
	[LG_LINK_A_IFINDEX]	= NLA_POLICY_MIN(NLA_U32, 1),
};

static const struct nla_policy lg_link_set_policy[LG_LINK_A_MAX + 1] = {
	[LG_LINK_A_IFINDEX]	= NLA_POLICY_MIN(NLA_U32, 1),
	[LG_LINK_A_ROLE]	= NLA_POLICY_MAX(NLA_U32, LG_ROLE_MAX),
};

static const struct nla_policy lg_cmd_link_get_policy[LG_A_MAX + 1] = {
	[LG_A_LINK]		= NLA_POLICY_NESTED(lg_link_get_policy),
};

static const struct nla_policy lg_cmd_link_set_policy[LG_A_MAX + 1] = {
	[LG_A_LINK]		= NLA_POLICY_NESTED(lg_link_set_policy),
};

/* LG_CMD_STATS_GET takes no attributes: every one is unsupported. */
static const struct nla_policy lg_cmd_stats_get_policy[LG_A_MAX + 1] = {};

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

/* Multicasts @cmd about @link, if anybody listens. */
void lg_nl_notify_link(struct lg_net *ln, const struct lg_link *link,
		       const struct net_device *dev, u8 cmd)
{
	struct sk_buff *skb;

	if (!genl_has_listeners(&lg_genl_family, ln->net, LG_MCGRP_CONFIG))
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

/* cb->args[0]: the ifindex to resume from. */
static int lg_nl_link_get_dumpit(struct sk_buff *skb,
				 struct netlink_callback *cb)
{
	struct net *net = sock_net(skb->sk);
	struct lg_net *ln = lg_net(net);
	unsigned long index;
	struct lg_link *link;
	int err = 0;

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

	/* A full skb ends this round; the next one resumes at the cursor. */
	if (err == -EMSGSIZE && skb->len)
		return skb->len;
	return err ?: skb->len;
}

static int lg_nl_link_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct lg_net *ln = lg_net(genl_info_net(info));
	struct nlattr *tb[LG_LINK_A_MAX + 1];
	struct lg_link_cfg cfg = {};
	struct net_device *dev;
	int err;

	err = lg_nl_parse_link(info, lg_link_set_policy, tb);
	if (err)
		return err;
	if (tb[LG_LINK_A_ROLE]) {
		cfg.has_role = true;
		cfg.role = nla_get_u32(tb[LG_LINK_A_ROLE]);
	}

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
		.policy		= lg_cmd_stats_get_policy,
		.maxattr	= LG_A_MAX,
	},
};

static struct genl_family lg_genl_family __ro_after_init = {
	.name		= LEASEGUARD_GENL_NAME,
	.version	= LEASEGUARD_GENL_VERSION,
	.netnsok	= true,
	.parallel_ops	= true,
	.module		= THIS_MODULE,
	.ops		= lg_genl_ops,
	.n_ops		= ARRAY_SIZE(lg_genl_ops),
	.resv_start_op	= LG_CMD_STATS_GET + 1,
	.mcgrps		= lg_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(lg_mcgrps),
};

int __init lg_genl_register(void)
{
	return genl_register_family(&lg_genl_family);
}

void lg_genl_unregister(void)
{
	genl_unregister_family(&lg_genl_family);
}
