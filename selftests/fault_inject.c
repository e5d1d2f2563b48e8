// SPDX-License-Identifier: GPL-2.0
/*
 * The fault-injection pass of make check-debug (selftests/fault-inject.sh
 * runs it; Documentation/testing.rst). It needs a kernel with
 * CONFIG_FAULT_INJECTION, where leaseguard.ko asks its own fault attribute,
 * /sys/kernel/debug/fail_leaseguard, before each allocation of what a
 * namespace keeps and each insert into one of its tables (kmod/fault.c):
 * in softirq and in task context alike, as failslab cannot.
 *
 *   netns C (clients, MLD hosts)   netns R (leaseguard)
 *   eth0 ------------------------- acc0 (access, SAVI enforce)  up0 -- S
 *                                  fcN: dummies made, renamed, moved, deleted
 *
 * While the faults are on, for LG_FAULT_SECONDS (default 60):
 *   - this process snoops: DHCPv6 exchanges of 48 clients over a pool of
 *     40 addresses (so that leases are taken from each other), some for
 *     a few seconds only (so that expiry rebuilds bindings), some ending
 *     a lease (valid 0);
 *   - two readers loop binding dumps and gets by ID (the RCU readers of
 *     issue 17 item 1);
 *   - a mutator marks bindings releasing and bound again, deletes and
 *     moves some, restores some (LG_CMD_BINDING_NEW), adds and removes
 *     static SAVI entries, changes the link and multicast configuration,
 *     and churns interfaces: dummies given the access role, renamed,
 *     moved to another namespace, deleted;
 *   - a host in C joins and leaves MLD groups, any-source and
 *     source-specific, so that the IGMP/MLD proxy builds state.
 * Then the faults stop, the short leases expire, and the state must be
 * whole:
 *   - every lease of the dump is in exactly one binding, get by address
 *     finds that binding, and SAVI passes its address; the pool addresses
 *     that no binding holds are found by nobody and SAVI drops them;
 *   - the namespace and interface counters count the dump;
 *   - marking every binding releasing, then bound again, rebuilds each
 *     and must move no lease to another binding (issue 17 item 2: a
 *     lease carried over unindexed took another binding's);
 *   - the multicast group dump matches its counters; turning the proxy
 *     off, and deleting every binding, bring them to zero.
 * Afterwards fault-inject.sh unloads the module: kmemleak (scanned by the
 * VM's init) and KASAN would tell what the error paths left or touched.
 *
 * LG_FAULT_SECONDS, LG_FAULT_PROBABILITY (percent, default 10),
 * LG_FAULT_SEED and LG_FAULT_VERBOSE (default 1: a few faults a second
 * logged) change the run; the seed is printed.
 */
#define LGNL_RECV_SIZE 32768	/* the multicast dumps' min_dump_alloc */
#include "dhcp6_topology.h"

#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#define FAIL_DIR	"/sys/kernel/debug/fail_leaseguard"
#define FAULT_TIMES	100000000
#define N_CLIENTS	48
#define N_POOL		40
#define SHORT_VALID	6	/* the longest short lease, seconds */

static uint8_t duids[N_CLIENTS][10];
static uint64_t rnd_state;

static uint32_t rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return rnd_state >> 11;
}

static struct duid client(int i)
{
	/* DUID-LL, a MAC of its own per client. */
	static const uint8_t head[] = { 0, 3, 0, 1, 2, 0, 0, 0x77 };

	memcpy(duids[i], head, sizeof(head));
	duids[i][8] = i >> 8;
	duids[i][9] = i;
	return (struct duid){ duids[i], sizeof(duids[i]) };
}

static struct in6_addr pool_addr(int i)
{
	struct in6_addr a = A6("2001:db8:1::1000");

	a.s6_addr[15] = i;
	return a;
}

static long env_long(const char *name, long def)
{
	const char *v = getenv(name);

	return v && *v ? strtol(v, NULL, 0) : def;
}

static void fault_write(const char *file, long v)
{
	char path[128], text[32];

	snprintf(path, sizeof(path), FAIL_DIR "/%s", file);
	snprintf(text, sizeof(text), "%ld\n", v);
	if (write_file(path, text))
		die(path);
}

static long fault_read(const char *file)
{
	char path[128];
	long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), FAIL_DIR "/%s", file);
	f = fopen(path, "r");
	if (!f || fscanf(f, "%ld", &v) != 1)
		die(path);
	fclose(f);
	return v;
}

