// SPDX-License-Identifier: GPL-2.0
/*
 * A fuzzer for the generic netlink family "leaseguard", run as root with
 * the module loaded (in the test VM):
 *
 *	genl_fuzz [--seconds N] [--seed S] [--threads N] [--verbose]
 *	genl_fuzz --policy FAMILY	print a family's policies, as the
 *					kernel reports them, and exit
 *	genl_fuzz --dry-run ...		build requests, send none; traffic
 *					and churn as usual (no module)
 *
 *   netns C (client)            netns R (leaseguard)              netns O
 *   eth0 fe80::ff:fe00:102 --   acc0 (access) fe80::ff:fe00:101  (links
 *   UDP 546, IGMP/MLD joins     up0 (upstream, dummy)             moved
 *                               fz0..fz5 (dummies: churn)         here)
 *
 * It generates requests for every command of the family from the table
 * below, which says what each command takes (the policies of
 * kmod/netlink.c and kmod/mcast_nl.c, as uapi/linux/leaseguard.h
 * documents them), and first checks that table against what the kernel
 * reports (CTRL_CMD_GETFAMILY's ops, CTRL_CMD_GETPOLICY's policies), so
 * that the two cannot drift apart. Each request is one of: valid (values
 * from what exists: interfaces, bindings, addresses), boundary values,
 * out of range, wrong length, wrong nest/byte-order flags, unknown
 * attributes, attributes the command does not take, nested garbage,
 * trailing bytes, duplicates, reserved genetlink header bytes or
 * nlmsg_flags, a newer version, commands the family does not have, a dump
 * of a doit or the reverse, a header cut short, a missing required
 * attribute; and dumps read part-way and abandoned (the socket closed).
 *
 * Who sends: --threads threads in R with CAP_NET_ADMIN; a child in R that
 * dropped CAP_NET_ADMIN (admin commands: -EPERM), with a socket opened
 * before the drop too; and children, one after the other, that become
 * nobody and root of a new user namespace owning a new network namespace
 * (unshare -Urn): admin there, -EPERM through a socket they opened in R
 * before. Meanwhile a thread sends DHCPv6 REQUEST/REPLY exchanges through
 * acc0 (bindings come and go), RELAY-REPLs from the subscriber side and
 * IGMP/MLD joins and leaves from C, and another adds, deletes, renames
 * and moves interfaces between R and O, and makes and deletes whole
 * namespaces with leaseguard state in them. A listener joins the family's
 * multicast groups, so that notifications are built, and checks them.
 *
 * Each reply is checked: the sequence number and port; every error (in
 * NLMSG_ERROR, or in a dump's NLMSG_DONE) carries an extack message,
 * except those the table below says come without one (genetlink's own
 * refusals); a request that must fail fails; every data message is parsed
 * whole against the uapi's types (lengths, ranges, nesting, required
 * attributes, nothing unknown). Any breach is printed with the request
 * and fails the run (exit 1). The kernel log is the VM runner's to check.
 *
 * Seeded: thread or child i draws from its own generator seeded with
 * seed + i, so a seed gives the same requests; the interleaving with the
 * other threads, the traffic and the churn is the scheduler's.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <grp.h>
#include <inttypes.h>
#include <linux/capability.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* A group dump's skbs need a 32 KiB read (uapi: LG_CMD_MC_GROUP_GET). */
#define LGNL_RECV_SIZE	32768
#include "../lgnl.h"
#include "../dhcp6_build.h"
#include "../netns_setup.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define U32_MAX		0xffffffffULL
#define U64_MAX		(~0ULL)

/* ------------------------------------------------------------------ */
/* The table: what each command takes                                 */
/* ------------------------------------------------------------------ */

enum fkind { FK_FLAG = 1, FK_U8, FK_U16, FK_U32, FK_U64, FK_BIN, FK_NEST,
	     FK_STR, FK_CNT };

#define A_REQ	0x1	/* replies: always there */
#define A_MULTI	0x2	/* replies: may repeat */

/*
 * One attribute. Integers: the value range; binary: the length range. A
 * reply's strings are NUL-terminated and at most IFNAMSIZ long; FK_CNT is
 * a counter nest (NLA_U64 each, and the PAD attribute).
 */
struct fa {
	uint16_t type;
	uint8_t kind;
	uint8_t flags;
	uint64_t min, max;
	const struct fp *nest;
	const char *name;
};

/* A policy: the attributes one nest (or the top level) takes. */
struct fp {
	const char *name;
	uint16_t maxtype;
	const struct fa *a;
	unsigned int n;
};

#define POL(v, max)	{ #v, max, v, ARRAY_SIZE(v) }
#define U8(t, lo, hi)	{ t, FK_U8, 0, lo, hi, NULL, #t }
#define U32(t, lo, hi)	{ t, FK_U32, 0, lo, hi, NULL, #t }
#define U64(t)		{ t, FK_U64, 0, 0, U64_MAX, NULL, #t }
#define U64R(t, lo, hi)	{ t, FK_U64, 0, lo, hi, NULL, #t }
#define BIN(t, lo, hi)	{ t, FK_BIN, 0, lo, hi, NULL, #t }
#define FLAG(t)		{ t, FK_FLAG, 0, 0, 0, NULL, #t }
#define NEST(t, p)	{ t, FK_NEST, 0, 0, 0, &p, #t }

/* Requests: kmod/netlink.c and kmod/mcast_nl.c. */
static const struct fa link_get_a[] = {
	U32(LG_LINK_A_IFINDEX, 1, U32_MAX),
};
static const struct fa link_set_a[] = {
	U32(LG_LINK_A_IFINDEX, 1, U32_MAX),
	U32(LG_LINK_A_ROLE, 0, LG_ROLE_MAX),
	U32(LG_LINK_A_MAX_BINDINGS, 1, LG_MAX_BINDINGS_LIMIT),
	U32(LG_LINK_A_SAVI_MODE, 0, LG_SAVI_MODE_MAX),
	U32(LG_LINK_A_SAVI_ANCHOR, 0, LG_SAVI_ANCHOR_MAX),
	U8(LG_LINK_A_DHCP6_SHIELD, 0, 1),
	U8(LG_LINK_A_RELEASE_TRUSTED, 0, 1),
	U8(LG_LINK_A_RELEASE_FORWARD, 0, 1),
	U32(LG_LINK_A_MISS_RATE, 0, LG_MISS_RATE_LIMIT),
};
static const struct fa config_a[] = {
	U32(LG_CONFIG_A_MAX_BINDINGS, 1, LG_MAX_BINDINGS_LIMIT),
	U32(LG_CONFIG_A_RELEASE_REQUEST_TYPE, 38, 255),
	U32(LG_CONFIG_A_RELEASE_REPLY_TYPE, 38, 255),
	U32(LG_CONFIG_A_MISS_RATE, 0, LG_MISS_RATE_LIMIT),
};
static const struct fa savi_a[] = {
	U32(LG_SAVI_A_IFINDEX, 1, U32_MAX),
	BIN(LG_SAVI_A_ADDR, 16, 16),
	U32(LG_SAVI_A_PLEN, 0, 128),
	FLAG(LG_SAVI_A_WIDE),
};
static const struct fa savi_dump_a[] = {
	U32(LG_SAVI_A_IFINDEX, 1, U32_MAX),
};
static const struct fa binding_get_a[] = {
	U64(LG_BINDING_A_ID),
	BIN(LG_BINDING_A_ADDR, 16, 16),
	U32(LG_BINDING_A_IFINDEX, 1, U32_MAX),
	BIN(LG_BINDING_A_CLIENT_DUID, 3, 130),
};
static const struct fa binding_del_a[] = {
	U64(LG_BINDING_A_ID),
	BIN(LG_BINDING_A_ADDR, 16, 16),
	U32(LG_BINDING_A_IFINDEX, 1, U32_MAX),
	BIN(LG_BINDING_A_CLIENT_DUID, 3, 130),
	FLAG(LG_BINDING_A_ALL),
	U32(LG_BINDING_A_DEL_REASON, 0, U32_MAX),
};
static const struct fa binding_release_a[] = {
	U64(LG_BINDING_A_ID),
	BIN(LG_BINDING_A_ADDR, 16, 16),
	U32(LG_BINDING_A_IFINDEX, 1, U32_MAX),
	BIN(LG_BINDING_A_CLIENT_DUID, 3, 130),
	FLAG(LG_BINDING_A_ALL),
	U32(LG_BINDING_A_RELEASE_REASON, 1, LG_RELEASE_MAX),
	FLAG(LG_BINDING_A_RELEASE_CANCEL),
};
static const struct fa binding_move_a[] = {
	U64(LG_BINDING_A_ID),
};
static const struct fa lease_new_a[] = {
	BIN(LG_LEASE_A_ADDR, 16, 16),
	U32(LG_LEASE_A_PLEN, 1, 128),
	U32(LG_LEASE_A_PREFERRED, 0, U32_MAX),
	U32(LG_LEASE_A_VALID, 1, U32_MAX),
};
static const struct fp p_lease_new = POL(lease_new_a, LG_LEASE_A_MAX);
static const struct fa binding_new_a[] = {
	U32(LG_BINDING_A_IFINDEX, 1, U32_MAX),
	BIN(LG_BINDING_A_CLIENT_DUID, 3, 130),
	U32(LG_BINDING_A_IA_TYPE, 1, LG_IA_MAX),
	U32(LG_BINDING_A_IAID, 0, U32_MAX),
	BIN(LG_BINDING_A_CLIENT_LLADDR, 16, 16),
	BIN(LG_BINDING_A_CLIENT_MAC, 6, 6),
	BIN(LG_BINDING_A_SERVER_ADDR, 16, 16),
	BIN(LG_BINDING_A_SERVER_DUID, 3, 130),
	BIN(LG_BINDING_A_INTERFACE_ID, 1, 32),
	U64(LG_BINDING_A_CREATED),
	U64R(LG_BINDING_A_REPLIED, 1, INT64_MAX),
	U32(LG_BINDING_A_ORIGIN, LG_BINDING_ORIGIN_RESTORED,
	    LG_BINDING_ORIGIN_MAX),
	NEST(LG_BINDING_A_LEASE, p_lease_new),
	FLAG(LG_BINDING_A_REPLACE),
};
static const struct fa anchor_a[] = {
	BIN(LG_BINDING_A_CLIENT_LLADDR, 16, 16),
	BIN(LG_BINDING_A_CLIENT_MAC, 6, 6),
};
static const struct fa mcast_a[] = {
	U8(LG_MCAST_A_FAMILY, 0, 255),
	U8(LG_MCAST_A_ENABLE, 0, 1),
	U32(LG_MCAST_A_UPSTREAM, 0, U32_MAX),
	U8(LG_MCAST_A_VERSION, 1, 3),
	U32(LG_MCAST_A_ROBUSTNESS, 1, 7),
	U32(LG_MCAST_A_QUERY_INTERVAL, 1, 31744),
	U32(LG_MCAST_A_QUERY_RESPONSE_INTERVAL, 100, 3174400),
	U32(LG_MCAST_A_LAST_MEMBER_INTERVAL, 100, 25500),
	U32(LG_MCAST_A_LAST_MEMBER_COUNT, 1, 7),
	U32(LG_MCAST_A_MAX_GROUPS, 1, LG_MC_MAX_GROUPS_LIMIT),
	U32(LG_MCAST_A_MAX_SOURCES, 1, LG_MC_MAX_SOURCES_LIMIT),
	U32(LG_MCAST_A_MAX_GROUPS_HOST, 1, LG_MC_MAX_GROUPS_LIMIT),
	U32(LG_MCAST_A_NS_MAX_GROUPS, 1, LG_MC_NS_MAX_GROUPS_LIMIT),
	U32(LG_MCAST_A_NS_MAX_SOURCES, 1, LG_MC_NS_MAX_SOURCES_LIMIT),
};
static const struct fa mcast_get_a[] = {
	U8(LG_MCAST_A_FAMILY, 0, 255),
};
static const struct fa mc_group_a[] = {
	U32(LG_MC_GROUP_A_IFINDEX, 1, U32_MAX),
	U8(LG_MC_GROUP_A_FAMILY, 0, 255),
	BIN(LG_MC_GROUP_A_GROUP, 4, 16),
};

static const struct fp p_link_get = POL(link_get_a, LG_LINK_A_MAX);
static const struct fp p_link_set = POL(link_set_a, LG_LINK_A_MAX);
static const struct fp p_config = POL(config_a, LG_CONFIG_A_MAX);
static const struct fp p_savi = POL(savi_a, LG_SAVI_A_MAX);
static const struct fp p_savi_dump = POL(savi_dump_a, LG_SAVI_A_MAX);
static const struct fp p_binding_get = POL(binding_get_a, LG_BINDING_A_MAX);
static const struct fp p_binding_del = POL(binding_del_a, LG_BINDING_A_MAX);
static const struct fp p_binding_release = POL(binding_release_a,
					       LG_BINDING_A_MAX);
static const struct fp p_binding_move = POL(binding_move_a, LG_BINDING_A_MAX);
static const struct fp p_anchor = POL(anchor_a, LG_BINDING_A_MAX);
static const struct fp p_binding_new = POL(binding_new_a, LG_BINDING_A_MAX);
static const struct fp p_mcast = POL(mcast_a, LG_MCAST_A_MAX);
static const struct fp p_mcast_get = POL(mcast_get_a, LG_MCAST_A_MAX);
static const struct fp p_mc_group = POL(mc_group_a, LG_MC_GROUP_A_MAX);

static const struct fa top_link_get[] = { NEST(LG_A_LINK, p_link_get) };
static const struct fa top_link_set[] = { NEST(LG_A_LINK, p_link_set) };
static const struct fa top_config_set[] = { NEST(LG_A_CONFIG, p_config) };
static const struct fa top_binding_get[] = {
	NEST(LG_A_BINDING, p_binding_get) };
static const struct fa top_binding_del[] = {
	NEST(LG_A_BINDING, p_binding_del) };
static const struct fa top_binding_release[] = {
	NEST(LG_A_BINDING, p_binding_release) };
static const struct fa top_binding_move[] = {
	NEST(LG_A_BINDING, p_binding_move), NEST(LG_A_ANCHOR, p_anchor) };
static const struct fa top_binding_new[] = {
	NEST(LG_A_BINDING, p_binding_new) };
static const struct fa top_savi[] = { NEST(LG_A_SAVI, p_savi) };
static const struct fa top_savi_dump[] = { NEST(LG_A_SAVI, p_savi_dump) };
static const struct fa top_mcast_get[] = { NEST(LG_A_MCAST, p_mcast_get) };
static const struct fa top_mcast_set[] = { NEST(LG_A_MCAST, p_mcast) };
static const struct fa top_mc_group[] = { NEST(LG_A_MC_GROUP, p_mc_group) };
static const struct fa top_none[] = {};

static const struct fp t_link_get = POL(top_link_get, LG_A_MAX);
static const struct fp t_link_set = POL(top_link_set, LG_A_MAX);
static const struct fp t_none = { "top_none", LG_A_MAX, top_none, 0 };
static const struct fp t_config_set = POL(top_config_set, LG_A_MAX);
static const struct fp t_binding_get = POL(top_binding_get, LG_A_MAX);
static const struct fp t_binding_del = POL(top_binding_del, LG_A_MAX);
static const struct fp t_binding_release = POL(top_binding_release, LG_A_MAX);
static const struct fp t_binding_move = POL(top_binding_move, LG_A_MAX);
static const struct fp t_binding_new = POL(top_binding_new, LG_A_MAX);
static const struct fp t_savi = POL(top_savi, LG_A_MAX);
static const struct fp t_savi_dump = POL(top_savi_dump, LG_A_MAX);
static const struct fp t_mcast_get = POL(top_mcast_get, LG_A_MAX);
static const struct fp t_mcast_set = POL(top_mcast_set, LG_A_MAX);
static const struct fp t_mc_group = POL(top_mc_group, LG_A_MAX);

#define C_DO	GENL_CMD_CAP_DO
#define C_DUMP	GENL_CMD_CAP_DUMP
#define C_ADMIN	GENL_UNS_ADMIN_PERM

/*
 * Every command: its genetlink flags (as CTRL_CMD_GETFAMILY reports
 * them), its policy (doit and dump share one in 6.1), the top-level
 * attribute its doit requires (0: none), and the top-level attributes its
 * dump uses (a dump must refuse the others, not ignore them).
 */
struct fc {
	uint8_t cmd;
	const char *name;
	uint32_t flags;
	const struct fp *pol;
	uint16_t do_req;
	uint32_t dump_takes;	/* 1 << LG_A_* */
};

