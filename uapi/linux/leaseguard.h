/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * leaseguard: DHCPv6 lease snooping, source-address validation and
 * IGMP/MLD proxy state for an IPv6 access router.
 *
 * This header is the manual of the generic netlink family "leaseguard".
 *
 * Conventions
 * -----------
 * - Family name LEASEGUARD_GENL_NAME, version LEASEGUARD_GENL_VERSION.
 *   The family is per network namespace: every request acts on the
 *   namespace of the socket that sends it.
 * - Every request carries its arguments in nested attributes; every
 *   attribute of every command is validated against a per-command policy.
 *   An attribute that a command does not take is rejected (-EINVAL), and so
 *   is an unknown attribute: the kernel never ignores what you sent.
 * - Every rejection comes with an extended ACK message (NETLINK_EXT_ACK)
 *   and, where one attribute is at fault, that attribute's offset.
 * - Commands that change state need CAP_NET_ADMIN in the user namespace
 *   that owns the network namespace (GENL_UNS_ADMIN_PERM); otherwise
 *   -EPERM. Reading state needs no privilege.
 * - Dumps may be interrupted by a concurrent change: the last message then
 *   carries NLM_F_DUMP_INTR and the caller should dump again.
 * - Notifications use their own command IDs (LG_CMD_*_NTF) and go to the
 *   multicast group named in their description; they carry the same
 *   attributes as the matching GET reply.
 * - Readers must ignore attributes they do not know, so that a newer
 *   module works with an older tool. Counter nests (LG_*_STATS) hold only
 *   NLA_U64 counters, and new counters get new ids, so an older tool can
 *   print them generically; their *_PAD attribute is padding, not data.
 *
 * Commands
 * --------
 * LG_CMD_LINK_GET
 *   Read the leaseguard configuration of one interface, or of all of them.
 *
 *   Request (doit):
 *     LG_A_LINK: NLA_NESTED
 *       LG_LINK_A_IFINDEX: NLA_U32, required, > 0
 *   Reply: one LG_CMD_LINK_GET message:
 *     LG_A_LINK: NLA_NESTED
 *       LG_LINK_A_IFINDEX: NLA_U32
 *       LG_LINK_A_IFNAME:  NLA_NUL_STRING
 *       LG_LINK_A_ROLE:    NLA_U32, enum lg_role
 *       LG_LINK_A_STATS:   NLA_NESTED, the interface's counters:
 *         LG_LINK_STATS_A_*: NLA_U64 each (enum lg_link_stats_attrs)
 *   Errors: -ENODEV when the interface does not exist, -ENOENT when it
 *   exists but has no leaseguard configuration (its role is "none").
 *
 *   Dump (NLM_F_DUMP): no attributes; one message as above for every
 *   configured interface, in ascending ifindex order.
 *
 * LG_CMD_LINK_SET (GENL_UNS_ADMIN_PERM)
 *   Configure one interface. Attributes that are absent keep their value.
 *   Setting the role to LG_ROLE_NONE removes the configuration (and the
 *   interface's counters). The configuration is dropped on its own when
 *   the interface is unregistered or leaves the namespace.
 *
 *   Request:
 *     LG_A_LINK: NLA_NESTED, required
 *       LG_LINK_A_IFINDEX: NLA_U32, required, > 0
 *       LG_LINK_A_ROLE:    NLA_U32, enum lg_role, <= LG_ROLE_MAX
 *   Reply: the ACK only. Role none on an interface that has no
 *   configuration succeeds and changes nothing.
 *   Errors: -ENODEV no such interface; -EOPNOTSUPP the interface is a
 *   loopback device; -ERANGE a value out of its range; -EINVAL an
 *   attribute missing, malformed or not taken by the command.
 *   Sends LG_CMD_LINK_NTF, or LG_CMD_LINK_DEL_NTF when the role became
 *   none, if anything changed.
 *
 * LG_CMD_STATS_GET
 *   Read the namespace-wide counters.
 *
 *   Request (doit): no attributes.
 *   Reply:
 *     LG_A_STATS: NLA_NESTED
 *       LG_STATS_A_*: NLA_U64 each (enum lg_stats_attrs)
 *
 * LG_CMD_LINK_NTF (multicast group LEASEGUARD_MCGRP_CONFIG)
 *   An interface's configuration was created or changed; attributes as in
 *   the LG_CMD_LINK_GET reply.
 *
 * LG_CMD_LINK_DEL_NTF (multicast group LEASEGUARD_MCGRP_CONFIG)
 *   An interface's configuration is gone, by LG_CMD_LINK_SET with role
 *   none or because the interface went away:
 *     LG_A_LINK: NLA_NESTED
 *       LG_LINK_A_IFINDEX: NLA_U32
 *       LG_LINK_A_IFNAME:  NLA_NUL_STRING
 */
#ifndef _UAPI_LINUX_LEASEGUARD_H
#define _UAPI_LINUX_LEASEGUARD_H

#define LEASEGUARD_GENL_NAME		"leaseguard"
#define LEASEGUARD_GENL_VERSION		1

#define LEASEGUARD_MCGRP_CONFIG		"config"

enum lg_cmd {
	LG_CMD_UNSPEC,
	LG_CMD_LINK_GET,
	LG_CMD_LINK_SET,
	LG_CMD_STATS_GET,
	LG_CMD_LINK_NTF,
	LG_CMD_LINK_DEL_NTF,

	__LG_CMD_MAX
};

#define LG_CMD_MAX (__LG_CMD_MAX - 1)

/* Top-level attributes: each carries one object, nested. */
enum lg_attrs {
	LG_A_UNSPEC,
	LG_A_LINK,		/* nest, enum lg_link_attrs */
	LG_A_STATS,		/* nest, enum lg_stats_attrs */

	__LG_A_MAX
};

#define LG_A_MAX (__LG_A_MAX - 1)

/*
 * What an interface is to the access router.
 * @LG_ROLE_NONE: leaseguard leaves the interface alone.
 * @LG_ROLE_ACCESS: subscribers are behind it: DHCPv6 and IGMP/MLD are
 *	snooped here and the per-interface policies apply.
 * @LG_ROLE_UPSTREAM: towards the DHCPv6 servers and multicast sources.
 */
enum lg_role {
	LG_ROLE_NONE,
	LG_ROLE_ACCESS,
	LG_ROLE_UPSTREAM,

	__LG_ROLE_MAX
};

#define LG_ROLE_MAX (__LG_ROLE_MAX - 1)

enum lg_link_attrs {
	LG_LINK_A_UNSPEC,
	LG_LINK_A_IFINDEX,	/* u32 */
	LG_LINK_A_IFNAME,	/* string, replies only */
	LG_LINK_A_ROLE,		/* u32, enum lg_role */
	LG_LINK_A_STATS,	/* nest, enum lg_link_stats_attrs; replies only */

	__LG_LINK_A_MAX
};

#define LG_LINK_A_MAX (__LG_LINK_A_MAX - 1)

/*
 * Per-interface counters, since the interface was configured.
 * @LG_LINK_STATS_A_RX_PACKETS, @LG_LINK_STATS_A_RX_BYTES: IPv6 packets
 *	(and their bytes, from the IPv6 header on) that arrived on the
 *	interface and were seen by leaseguard's receive hook.
 */
enum lg_link_stats_attrs {
	LG_LINK_STATS_A_UNSPEC,
	LG_LINK_STATS_A_PAD,
	LG_LINK_STATS_A_RX_PACKETS,	/* u64 */
	LG_LINK_STATS_A_RX_BYTES,	/* u64 */

	__LG_LINK_STATS_A_MAX
};

#define LG_LINK_STATS_A_MAX (__LG_LINK_STATS_A_MAX - 1)

/*
 * Namespace-wide counters, since the module was loaded in the namespace.
 * Per-interface counters are in each LG_LINK_A_STATS.
 * @LG_STATS_A_LINKS_GONE: configurations dropped because their interface
 *	was unregistered or left the namespace.
 */
enum lg_stats_attrs {
	LG_STATS_A_UNSPEC,
	LG_STATS_A_PAD,
	LG_STATS_A_LINKS_GONE,		/* u64 */

	__LG_STATS_A_MAX
};

#define LG_STATS_A_MAX (__LG_STATS_A_MAX - 1)

#endif /* _UAPI_LINUX_LEASEGUARD_H */