/* A child that dies with its parent: the test's exit kills them all. */
static pid_t child(void)
{
	pid_t pid = fork();

	if (pid < 0)
		die("fork");
	if (!pid) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		rnd_state = rnd_state * 2654435761u + getpid();
	}
	return pid;
}

/* DHCPv6 */

/* One exchange of client @c: a request, the REPLY granting @n leases. */
static void exchange(FIXTURE_DATA(b) *self, int c)
{
	struct duid d = client(c);
	int type = rnd() % 3 ? REQUEST : RENEW;
	int i, n = 1 + rnd() % 2;
	struct in6_addr a;
	uint32_t valid;

	d6b_msg(&self->m, type, ++self->xid);
	ids(&self->m, &d, true);
	d6b_ia(&self->m, OPT_IA_NA, 1, 0, 0);
	d6b_end(&self->m);
	client_send(self);

	d6b_msg(&self->m, REPLY, self->xid);
	ids(&self->m, &d, true);
	d6b_ia(&self->m, OPT_IA_NA, 1, 0, 0);
	for (i = 0; i < n; i++) {
		a = pool_addr(rnd() % N_POOL);
		switch (rnd() % 10) {
		case 0:
			valid = 0;		/* the lease ends */
			break;
		case 1:
		case 2:
			valid = 3 + rnd() % (SHORT_VALID - 2);
			break;
		default:
			valid = 3600;
		}
		d6b_iaaddr(&self->m, &a, valid / 2, valid);
	}
	d6b_end(&self->m);
	relay_send(self);
}

/* Netlink */

static int nl_binding(struct lg_sock *s, struct lg_ack *ack, uint8_t cmd,
		      uint64_t id, bool all, uint32_t reason, bool cancel)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = lg_msg(s, buf, cmd, 0);
	struct nlattr *nest = mnl_attr_nest_start(nlh, LG_A_BINDING);

	if (all)
		mnl_attr_put(nlh, LG_BINDING_A_ALL, 0, NULL);
	else
		mnl_attr_put_u64(nlh, LG_BINDING_A_ID, id);
	if (reason)
		mnl_attr_put_u32(nlh, LG_BINDING_A_RELEASE_REASON, reason);
	if (cancel)
		mnl_attr_put(nlh, LG_BINDING_A_RELEASE_CANCEL, 0, NULL);
	mnl_attr_nest_end(nlh, nest);
	return lg_talk(s, nlh, NULL, NULL, ack);
}

/* LG_CMD_BINDING_NEW on acc0: client @c's IA_NA 1, pool address @i. */
static int nl_new(FIXTURE_DATA(b) *self, struct lg_sock *s,
		  struct lg_ack *ack, int c, int i, bool replace)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = lg_msg(s, buf, LG_CMD_BINDING_NEW, 0);
	struct nlattr *nest = mnl_attr_nest_start(nlh, LG_A_BINDING), *l;
	struct in6_addr a = pool_addr(i), srv = A6("2001:db8:f::2");
	struct duid d = client(c);

	mnl_attr_put_u32(nlh, LG_BINDING_A_IFINDEX, self->acc0);
	mnl_attr_put(nlh, LG_BINDING_A_CLIENT_DUID, d.len, d.p);
	mnl_attr_put_u32(nlh, LG_BINDING_A_IA_TYPE, LG_IA_NA);
	mnl_attr_put_u32(nlh, LG_BINDING_A_IAID, 1);
	mnl_attr_put(nlh, LG_BINDING_A_CLIENT_LLADDR, 16, &self->cl_ll);
	mnl_attr_put(nlh, LG_BINDING_A_SERVER_ADDR, 16, &srv);
	mnl_attr_put_u32(nlh, LG_BINDING_A_ORIGIN, LG_BINDING_ORIGIN_RESTORED +
			 rnd() % 3);
	if (replace)
		mnl_attr_put(nlh, LG_BINDING_A_REPLACE, 0, NULL);
	l = mnl_attr_nest_start(nlh, LG_BINDING_A_LEASE);
	mnl_attr_put(nlh, LG_LEASE_A_ADDR, 16, &a);
	mnl_attr_put_u32(nlh, LG_LEASE_A_PLEN, 128);
	mnl_attr_put_u32(nlh, LG_LEASE_A_PREFERRED, 1800);
	mnl_attr_put_u32(nlh, LG_LEASE_A_VALID, 3600);
	mnl_attr_nest_end(nlh, l);
	mnl_attr_nest_end(nlh, nest);
	return lg_talk(s, nlh, NULL, NULL, ack);
}