static const struct fc cmds[] = {
	{ LG_CMD_LINK_GET, "LINK_GET", C_DO | C_DUMP, &t_link_get, LG_A_LINK, 0 },
	{ LG_CMD_LINK_SET, "LINK_SET", C_DO | C_ADMIN, &t_link_set, LG_A_LINK, 0 },
	{ LG_CMD_STATS_GET, "STATS_GET", C_DO, &t_none, 0, 0 },
	{ LG_CMD_CONFIG_GET, "CONFIG_GET", C_DO, &t_none, 0, 0 },
	{ LG_CMD_CONFIG_SET, "CONFIG_SET", C_DO | C_ADMIN, &t_config_set,
	  LG_A_CONFIG, 0 },
	{ LG_CMD_BINDING_GET, "BINDING_GET", C_DO | C_DUMP | C_ADMIN,
	  &t_binding_get, LG_A_BINDING, 1 << LG_A_BINDING },
	{ LG_CMD_BINDING_DEL, "BINDING_DEL", C_DO | C_ADMIN, &t_binding_del,
	  LG_A_BINDING, 0 },
	{ LG_CMD_BINDING_RELEASE, "BINDING_RELEASE", C_DO | C_ADMIN,
	  &t_binding_release, LG_A_BINDING, 0 },
	{ LG_CMD_BINDING_MOVE, "BINDING_MOVE", C_DO | C_ADMIN,
	  &t_binding_move, LG_A_BINDING, 0 },
	{ LG_CMD_BINDING_NEW, "BINDING_NEW", C_DO | C_ADMIN,
	  &t_binding_new, LG_A_BINDING, 0 },
	{ LG_CMD_SAVI_GET, "SAVI_GET", C_DUMP | C_ADMIN, &t_savi_dump, 0,
	  1 << LG_A_SAVI },
	{ LG_CMD_SAVI_ADD, "SAVI_ADD", C_DO | C_ADMIN, &t_savi, LG_A_SAVI, 0 },
	{ LG_CMD_SAVI_DEL, "SAVI_DEL", C_DO | C_ADMIN, &t_savi, LG_A_SAVI, 0 },
	{ LG_CMD_MCAST_GET, "MCAST_GET", C_DO | C_DUMP, &t_mcast_get,
	  LG_A_MCAST, 0 },
	{ LG_CMD_MCAST_SET, "MCAST_SET", C_DO | C_ADMIN, &t_mcast_set,
	  LG_A_MCAST, 0 },
	{ LG_CMD_MC_GROUP_GET, "MC_GROUP_GET", C_DO | C_DUMP | C_ADMIN,
	  &t_mc_group, LG_A_MC_GROUP, 1 << LG_A_MC_GROUP },
};

/*
 * The errors that come without an extack message, and why: genetlink
 * and af_netlink refuse these before the family sees the request
 * (uapi/linux/leaseguard.h, "Conventions"), and a doit's reply that
 * cannot be allocated says all there is to say in its errno. Any other
 * error without a message is a finding.
 */
enum nomsg { NM_NONE, NM_PERM, NM_NOCMD, NM_MODE, NM_SHORT, NM_BUSY, NM_NOMEM };

static const struct {
	int err;
	const char *why;
} nomsg_ok[] = {
	[NM_PERM] = { -EPERM, "genetlink: no CAP_NET_ADMIN for a GENL_UNS_ADMIN_PERM command" },
	[NM_NOCMD] = { -EOPNOTSUPP, "genetlink: a command the family does not have" },
	[NM_MODE] = { -EOPNOTSUPP, "genetlink: a dump of a doit-only command, or the reverse" },
	[NM_SHORT] = { -EINVAL, "genetlink: shorter than the genetlink header" },
	[NM_BUSY] = { -EBUSY, "af_netlink: a dump runs on the socket already" },
	[NM_NOMEM] = { -ENOMEM, "the reply could not be allocated" },
};

/* Replies: the uapi's attribute trees. */
#define R(t, k, f, lo, hi)	{ t, k, f, lo, hi, NULL, #t }
#define RN(t, f, p)		{ t, FK_NEST, f, 0, 0, &p, #t }

static const struct fa r_link_stats_a[] = {};
static const struct fp r_link_stats = { "link_stats", LG_LINK_STATS_A_MAX,
					r_link_stats_a, 0 };
static const struct fp r_stats = { "stats", LG_STATS_A_MAX, r_link_stats_a, 0 };
static const struct fa r_link_a[] = {
	R(LG_LINK_A_IFINDEX, FK_U32, A_REQ, 1, U32_MAX),
	R(LG_LINK_A_IFNAME, FK_STR, 0, 0, 0),
	R(LG_LINK_A_ROLE, FK_U32, A_REQ, 0, LG_ROLE_MAX),
	{ LG_LINK_A_STATS, FK_CNT, A_REQ, 0, 0, &r_link_stats,
	  "LG_LINK_A_STATS" },
	R(LG_LINK_A_MAX_BINDINGS, FK_U32, 0, 1, LG_MAX_BINDINGS_LIMIT),
	R(LG_LINK_A_BINDINGS, FK_U32, 0, 0, U32_MAX),
	R(LG_LINK_A_SAVI_MODE, FK_U32, 0, 0, LG_SAVI_MODE_MAX),
	R(LG_LINK_A_SAVI_ANCHOR, FK_U32, 0, 0, LG_SAVI_ANCHOR_MAX),
	R(LG_LINK_A_DHCP6_SHIELD, FK_U8, 0, 0, 1),
	R(LG_LINK_A_RELEASE_TRUSTED, FK_U8, 0, 0, 1),
	R(LG_LINK_A_SAVI_ENTRIES, FK_U32, 0, 0, LG_SAVI_MAX_ENTRIES),
	R(LG_LINK_A_RELEASE_FORWARD, FK_U8, 0, 0, 1),
	R(LG_LINK_A_MISS_RATE, FK_U32, 0, 0, LG_MISS_RATE_LIMIT),
};
static const struct fa r_config_a[] = {
	R(LG_CONFIG_A_MAX_BINDINGS, FK_U32, A_REQ, 1, LG_MAX_BINDINGS_LIMIT),
	R(LG_CONFIG_A_RELEASE_REQUEST_TYPE, FK_U32, A_REQ, 38, 255),
	R(LG_CONFIG_A_RELEASE_REPLY_TYPE, FK_U32, A_REQ, 38, 255),
	R(LG_CONFIG_A_MISS_RATE, FK_U32, A_REQ, 0, LG_MISS_RATE_LIMIT),
};
static const struct fa r_lease_a[] = {
	R(LG_LEASE_A_PAD, FK_BIN, 0, 0, 0),
	R(LG_LEASE_A_ADDR, FK_BIN, A_REQ, 16, 16),
	R(LG_LEASE_A_PLEN, FK_U32, A_REQ, 0, 128),
	R(LG_LEASE_A_PREFERRED, FK_U32, A_REQ, 0, U32_MAX),
	R(LG_LEASE_A_VALID, FK_U32, A_REQ, 0, U32_MAX),
	R(LG_LEASE_A_EXPIRES, FK_U64, 0, 0, U64_MAX),
};
static const struct fp r_lease = POL(r_lease_a, LG_LEASE_A_MAX);
#define R_BINDING_A \
	R(LG_BINDING_A_PAD, FK_BIN, 0, 0, 0), \
	R(LG_BINDING_A_ID, FK_U64, A_REQ, 1, U64_MAX), \
	R(LG_BINDING_A_IFINDEX, FK_U32, A_REQ, 1, U32_MAX), \
	R(LG_BINDING_A_IFNAME, FK_STR, 0, 0, 0), \
	R(LG_BINDING_A_CLIENT_DUID, FK_BIN, A_REQ, 3, 130), \
	R(LG_BINDING_A_IA_TYPE, FK_U32, A_REQ, 1, LG_IA_MAX), \
	R(LG_BINDING_A_IAID, FK_U32, A_REQ, 0, U32_MAX), \
	R(LG_BINDING_A_STATE, FK_U32, A_REQ, 1, LG_BINDING_STATE_MAX), \
	R(LG_BINDING_A_ORIGIN, FK_U32, A_REQ, 1, LG_BINDING_ORIGIN_MAX), \
	R(LG_BINDING_A_CLIENT_LLADDR, FK_BIN, A_REQ, 16, 16), \
	R(LG_BINDING_A_CLIENT_MAC, FK_BIN, 0, 6, 6), \
	R(LG_BINDING_A_SERVER_DUID, FK_BIN, 0, 3, 130), \
	R(LG_BINDING_A_SERVER_ADDR, FK_BIN, A_REQ, 16, 16), \
	R(LG_BINDING_A_INTERFACE_ID, FK_BIN, 0, 1, 65535), \
	R(LG_BINDING_A_CREATED, FK_U64, A_REQ, 0, U64_MAX), \
	R(LG_BINDING_A_UPDATED, FK_U64, A_REQ, 0, U64_MAX), \
	R(LG_BINDING_A_REPLIED, FK_U64, A_REQ, 1, INT64_MAX), \
	RN(LG_BINDING_A_LEASE, A_MULTI, r_lease), \
	R(LG_BINDING_A_RELEASE_REASON, FK_U32, 0, 1, LG_RELEASE_MAX),

static const struct fa r_binding_a[] = {
	R_BINDING_A
};
static const struct fa r_savi_a[] = {
	R(LG_SAVI_A_IFINDEX, FK_U32, A_REQ, 1, U32_MAX),
	R(LG_SAVI_A_IFNAME, FK_STR, 0, 0, 0),
	R(LG_SAVI_A_ADDR, FK_BIN, A_REQ, 16, 16),
	R(LG_SAVI_A_PLEN, FK_U32, A_REQ, 0, 128),
	R(LG_SAVI_A_WIDE, FK_FLAG, 0, 0, 0),
};
static const struct fa r_mcast_a[] = {
	R(LG_MCAST_A_FAMILY, FK_U8, A_REQ, AF_INET, AF_INET6),
	R(LG_MCAST_A_ENABLE, FK_U8, A_REQ, 0, 1),
	R(LG_MCAST_A_UPSTREAM, FK_U32, A_REQ, 0, U32_MAX),
	R(LG_MCAST_A_UPSTREAM_NAME, FK_STR, 0, 0, 0),
	R(LG_MCAST_A_VERSION, FK_U8, A_REQ, 1, 3),
	R(LG_MCAST_A_ROBUSTNESS, FK_U32, A_REQ, 1, 7),
	R(LG_MCAST_A_QUERY_INTERVAL, FK_U32, A_REQ, 1, 31744),
	R(LG_MCAST_A_QUERY_RESPONSE_INTERVAL, FK_U32, A_REQ, 100, 3174400),
	R(LG_MCAST_A_LAST_MEMBER_INTERVAL, FK_U32, A_REQ, 100, 25500),
	R(LG_MCAST_A_LAST_MEMBER_COUNT, FK_U32, A_REQ, 1, 7),
	R(LG_MCAST_A_MAX_GROUPS, FK_U32, A_REQ, 1, LG_MC_MAX_GROUPS_LIMIT),
	R(LG_MCAST_A_MAX_SOURCES, FK_U32, A_REQ, 1, LG_MC_MAX_SOURCES_LIMIT),
	R(LG_MCAST_A_GROUPS, FK_U32, A_REQ, 0, U32_MAX),
	R(LG_MCAST_A_MAX_GROUPS_HOST, FK_U32, A_REQ, 1, LG_MC_MAX_GROUPS_LIMIT),
	R(LG_MCAST_A_NS_MAX_GROUPS, FK_U32, A_REQ, 1, LG_MC_NS_MAX_GROUPS_LIMIT),
	R(LG_MCAST_A_NS_MAX_SOURCES, FK_U32, A_REQ, 1,
	  LG_MC_NS_MAX_SOURCES_LIMIT),
	R(LG_MCAST_A_SOURCES, FK_U32, A_REQ, 0, U32_MAX),
};
static const struct fa r_mc_source_a[] = {
	R(LG_MC_SOURCE_A_ADDR, FK_BIN, A_REQ, 4, 16),
	R(LG_MC_SOURCE_A_UP_TIME, FK_U32, A_REQ, 0, U32_MAX),
	R(LG_MC_SOURCE_A_TIMER, FK_U32, A_REQ, 0, U32_MAX),
	R(LG_MC_SOURCE_A_FORWARD, FK_U8, A_REQ, 0, 1),
};
static const struct fp r_mc_source = POL(r_mc_source_a, LG_MC_SOURCE_A_MAX);
static const struct fa r_mc_group_a[] = {
	R(LG_MC_GROUP_A_IFINDEX, FK_U32, A_REQ, 1, U32_MAX),
	R(LG_MC_GROUP_A_IFNAME, FK_STR, 0, 0, 0),
	R(LG_MC_GROUP_A_FAMILY, FK_U8, A_REQ, AF_INET, AF_INET6),
	R(LG_MC_GROUP_A_GROUP, FK_BIN, A_REQ, 4, 16),
	R(LG_MC_GROUP_A_FILTER_MODE, FK_U32, A_REQ, LG_MC_INCLUDE,
	  LG_MC_EXCLUDE),
	R(LG_MC_GROUP_A_COMPAT, FK_U8, A_REQ, 1, 3),
	R(LG_MC_GROUP_A_UP_TIME, FK_U32, A_REQ, 0, U32_MAX),
	R(LG_MC_GROUP_A_TIMER, FK_U32, A_REQ, 0, U32_MAX),
	RN(LG_MC_GROUP_A_SOURCE, A_MULTI, r_mc_source),
};

static const struct fp r_link = POL(r_link_a, LG_LINK_A_MAX);
static const struct fp r_config = POL(r_config_a, LG_CONFIG_A_MAX);
static const struct fp r_binding = POL(r_binding_a, LG_BINDING_A_MAX);
static const struct fp r_savi = POL(r_savi_a, LG_SAVI_A_MAX);
static const struct fp r_mcast = POL(r_mcast_a, LG_MCAST_A_MAX);
static const struct fp r_mc_group = POL(r_mc_group_a, LG_MC_GROUP_A_MAX);

/* Notifications: what differs from the GET replies. */
static const struct fa r_link_del_a[] = {
	R(LG_LINK_A_IFINDEX, FK_U32, A_REQ, 1, U32_MAX),
	R(LG_LINK_A_IFNAME, FK_STR, 0, 0, 0),
};
static const struct fa r_binding_del_a[] = {
	R_BINDING_A
	R(LG_BINDING_A_DEL_REASON, FK_U32, A_REQ, 1, LG_BINDING_DEL_MAX),
};
static const struct fa r_anchor_a[] = {
	R(LG_BINDING_A_CLIENT_LLADDR, FK_BIN, A_REQ, 16, 16),
	R(LG_BINDING_A_CLIENT_MAC, FK_BIN, 0, 6, 6),
};
static const struct fa r_mc_group_del_a[] = {
	R(LG_MC_GROUP_A_IFINDEX, FK_U32, A_REQ, 1, U32_MAX),
	R(LG_MC_GROUP_A_IFNAME, FK_STR, 0, 0, 0),
	R(LG_MC_GROUP_A_FAMILY, FK_U8, A_REQ, AF_INET, AF_INET6),
	R(LG_MC_GROUP_A_GROUP, FK_BIN, A_REQ, 4, 16),
	R(LG_MC_GROUP_A_DEL_REASON, FK_U32, A_REQ, 1, LG_MC_DEL_MAX),
};
static const struct fa r_mc_query_src_a[] = {
	R(LG_MC_SOURCE_A_ADDR, FK_BIN, A_REQ, 4, 16),
};
static const struct fp r_mc_query_src = POL(r_mc_query_src_a,
					    LG_MC_SOURCE_A_MAX);
static const struct fa r_mc_query_a[] = {
	R(LG_MC_GROUP_A_IFINDEX, FK_U32, A_REQ, 1, U32_MAX),
	R(LG_MC_GROUP_A_FAMILY, FK_U8, A_REQ, AF_INET, AF_INET6),
	R(LG_MC_GROUP_A_GROUP, FK_BIN, A_REQ, 4, 16),
	RN(LG_MC_GROUP_A_SOURCE, A_MULTI, r_mc_query_src),
};
static const struct fa r_miss_a[] = {
	R(LG_MISS_A_IFINDEX, FK_U32, A_REQ, 1, U32_MAX),
	R(LG_MISS_A_SRC_ADDR, FK_BIN, A_REQ, 16, 16),
	R(LG_MISS_A_SRC_MAC, FK_BIN, 0, 6, 6),
};
static const struct fp r_link_del = POL(r_link_del_a, LG_LINK_A_MAX);
static const struct fp r_binding_del = POL(r_binding_del_a, LG_BINDING_A_MAX);
static const struct fp r_anchor = POL(r_anchor_a, LG_BINDING_A_MAX);
static const struct fp r_miss = POL(r_miss_a, LG_MISS_A_MAX);
static const struct fp r_mc_group_del = POL(r_mc_group_del_a,
					    LG_MC_GROUP_A_MAX);
