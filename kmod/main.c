// SPDX-License-Identifier: GPL-2.0
/*
 * leaseguard: DHCPv6 lease snooping, source-address validation and
 * IGMP/MLD proxy state for an IPv6 access router.
 */
#include <linux/module.h>
#include <linux/rtnetlink.h>
#include <net/genetlink.h>

#include "leaseguard.h"

unsigned int lg_net_id __read_mostly;

static int __net_init lg_net_init(struct net *net)
{
	struct lg_net *ln = lg_net(net);
	int err;

	ln->net = net;
	xa_init(&ln->links);
	ln->links_gen = 1;	/* 0 would disable the dump consistency check */
	ln->counters = lg_counters_alloc(__LG_STATS_A_MAX, GFP_KERNEL_ACCOUNT);
	if (!ln->counters)
		return -ENOMEM;

	err = lg_bindings_init(ln);
	if (err)
		goto err_free_counters;

	err = lg_savi_init(ln);
	if (err)
		goto err_destroy_bindings;

	err = lg_mcast_init(ln);
	if (err)
		goto err_destroy_savi;

	err = lg_hooks_register(net);
	if (err)
		goto err_destroy_mcast;
	return 0;

err_destroy_mcast:
	lg_mcast_destroy(ln);
err_destroy_savi:
	lg_savi_destroy(ln);
err_destroy_bindings:
	lg_bindings_destroy(ln);
err_free_counters:
	lg_counters_free(ln->counters);
	return err;
}

/*
 * The memory cgroup that pays for what packets make @ln keep: that of
 * whoever first gives one of its interfaces a role, as packets make
 * nothing before. Not the namespace's creator: the namespaces that exist
 * at insmod are all initialised in insmod's task (for unshare -Urn the two
 * are the same user anyway). The initial namespace is the host's and
 * charges nobody: its administrator may configure it from a short-lived
 * unit, whose cgroup we would pin till unload. Called with RTNL held, from
 * a netlink request, so in the caller's task.
 */
void lg_net_set_memcg(struct lg_net *ln)
{
	ASSERT_RTNL();
	if (ln->memcg || net_eq(ln->net, &init_net))
		return;
	/* Before the first link is published; a racing packet goes uncharged. */
	WRITE_ONCE(ln->memcg, get_mem_cgroup_from_mm(current->mm));
}

static void __net_exit lg_net_exit(struct net *net)
{
	struct lg_net *ln = lg_net(net);

	/* Unregistering the hooks waits for the packets inside them. */
	lg_hooks_unregister(net);
	lg_mcast_destroy(ln);
	lg_bindings_destroy(ln);
	lg_links_flush(ln);
	lg_savi_destroy(ln);
	lg_counters_free(ln->counters);
	/* Nothing charges it now; what it paid for uncharges by itself. */
	mem_cgroup_put(ln->memcg);
}

static struct pernet_operations lg_net_ops = {
	.init	= lg_net_init,
	.exit	= lg_net_exit,
	.id	= &lg_net_id,
	.size	= sizeof(struct lg_net),
};

static int __init lg_init(void)
{
	int err;

	lg_fault_init();
	err = lg_snoop_init();
	if (err)
		goto err_fault_exit;

	err = lg_mcast_module_init();
	if (err)
		goto err_snoop_exit;

	err = register_pernet_subsys(&lg_net_ops);
	if (err)
		goto err_mcast_exit;

	err = lg_link_notifier_register();
	if (err)
		goto err_unregister_pernet;

	err = lg_genl_register();
	if (err)
		goto err_unregister_notifier;

	pr_info("loaded\n");
	return 0;

err_unregister_notifier:
	lg_link_notifier_unregister();
err_unregister_pernet:
	unregister_pernet_subsys(&lg_net_ops);
err_mcast_exit:
	lg_mcast_module_exit();
err_snoop_exit:
	lg_snoop_exit();
err_fault_exit:
	lg_fault_exit();
	return err;
}

static void __exit lg_exit(void)
{
	lg_genl_unregister();
	lg_link_notifier_unregister();
	unregister_pernet_subsys(&lg_net_ops);
	lg_mcast_module_exit();
	lg_snoop_exit();
	/* The RCU callbacks that free links and bindings live in this module. */
	rcu_barrier();
	lg_fault_exit();
	pr_info("unloaded\n");
}

module_init(lg_init);
module_exit(lg_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("DHCPv6 snooping and source validation for IPv6 access routers");
MODULE_AUTHOR("The leaseguard developers");
MODULE_ALIAS_GENL_FAMILY(LEASEGUARD_GENL_NAME);