static int nl_move(struct lg_sock *s, struct lg_ack *ack, uint64_t id,
		   const char *lladdr)
{
	static const uint8_t mac[6] = { 2, 0, 0, 0, 1, 2 };
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = lg_msg(s, buf, LG_CMD_BINDING_MOVE, 0);
	struct nlattr *nest = mnl_attr_nest_start(nlh, LG_A_BINDING);
	struct in6_addr ll = A6(lladdr);

	mnl_attr_put_u64(nlh, LG_BINDING_A_ID, id);
	mnl_attr_nest_end(nlh, nest);
	nest = mnl_attr_nest_start(nlh, LG_A_ANCHOR);
	mnl_attr_put(nlh, LG_BINDING_A_CLIENT_LLADDR, 16, &ll);
	mnl_attr_put(nlh, LG_BINDING_A_CLIENT_MAC, 6, mac);
	mnl_attr_nest_end(nlh, nest);
	return lg_talk(s, nlh, NULL, NULL, ack);
}

static int nl_link(struct lg_sock *s, struct lg_ack *ack, uint32_t ifindex,
		   int role, int savi_mode, uint32_t max)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = lg_msg(s, buf, LG_CMD_LINK_SET, 0);
	struct nlattr *nest = mnl_attr_nest_start(nlh, LG_A_LINK);

	mnl_attr_put_u32(nlh, LG_LINK_A_IFINDEX, ifindex);
	if (role >= 0)
		mnl_attr_put_u32(nlh, LG_LINK_A_ROLE, role);
	if (savi_mode >= 0)
		mnl_attr_put_u32(nlh, LG_LINK_A_SAVI_MODE, savi_mode);
	if (max)
		mnl_attr_put_u32(nlh, LG_LINK_A_MAX_BINDINGS, max);
	mnl_attr_nest_end(nlh, nest);
	return lg_talk(s, nlh, NULL, NULL, ack);
}

static int nl_savi(struct lg_sock *s, struct lg_ack *ack, uint8_t cmd,
		   uint32_t ifindex, const struct in6_addr *prefix,
		   uint32_t plen)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = lg_msg(s, buf, cmd, 0);
	struct nlattr *nest = mnl_attr_nest_start(nlh, LG_A_SAVI);

	mnl_attr_put_u32(nlh, LG_SAVI_A_IFINDEX, ifindex);
	mnl_attr_put(nlh, LG_SAVI_A_ADDR, 16, prefix);
	mnl_attr_put_u32(nlh, LG_SAVI_A_PLEN, plen);
	mnl_attr_nest_end(nlh, nest);
	return lg_talk(s, nlh, NULL, NULL, ack);
}

/* LG_CMD_MCAST_SET for MLD: @attr (if not 0) = @v, and ENABLE = @on. */
static int nl_mcast(struct lg_sock *s, struct lg_ack *ack, int on,
		    int attr, uint32_t v)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = lg_msg(s, buf, LG_CMD_MCAST_SET, 0);
	struct nlattr *nest = mnl_attr_nest_start(nlh, LG_A_MCAST);

	mnl_attr_put_u8(nlh, LG_MCAST_A_FAMILY, AF_INET6);
	mnl_attr_put_u8(nlh, LG_MCAST_A_ENABLE, on);
	if (attr)
		mnl_attr_put_u32(nlh, attr, v);
	mnl_attr_nest_end(nlh, nest);
	return lg_talk(s, nlh, NULL, NULL, ack);
}

static uint32_t u32_want, u32_got;

static int u32_attr_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr *c;

	(void)data;
	if (mnl_attr_get_type(attr) != LG_A_LINK &&
	    mnl_attr_get_type(attr) != LG_A_MCAST)
		return MNL_CB_OK;
	mnl_attr_for_each_nested(c, attr)
		if (mnl_attr_get_type(c) == u32_want)
			u32_got = mnl_attr_get_u32(c);
	return MNL_CB_OK;
}

static int u32_cb(const struct nlmsghdr *nlh, void *data)
{
	return mnl_attr_parse(nlh, GENL_HDRLEN, u32_attr_cb, data);
}