static const struct fp r_mc_query = POL(r_mc_query_a, LG_MC_GROUP_A_MAX);

/*
 * The top-level attributes of each reply and notification, each once:
 * notifications go to @grp (LG_MCGRP_* order: config, bindings, mcast).
 */
enum { G_REPLY = -1, G_CONFIG, G_BINDINGS, G_MCAST };

static const struct {
	uint8_t cmd;
	int8_t grp;
	uint16_t top;
	uint8_t kind;
	const struct fp *p;
} msgs[] = {
	{ LG_CMD_LINK_GET, G_REPLY, LG_A_LINK, FK_NEST, &r_link },
	{ LG_CMD_STATS_GET, G_REPLY, LG_A_STATS, FK_CNT, &r_stats },
	{ LG_CMD_CONFIG_GET, G_REPLY, LG_A_CONFIG, FK_NEST, &r_config },
	{ LG_CMD_BINDING_GET, G_REPLY, LG_A_BINDING, FK_NEST, &r_binding },
	{ LG_CMD_BINDING_NEW, G_REPLY, LG_A_BINDING, FK_NEST, &r_binding },
	{ LG_CMD_SAVI_GET, G_REPLY, LG_A_SAVI, FK_NEST, &r_savi },
	{ LG_CMD_MCAST_GET, G_REPLY, LG_A_MCAST, FK_NEST, &r_mcast },
	{ LG_CMD_MC_GROUP_GET, G_REPLY, LG_A_MC_GROUP, FK_NEST, &r_mc_group },
	{ LG_CMD_LINK_NTF, G_CONFIG, LG_A_LINK, FK_NEST, &r_link },
	{ LG_CMD_LINK_DEL_NTF, G_CONFIG, LG_A_LINK, FK_NEST, &r_link_del },
	{ LG_CMD_MCAST_NTF, G_CONFIG, LG_A_MCAST, FK_NEST, &r_mcast },
	{ LG_CMD_BINDING_NEW_NTF, G_BINDINGS, LG_A_BINDING, FK_NEST, &r_binding },
	{ LG_CMD_BINDING_UPD_NTF, G_BINDINGS, LG_A_BINDING, FK_NEST, &r_binding },
	{ LG_CMD_BINDING_DEL_NTF, G_BINDINGS, LG_A_BINDING, FK_NEST,
	  &r_binding_del },
	{ LG_CMD_BINDING_ANCHOR_NTF, G_BINDINGS, LG_A_BINDING, FK_NEST,
	  &r_binding },
	{ LG_CMD_BINDING_ANCHOR_NTF, G_BINDINGS, LG_A_ANCHOR, FK_NEST, &r_anchor },
	{ LG_CMD_SAVI_MISS_NTF, G_BINDINGS, LG_A_MISS, FK_NEST, &r_miss },
	{ LG_CMD_MC_GROUP_NTF, G_MCAST, LG_A_MC_GROUP, FK_NEST, &r_mc_group },
	{ LG_CMD_MC_GROUP_DEL_NTF, G_MCAST, LG_A_MC_GROUP, FK_NEST,
	  &r_mc_group_del },
	{ LG_CMD_MC_QUERY_NTF, G_MCAST, LG_A_MC_GROUP, FK_NEST, &r_mc_query },
};

/* ------------------------------------------------------------------ */
/* Shared state: counters and the values that exist                   */
/* ------------------------------------------------------------------ */

enum cls {
	M_VALID, M_BOUNDARY, M_RANGE, M_LEN, M_NESTFLAG, M_BYTEORDER,
	M_UNKNOWN, M_NOTTAKEN, M_DUMPATTR, M_GARBAGE, M_TRAILING, M_DUP,
	M_RESERVED, M_NLFLAGS, M_VERSION, M_NOCMD, M_MODE, M_SHORT,
	M_MISSING, M_DUMPCUT, M__MAX
};

static const char *const cls_name[M__MAX] = {
	"valid", "boundary", "out-of-range", "wrong-length", "nest-flag",
	"byte-order", "unknown-attr", "attr-not-taken", "dump-attr",
	"nested-garbage", "trailing-bytes", "duplicate", "genl-reserved",
	"nlmsg-flags", "version", "no-such-cmd", "dump-vs-doit", "short",
	"missing-attr", "dump-cut",
};

#define POOL	64
#define N_DUIDS	1024	/* clients: up to two bindings each */

/* In memory shared with the children: they count and read the pools too. */
struct shared {
	uint64_t sent, replies, acks, errors, violations, timeouts, overruns;
	uint64_t dumps, dumps_cut, dump_intr, eperm;
	uint64_t by_err[160];
	uint64_t by_cls[M__MAX];
	uint64_t dhcp, relay_repl, mc_joins, mc_leaves, traffic_errs;
	uint64_t link_add, link_del, link_rename, link_move, netns_made;
	uint64_t userns_runs, nocap_runs;
	uint64_t ntf, ntf_overruns, join_eperm;
	int userns_skip;
	int printed;
	uint32_t ifindex[16];		/* R's interfaces, 0: none */
	uint64_t binding_id[POOL];	/* seen in replies */
	struct in6_addr addr[POOL];	/* leased or entered */
	uint8_t duid[POOL][14];
};

static struct shared *sh;
static unsigned int opt_seconds = 60, opt_threads = 3;
static uint64_t opt_seed;
static bool opt_verbose;
static bool opt_dry;		/* build requests, send none (no module) */
/* The host may have no dummy driver: --dry-run tries it with bridges. */
static const char *link_kind = "dummy";
static double deadline;
static char ns_r[32], ns_c[32], ns_o[32];
static int nsfd_r = -1, nsfd_c = -1, nsfd_o = -1;
static uint32_t acc0, up0;

#define CNT(x)		__atomic_fetch_add(&sh->x, 1, __ATOMIC_RELAXED)
#define CNT_N(x, n)	__atomic_fetch_add(&sh->x, (n), __ATOMIC_RELAXED)

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static bool time_left(void)
{
	return now_s() < deadline;
}

static pid_t main_pid;

/* Only the main process cleans up the namespaces (atexit). */
static void die(const char *what)
{
	fprintf(stderr, "genl_fuzz: %s: %s\n", what, strerror(errno));
	if (getpid() != main_pid)
		_exit(2);
	exit(2);
}

/* xorshift64*: small, and the same everywhere for a seed. */
static uint64_t rnd(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dULL;
}

static uint64_t rn(uint64_t *s, uint64_t n)
{
	return n ? rnd(s) % n : 0;
}

/* A value in [lo, hi], whole 64-bit ranges too. */
static uint64_t rrange(uint64_t *s, uint64_t lo, uint64_t hi)
{
	if (lo == 0 && hi == U64_MAX)
		return rnd(s);
	return lo + rn(s, hi - lo + 1);
}

static bool chance(uint64_t *s, unsigned int one_in)
{
	return rn(s, one_in) == 0;
}

static void pool_add_id(uint64_t id)
{
	sh->binding_id[id % POOL] = id;
}

static void pool_add_addr(const void *a)
{
	static unsigned int next;

	memcpy(&sh->addr[__atomic_fetch_add(&next, 1, __ATOMIC_RELAXED) %
			 POOL], a, 16);
}

static void make_duid(uint8_t duid[14], unsigned int i)
{
	static const uint8_t head[] = { 0, 1, 0, 1, 0x2b, 0x3c, 0x4d, 0x5e,
					2, 0 };

	memcpy(duid, head, sizeof(head));
	duid[10] = i >> 24;
	duid[11] = i >> 16;
	duid[12] = i >> 8;
	duid[13] = i;
}

/* ------------------------------------------------------------------ */
/* Findings                                                           */
/* ------------------------------------------------------------------ */

struct fz;
static void hexdump(char *out, size_t n, const void *p, size_t len);

/* Worker state: one socket, one generator. */
struct fz {
	char tag[24];
	uint64_t rng, seed, iter;
	struct lg_sock s;
	bool priv;		/* CAP_NET_ADMIN over s's namespace */
	bool own_ns;		/* not R: use own_ifindex */
	bool pinned;		/* opened in a namespace it cannot enter again */
	bool dead;		/* pinned, and its socket failed */
	uint32_t own_ifindex[4];
	int n_own;
};

/* What was sent, and what it must bring. */
enum expect { X_ANY, X_ERR, X_ERRNO };

struct req {
	char buf[8192];
	struct nlmsghdr *nlh;
	const struct fc *c;
	uint8_t cmd;
	int cls;
	bool dump;
	int expect;
	int nomsg;		/* NM_*: this error may come without a message */
	char what[192];
};

static void violation(struct fz *f, const struct req *r, const char *fmt, ...)
{
	char line[8192], hex[4096] = "";
	va_list ap;
	int n;

	CNT(violations);
	if (__atomic_fetch_add(&sh->printed, 1, __ATOMIC_RELAXED) >= 30)
		return;
	n = snprintf(line, sizeof(line), "# VIOLATION [%s seed %" PRIu64
		     " iter %" PRIu64 "] ", f->tag, f->seed, f->iter);
	va_start(ap, fmt);
	n += vsnprintf(line + n, sizeof(line) - n, fmt, ap);
	va_end(ap);
	if (r) {
		hexdump(hex, sizeof(hex), r->nlh,
			r->nlh->nlmsg_len < 512 ? r->nlh->nlmsg_len : 512);
		n += snprintf(line + n, sizeof(line) - n,
			      "\n#   request: %s %s%s (%s)\n#   bytes: %s",
			      r->c ? r->c->name : "?", r->dump ? "dump " : "",
			      cls_name[r->cls], r->what, hex);
	}
	if (n > (int)sizeof(line) - 2)
		n = sizeof(line) - 2;
	line[n++] = '\n';
	if (write(2, line, n) < 0)
		return;
}

static void hexdump(char *out, size_t n, const void *p, size_t len)
{
	const uint8_t *b = p;
	size_t i, at = 0;

	for (i = 0; i < len && at + 4 < n; i++)
		at += snprintf(out + at, n - at, "%02x", b[i]);
}

/* ------------------------------------------------------------------ */
/* Replies: parse every attribute against the uapi                    */
/* ------------------------------------------------------------------ */

static const struct fa *fa_find(const struct fp *p, uint16_t type)
{
	unsigned int i;

	for (i = 0; i < p->n; i++)
		if (p->a[i].type == type)
			return &p->a[i];
	return NULL;
}

/* Checks @len bytes of attributes of policy @p; says what is wrong. */
static bool check_attrs(const struct fp *p, bool counters, const void *data,
			int len, const char *where, char *why, size_t wn)
{
	uint32_t seen[64] = {};
	const struct nlattr *a;
	unsigned int i;

	for (a = data; len >= (int)sizeof(*a);) {
		uint16_t type = a->nla_type & NLA_TYPE_MASK;
		int alen = a->nla_len - (int)sizeof(*a);
		const void *v = a + 1;
		const struct fa *d;

		if (a->nla_len < sizeof(*a) || a->nla_len > len) {
			snprintf(why, wn, "%s: attribute %u: length %u of %d",
				 where, type, a->nla_len, len);
			return false;
		}
		if (a->nla_type & NLA_F_NET_BYTEORDER) {
			snprintf(why, wn, "%s: attribute %u in network byte order",
				 where, type);
			return false;
		}
		if (type < 64)
			seen[type]++;
		if (counters) {
			/* Counters: u64 each; their PAD (1) is padding. */
			if (type == 0 || type > p->maxtype ||
			    (type != 1 && alen != 8)) {
				snprintf(why, wn, "%s: counter %u of length %d",
					 where, type, alen);
				return false;
			}
			goto next;
		}
		d = fa_find(p, type);
		if (!d || type > p->maxtype) {
			snprintf(why, wn, "%s: unknown attribute %u", where, type);
			return false;
		}
		if (!!(a->nla_type & NLA_F_NESTED) !=
		    (d->kind == FK_NEST || d->kind == FK_CNT)) {
			snprintf(why, wn, "%s: %s: NLA_F_NESTED is %s", where,
				 d->name, a->nla_type & NLA_F_NESTED ? "set" : "missing");
			return false;
		}
		if (type < 64 && seen[type] > 1 && !(d->flags & A_MULTI)) {
			snprintf(why, wn, "%s: %s twice", where, d->name);
			return false;
		}
		switch (d->kind) {
		case FK_U8:
		case FK_U32:
		case FK_U64: {
			int want = d->kind == FK_U8 ? 1 : d->kind == FK_U32 ? 4 : 8;
			uint64_t x;

			if (alen != want) {
				snprintf(why, wn, "%s: %s: length %d, not %d",
					 where, d->name, alen, want);
				return false;
			}
			x = want == 1 ? *(uint8_t *)v : want == 4 ?
				*(uint32_t *)v : *(uint64_t *)v;
			if (x < d->min || x > d->max) {
				snprintf(why, wn, "%s: %s: %" PRIu64
					 " not in %" PRIu64 "..%" PRIu64,
					 where, d->name, x, d->min, d->max);
				return false;
			}
			break;
		}
		case FK_BIN:
			if (d->type == 1 && alen == 0)
				break;	/* a PAD */
			if (alen < (int)d->min || alen > (int)d->max) {
				snprintf(why, wn, "%s: %s: length %d",
					 where, d->name, alen);
				return false;
			}
			break;
		case FK_FLAG:
			if (alen) {
				snprintf(why, wn, "%s: flag %s has data", where,
					 d->name);
				return false;
			}
			break;
		case FK_STR:
			if (alen < 2 || alen > IFNAMSIZ ||
			    memchr(v, 0, alen) != (const char *)v + alen - 1) {
				snprintf(why, wn, "%s: %s: not a name", where,
					 d->name);
				return false;
			}
			break;
		case FK_NEST:
		case FK_CNT: {
			char sub[128];

			snprintf(sub, sizeof(sub), "%s/%s", where, d->name);
			if (!check_attrs(d->nest, d->kind == FK_CNT, v, alen,
					 sub, why, wn))
				return false;
			break;
		}
		}
next:
		len -= NLA_ALIGN(a->nla_len);
		a = (const void *)((const char *)a + NLA_ALIGN(a->nla_len));
	}
	if (len != 0) {
		snprintf(why, wn, "%s: %d bytes after the last attribute",
			 where, len);
		return false;
	}
	if (counters)
		return true;
	for (i = 0; i < p->n; i++) {
		if ((p->a[i].flags & A_REQ) && !seen[p->a[i].type]) {
			snprintf(why, wn, "%s: %s missing", where, p->a[i].name);
			return false;
		}
	}
	return true;
}

/* What a data message says beyond its types. */
static bool check_meaning(const struct nlattr *top, char *why, size_t wn)
{
	bool binding = mnl_attr_get_type(top) == LG_A_BINDING;
	bool group = mnl_attr_get_type(top) == LG_A_MC_GROUP;
	const struct nlattr *a, *c;
	uint32_t state = 0;
	bool reason = false;
	int family = 0, glen = 0;

	mnl_attr_for_each_nested(a, top) {
		uint16_t t = mnl_attr_get_type(a);

		if (binding) {
			if (t == LG_BINDING_A_ID)
				pool_add_id(mnl_attr_get_u64(a));
			if (t == LG_BINDING_A_STATE)
				state = mnl_attr_get_u32(a);
			if (t == LG_BINDING_A_RELEASE_REASON)
				reason = true;
			if (t == LG_BINDING_A_LEASE)
				mnl_attr_for_each_nested(c, a)
					if (mnl_attr_get_type(c) ==
					    LG_LEASE_A_ADDR)
						pool_add_addr(mnl_attr_get_payload(c));
		}
		if (group) {
			if (t == LG_MC_GROUP_A_FAMILY)
				family = mnl_attr_get_u8(a);
			if (t == LG_MC_GROUP_A_GROUP)
				glen = mnl_attr_get_payload_len(a);
		}
	}
	if (binding && reason != (state == LG_BINDING_RELEASING)) {
		snprintf(why, wn, "binding: state %u with%s a release reason",
			 state, reason ? "" : "out");
		return false;
	}
	if (group && glen != (family == AF_INET ? 4 : 16)) {
		snprintf(why, wn, "group of family %d is %d octets", family, glen);
		return false;
	}
	return true;
}

/*
 * Checks message @m of command @cmd against msgs[] (@grp: G_REPLY, or the
 * group it came from); says what is wrong in @why.
 */