/* A u32 attribute of LG_CMD_LINK_GET of @ifindex; ~0 if absent. */
static uint32_t link_u32(FIXTURE_DATA(b) *self, uint32_t ifindex, int attr)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = lg_msg(&self->s, buf, LG_CMD_LINK_GET, 0);
	struct nlattr *nest = mnl_attr_nest_start(nlh, LG_A_LINK);

	mnl_attr_put_u32(nlh, LG_LINK_A_IFINDEX, ifindex);
	mnl_attr_nest_end(nlh, nest);
	u32_want = attr;
	u32_got = ~0u;
	lg_talk(&self->s, nlh, u32_cb, NULL, &self->ack);
	return u32_got;
}

/* A u32 attribute of LG_CMD_MCAST_GET of MLD; ~0 if absent. */
static uint32_t mcast_u32(FIXTURE_DATA(b) *self, int attr)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = lg_msg(&self->s, buf, LG_CMD_MCAST_GET, 0);
	struct nlattr *nest = mnl_attr_nest_start(nlh, LG_A_MCAST);

	mnl_attr_put_u8(nlh, LG_MCAST_A_FAMILY, AF_INET6);
	mnl_attr_nest_end(nlh, nest);
	u32_want = attr;
	u32_got = ~0u;
	lg_talk(&self->s, nlh, u32_cb, NULL, &self->ack);
	return u32_got;
}

static int count_cb(const struct nlmsghdr *nlh, void *data)
{
	(void)nlh;
	++*(int *)data;
	return MNL_CB_OK;
}

/* How many multicast groups the dump gives (-1: it failed). */
static int mc_groups_dumped(FIXTURE_DATA(b) *self)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	int n = 0;

	if (lg_talk(&self->s, lg_msg(&self->s, buf, LG_CMD_MC_GROUP_GET,
				     NLM_F_DUMP), count_cb, &n, &self->ack))
		return -1;
	return n;
}

/* The load: readers, mutator, MLD host */

/* Dumps and gets by ID in a loop, until killed. */
static void reader(void)
{
	static struct bnds got;
	char buf[MNL_SOCKET_BUFFER_SIZE];
	uint64_t max_id = 0, id;
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	struct lg_sock s;
	struct lg_ack ack;
	int i;

	if (lg_open(&s))
		_exit(1);
	for (;;) {
		got.n = 0;
		lg_talk(&s, lg_msg(&s, buf, LG_CMD_BINDING_GET, NLM_F_DUMP),
			bnds_cb, &got, &ack);
		for (i = 0; i < got.n; i++)
			if (got.b[i].id > max_id)
				max_id = got.b[i].id;
		/* The newest IDs, and the next few: bindings being made. */
		for (id = max_id > 4 ? max_id - 4 : 1; id < max_id + 8; id++) {
			nlh = lg_msg(&s, buf, LG_CMD_BINDING_GET, 0);
			nest = mnl_attr_nest_start(nlh, LG_A_BINDING);
			mnl_attr_put_u64(nlh, LG_BINDING_A_ID, id);
			mnl_attr_nest_end(nlh, nest);
			got.n = 0;
			lg_talk(&s, nlh, bnds_cb, &got, &ack);
		}
	}
}

struct tally {
	unsigned long ok, enomem, other;
};

static void tally(struct tally *t, int err)
{
	if (!err)
		t->ok++;
	else if (err == -ENOMEM)
		t->enomem++;
	else
		t->other++;
}

/*
 * Netlink mutations and interface churn in R, until killed. Errors other
 * than -ENOMEM are expected too (a binding deleted meanwhile: -ENOENT);
 * what counts is the state they leave.
 */
static void mutator(FIXTURE_DATA(b) *self, struct tally *t)
{
	static struct bnds got;
	char buf[MNL_SOCKET_BUFFER_SIZE], cmd[512], name[16];
	struct in6_addr p;
	struct lg_sock s;
	struct lg_ack ack;
	uint32_t ifindex;
	uint64_t id = 1;
	int churn = 0, err;

	if (lg_open(&s))
		_exit(1);
	for (;;) {
		if (rnd() % 8 == 0) {
			got.n = 0;
			lg_talk(&s, lg_msg(&s, buf, LG_CMD_BINDING_GET,
					   NLM_F_DUMP), bnds_cb, &got, &ack);
			if (got.n)
				id = got.b[rnd() % got.n].id;
		}
		/* An interface's churn takes some processes: 1 in 8. */
		switch (rnd() % 16) {
		case 0:
		case 1:
		case 2:
			err = nl_binding(&s, &ack, LG_CMD_BINDING_RELEASE, id,
					 rnd() % 10 == 0, LG_RELEASE_ADMIN,
					 false);
			break;
		case 3:
		case 4:
		case 5:
			err = nl_binding(&s, &ack, LG_CMD_BINDING_RELEASE, id,
					 rnd() % 10 == 0, 0, true);
			break;
		case 6:
		case 7:
			err = rnd() % 4 ? nl_move(&s, &ack, id, "fe80::99") :
			      nl_binding(&s, &ack, LG_CMD_BINDING_DEL, id,
					 false, 0, false);
			break;
		case 8:
			/* A restore: -EEXIST, -EADDRINUSE are fine too. */
			err = nl_new(self, &s, &ack, rnd() % N_CLIENTS,
				     rnd() % N_POOL, rnd() % 2);
			break;
		case 9:
		case 10:
			/* 2001:db8:5:0..7::/64, not the pool's /64. */
			p = A6("2001:db8:5::");
			p.s6_addr[7] = rnd() % 8;
			err = nl_savi(&s, &ack, rnd() % 2 ? LG_CMD_SAVI_ADD :
				      LG_CMD_SAVI_DEL, self->acc0, &p, 64);
			break;
		case 11:
			err = nl_link(&s, &ack, self->acc0, LG_ROLE_ACCESS,
				      LG_SAVI_ENFORCE, 1000 + rnd() % 64536);
			break;
		case 12:
		case 13:
			err = nl_mcast(&s, &ack, 1, rnd() % 2 ?
				       LG_MCAST_A_MAX_GROUPS :
				       LG_MCAST_A_MAX_SOURCES,
				       8 + rnd() % 256);
			break;
		default:
			/* A dummy: access, a static entry, renamed, gone. */
			snprintf(name, sizeof(name), "fc%d", churn++ % 4);
			snprintf(cmd, sizeof(cmd),
				 "ip link add %1$s type dummy 2>/dev/null;"
				 " ip link set %1$s up", name);
			err = system(cmd) ? -EIO : 0;
			if (err)
				break;
			ifindex = if_nametoindex(name);
			err = nl_link(&s, &ack, ifindex, LG_ROLE_ACCESS,
				      LG_SAVI_MONITOR, 0);
			tally(t, err);
			p = A6("2001:db8:6::");
			err = nl_savi(&s, &ack, LG_CMD_SAVI_ADD, ifindex, &p,
				      64);
			tally(t, err);
			switch (rnd() % 3) {
			case 0:
				snprintf(cmd, sizeof(cmd),
					 "ip link set %1$s name %1$sx &&"
					 " ip link del %1$sx", name);
				break;
			case 1:
				snprintf(cmd, sizeof(cmd),
					 "ip link set %s netns %s &&"
					 " ip -n %s link del %s", name,
					 self->ns[C], self->ns[C], name);
				break;
			default:
				snprintf(cmd, sizeof(cmd),
					 "ip link del %s", name);
			}
			err = system(cmd) ? -EIO : 0;
		}
		tally(t, err);
		usleep(2000);
	}
}

/* In C: joins and leaves MLD groups on eth0, until killed. */
static void mld_host(FIXTURE_DATA(b) *self)
{
	struct group_source_req gsr = { 0 };
	struct ipv6_mreq mreq = { 0 };
	int fd, k, ssm;
	bool joined[32] = { 0 };
	char g[64];

	enter(self, C);
	mreq.ipv6mr_interface = if_nametoindex("eth0");
	gsr.gsr_interface = mreq.ipv6mr_interface;
	fd = socket(AF_INET6, SOCK_DGRAM, 0);
	if (fd < 0)
		_exit(1);
	for (;;) {
		k = rnd() % 32;
		ssm = k >= 24;
		snprintf(g, sizeof(g), ssm ? "ff3e::1:%x" : "ff05::1:%x", k);
		if (ssm) {
			struct sockaddr_in6 *grp = (void *)&gsr.gsr_group;
			struct sockaddr_in6 *src = (void *)&gsr.gsr_source;

			grp->sin6_family = AF_INET6;
			grp->sin6_addr = A6(g);
			src->sin6_family = AF_INET6;
			src->sin6_addr = A6("2001:db8:f::2");
			src->sin6_addr.s6_addr[14] = rnd() % 4;
			setsockopt(fd, IPPROTO_IPV6, joined[k] ?
				   MCAST_LEAVE_SOURCE_GROUP :
				   MCAST_JOIN_SOURCE_GROUP, &gsr, sizeof(gsr));
		} else {
			mreq.ipv6mr_multiaddr = A6(g);
			setsockopt(fd, IPPROTO_IPV6, joined[k] ?
				   IPV6_LEAVE_GROUP : IPV6_JOIN_GROUP,
				   &mreq, sizeof(mreq));
		}
		joined[k] = !joined[k];
		usleep(20000);
	}
}