static bool check_msg(const struct nlmsghdr *m, int grp, char *why, size_t wn)
{
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(m);
	uint32_t seen = 0, want = 0;
	const struct nlattr *a;
	unsigned int i;

	if (m->nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN) {
		snprintf(why, wn, "%u bytes", m->nlmsg_len);
		return false;
	}
	if (g->version != LEASEGUARD_GENL_VERSION || g->reserved) {
		snprintf(why, wn, "version %u reserved %u", g->version,
			 g->reserved);
		return false;
	}
	for (i = 0; i < ARRAY_SIZE(msgs); i++)
		if (msgs[i].cmd == g->cmd && msgs[i].grp == grp)
			want |= 1u << msgs[i].top;
	if (!want) {
		snprintf(why, wn, "command %u %s", g->cmd,
			 grp == G_REPLY ? "has no reply" : "is not this group's");
		return false;
	}
	mnl_attr_for_each(a, m, GENL_HDRLEN) {
		uint16_t t = mnl_attr_get_type(a);

		for (i = 0; i < ARRAY_SIZE(msgs); i++)
			if (msgs[i].cmd == g->cmd && msgs[i].grp == grp &&
			    msgs[i].top == t)
				break;
		if (i == ARRAY_SIZE(msgs) || (seen & (1u << t)) ||
		    !(a->nla_type & NLA_F_NESTED)) {
			snprintf(why, wn, "cmd %u: top-level attribute %#x",
				 g->cmd, a->nla_type);
			return false;
		}
		seen |= 1u << t;
		if (!check_attrs(msgs[i].p, msgs[i].kind == FK_CNT,
				 mnl_attr_get_payload(a),
				 mnl_attr_get_payload_len(a), msgs[i].p->name,
				 why, wn) ||
		    !check_meaning(a, why, wn))
			return false;
	}
	if ((const char *)a != (const char *)m + m->nlmsg_len) {
		snprintf(why, wn, "cmd %u: %td bytes of attributes", g->cmd,
			 (const char *)a - (const char *)m);
		return false;
	}
	if (seen != want) {
		snprintf(why, wn, "cmd %u: top-level attributes %#x, not %#x",
			 g->cmd, seen, want);
		return false;
	}
	return true;
}

/* A data message in answer to @r. */
static void check_data(struct fz *f, const struct req *r,
		       const struct nlmsghdr *m)
{
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(m);
	char why[512];

	CNT(replies);
	if (m->nlmsg_type != f->s.family ||
	    m->nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN || g->cmd != r->cmd) {
		violation(f, r, "reply type %u cmd %u", m->nlmsg_type,
			  m->nlmsg_len >= NLMSG_HDRLEN + GENL_HDRLEN ? g->cmd : 0);
		return;
	}
	if (r->dump != !!(m->nlmsg_flags & NLM_F_MULTI)) {
		violation(f, r, "reply flags %#x", m->nlmsg_flags);
		return;
	}
	if (m->nlmsg_flags & NLM_F_DUMP_INTR)
		CNT(dump_intr);
	if (!check_msg(m, G_REPLY, why, sizeof(why)))
		violation(f, r, "malformed reply: %s", why);
}

/* ------------------------------------------------------------------ */
/* Talking                                                            */
/* ------------------------------------------------------------------ */

struct ackinfo {
	int err;
	bool has_msg, done;
	char msg[256];
};

static int ack_attr_cb(const struct nlattr *attr, void *data)
{
	struct ackinfo *k = data;

	if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_MSG &&
	    !mnl_attr_validate(attr, MNL_TYPE_NUL_STRING)) {
		k->has_msg = true;
		snprintf(k->msg, sizeof(k->msg), "%s", mnl_attr_get_str(attr));
	}
	return MNL_CB_OK;
}

static bool errno_ok(int err, int nomsg)
{
	return nomsg != NM_NONE && err == nomsg_ok[nomsg].err;
}

/* The verdict on @r, once its ACK or DONE came with @k. */
static void judge(struct fz *f, const struct req *r, const struct ackinfo *k)
{
	int e = -k->err;

	if (k->err > 0) {
		violation(f, r, "positive error %d", k->err);
		return;
	}
	if (k->err == 0) {
		CNT(acks);
	} else {
		CNT(errors);
		CNT(by_err[e < (int)ARRAY_SIZE(sh->by_err) ? e : 0]);
		if (k->err == -EPERM)
			CNT(eperm);
	}
	if (r->expect == X_ERRNO && k->err != nomsg_ok[r->nomsg].err) {
		violation(f, r, "expected %s, got %d (%s)",
			  strerror(-nomsg_ok[r->nomsg].err), k->err, k->msg);
		return;
	}
	if (r->expect == X_ERR && k->err == 0) {
		violation(f, r, "accepted");
		return;
	}
	if (k->err && !k->has_msg && !errno_ok(k->err, r->nomsg) &&
	    k->err != -ENOMEM)
		violation(f, r, "error %d (%s) without an extack message",
			  k->err, strerror(-k->err));
	if (k->err == -EPERM && f->priv && r->c && (r->c->flags & C_ADMIN))
		violation(f, r, "EPERM with CAP_NET_ADMIN");
	if (k->err == 0 && !f->priv && r->c && (r->c->flags & C_ADMIN))
		violation(f, r, "an admin command worked without CAP_NET_ADMIN");
}

/*
 * Reads the answers to @r: data messages, then the ACK or the dump's DONE.
 * @cut >= 0: a dump abandoned after that many reads (the caller closes
 * the socket). Returns -1 if the socket is no good any more.
 */
static int collect(struct fz *f, struct req *r, int cut)
{
	uint32_t seq = r->nlh->nlmsg_seq;
	static __thread char buf[LGNL_RECV_SIZE];
	struct ackinfo k = {};
	int len, reads = 0;

	for (;;) {
		const struct nlmsghdr *m;

		if (cut >= 0 && reads >= cut)
			return 0;
		len = recv(mnl_socket_get_fd(f->s.nl), buf, sizeof(buf), 0);
		reads++;
		if (len < 0) {
			if (errno == EAGAIN) {
				CNT(timeouts);
				violation(f, r, "no answer in 20 s");
				return -1;
			}
			if (errno == ENOBUFS) {
				CNT(overruns);
				return -1;
			}
			if (errno == EINTR)
				continue;
			violation(f, r, "recv: %s", strerror(errno));
			return -1;
		}
		for (m = (void *)buf; mnl_nlmsg_ok(m, len);
		     m = mnl_nlmsg_next(m, &len)) {
			if (m->nlmsg_seq != seq) {
				/* An answer to an earlier request: only
				 * after a timeout, which is reported. */
				if (m->nlmsg_seq > seq)
					violation(f, r, "answer to seq %u",
						  m->nlmsg_seq);
				continue;
			}
			if (m->nlmsg_pid != mnl_socket_get_portid(f->s.nl)) {
				violation(f, r, "answer to port %u", m->nlmsg_pid);
				return -1;
			}
			if (m->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *e = mnl_nlmsg_get_payload(m);

				if (m->nlmsg_len < NLMSG_HDRLEN + sizeof(*e)) {
					violation(f, r, "short NLMSG_ERROR");
					return -1;
				}
				k.err = e->error;
				if (m->nlmsg_flags & NLM_F_ACK_TLVS)
					mnl_attr_parse(m, sizeof(*e),
						       ack_attr_cb, &k);
				judge(f, r, &k);
				return 0;
			}
			if (m->nlmsg_type == NLMSG_DONE) {
				if (!r->dump) {
					violation(f, r, "NLMSG_DONE to a doit");
					return -1;
				}
				if (mnl_nlmsg_get_payload_len(m) < sizeof(int)) {
					violation(f, r, "short NLMSG_DONE");
					return -1;
				}
				k.err = *(int *)mnl_nlmsg_get_payload(m);
				if (m->nlmsg_flags & NLM_F_ACK_TLVS)
					mnl_attr_parse(m, sizeof(int),
						       ack_attr_cb, &k);
				k.done = true;
				judge(f, r, &k);
				/* A dump's ACK follows its DONE (NLM_F_ACK). */
				continue;
			}
			check_data(f, r, m);
		}
		if (k.done)
			return 0;
	}
}

static int fz_open(struct fz *f)
{
	struct timeval tv = { .tv_sec = 20 };
	int err;

	if (opt_dry) {
		f->s.family = 0x1234;
		return 0;
	}
	err = lg_open(&f->s);

	if (err)
		return err;
	if (!f->s.family)
		return -ENOENT;
	setsockopt(mnl_socket_get_fd(f->s.nl), SOL_SOCKET, SO_RCVTIMEO, &tv,
		   sizeof(tv));
	return 0;
}

static void fz_reopen(struct fz *f)
{
	lg_close(&f->s);
	if (f->pinned) {
		f->dead = true;
		return;
	}
	if (fz_open(f)) {
		fprintf(stderr, "# %s: cannot reopen the socket\n", f->tag);
		errno = EIO;
		die("reopen");
	}
}

/* Attributes that walk exactly to @len, nests too (--dry-run's check). */
static bool wellformed(const void *p, int len, int depth)
{
	const struct nlattr *a = p;

	while (len >= (int)sizeof(*a)) {
		if (a->nla_len < sizeof(*a) || a->nla_len > len)
			return false;
		if ((a->nla_type & NLA_F_NESTED) && depth < 4 &&
		    !wellformed(a + 1, a->nla_len - sizeof(*a), depth + 1))
			return false;
		len -= NLA_ALIGN(a->nla_len);
		a = (const void *)((const char *)a + NLA_ALIGN(a->nla_len));
	}
	return len == 0;
}

/* Sends @r and judges what comes back. */
static void talk(struct fz *f, struct req *r)
{
	CNT(sent);
	CNT(by_cls[r->cls]);
	if (r->dump)
		CNT(dumps);
	if (opt_dry) {
		/* What is not meant to be malformed is not. */
		if (r->cls != M_SHORT && r->cls != M_TRAILING &&
		    r->cls != M_NESTFLAG &&
		    r->cls != M_GARBAGE && r->cls != M_LEN &&
		    r->cls != M_UNKNOWN && r->cls != M_NOTTAKEN &&
		    !wellformed((char *)r->nlh + NLMSG_HDRLEN + GENL_HDRLEN,
				r->nlh->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN, 0))
			violation(f, r, "built a malformed request");
		return;
	}
	if (mnl_socket_sendto(f->s.nl, r->nlh, r->nlh->nlmsg_len) < 0) {
		violation(f, r, "send: %s", strerror(errno));
		fz_reopen(f);
		return;
	}
	/*
	 * A dump's NLMSG_DONE comes before its ACK, if it has one: without
	 * NLM_F_ACK nothing follows it. Requests here never ask for an ACK
	 * on dumps, so DONE ends them.
	 */
	if (collect(f, r, -1) < 0)
		fz_reopen(f);
}

/* ------------------------------------------------------------------ */
/* Generating requests                                                */
/* ------------------------------------------------------------------ */

/* Where an attribute-level mutation goes: a policy, and one of its attrs. */
struct mut {
	int cls;
	const struct fp *where;
	const struct fa *which;	/* NULL: an extra attribute */
	bool done;
};

static bool name_has(const struct fa *d, const char *s)
{
	return strstr(d->name, s) != NULL;
}

static uint32_t pick_ifindex(struct fz *f)
{
	uint32_t i;

	if (chance(&f->rng, 8))
		return rrange(&f->rng, 1, 64);
	if (f->own_ns)
		return f->n_own ? f->own_ifindex[rn(&f->rng, f->n_own)] : 1;
	i = sh->ifindex[rn(&f->rng, ARRAY_SIZE(sh->ifindex))];
	return i ? i : acc0;
}

/* A value the command can take, biased to what exists. */
static uint64_t pick_int(struct fz *f, const struct fa *d, bool boundary)
{
	uint64_t *s = &f->rng;

	if (boundary)
		return chance(s, 2) ? d->min : d->max;
	if (name_has(d, "IFINDEX") || d->type == LG_MCAST_A_UPSTREAM) {
		if (d->type == LG_MCAST_A_UPSTREAM && chance(s, 4))
			return 0;
		return pick_ifindex(f);
	}
	if (d->kind == FK_U64 && name_has(d, "_ID")) {
		uint64_t id = sh->binding_id[rn(s, POOL)];

		return id && !chance(s, 8) ? id : rrange(s, 0, 4096);
	}
	if (name_has(d, "FAMILY"))
		return chance(s, 8) ? rnd(s) & 0xff :
		       chance(s, 2) ? AF_INET : AF_INET6;
	if (name_has(d, "MAX_BINDINGS") && !chance(s, 4))
		return rrange(s, 1000, d->max);
	if (d->type == LG_LINK_A_ROLE && d->max == LG_ROLE_MAX)
		return rn(s, 4) ? LG_ROLE_ACCESS : rn(s, LG_ROLE_MAX + 1);
	if (name_has(d, "_PLEN"))
		return chance(s, 4) ? rn(s, 129) : 48 + 16 * rn(s, 6);
	switch (rn(s, 4)) {
	case 0:
		return d->min;
	case 1:
		return d->max;
	default:
		return rrange(s, d->min, d->max);
	}
}

static void put_int(struct nlmsghdr *nlh, uint16_t type, int kind, uint64_t v)
{
	if (kind == FK_U8)
		mnl_attr_put_u8(nlh, type, v);
	else if (kind == FK_U16)
		mnl_attr_put_u16(nlh, type, v);
	else if (kind == FK_U32)
		mnl_attr_put_u32(nlh, type, v);
	else
		mnl_attr_put_u64(nlh, type, v);
}

static int kind_len(int kind)
{
	return kind == FK_U8 ? 1 : kind == FK_U16 ? 2 : kind == FK_U32 ? 4 : 8;
}

static void put_bin_valid(struct fz *f, struct nlmsghdr *nlh,
			  const struct fa *d, bool boundary)
{
	uint64_t *s = &f->rng;
	uint8_t b[256];
	unsigned int len, i;

	len = boundary ? (chance(s, 2) ? d->min : d->max) :
			 rrange(s, d->min, d->max);
	for (i = 0; i < len; i++)
		b[i] = rnd(s);
	if (len == 16 && !chance(s, 4)) {
		/* Addresses: leased ones, or in the test prefixes. */
		struct in6_addr a = sh->addr[rn(s, POOL)];

		if (!a.s6_addr[0] || chance(s, 4)) {
			inet_pton(AF_INET6, "2001:db8:1::", &a);
			a.s6_addr[15] = rn(s, 64);
		}
		if (name_has(d, "LLADDR"))
			inet_pton(AF_INET6, chance(s, 2) ? "fe80::ff:fe00:102" :
				  "fe80::1", &a);
		if (d->type == LG_SAVI_A_ADDR && d->min == 16)
			memset(a.s6_addr + 6, 0, 10);
		memcpy(b, &a, 16);
	} else if (name_has(d, "DUID") && !chance(s, 4)) {
		make_duid(b, rn(s, N_DUIDS));
		len = 14;
	} else if (name_has(d, "MAC")) {
		b[0] &= chance(s, 8) ? 0xff : 0xfe;
	} else if (name_has(d, "GROUP") && !chance(s, 4)) {
		static const uint8_t v4[] = { 239, 1, 1, 0 };
		static const uint8_t v6[] = { 0xff, 0x05, 0, 0, 0, 0, 0, 0,
					      0, 0, 0, 0, 0, 1, 0, 0 };

		/* The groups the traffic joins (mc_churn()). */
		len = chance(s, 2) ? 4 : 16;
		memcpy(b, len == 4 ? v4 : v6, len);
		b[len - 1] = len == 4 ? rn(s, 16) : 16 + rn(s, 16);
	}
	mnl_attr_put(nlh, d->type, len, b);
}

static void put_attrs(struct fz *f, struct req *r, const struct fp *p,
		      struct mut *m, bool top);

/* A value for @d that the policy takes. */
static void put_valid(struct fz *f, struct req *r, const struct fa *d,
		      struct mut *m)
{
	bool boundary = m->cls == M_BOUNDARY && chance(&f->rng, 2);
	struct nlattr *nest;

	switch (d->kind) {
	case FK_FLAG:
		mnl_attr_put(r->nlh, d->type, 0, NULL);
		break;
	case FK_U8:
	case FK_U16:
	case FK_U32:
	case FK_U64:
		put_int(r->nlh, d->type, d->kind, pick_int(f, d, boundary));
		break;
	case FK_BIN:
		put_bin_valid(f, r->nlh, d, boundary);
		break;
	case FK_NEST:
		nest = mnl_attr_nest_start(r->nlh, d->type);
		put_attrs(f, r, d->nest, m, false);
		mnl_attr_nest_end(r->nlh, nest);
		break;
	}
}