/* The checks */

static int probe_fd = -1;

static uint64_t savi_drops(FIXTURE_DATA(b) *self)
{
	return link_stat(self, LG_LINK_STATS_A_SAVI_DROP_SOURCE) +
	       link_stat(self, LG_LINK_STATS_A_SAVI_DROP_MAC);
}

/* SAVI's verdict on a datagram from @src on C's eth0: passed or dropped. */
static bool savi_passes(FIXTURE_DATA(b) *self, const struct in6_addr *src)
{
	struct sockaddr_in6 from = { .sin6_family = AF_INET6,
				     .sin6_addr = *src };
	struct sockaddr_in6 to = { .sin6_family = AF_INET6,
				   .sin6_port = htons(9),
				   .sin6_addr = self->rtr_ll };
	uint64_t drops = savi_drops(self);
	char cmd[256], a[INET6_ADDRSTRLEN], buf[16];
	int fd, i;

	inet_ntop(AF_INET6, src, a, sizeof(a));
	snprintf(cmd, sizeof(cmd),
		 "ip -n %s addr replace %s/128 dev eth0 nodad", self->ns[C], a);
	run(cmd);
	enter(self, C);
	to.sin6_scope_id = if_nametoindex("eth0");
	fd = socket(AF_INET6, SOCK_DGRAM, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&from, sizeof(from)) ||
	    sendto(fd, "probe", 5, 0, (struct sockaddr *)&to, sizeof(to)) < 0)
		die("probe");
	close(fd);
	enter(self, R);
	for (i = 0; i < 200; i++) {
		if (recv(probe_fd, buf, sizeof(buf), MSG_DONTWAIT) > 0)
			return true;
		if (savi_drops(self) > drops)
			return false;
		usleep(20000);
	}
	die("the probe was not seen");
	return false;
}

/* Where each pool address is: the ID of its binding, 0 if none. */
struct owners {
	uint64_t id[N_POOL];
	int n_bindings, n_leases;
};

static bool in_pool(const struct in6_addr *a, int *i)
{
	struct in6_addr p = pool_addr(0);

	if (memcmp(a, &p, 15) || a->s6_addr[15] >= N_POOL)
		return false;
	*i = a->s6_addr[15];
	return true;
}

/*
 * Dumps the bindings into @o and checks them: each lease in one binding
 * only, found by get by address; with @probe, SAVI passes each leased
 * pool address and drops the others. Returns how many checks failed.
 */
static int check_bindings(FIXTURE_DATA(b) *self, struct owners *o,
			  bool probe)
{
	static struct bnds all;
	char a[INET6_ADDRSTRLEN];
	int i, j, k, bad = 0;
	uint64_t id;

	memset(o, 0, sizeof(*o));
	if (dump(self, NULL) || self->ack.dump_intr)
		die("the dump failed or was interrupted");
	all = self->got;
	o->n_bindings = all.n;
	for (i = 0; i < all.n; i++) {
		for (j = 0; j < all.b[i].n_leases; j++) {
			struct in6_addr *addr = &all.b[i].leases[j].addr;

			o->n_leases++;
			inet_ntop(AF_INET6, addr, a, sizeof(a));
			if (all.b[i].ifindex != self->acc0 ||
			    !in_pool(addr, &k)) {
				fprintf(stderr, "# %s: not a lease we gave\n",
					a);
				bad++;
				continue;
			}
			if (o->id[k]) {
				fprintf(stderr,
					"# %s is in bindings %llu and %llu\n",
					a, (unsigned long long)o->id[k],
					(unsigned long long)all.b[i].id);
				bad++;
			}
			o->id[k] = all.b[i].id;
		}
	}
	for (k = 0; k < N_POOL; k++) {
		struct in6_addr addr = pool_addr(k);

		inet_ntop(AF_INET6, &addr, a, sizeof(a));
		id = get_addr(self, a) || self->got.n != 1 ? 0 :
		     self->got.b[0].id;
		if (id != o->id[k]) {
			fprintf(stderr,
				"# get %s finds binding %llu, the dump %llu\n",
				a, (unsigned long long)id,
				(unsigned long long)o->id[k]);
			bad++;
		}
		if (probe && savi_passes(self, &addr) != !!o->id[k]) {
			fprintf(stderr, "# SAVI %s %s\n",
				o->id[k] ? "drops" : "passes", a);
			bad++;
		}
	}
	return bad;
}

/* The counters against a dump of @o. */
static int check_counts(FIXTURE_DATA(b) *self, const struct owners *o)
{
	uint64_t n = stat(self, LG_STATS_A_BINDINGS);
	uint64_t made = stat(self, LG_STATS_A_BINDINGS_CREATED);
	uint64_t gone = stat(self, LG_STATS_A_BINDINGS_DELETED);
	uint32_t on_link = link_u32(self, self->acc0, LG_LINK_A_BINDINGS);
	int bad = 0;

	if (n != (uint64_t)o->n_bindings || made - gone != n ||
	    on_link != (uint32_t)o->n_bindings) {
		fprintf(stderr,
			"# %d bindings dumped; counted: %llu (%llu made, %llu deleted), acc0 %u\n",
			o->n_bindings, (unsigned long long)n,
			(unsigned long long)made, (unsigned long long)gone,
			on_link);
		bad++;
	}
	return bad;
}

/* Which leases changed binding between @a and @b (@b may add some). */
static int moved_leases(const struct owners *a, const struct owners *b,
			const char *what)
{
	int k, bad = 0;

	for (k = 0; k < N_POOL; k++) {
		if (!a->id[k] || a->id[k] == b->id[k])
			continue;
		fprintf(stderr,
			"# %s moved 2001:db8:1::10%02x from binding %llu to %llu\n",
			what, k, (unsigned long long)a->id[k],
			(unsigned long long)b->id[k]);
		bad++;
	}
	return bad;
}