static void put_garbage(struct fz *f, struct nlmsghdr *nlh, uint16_t type,
			unsigned int max)
{
	uint8_t b[512];
	unsigned int len = rn(&f->rng, max + 1), i;

	for (i = 0; i < len; i++)
		b[i] = rnd(&f->rng);
	/* Sometimes something that looks like attributes. */
	for (i = 0; i + 4 <= len && chance(&f->rng, 2); i += 4 + rn(&f->rng, 8)) {
		b[i] = 4 + rn(&f->rng, 12);
		b[i + 1] = 0;
		b[i + 2] = rn(&f->rng, 24);
		b[i + 3] = rnd(&f->rng) & 0xc0;
	}
	mnl_attr_put(nlh, type, len, b);
}

/* The mutated @d (or an extra attribute, d NULL) in policy @p. */
static void put_mutated(struct fz *f, struct req *r, const struct fp *p,
			const struct fa *d, struct mut *m)
{
	uint64_t *s = &f->rng;
	struct nlmsghdr *nlh = r->nlh;
	uint8_t b[256] = {};
	struct nlattr *a;
	uint16_t t;
	int len;

	switch (m->cls) {
	case M_RANGE: {
		uint64_t v, tmax = d->kind == FK_U8 ? 0xff :
				   d->kind == FK_U32 ? U32_MAX : U64_MAX;

		if (d->min > 0 && (d->max == tmax || chance(s, 2)))
			v = chance(s, 2) ? d->min - 1 : rrange(s, 0, d->min - 1);
		else
			v = chance(s, 2) ? d->max + 1 : rrange(s, d->max + 1, tmax);
		put_int(nlh, d->type, d->kind, v);
		snprintf(r->what, sizeof(r->what), "%s/%s = %" PRIu64,
			 p->name, d->name, v);
		break;
	}
	case M_LEN:
		if (d->kind == FK_BIN) {
			do {
				len = rn(s, d->max + 8);
			} while (len >= (int)d->min && len <= (int)d->max);
		} else if (d->kind == FK_FLAG) {
			len = 1 + rn(s, 8);
		} else {
			do {
				len = rn(s, 17);
			} while (len == kind_len(d->kind));
		}
		mnl_attr_put(nlh, d->type, len, b);
		snprintf(r->what, sizeof(r->what), "%s/%s of %d bytes",
			 p->name, d->name, len);
		break;
	case M_NESTFLAG:
		a = mnl_nlmsg_get_payload_tail(nlh);
		put_valid(f, r, d, m);
		a->nla_type ^= NLA_F_NESTED;
		snprintf(r->what, sizeof(r->what), "%s/%s with NLA_F_NESTED %s",
			 p->name, d->name,
			 a->nla_type & NLA_F_NESTED ? "set" : "cleared");
		break;
	case M_BYTEORDER:
		a = mnl_nlmsg_get_payload_tail(nlh);
		put_valid(f, r, d, m);
		a->nla_type |= NLA_F_NET_BYTEORDER;
		snprintf(r->what, sizeof(r->what), "%s/%s in network byte order",
			 p->name, d->name);
		break;
	case M_UNKNOWN:
		t = chance(s, 4) ? 0 : rrange(s, p->maxtype + 1,
					      chance(s, 2) ? p->maxtype + 4 : NLA_TYPE_MASK);
		put_garbage(f, nlh, t, 16);
		snprintf(r->what, sizeof(r->what), "%s: attribute %u", p->name, t);
		break;
	case M_NOTTAKEN:
	case M_DUMPATTR:
		if (d) {	/* a dump's top level: one it does not use */
			put_valid(f, r, d, m);
			snprintf(r->what, sizeof(r->what), "%s", d->name);
			break;
		}
		do {
			t = rrange(s, 1, p->maxtype);
		} while (fa_find(p, t));
		put_garbage(f, nlh, t, 8);
		snprintf(r->what, sizeof(r->what), "%s: attribute %u", p->name, t);
		break;
	case M_GARBAGE: {
		const struct fa *n = NULL;
		unsigned int i;

		for (i = 0; i < p->n && !n; i++)
			if (p->a[i].kind == FK_NEST && chance(s, 2))
				n = &p->a[i];
		t = n ? n->type : rrange(s, 1, p->maxtype);
		a = mnl_nlmsg_get_payload_tail(nlh);
		put_garbage(f, nlh, t, 200);
		if (chance(s, 2))
			a->nla_type |= NLA_F_NESTED;
		snprintf(r->what, sizeof(r->what), "%s: garbage in %u", p->name, t);
		break;
	}
	case M_DUP:
		put_valid(f, r, d, m);
		put_valid(f, r, d, m);
		snprintf(r->what, sizeof(r->what), "%s/%s twice", p->name, d->name);
		break;
	}
}

/*
 * The attributes of @p: each taken attribute or not, at random (the top
 * level's required one always, but for M_MISSING), and the mutation if it
 * goes here.
 */
static void put_attrs(struct fz *f, struct req *r, const struct fp *p,
		      struct mut *m, bool top)
{
	unsigned int i;

	for (i = 0; i < p->n; i++) {
		const struct fa *d = &p->a[i];
		bool inc;

		if (m->where == p && m->which == d && !m->done) {
			m->done = true;
			put_mutated(f, r, p, d, m);
			continue;
		}
		if (top) {
			inc = r->dump ? (r->c->dump_takes & (1u << d->type)) &&
					chance(&f->rng, 2) :
				m->cls == M_MISSING ? d->type != r->c->do_req &&
						      chance(&f->rng, 2) :
				d->type == r->c->do_req || chance(&f->rng, 2);
			/* The nest the mutation goes into. */
			if (d->kind == FK_NEST && d->nest == m->where &&
			    !m->done)
				inc = true;
		} else {
			inc = name_has(d, "IFINDEX") || name_has(d, "FAMILY") ?
			      !chance(&f->rng, 8) : chance(&f->rng, 2);
		}
		if (inc)
			put_valid(f, r, d, m);
	}
	if (m->where == p && !m->which && !m->done && m->cls != M_TRAILING) {
		m->done = true;
		put_mutated(f, r, p, NULL, m);
	}
	if (m->where == p && m->cls == M_TRAILING && !m->done && !top) {
		/* Inside the nest: its length takes them in. */
		unsigned int n = 1 + rn(&f->rng, 3);

		m->done = true;
		memset((char *)r->nlh + r->nlh->nlmsg_len, 0xa5, n);
		r->nlh->nlmsg_len = MNL_ALIGN(r->nlh->nlmsg_len + n);
		snprintf(r->what, sizeof(r->what), "%s: %u bytes after the attributes",
			 p->name, n);
	}
}

/*
 * The policies a request of @c may carry: the top level, its nests and
 * theirs (LG_CMD_BINDING_NEW's leases); at most 8.
 */
static int policies_of(const struct fc *c, const struct fp **out)
{
	unsigned int i;
	int n = 0, k;

	out[n++] = c->pol;
	for (k = 0; k < n && n < 8; k++)
		for (i = 0; i < out[k]->n && n < 8; i++)
			if (out[k]->a[i].kind == FK_NEST)
				out[n++] = out[k]->a[i].nest;
	return n;
}