TEST_F_TIMEOUT(b, faults_leave_every_index_whole, 900)
{
	long seconds = env_long("LG_FAULT_SECONDS", 60);
	long prob = env_long("LG_FAULT_PROBABILITY", 10);
	long seed = env_long("LG_FAULT_SEED", time(NULL));
	unsigned long exchanges = 0, injected;
	struct owners before, after;
	struct tally *t;
	int i, bad;
	pid_t pids[4];
	time_t end;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (access(FAIL_DIR, W_OK))
		SKIP(return, "no " FAIL_DIR " (a kernel without CONFIG_FAULT_INJECTION_DEBUG_FS?)");
	rnd_state = seed * 0x9e3779b97f4a7c15ull + 1;
	TH_LOG("seed %ld: %ld s of faults at %ld%%", seed, seconds, prob);

	roles(self);
	ASSERT_EQ(0, nl_link(&self->s, &self->ack, self->acc0, -1,
			     LG_SAVI_ENFORCE, 0)) TH_LOG("%s", self->ack.msg);
	ASSERT_EQ(0, nl_mcast(&self->s, &self->ack, 1, 0, 0))
		TH_LOG("%s", self->ack.msg);
	probe_fd = udp_socket(self, R, NULL, 9);
	/* The SAVI probes need no neighbor discovery. */
	ASSERT_EQ(0, ns_ip_batch(self->ns[C],
				 "neigh replace fe80::ff:fe00:101 dev eth0"
				 " lladdr 02:00:00:00:01:01 nud permanent\n"));

	/*
	 * A logged fault holds the failing path for the console's time: the
	 * window in which an RCU reader may meet what that path frees grows
	 * from microseconds to about a millisecond. A few a second, without
	 * stack dumps (verbose 2 would fail the run as a splat).
	 */
	fault_write("verbose_ratelimit_interval_ms", 1000);
	fault_write("verbose_ratelimit_burst", 4);
	fault_write("verbose", env_long("LG_FAULT_VERBOSE", 1) ? 1 : 0);
	fault_write("interval", 1);
	fault_write("space", 0);
	fault_write("times", FAULT_TIMES);
	fault_write("probability", 0);

	t = mmap(NULL, sizeof(*t), PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, t);
	for (i = 0; i < 2; i++)
		if (!(pids[i] = child()))
			reader();
	if (!(pids[2] = child()))
		mutator(self, t);
	if (!(pids[3] = child()))
		mld_host(self);

	fault_write("probability", prob);
	end = time(NULL) + seconds;
	while (time(NULL) < end) {
		exchange(self, rnd() % N_CLIENTS);
		exchanges++;
	}
	fault_write("probability", 0);
	injected = FAULT_TIMES - fault_read("times");

	for (i = 0; i < 4; i++) {
		kill(pids[i], SIGKILL);
		waitpid(pids[i], NULL, 0);
	}
	printf("# %lu faults injected: %lu exchanges, %lu mutations (%lu -ENOMEM, %lu other errors)\n",
	       injected, exchanges, t->ok + t->enomem + t->other, t->enomem,
	       t->other);
	printf("# dhcp6_nomem %llu, mc_nomem %llu, bindings made %llu\n",
	       (unsigned long long)stat(self, LG_STATS_A_DHCP6_NOMEM),
	       (unsigned long long)stat(self, LG_STATS_A_MC_NOMEM),
	       (unsigned long long)stat(self, LG_STATS_A_BINDINGS_CREATED));
	EXPECT_LT(0UL, injected);

	/* What the mutator changed, back; the short leases expire. */
	ASSERT_EQ(0, nl_link(&self->s, &self->ack, self->acc0, LG_ROLE_ACCESS,
			     LG_SAVI_ENFORCE, 65536)) TH_LOG("%s", self->ack.msg);
	sleep(SHORT_VALID + 2);

	bad = check_bindings(self, &before, true);
	bad += check_counts(self, &before);
	printf("# %d bindings, %d leases after the faults\n",
	       before.n_bindings, before.n_leases);
	EXPECT_EQ(0, bad);

	/* Each binding rebuilt: no lease may change hands. */
	ASSERT_EQ(0, nl_binding(&self->s, &self->ack, LG_CMD_BINDING_RELEASE,
				0, true, LG_RELEASE_ADMIN, false))
		TH_LOG("%s", self->ack.msg);
	bad = check_bindings(self, &after, false);
	bad += moved_leases(&before, &after, "marking releasing");
	ASSERT_EQ(0, nl_binding(&self->s, &self->ack, LG_CMD_BINDING_RELEASE,
				0, true, 0, true)) TH_LOG("%s", self->ack.msg);
	before = after;
	bad += check_bindings(self, &after, true);
	bad += check_counts(self, &after);
	bad += moved_leases(&before, &after, "marking bound");
	EXPECT_EQ(0, bad);

	/* The proxy's groups, counted, then flushed. */
	i = mc_groups_dumped(self);
	printf("# %d multicast groups\n", i);
	EXPECT_EQ((uint64_t)i, stat(self, LG_STATS_A_MC_GROUPS));
	EXPECT_EQ((uint32_t)i, mcast_u32(self, LG_MCAST_A_GROUPS));
	ASSERT_EQ(0, nl_mcast(&self->s, &self->ack, 0, 0, 0));
	EXPECT_EQ(0, mc_groups_dumped(self));
	EXPECT_EQ(0, stat(self, LG_STATS_A_MC_GROUPS));

	/* Everything deleted: nothing left, nothing counted. */
	ASSERT_LE(0, nl_binding(&self->s, &self->ack, LG_CMD_BINDING_DEL, 0,
				true, 0, false)) TH_LOG("%s", self->ack.msg);
	EXPECT_EQ(0, check_bindings(self, &after, false));
	EXPECT_EQ(0, after.n_bindings);
	EXPECT_EQ(0, check_counts(self, &after));
	/* And the interface's configuration, static entries with it. */
	ASSERT_EQ(0, nl_link(&self->s, &self->ack, self->acc0, LG_ROLE_NONE,
			     -1, 0));
	link_u32(self, self->acc0, LG_LINK_A_SAVI_ENTRIES);
	EXPECT_EQ(-ENOENT, self->ack.err);
}

TEST_HARNESS_MAIN