static struct nlmsghdr *put_header(struct fz *f, struct req *r, uint8_t cmd,
				   uint16_t flags)
{
	struct genlmsghdr *g;

	r->nlh = mnl_nlmsg_put_header(r->buf);
	r->nlh->nlmsg_type = f->s.family;
	r->nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	r->nlh->nlmsg_seq = ++f->s.seq;
	g = mnl_nlmsg_put_extra_header(r->nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = chance(&f->rng, 16) ? 0 : LEASEGUARD_GENL_VERSION;
	r->cmd = cmd;
	return r->nlh;
}

/* Picks the mutation's place for the attribute-level classes. */
static bool place(struct fz *f, struct req *r, struct mut *m)
{
	const struct fp *ps[8];
	const struct fa *cand[64];
	const struct fp *candp[64];
	int np = policies_of(r->c, ps), nc = 0, i;
	unsigned int j;

	m->where = NULL;
	m->which = NULL;
	switch (m->cls) {
	case M_UNKNOWN:
	case M_NOTTAKEN:
	case M_GARBAGE:
	case M_TRAILING:
		m->where = ps[rn(&f->rng, np)];
		if (m->cls == M_NOTTAKEN && m->where->n >= m->where->maxtype)
			return false;
		return true;
	case M_DUMPATTR:
		for (j = 0; j < r->c->pol->n; j++)
			if (!(r->c->dump_takes & (1u << r->c->pol->a[j].type))) {
				candp[nc] = r->c->pol;
				cand[nc++] = &r->c->pol->a[j];
			}
		break;
	default:
		for (i = 0; i < np; i++) {
			for (j = 0; j < ps[i]->n && nc < 64; j++) {
				const struct fa *d = &ps[i]->a[j];
				uint64_t tmax = d->kind == FK_U8 ? 0xff :
						d->kind == FK_U32 ? U32_MAX : U64_MAX;

				if (m->cls == M_RANGE &&
				    (d->kind < FK_U8 || d->kind > FK_U64 ||
				     (d->min == 0 && d->max == tmax)))
					continue;
				if (m->cls == M_LEN && d->kind == FK_NEST)
					continue;
				candp[nc] = ps[i];
				cand[nc++] = d;
			}
		}
	}
	if (!nc)
		return false;
	i = rn(&f->rng, nc);
	m->where = candp[i];
	m->which = cand[i];
	return true;
}

static const uint8_t not_cmds[] = {
	LG_CMD_UNSPEC, LG_CMD_LINK_NTF, LG_CMD_LINK_DEL_NTF,
	LG_CMD_BINDING_NEW_NTF, LG_CMD_BINDING_UPD_NTF, LG_CMD_BINDING_DEL_NTF,
	LG_CMD_MCAST_NTF, LG_CMD_MC_GROUP_NTF, LG_CMD_MC_GROUP_DEL_NTF,
	LG_CMD_MC_QUERY_NTF, LG_CMD_BINDING_ANCHOR_NTF, LG_CMD_SAVI_MISS_NTF,
	LG_CMD_MAX + 1, 255,
};

/* Builds one request of class @cls into @r; false if @cls does not fit. */
static bool build(struct fz *f, struct req *r, int cls)
{
	uint64_t *s = &f->rng;
	const struct fc *c = &cmds[rn(s, ARRAY_SIZE(cmds))];
	struct mut m = { .cls = cls };
	uint16_t flags;
	bool attr_level = cls >= M_RANGE && cls <= M_DUP && cls != M_DUP;

	memset(r, 0, offsetof(struct req, what));
	r->what[0] = 0;
	r->c = c;
	r->cls = cls;
	if (c->flags & C_DUMP && (!(c->flags & C_DO) || chance(s, 3)))
		r->dump = true;
	if (cls == M_MODE) {
		if ((c->flags & (C_DO | C_DUMP)) == (C_DO | C_DUMP))
			return false;
		r->dump = !(c->flags & C_DUMP);
	}
	if (cls == M_DUMPATTR) {
		if (!(c->flags & C_DUMP))
			return false;
		r->dump = true;
	}
	if (cls == M_MISSING && (r->dump || !c->do_req))
		return false;
	flags = r->dump ? NLM_F_DUMP : NLM_F_ACK;
	put_header(f, r, c->cmd, flags);

	if (attr_level || cls == M_DUMPATTR || cls == M_DUP) {
		if (cls == M_DUP) {
			const struct fp *ps[8];
			int np = policies_of(c, ps);
			const struct fp *p = ps[rn(s, np)];

			if (!p->n)
				return false;
			m.where = p;
			m.which = &p->a[rn(s, p->n)];
		} else if (!place(f, r, &m)) {
			return false;
		}
		/* A dump's top level carries only what the dump uses. */
		if (r->dump && m.where != c->pol && cls != M_DUMPATTR) {
			unsigned int i;

			for (i = 0; i < c->pol->n; i++)
				if (c->pol->a[i].nest == m.where &&
				    !(c->dump_takes & (1u << c->pol->a[i].type)))
					return false;
		}
	}
	put_attrs(f, r, c->pol, &m, true);
	if (cls == M_TRAILING && m.where == c->pol) {
		/* Bytes after the message's last attribute. */
		unsigned int n = 1 + rn(s, 3);

		m.done = true;

		memset((char *)r->nlh + r->nlh->nlmsg_len, 0xa5, n);
		r->nlh->nlmsg_len += n;
		snprintf(r->what, sizeof(r->what), "%u bytes after the attributes", n);
	}
	if (attr_level && !m.done)
		return false;

	r->expect = X_ANY;
	switch (cls) {
	case M_RANGE: case M_LEN: case M_NESTFLAG: case M_BYTEORDER:
	case M_UNKNOWN: case M_NOTTAKEN: case M_DUMPATTR: case M_TRAILING:
	case M_MISSING:
		r->expect = X_ERR;
		break;
	case M_RESERVED:
		((struct genlmsghdr *)mnl_nlmsg_get_payload(r->nlh))->reserved =
			1 + rn(s, 0xffff);
		r->expect = X_ERR;
		break;
	case M_NLFLAGS: {
		static const uint16_t bad[] = { NLM_F_MULTI, NLM_F_ROOT,
			NLM_F_MATCH, NLM_F_ATOMIC, NLM_F_CREATE, NLM_F_EXCL,
			NLM_F_APPEND, NLM_F_REPLACE, 0x800 };

		r->nlh->nlmsg_flags |= bad[rn(s, ARRAY_SIZE(bad))];
		if ((r->nlh->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP)
			r->nlh->nlmsg_flags |= NLM_F_ATOMIC;
		snprintf(r->what, sizeof(r->what), "nlmsg_flags %#x",
			 r->nlh->nlmsg_flags);
		r->expect = X_ERR;
		break;
	}
	case M_VERSION:
		((struct genlmsghdr *)mnl_nlmsg_get_payload(r->nlh))->version =
			rrange(s, LEASEGUARD_GENL_VERSION + 1, 255);
		r->expect = X_ERR;
		break;
	case M_NOCMD:
		r->cmd = not_cmds[rn(s, ARRAY_SIZE(not_cmds))];
		if (r->cmd == 255)
			r->cmd = rrange(s, LG_CMD_MAX + 1, 255);
		((struct genlmsghdr *)mnl_nlmsg_get_payload(r->nlh))->cmd = r->cmd;
		snprintf(r->what, sizeof(r->what), "cmd %u", r->cmd);
		r->expect = X_ERRNO;
		r->nomsg = NM_NOCMD;
		break;
	case M_MODE:
		r->expect = X_ERRNO;
		r->nomsg = NM_MODE;
		break;
	case M_SHORT:
		r->nlh->nlmsg_len = NLMSG_HDRLEN + rn(s, GENL_HDRLEN);
		r->expect = X_ERRNO;
		r->nomsg = NM_SHORT;
		break;
	}
	/* A dump of the wrong command gets an error before it is a dump. */
	if (r->dump && r->expect != X_ERRNO)
		r->nomsg = NM_BUSY;
	/*
	 * Without CAP_NET_ADMIN an admin command is refused before anything
	 * but the header: its length, reserved bytes, flags and command.
	 */
	if (!f->priv && (c->flags & C_ADMIN) && cls != M_SHORT &&
	    cls != M_RESERVED && cls != M_NLFLAGS && cls != M_NOCMD) {
		r->expect = X_ERRNO;
		r->nomsg = NM_PERM;
	}
	if (r->cmd != c->cmd)
		r->c = NULL;
	return true;
}

/* ------------------------------------------------------------------ */
/* The table against the kernel's: CTRL_CMD_GETFAMILY, _GETPOLICY     */
/* ------------------------------------------------------------------ */

#define KPOLS	64
#define KATTRS	64

struct kattr {
	uint16_t type;
	uint32_t kind;			/* NL_ATTR_TYPE_* */
	uint64_t min, max;		/* values */
	uint32_t minlen, maxlen;	/* binary */
	int32_t idx;			/* nested: its policy, or -1 */
	uint32_t maxtype;
};

struct kpol {
	int n;
	struct kattr a[KATTRS];
};

struct kfamily {
	uint16_t id;
	struct kpol pol[KPOLS];
	struct {
		bool present;
		uint32_t flags;
		int32_t do_idx, dump_idx;
	} op[256];
};

static int kattr_cb(const struct nlattr *a, void *data)
{
	struct kattr *k = data;

	switch (mnl_attr_get_type(a)) {
	case NL_POLICY_TYPE_ATTR_TYPE:
		k->kind = mnl_attr_get_u32(a);
		break;
	case NL_POLICY_TYPE_ATTR_MIN_VALUE_U:
		k->min = mnl_attr_get_u64(a);
		break;
	case NL_POLICY_TYPE_ATTR_MAX_VALUE_U:
		k->max = mnl_attr_get_u64(a);
		break;
	case NL_POLICY_TYPE_ATTR_MIN_LENGTH:
		k->minlen = mnl_attr_get_u32(a);
		break;
	case NL_POLICY_TYPE_ATTR_MAX_LENGTH:
		k->maxlen = mnl_attr_get_u32(a);
		break;
	case NL_POLICY_TYPE_ATTR_POLICY_IDX:
		k->idx = mnl_attr_get_u32(a);
		break;
	case NL_POLICY_TYPE_ATTR_POLICY_MAXTYPE:
		k->maxtype = mnl_attr_get_u32(a);
		break;
	}
	return MNL_CB_OK;
}

static int kfam_cb(const struct nlmsghdr *nlh, void *data)
{
	struct kfamily *kf = data;
	const struct nlattr *a, *b, *c, *d;

	mnl_attr_for_each(a, nlh, GENL_HDRLEN) {
		switch (mnl_attr_get_type(a)) {
		case CTRL_ATTR_FAMILY_ID:
			kf->id = mnl_attr_get_u16(a);
			break;
		case CTRL_ATTR_OPS:
			mnl_attr_for_each_nested(b, a) {
				uint32_t id = 256, fl = 0;

				mnl_attr_for_each_nested(c, b) {
					if (mnl_attr_get_type(c) == CTRL_ATTR_OP_ID)
						id = mnl_attr_get_u32(c);
					if (mnl_attr_get_type(c) == CTRL_ATTR_OP_FLAGS)
						fl = mnl_attr_get_u32(c);
				}
				if (id < 256) {
					kf->op[id].present = true;
					kf->op[id].flags = fl;
				}
			}
			break;
		case CTRL_ATTR_OP_POLICY:
			mnl_attr_for_each_nested(b, a) {
				uint16_t op = mnl_attr_get_type(b);

				if (op >= 256)
					continue;
				mnl_attr_for_each_nested(c, b) {
					if (mnl_attr_get_type(c) == CTRL_ATTR_POLICY_DO)
						kf->op[op].do_idx = mnl_attr_get_u32(c);
					if (mnl_attr_get_type(c) == CTRL_ATTR_POLICY_DUMP)
						kf->op[op].dump_idx = mnl_attr_get_u32(c);
				}
			}
			break;
		case CTRL_ATTR_POLICY:
			mnl_attr_for_each_nested(b, a) {
				uint16_t idx = mnl_attr_get_type(b);
				struct kpol *kp;

				if (idx >= KPOLS)
					continue;
				kp = &kf->pol[idx];
				mnl_attr_for_each_nested(c, b) {
					struct kattr *k;

					if (kp->n >= KATTRS)
						break;
					k = &kp->a[kp->n++];
					memset(k, 0, sizeof(*k));
					k->type = mnl_attr_get_type(c);
					k->idx = -1;
					d = c;
					mnl_attr_parse_nested(d, kattr_cb, k);
				}
			}
			break;
		}
	}
	return MNL_CB_OK;
}

/* One controller request (a dump or not); every answer to @kf. */
static int ctrl_req(struct mnl_socket *nl, uint8_t cmd, bool dump,
		    const char *family, struct kfamily *kf)
{
	static char buf[LGNL_RECV_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *g;
	uint32_t seq = time(NULL);
	int len;

	nlh->nlmsg_type = GENL_ID_CTRL;
	nlh->nlmsg_flags = NLM_F_REQUEST | (dump ? NLM_F_DUMP : NLM_F_ACK);
	nlh->nlmsg_seq = seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = 2;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, family);
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	for (;;) {
		len = mnl_socket_recvfrom(nl, buf, sizeof(buf));
		if (len < 0)
			return -errno;
		len = mnl_cb_run(buf, len, seq, mnl_socket_get_portid(nl),
				 kfam_cb, kf);
		if (len <= MNL_CB_STOP)
			return len < 0 ? -errno : 0;
	}
}

static int kfamily_get(const char *family, struct kfamily *kf)
{
	struct mnl_socket *nl = mnl_socket_open(NETLINK_GENERIC);
	int err, i;

	memset(kf, 0, sizeof(*kf));
	for (i = 0; i < 256; i++)
		kf->op[i].do_idx = kf->op[i].dump_idx = -1;
	if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0)
		return -errno;
	err = ctrl_req(nl, CTRL_CMD_GETFAMILY, false, family, kf);
	if (!err)
		err = ctrl_req(nl, CTRL_CMD_GETPOLICY, true, family, kf);
	mnl_socket_close(nl);
	return err;
}

static const char *const ktype_name[] = {
	"invalid", "flag", "u8", "u16", "u32", "u64", "s8", "s16", "s32",
	"s64", "binary", "string", "nul-string", "nested", "nested-array",
	"bitfield32", "sint", "uint",
};

static void kpol_print(const struct kfamily *kf, int idx, int depth,
		       uint32_t seen)
{
	int i;

	if (idx < 0 || idx >= KPOLS || depth > 8)
		return;
	for (i = 0; i < kf->pol[idx].n; i++) {
		const struct kattr *k = &kf->pol[idx].a[i];

		printf("%*s%u: %s", 2 * depth + 4, "", k->type,
		       k->kind < ARRAY_SIZE(ktype_name) ? ktype_name[k->kind] : "?");
		if (k->kind >= NL_ATTR_TYPE_U8 && k->kind <= NL_ATTR_TYPE_U64)
			printf(" %" PRIu64 "..%" PRIu64, k->min, k->max);
		if (k->minlen || k->maxlen)
			printf(" len %u..%u", k->minlen, k->maxlen);
		if (k->idx >= 0)
			printf(" policy %d maxtype %u", k->idx, k->maxtype);
		printf("\n");
		if (k->idx >= 0 && k->idx < 32 && !(seen & (1u << k->idx)))
			kpol_print(kf, k->idx, depth + 1, seen | 1u << k->idx);
	}
}

/* genl_fuzz --policy FAMILY: what the kernel says, for eyes. */
static int print_policy(const char *family)
{
	static struct kfamily kf;
	int err = kfamily_get(family, &kf), op;

	if (err) {
		fprintf(stderr, "genl_fuzz: %s: %s\n", family, strerror(-err));
		return 1;
	}
	printf("family %s id %u\n", family, kf.id);
	for (op = 0; op < 256; op++) {
		if (!kf.op[op].present)
			continue;
		printf("  op %d flags %#x do %d dump %d\n", op, kf.op[op].flags,
		       kf.op[op].do_idx, kf.op[op].dump_idx);
		kpol_print(&kf, kf.op[op].do_idx >= 0 ? kf.op[op].do_idx :
			   kf.op[op].dump_idx, 0, 0);
	}
	return 0;
}

static int kind_of(int fk)
{
	switch (fk) {
	case FK_FLAG: return NL_ATTR_TYPE_FLAG;
	case FK_U8: return NL_ATTR_TYPE_U8;
	case FK_U16: return NL_ATTR_TYPE_U16;
	case FK_U32: return NL_ATTR_TYPE_U32;
	case FK_U64: return NL_ATTR_TYPE_U64;
	case FK_BIN: return NL_ATTR_TYPE_BINARY;
	case FK_NEST: return NL_ATTR_TYPE_NESTED;
	}
	return -1;
}

/* Compares table policy @p with the kernel's policy @idx; counts misfits. */
static int compare(const struct kfamily *kf, const struct fp *p, int idx,
		   const char *path, unsigned int *n_attrs)
{
	const struct kpol *kp = idx >= 0 && idx < KPOLS ? &kf->pol[idx] : NULL;
	int bad = 0, i;
	unsigned int j;

	for (j = 0; j < p->n; j++) {
		const struct fa *d = &p->a[j];
		const struct kattr *k = NULL;

		for (i = 0; kp && i < kp->n; i++)
			if (kp->a[i].type == d->type)
				k = &kp->a[i];
		(*n_attrs)++;
		if (!k) {
			printf("# policy: %s/%s: in the table, not in the kernel\n",
			       path, d->name);
			bad++;
			continue;
		}
		if ((int)k->kind != kind_of(d->kind)) {
			printf("# policy: %s/%s: kernel type %u, table %d\n",
			       path, d->name, k->kind, kind_of(d->kind));
			bad++;
			continue;
		}
		if (d->kind >= FK_U8 && d->kind <= FK_U64 &&
		    (k->min != d->min || k->max != d->max)) {
			printf("# policy: %s/%s: kernel %" PRIu64 "..%" PRIu64
			       ", table %" PRIu64 "..%" PRIu64 "\n", path,
			       d->name, k->min, k->max, d->min, d->max);
			bad++;
		}
		if (d->kind == FK_BIN &&
		    (k->minlen != d->min || k->maxlen != d->max)) {
			printf("# policy: %s/%s: kernel length %u..%u, table %"
			       PRIu64 "..%" PRIu64 "\n", path, d->name,
			       k->minlen, k->maxlen, d->min, d->max);
			bad++;
		}
		if (d->kind == FK_NEST) {
			char sub[256];

			if (k->maxtype != d->nest->maxtype) {
				printf("# policy: %s/%s: kernel maxtype %u, table %u\n",
				       path, d->name, k->maxtype, d->nest->maxtype);
				bad++;
			}
			snprintf(sub, sizeof(sub), "%s/%s", path, d->name);
			bad += compare(kf, d->nest, k->idx, sub, n_attrs);
		}
	}
	for (i = 0; kp && i < kp->n; i++) {
		if (!fa_find(p, kp->a[i].type)) {
			printf("# policy: %s: the kernel takes attribute %u, the table does not\n",
			       path, kp->a[i].type);
			bad++;
		}
	}
	return bad;
}

/* The table against the loaded module; returns the number of misfits. */
static int check_table(void)
{
	static struct kfamily kf;
	unsigned int i, n_attrs = 0;
	int err, bad = 0, op;

	err = kfamily_get(LEASEGUARD_GENL_NAME, &kf);
	if (err) {
		printf("# policy: %s: %s\n", LEASEGUARD_GENL_NAME, strerror(-err));
		return 1;
	}
	for (op = 0; op < 256; op++) {
		const struct fc *c = NULL;
		uint32_t want;

		for (i = 0; i < ARRAY_SIZE(cmds); i++)
			if (cmds[i].cmd == op)
				c = &cmds[i];
		if (!c && !kf.op[op].present)
			continue;
		if (!c || !kf.op[op].present) {
			printf("# policy: command %d: %s\n", op,
			       c ? "in the table, not in the kernel" :
				   "in the kernel, not in the table");
			bad++;
			continue;
		}
		want = c->flags | GENL_CMD_CAP_HASPOL;
		if (kf.op[op].flags != want) {
			printf("# policy: %s: kernel flags %#x, table %#x\n",
			       c->name, kf.op[op].flags, want);
			bad++;
		}
		if (kf.op[op].do_idx >= 0 && kf.op[op].dump_idx >= 0 &&
		    kf.op[op].do_idx != kf.op[op].dump_idx) {
			printf("# policy: %s: the dump has a policy of its own\n",
			       c->name);
			bad++;
		}
		bad += compare(&kf, c->pol, kf.op[op].do_idx >= 0 ?
			       kf.op[op].do_idx : kf.op[op].dump_idx, c->name,
			       &n_attrs);
	}
	printf("# policy: %zu commands, %u attributes: the table %s the kernel's\n",
	       ARRAY_SIZE(cmds), n_attrs, bad ? "differs from" : "matches");
	return bad;
}

/* ------------------------------------------------------------------ */
/* Fuzzing                                                            */
/* ------------------------------------------------------------------ */

static int pick_cls(struct fz *f)
{
	unsigned int p = rn(&f->rng, 100);

	if (p < 30)
		return M_VALID;
	if (p < 40)
		return M_BOUNDARY;
	return rrange(&f->rng, M_RANGE, M_MISSING);
}

/* A dump read for a while, then dropped with its socket. */
static void dump_cut(struct fz *f)
{
	static __thread struct req r;
	struct fz g = *f;
	int rcvbuf = 4096, reads;

	memset(&g.s, 0, sizeof(g.s));
	if (fz_open(&g)) {
		violation(f, NULL, "cannot open a socket");
		return;
	}
	setsockopt(mnl_socket_get_fd(g.s.nl), SOL_SOCKET, SO_RCVBUF, &rcvbuf,
		   sizeof(rcvbuf));
	do {
		while (!build(&g, &r, M_VALID))
			;
	} while (!r.dump);
	r.cls = M_DUMPCUT;
	reads = rn(&g.rng, 3);
	snprintf(r.what, sizeof(r.what), "closed after %d reads", reads);
	CNT(sent);
	CNT(dumps);
	CNT(dumps_cut);
	CNT(by_cls[M_DUMPCUT]);
	if (mnl_socket_sendto(g.s.nl, r.nlh, r.nlh->nlmsg_len) < 0 ||
	    collect(&g, &r, reads) < 0)
		goto out;
	/*
	 * Another request on the socket whose dump is unread: its answer
	 * comes behind the dump's (skipped), a dump is refused (-EBUSY).
	 */
	if (chance(&g.rng, 2)) {
		static __thread struct req r2;

		while (!build(&g, &r2, M_VALID))
			;
		snprintf(r2.what, sizeof(r2.what), "behind an unread dump");
		CNT(sent);
		CNT(by_cls[M_VALID]);
		if (mnl_socket_sendto(g.s.nl, r2.nlh, r2.nlh->nlmsg_len) >= 0)
			collect(&g, &r2, -1);
	}
out:
	lg_close(&g.s);
	f->rng = g.rng;
	f->iter = g.iter;
}

static void fuzz_one(struct fz *f)
{
	static __thread struct req r;

	if (f->dead)
		return;
	f->iter++;
	/* A new socket would be in this thread's namespace, not the pinned. */
	if (chance(&f->rng, 24) && !opt_dry && !f->pinned) {
		dump_cut(f);
		return;
	}
	while (!build(f, &r, pick_cls(f)))
		;
	if (opt_verbose)
		fprintf(stderr, "# %s %" PRIu64 ": %s %s%s %s\n", f->tag, f->iter,
			r.c ? r.c->name : "-", r.dump ? "dump " : "",
			cls_name[r.cls], r.what);
	talk(f, &r);
}

static void fz_init(struct fz *f, const char *tag, uint64_t seed, bool priv)
{
	memset(f, 0, sizeof(*f));
	snprintf(f->tag, sizeof(f->tag), "%s", tag);
	f->seed = seed;
	f->rng = seed * 0x9e3779b97f4a7c15ULL + 1;
	f->priv = priv;
}

/*
 * The fuzzers never wait: niced, they leave the CPU to the traffic and to
 * the softirqs it needs (two vCPUs under TCG).
 */
static void fuzzer_nice(void)
{
	setpriority(PRIO_PROCESS, 0, 5);
}

static void enter(int fd)
{
	if (setns(fd, CLONE_NEWNET))
		die("setns");
}

static void *fuzz_thread(void *arg)
{
	struct fz f;
	char tag[16];
	long i = (long)arg;

	snprintf(tag, sizeof(tag), "thread%ld", i);
	fz_init(&f, tag, opt_seed + i, true);
	fuzzer_nice();
	enter(nsfd_r);
	if (fz_open(&f))
		die("open the family in R");
	while (time_left())
		fuzz_one(&f);
	lg_close(&f.s);
	return NULL;
}

/* A valid request built by hand, judged like the others. */
static void set_u32s(struct fz *f, uint8_t cmd, uint16_t top, int n, ...)
{
	static __thread struct req r;
	struct nlattr *nest;
	va_list ap;
	int i;

	memset(&r, 0, offsetof(struct req, what));
	snprintf(r.what, sizeof(r.what), "by hand");
	for (i = 0; i < (int)ARRAY_SIZE(cmds); i++)
		if (cmds[i].cmd == cmd)
			r.c = &cmds[i];
	put_header(f, &r, cmd, NLM_F_ACK);
	((struct genlmsghdr *)mnl_nlmsg_get_payload(r.nlh))->version =
		LEASEGUARD_GENL_VERSION;
	nest = mnl_attr_nest_start(r.nlh, top);
	va_start(ap, n);
	for (i = 0; i < n; i++) {
		int type = va_arg(ap, int), kind = va_arg(ap, int);
		uint64_t v = va_arg(ap, uint64_t);

		put_int(r.nlh, type, kind, v);
	}
	va_end(ap);
	mnl_attr_nest_end(r.nlh, nest);
	talk(f, &r);
}

static void set_role(struct fz *f, uint32_t ifindex, uint32_t role)
{
	set_u32s(f, LG_CMD_LINK_SET, LG_A_LINK, 2,
		 LG_LINK_A_IFINDEX, FK_U32, (uint64_t)ifindex,
		 LG_LINK_A_ROLE, FK_U32, (uint64_t)role);
}

/* ------------------------------------------------------------------ */
/* Notifications                                                      */
/* ------------------------------------------------------------------ */

/*
 * Joins the family's groups: all of them with CAP_NET_ADMIN over the
 * socket's namespace, only "config" without (the others: -EPERM).
 */
static void join_groups(struct fz *f)
{
	uint32_t grp[] = { f->s.mcgrp_config, f->s.mcgrp_bindings,
			   f->s.mcgrp_mcast };
	unsigned int i;
	int err;

	if (opt_dry)
		return;
	for (i = 0; i < ARRAY_SIZE(grp); i++) {
		if (!grp[i]) {
			violation(f, NULL, "group %u has no ID", i);
			continue;
		}
		err = lg_join(&f->s, grp[i]) ? -errno : 0;
		if (err == -EPERM)
			CNT(join_eperm);
		if (f->priv || i == G_CONFIG ? err : err != -EPERM)
			violation(f, NULL, "joining group %u: %s", i,
				  err ? strerror(-err) : "allowed");
	}
}

/* Whatever the groups bring: parsed whole, as the replies are. */
static void *listen_thread(void *arg)
{
	static char buf[LGNL_RECV_SIZE];
	int rcvbuf = 4 << 20, len, fd;
	struct timeval tv = { .tv_sec = 1 };
	struct fz f;

	(void)arg;
	if (opt_dry)
		return NULL;
	fz_init(&f, "listener", opt_seed + 3000, true);
	enter(nsfd_r);
	if (fz_open(&f))
		die("open the family in R");
	fd = mnl_socket_get_fd(f.s.nl);
	setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf));
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	join_groups(&f);
	while (time_left()) {
		const struct nlmsghdr *m;
		char why[512];

		len = recv(fd, buf, sizeof(buf), 0);
		if (len < 0) {
			if (errno == ENOBUFS)
				CNT(ntf_overruns);
			else if (errno != EAGAIN && errno != EINTR)
				violation(&f, NULL, "recv: %s", strerror(errno));
			continue;
		}
		for (m = (void *)buf; mnl_nlmsg_ok(m, len);
		     m = mnl_nlmsg_next(m, &len)) {
			const struct genlmsghdr *g = mnl_nlmsg_get_payload(m);
			int grp;

			CNT(ntf);
			if (m->nlmsg_type != f.s.family || m->nlmsg_seq ||
			    m->nlmsg_pid || m->nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN) {
				violation(&f, NULL, "notification type %u seq %u pid %u",
					  m->nlmsg_type, m->nlmsg_seq, m->nlmsg_pid);
				continue;
			}
			/* Which group: the first whose table has the command. */
			for (grp = G_CONFIG; grp <= G_MCAST; grp++) {
				unsigned int i;

				for (i = 0; i < ARRAY_SIZE(msgs); i++)
					if (msgs[i].cmd == g->cmd &&
					    msgs[i].grp == grp)
						break;
				if (i < ARRAY_SIZE(msgs))
					break;
			}
			if (!check_msg(m, grp > G_MCAST ? G_CONFIG : grp, why,
				       sizeof(why)))
				violation(&f, NULL, "malformed notification: %s",
					  why);
		}
	}
	lg_close(&f.s);
	return NULL;
}

/* ------------------------------------------------------------------ */
/* Traffic: DHCPv6 through acc0, RELAY-REPLs and IGMP/MLD from C      */
/* ------------------------------------------------------------------ */

enum { REQUEST = 3, REPLY = 7, RELAY_REPL = 13 };

static int udp6(int nsfd, const char *dev, int port)
{
	struct sockaddr_in6 sa = { .sin6_family = AF_INET6,
				   .sin6_port = htons(port) };
	struct timeval tv = { .tv_usec = 200000 };
	int fd, one = 1;

	enter(nsfd);
	fd = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		die("socket");
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, dev, strlen(dev)) ||
	    bind(fd, (struct sockaddr *)&sa, sizeof(sa)))
		die("bind");
	enter(nsfd_r);
	return fd;
}

/*
 * C's eth0, as an index: if_nametoindex() of a name the thread's
 * namespace lacks runs modprobe (dev_load()), seconds in the VM.
 */
static uint32_t eth0_c;

static void send6(int fd, const char *to, uint32_t ifindex, int port,
		  const struct d6b *m)
{
	struct sockaddr_in6 sa = { .sin6_family = AF_INET6,
				   .sin6_port = htons(port) };

	inet_pton(AF_INET6, to, &sa.sin6_addr);
	sa.sin6_scope_id = ifindex;
	if (sendto(fd, m->buf, m->len, 0, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		CNT(traffic_errs);
}

static void drain(int fd)
{
	char b[2048];

	while (recv(fd, b, sizeof(b), MSG_DONTWAIT) > 0)
		;
}

/* A client's REQUEST, then the server's REPLY to it out of acc0. */
static void dhcp_exchange(uint64_t *s, int cl, int relay)
{
	static const uint8_t sduid[] = { 0, 1, 0, 1, 0x11, 0x22, 0x33, 0x44,
					 2, 0, 0, 0, 0xf, 2 };
	unsigned int i = rn(s, N_DUIDS);
	uint32_t xid = rnd(s) & 0xffffff, valid = chance(s, 8) ? 0 :
						  rrange(s, 60, 7200);
	bool pd = chance(s, 3);
	struct in6_addr a;
	uint8_t duid[14];
	struct d6b m;
	char b[2048];

	make_duid(duid, i);
	d6b_msg(&m, REQUEST, xid);
	d6b_put(&m, 1, duid, sizeof(duid));
	d6b_put(&m, 2, sduid, sizeof(sduid));
	d6b_ia(&m, pd ? 25 : 3, i, 0, 0);
	d6b_end(&m);
	send6(cl, "fe80::ff:fe00:101", eth0_c, 547, &m);
	/* The relay has it: the receive hook saw it. */
	if (recv(relay, b, sizeof(b), 0) < 0)
		CNT(traffic_errs);

	d6b_msg(&m, REPLY, xid);
	d6b_put(&m, 1, duid, sizeof(duid));
	d6b_put(&m, 2, sduid, sizeof(sduid));
	d6b_ia(&m, pd ? 25 : 3, i, 0, 0);
	if (pd) {
		inet_pton(AF_INET6, "2001:db8:100::", &a);
		a.s6_addr[4] = i >> 8;
		a.s6_addr[5] = i;
		d6b_iaprefix(&m, 56, &a, valid / 2, valid);
	} else {
		inet_pton(AF_INET6, "2001:db8:1::", &a);
		a.s6_addr[14] = i >> 8;
		a.s6_addr[15] = i;
		d6b_iaaddr(&m, &a, valid / 2, valid);
	}
	d6b_end(&m);
	send6(relay, "fe80::ff:fe00:102", acc0, 546, &m);
	drain(cl);
	if (valid)
		pool_add_addr(&a);
	CNT(dhcp);
}

/* A subscriber posing as a relay's server: DHCPv6-Shield's to drop. */
static void relay_repl(uint64_t *s, int cl)
{
	struct in6_addr link = {}, peer;
	uint8_t duid[14];
	struct d6b m;

	inet_pton(AF_INET6, "fe80::ff:fe00:102", &peer);
	make_duid(duid, rn(s, N_DUIDS));
	m.len = 0;
	m.depth = 0;
	d6b_relay(&m, RELAY_REPL, rn(s, 3), &link, &peer);
	d6b_open(&m, 9);
	d6b_u8(&m, REPLY);
	d6b_u8(&m, 0);
	d6b_u16(&m, rnd(s));
	d6b_put(&m, 1, duid, sizeof(duid));
	d6b_end(&m);
	send6(cl, "fe80::ff:fe00:101", eth0_c, 547, &m);
	CNT(relay_repl);
}

/* Joins or leaves a group on C's eth0: the kernel's reports go to acc0. */
static void mc_churn(uint64_t *s, int fd4, int fd6, uint32_t eth0,
		     uint32_t *joined)
{
	unsigned int k = rn(s, 32);
	bool join = !(*joined & (1u << k));
	struct group_source_req gsr = { .gsr_interface = eth0 };
	int fd = k < 16 ? fd4 : fd6, level = k < 16 ? IPPROTO_IP : IPPROTO_IPV6;
	bool ssm = k % 4 == 3;
	int opt;

	if (k < 16) {
		struct sockaddr_in *g = (void *)&gsr.gsr_group;
		struct sockaddr_in *src = (void *)&gsr.gsr_source;

		g->sin_family = src->sin_family = AF_INET;
		g->sin_addr.s_addr = htonl((ssm ? 0xe8010100 : 0xef010100) | k);
		src->sin_addr.s_addr = htonl(0x0a090900 | k);
	} else {
		struct sockaddr_in6 *g = (void *)&gsr.gsr_group;
		struct sockaddr_in6 *src = (void *)&gsr.gsr_source;

		g->sin6_family = src->sin6_family = AF_INET6;
		inet_pton(AF_INET6, ssm ? "ff3e::8000:1" : "ff05::1:0", &g->sin6_addr);
		g->sin6_addr.s6_addr[15] = k;
		inet_pton(AF_INET6, "2001:db8:9::", &src->sin6_addr);
		src->sin6_addr.s6_addr[15] = k;
	}
	if (ssm)
		opt = join ? MCAST_JOIN_SOURCE_GROUP : MCAST_LEAVE_SOURCE_GROUP;
	else
		opt = join ? MCAST_JOIN_GROUP : MCAST_LEAVE_GROUP;
	if (setsockopt(fd, level, opt, &gsr, ssm ? sizeof(gsr) :
		       sizeof(struct group_req))) {
		CNT(traffic_errs);
		return;
	}
	*joined ^= 1u << k;
	if (join)
		CNT(mc_joins);
	else
		CNT(mc_leaves);
}

static void *traffic_thread(void *arg)
{
	uint64_t s = opt_seed ^ 0x7472616666696300ULL;
	uint32_t n = 0;
	int cl, relay;
	struct fz f;

	(void)arg;
	fz_init(&f, "traffic", opt_seed + 1000, true);
	enter(nsfd_r);
	if (fz_open(&f))
		die("open the family in R");
	cl = udp6(nsfd_c, "eth0", 546);
	relay = udp6(nsfd_r, "acc0", 547);
	while (time_left()) {
		/* Now and then, what the fuzzers undo: access, multicast. */
		if (n++ % 64 == 0) {
			set_role(&f, acc0, LG_ROLE_ACCESS);
			set_role(&f, up0, LG_ROLE_UPSTREAM);
			set_u32s(&f, LG_CMD_CONFIG_SET, LG_A_CONFIG, 1,
				 LG_CONFIG_A_MAX_BINDINGS, FK_U32,
				 (uint64_t)LG_MAX_BINDINGS_DEFAULT);
			set_u32s(&f, LG_CMD_LINK_SET, LG_A_LINK, 2,
				 LG_LINK_A_IFINDEX, FK_U32, (uint64_t)acc0,
				 LG_LINK_A_MAX_BINDINGS, FK_U32, (uint64_t)65536);
			set_u32s(&f, LG_CMD_MCAST_SET, LG_A_MCAST, 3,
				 LG_MCAST_A_FAMILY, FK_U8, (uint64_t)AF_INET,
				 LG_MCAST_A_ENABLE, FK_U8, (uint64_t)1,
				 LG_MCAST_A_UPSTREAM, FK_U32, (uint64_t)up0);
			set_u32s(&f, LG_CMD_MCAST_SET, LG_A_MCAST, 3,
				 LG_MCAST_A_FAMILY, FK_U8, (uint64_t)AF_INET6,
				 LG_MCAST_A_ENABLE, FK_U8, (uint64_t)1,
				 LG_MCAST_A_UPSTREAM, FK_U32, (uint64_t)up0);
		}
		dhcp_exchange(&s, cl, relay);
		if (chance(&s, 8))
			relay_repl(&s, cl);
		drain(relay);
		usleep(1000);
	}
	close(cl);
	close(relay);
	lg_close(&f.s);
	return NULL;
}

/*
 * Joins and leaves in C, a thread of their own: they take RTNL, which
 * the churn and the namespaces' deletion hold for long.
 */
static void *mcast_thread(void *arg)
{
	uint64_t s = opt_seed ^ 0x6d63617374000000ULL;
	uint32_t joined = 0, eth0;
	int fd4, fd6;

	(void)arg;
	enter(nsfd_c);
	eth0 = if_nametoindex("eth0");
	fd4 = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	fd6 = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd4 < 0 || fd6 < 0)
		die("socket");
	while (time_left()) {
		mc_churn(&s, fd4, fd6, eth0, &joined);
		usleep(rn(&s, 20000));
	}
	close(fd4);
	close(fd6);
	return NULL;
}

/* ------------------------------------------------------------------ */
/* Churn: interfaces come, go, change names and namespaces            */
/* ------------------------------------------------------------------ */

static struct mnl_socket *rtnl_open(int nsfd)
{
	struct mnl_socket *nl;

	enter(nsfd);
	nl = mnl_socket_open(NETLINK_ROUTE);
	if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0)
		die("rtnetlink");
	enter(nsfd_r);
	return nl;
}

static int rtnl_do(struct mnl_socket *nl, struct nlmsghdr *nlh)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	int len;

	nlh->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = time(NULL);
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	len = mnl_socket_recvfrom(nl, buf, sizeof(buf));
	if (len < 0)
		return -errno;
	return mnl_cb_run(buf, len, nlh->nlmsg_seq, mnl_socket_get_portid(nl),
			  NULL, NULL) < 0 ? -errno : 0;
}

static struct nlmsghdr *link_msg(char *buf, uint16_t type, uint16_t flags,
				 uint32_t ifindex)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifinfomsg *ifi;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = flags;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = ifindex;
	return nlh;
}

static int link_add(struct mnl_socket *nl, const char *name)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = link_msg(buf, RTM_NEWLINK,
					NLM_F_CREATE | NLM_F_EXCL, 0);
	struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
	struct nlattr *li;

	ifi->ifi_flags = ifi->ifi_change = IFF_UP;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	li = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, link_kind);
	mnl_attr_nest_end(nlh, li);
	return rtnl_do(nl, nlh);
}

static int link_del(struct mnl_socket *nl, uint32_t ifindex)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];

	return rtnl_do(nl, link_msg(buf, RTM_DELLINK, 0, ifindex));
}

static int link_up(struct mnl_socket *nl, uint32_t ifindex, bool up)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = link_msg(buf, RTM_NEWLINK, 0, ifindex);
	struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);

	ifi->ifi_change = IFF_UP;
	ifi->ifi_flags = up ? IFF_UP : 0;
	return rtnl_do(nl, nlh);
}

static int link_rename(struct mnl_socket *nl, uint32_t ifindex,
		       const char *name)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = link_msg(buf, RTM_NEWLINK, 0, ifindex);

	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	return rtnl_do(nl, nlh);
}

static int link_netns(struct mnl_socket *nl, uint32_t ifindex, int nsfd)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = link_msg(buf, RTM_NEWLINK, 0, ifindex);

	mnl_attr_put_u32(nlh, IFLA_NET_NS_FD, nsfd);
	return rtnl_do(nl, nlh);
}

/* The ifindex of @name in namespace @nsfd (the thread returns to R). */
static uint32_t ifindex_in(int nsfd, const char *name)
{
	uint32_t i;

	enter(nsfd);
	i = if_nametoindex(name);
	enter(nsfd_r);
	return i;
}

/*
 * A namespace with leaseguard state in it, fuzzed a little, one of R's
 * interfaces moved into it, and deleted.
 */
static void netns_life(struct fz *cf, struct mnl_socket *rt, uint32_t *moved)
{
	static unsigned int k;
	char name[48];
	struct mnl_socket *nl;
	struct fz g;
	int fd, saved, i;

	snprintf(name, sizeof(name), "lgfz-n%d-%u", getpid(), k++);
	fd = ns_add(name);
	if (fd < 0) {
		violation(cf, NULL, "ns_add: %s", strerror(errno));
		return;
	}
	if (*moved && !link_netns(rt, *moved, fd)) {
		CNT(link_move);
		*moved = 0;
	}
	saved = ns_enter_save(fd);
	if (saved < 0)
		die("setns");
	nl = mnl_socket_open(NETLINK_ROUTE);
	if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0)
		die("rtnetlink");
	link_add(nl, "nd0");
	fz_init(&g, "netns", cf->rng, true);
	cf->rng = rnd(&cf->rng);
	g.own_ns = true;
	g.own_ifindex[g.n_own++] = if_nametoindex("nd0");
	g.own_ifindex[g.n_own++] = if_nametoindex("lo");
	if (fz_open(&g))
		die("open the family in a new namespace");
	set_role(&g, g.own_ifindex[0], LG_ROLE_ACCESS);
	set_u32s(&g, LG_CMD_MCAST_SET, LG_A_MCAST, 2,
		 LG_MCAST_A_FAMILY, FK_U8, (uint64_t)AF_INET6,
		 LG_MCAST_A_ENABLE, FK_U8, (uint64_t)1);
	for (i = 0; i < 16; i++)
		fuzz_one(&g);
	lg_close(&g.s);
	mnl_socket_close(nl);
	if (ns_restore(saved))
		die("setns back");
	ns_del(name);
	close(fd);
	CNT(netns_made);
}

#define N_CHURN	6

static void *churn_thread(void *arg)
{
	struct { char name[IFNAMSIZ]; int where; uint32_t ifindex; } l[N_CHURN] = {};
	struct mnl_socket *rt, *ro;
	uint64_t *s;
	uint32_t moved = 0;
	double next_ns = now_s() + 1;
	struct fz f;
	int k;

	(void)arg;
	fz_init(&f, "churn", opt_seed + 2000, true);
	s = &f.rng;
	rt = rtnl_open(nsfd_r);
	ro = rtnl_open(nsfd_o);
	enter(nsfd_r);
	if (fz_open(&f))
		die("open the family in R");
	while (time_left()) {
		k = rn(s, N_CHURN);
		switch (l[k].where) {
		case 0:		/* absent: add it, give it a role */
			snprintf(l[k].name, IFNAMSIZ, "fz%d", k);
			if (link_add(rt, l[k].name))
				break;
			CNT(link_add);
			l[k].where = 1;
			l[k].ifindex = if_nametoindex(l[k].name);
			sh->ifindex[4 + k] = l[k].ifindex;
			set_role(&f, l[k].ifindex, chance(s, 4) ?
				 LG_ROLE_UPSTREAM : LG_ROLE_ACCESS);
			break;
		case 1:		/* in R */
			switch (rn(s, 4)) {
			case 0:
				if (!link_del(rt, l[k].ifindex)) {
					CNT(link_del);
					l[k].where = 0;
				}
				break;
			case 1: {
				char to[IFNAMSIZ];

				snprintf(to, sizeof(to), "%s%d",
					 l[k].name[2] == 'r' ? "fz" : "fzr", k);
				link_up(rt, l[k].ifindex, false);
				if (!link_rename(rt, l[k].ifindex, to)) {
					CNT(link_rename);
					snprintf(l[k].name, IFNAMSIZ, "%s", to);
				}
				link_up(rt, l[k].ifindex, true);
				break;
			}
			case 2:
				if (!link_netns(rt, l[k].ifindex, nsfd_o)) {
					CNT(link_move);
					l[k].where = 2;
				}
				break;
			default:
				/* Into the next namespace to be deleted. */
				if (!moved) {
					moved = l[k].ifindex;
					l[k].where = 3;
				}
				break;
			}
			break;
		case 2:		/* in O: back, maybe with another ifindex */
			l[k].ifindex = ifindex_in(nsfd_o, l[k].name);
			if (l[k].ifindex &&
			    !link_netns(ro, l[k].ifindex, nsfd_r)) {
				CNT(link_move);
				l[k].where = 1;
				l[k].ifindex = if_nametoindex(l[k].name);
				sh->ifindex[4 + k] = l[k].ifindex;
			}
			break;
		case 3:		/* went with a namespace, or will */
			if (!moved)
				l[k].where = 0;
			break;
		}
		if (now_s() > next_ns) {
			netns_life(&f, rt, &moved);
			next_ns = now_s() + 1;
		}
		usleep(rn(s, 20000));
	}
	mnl_socket_close(rt);
	mnl_socket_close(ro);
	lg_close(&f.s);
	return NULL;
}

/* ------------------------------------------------------------------ */
/* Without CAP_NET_ADMIN                                              */
/* ------------------------------------------------------------------ */

static void drop_net_admin(void)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];
	uint32_t bit = 1u << (CAP_NET_ADMIN % 32);

	if (syscall(SYS_capget, &h, d))
		die("capget");
	d[CAP_NET_ADMIN / 32].effective &= ~bit;
	d[CAP_NET_ADMIN / 32].permitted &= ~bit;
	d[CAP_NET_ADMIN / 32].inheritable &= ~bit;
	if (prctl(PR_CAPBSET_DROP, CAP_NET_ADMIN) ||
	    syscall(SYS_capset, &h, d))
		die("drop CAP_NET_ADMIN");
}

/* In R without CAP_NET_ADMIN: a socket opened before the drop, one after. */
static void nocap_child(void)
{
	struct fz a, b;

	fuzzer_nice();
	fz_init(&a, "nocap-before", opt_seed + 100, false);
	fz_init(&b, "nocap-after", opt_seed + 101, false);
	enter(nsfd_r);
	if (fz_open(&a))
		die("open the family in R");
	drop_net_admin();
	if (fz_open(&b))
		die("open the family in R");
	join_groups(&a);
	join_groups(&b);
	while (time_left())
		fuzz_one(chance(&a.rng, 2) ? &a : &b);
	_exit(0);
}

/*
 * unshare -Urn, as nobody: root of a new user namespace that owns a new
 * network namespace. Admin in there; nobody through the socket it opened
 * in R as root before.
 */
static void userns_child(uint64_t seed)
{
	struct mnl_socket *nl;
	struct fz r, own;
	double until = now_s() + 3;

	fz_init(&r, "userns-R", seed, false);
	fz_init(&own, "userns-own", seed + 1, true);
	r.pinned = true;
	enter(nsfd_r);
	if (fz_open(&r))
		die("open the family in R");
	if (setgroups(0, NULL) || setresgid(65534, 65534, 65534) ||
	    setresuid(65534, 65534, 65534))
		die("become nobody");
	/* Its own /proc/self files, to write its maps into. */
	prctl(PR_SET_DUMPABLE, 1);
	if (unshare(CLONE_NEWUSER | CLONE_NEWNET))
		_exit(3);
	if (write_file("/proc/self/setgroups", "deny") ||
	    write_file("/proc/self/uid_map", "0 65534 1") ||
	    write_file("/proc/self/gid_map", "0 65534 1"))
		die("map root");
	nl = mnl_socket_open(NETLINK_ROUTE);
	if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0)
		die("rtnetlink");
	if (link_add(nl, "ud0"))
		die("add a link in the user's namespace");
	own.own_ns = true;
	own.own_ifindex[own.n_own++] = if_nametoindex("ud0");
	own.own_ifindex[own.n_own++] = if_nametoindex("lo");
	if (fz_open(&own))
		die("open the family in the user's namespace");
	set_role(&own, own.own_ifindex[0], LG_ROLE_ACCESS);
	join_groups(&r);
	join_groups(&own);
	while (time_left() && now_s() < until)
		fuzz_one(chance(&own.rng, 4) ? &r : &own);
	_exit(0);
}

static void userns_children(void)
{
	unsigned int k = 0;
	int st;

	fuzzer_nice();
	while (time_left()) {
		pid_t p = fork();

		if (p < 0)
			die("fork");
		if (p == 0)
			userns_child(opt_seed + 200 + 2 * k);
		if (waitpid(p, &st, 0) < 0)
			die("waitpid");
		k++;
		if (WIFEXITED(st) && WEXITSTATUS(st) == 3) {
			sh->userns_skip = 1;
			break;
		}
		if (!WIFEXITED(st) || WEXITSTATUS(st)) {
			fprintf(stderr, "# userns child %u: status %#x\n", k, st);
			CNT(violations);
			break;
		}
		CNT(userns_runs);
	}
	_exit(0);
}

/* ------------------------------------------------------------------ */
/* Setup, run, report                                                 */
/* ------------------------------------------------------------------ */

static void cleanup(void)
{
	char *names[] = { ns_r, ns_c, ns_o };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(names); i++) {
		if (*names[i])
			ns_del(names[i]);
		*names[i] = 0;
	}
}

static void setup(void)
{
	char cmd[1024];
	int saved;

	snprintf(ns_r, sizeof(ns_r), "lgfz-r%d", getpid());
	snprintf(ns_c, sizeof(ns_c), "lgfz-c%d", getpid());
	snprintf(ns_o, sizeof(ns_o), "lgfz-o%d", getpid());
	nsfd_r = ns_add(ns_r);
	nsfd_c = ns_add(ns_c);
	nsfd_o = ns_add(ns_o);
	if (nsfd_r < 0 || nsfd_c < 0 || nsfd_o < 0)
		die("ns_add");
	atexit(cleanup);
	/* No DAD, no router solicitations: nothing to wait for. */
	saved = ns_enter_save(nsfd_r);
	write_file("/proc/sys/net/ipv6/conf/default/accept_dad", "0");
	write_file("/proc/sys/net/ipv6/conf/default/router_solicitations", "0");
	ns_restore(saved);
	saved = ns_enter_save(nsfd_c);
	write_file("/proc/sys/net/ipv6/conf/default/accept_dad", "0");
	write_file("/proc/sys/net/ipv6/conf/default/router_solicitations", "0");
	ns_restore(saved);
	snprintf(cmd, sizeof(cmd),
		 "link set lo up\n"
		 "link add acc0 address 02:00:00:00:01:01 type veth peer name eth0"
		 " netns %s address 02:00:00:00:01:02\n"
		 "link set acc0 up\n"
		 "link add up0 type %s\n"
		 "link set up0 up\n"
		 "addr add 10.0.0.1/24 dev acc0\n"
		 "addr add 2001:db8:f::1/64 dev up0\n"
		 "neigh replace fe80::ff:fe00:102 lladdr 02:00:00:00:01:02"
		 " dev acc0 nud permanent\n", ns_c, link_kind);
	if (ns_ip_batch(ns_r, cmd))
		die("set up R");
	if (ns_ip_batch(ns_c, "link set lo up\nlink set eth0 up\n"
			"addr add 10.0.0.2/24 dev eth0\n"
			"neigh replace fe80::ff:fe00:101 lladdr 02:00:00:00:01:01"
			" dev eth0 nud permanent\n"))
		die("set up C");
	if (ns_wait_link_local(nsfd_r, "acc0") ||
	    ns_wait_link_local(nsfd_c, "eth0"))
		die("link-local addresses");
	acc0 = ifindex_in(nsfd_r, "acc0");
	eth0_c = ifindex_in(nsfd_c, "eth0");
	up0 = ifindex_in(nsfd_r, "up0");
	sh->ifindex[0] = acc0;
	sh->ifindex[1] = up0;
	sh->ifindex[2] = 1;
	sh->ifindex[3] = acc0;
}

static void report(double secs)
{
	unsigned int i;

	printf("# genl_fuzz: %" PRIu64 " requests in %.0f s (%.0f/s): %"
	       PRIu64 " data messages back, %" PRIu64 " ACKs, %" PRIu64
	       " errors, %" PRIu64 " violations\n", sh->sent, secs,
	       sh->sent / secs, sh->replies, sh->acks, sh->errors,
	       sh->violations);
	printf("# by class:");
	for (i = 0; i < M__MAX; i++)
		printf(" %s %" PRIu64, cls_name[i], sh->by_cls[i]);
	printf("\n# errors:");
	for (i = 0; i < ARRAY_SIZE(sh->by_err); i++)
		if (sh->by_err[i])
			printf(" %s %" PRIu64, i ? strerrorname_np(i) : "?",
			       sh->by_err[i]);
	printf("\n# dumps %" PRIu64 " (%" PRIu64 " abandoned, %" PRIu64
	       " messages with NLM_F_DUMP_INTR); %" PRIu64 " EPERM; %" PRIu64
	       " timeouts, %" PRIu64 " overruns\n", sh->dumps, sh->dumps_cut,
	       sh->dump_intr, sh->eperm, sh->timeouts, sh->overruns);
	printf("# traffic: %" PRIu64 " DHCPv6 exchanges, %" PRIu64
	       " RELAY-REPLs from C, %" PRIu64 " joins, %" PRIu64
	       " leaves, %" PRIu64 " send/recv failures\n", sh->dhcp,
	       sh->relay_repl, sh->mc_joins, sh->mc_leaves, sh->traffic_errs);
	printf("# notifications: %" PRIu64 " parsed, %" PRIu64
	       " overruns; %" PRIu64 " joins refused (EPERM)\n", sh->ntf,
	       sh->ntf_overruns, sh->join_eperm);
	printf("# churn: %" PRIu64 " links added, %" PRIu64 " deleted, %"
	       PRIu64 " renamed, %" PRIu64 " moved; %" PRIu64
	       " namespaces made and deleted\n", sh->link_add, sh->link_del,
	       sh->link_rename, sh->link_move, sh->netns_made);
	if (sh->userns_skip)
		printf("# user namespaces: unshare(CLONE_NEWUSER) refused, skipped\n");
	else
		printf("# user namespaces: %" PRIu64 " children\n",
		       sh->userns_runs);
}

static void usage(void)
{
	fprintf(stderr,
		"Usage: genl_fuzz [--seconds N] [--seed S] [--threads N] [--verbose]\n"
		"                 [--dry-run]\n"
		"       genl_fuzz --policy FAMILY\n");
	exit(2);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "seconds", required_argument, NULL, 't' },
		{ "seed", required_argument, NULL, 's' },
		{ "threads", required_argument, NULL, 'j' },
		{ "policy", required_argument, NULL, 'p' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "dry-run", no_argument, NULL, 'n' },
		{}
	};
	pthread_t th[16], traffic, churn, listener, mcast;
	pid_t nocap, userns;
	double start;
	long i;
	int o, st, bad = 0;

	main_pid = getpid();
	opt_seed = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
	while ((o = getopt_long(argc, argv, "t:s:j:p:vn", opts, NULL)) != -1) {
		switch (o) {
		case 't':
			opt_seconds = strtoul(optarg, NULL, 0);
			break;
		case 's':
			opt_seed = strtoull(optarg, NULL, 0);
			break;
		case 'j':
			opt_threads = strtoul(optarg, NULL, 0);
			if (!opt_threads || opt_threads > ARRAY_SIZE(th))
				usage();
			break;
		case 'p':
			return print_policy(optarg);
		case 'v':
			opt_verbose = true;
			break;
		case 'n':
			opt_dry = true;
			link_kind = "bridge";
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("# genl_fuzz: seed %" PRIu64 ", %u s, %u threads"
	       " (again: genl_fuzz --seed %" PRIu64 " --seconds %u)\n",
	       opt_seed, opt_seconds, opt_threads, opt_seed, opt_seconds);

	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED)
		die("mmap");
	if (!opt_dry && check_table()) {
		printf("not ok 1 genl_fuzz: the table is not the kernel's\n");
		return 1;
	}
	setup();

	start = now_s();
	deadline = start + opt_seconds;
	fflush(NULL);
	nocap = fork();
	if (nocap == 0)
		nocap_child();
	userns = fork();
	if (userns == 0)
		userns_children();
	if (nocap < 0 || userns < 0)
		die("fork");
	for (i = 0; i < (long)opt_threads; i++)
		if (pthread_create(&th[i], NULL, fuzz_thread, (void *)i))
			die("pthread_create");
	if (pthread_create(&traffic, NULL, traffic_thread, NULL) ||
	    pthread_create(&churn, NULL, churn_thread, NULL) ||
	    pthread_create(&listener, NULL, listen_thread, NULL) ||
	    pthread_create(&mcast, NULL, mcast_thread, NULL))
		die("pthread_create");
	for (i = 0; i < (long)opt_threads; i++)
		pthread_join(th[i], NULL);
	pthread_join(traffic, NULL);
	pthread_join(churn, NULL);
	pthread_join(listener, NULL);
	pthread_join(mcast, NULL);
	if (waitpid(nocap, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st)) {
		printf("# the child without CAP_NET_ADMIN: status %#x\n", st);
		bad = 1;
	}
	if (waitpid(userns, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st)) {
		printf("# the user namespace children: status %#x\n", st);
		bad = 1;
	}
	report(now_s() - start);
	cleanup();
	if (sh->violations || bad || !sh->dhcp) {
		printf("not ok 1 genl_fuzz\n");
		return 1;
	}
	printf("ok 1 genl_fuzz\n");
	return 0;
}
