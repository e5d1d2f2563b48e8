// SPDX-License-Identifier: GPL-2.0
/*
 * leaseguardd's IGMP/MLD proxy (RFC 4605 section 4.1).
 *
 * The module keeps the router side of IGMP and MLD on every access
 * interface; this file keeps a copy of it, from the "mcast" and "config"
 * groups of the leaseguard family (and a dump at start and whenever events
 * were lost), and turns it into:
 *
 * - the host side on the family's upstream interface: each group's
 *   access-interface states merged as RFC 3376 section 3.2 merges sockets
 *   (lgd_mc_merge()), set with the socket API (MCAST_JOIN_GROUP,
 *   MCAST_JOIN_SOURCE_GROUP, MCAST_MSFILTER, MCAST_LEAVE_GROUP) on UDP
 *   sockets of ours. The kernel then sends the reports upstream. A change
 *   is one MCAST_MSFILTER, hence one state-change report;
 * - the (S,G) entries of the kernel's multicast routing (mroute.c): from
 *   the upstream interface to the access interfaces whose state wants S;
 * - the queriers of the access interfaces (querier.c).
 *
 * Changes are applied in rounds: events and dumps mark groups dirty, and
 * lgd_mc_flush() then applies each dirty group once.
 *
 * In a router pair (Documentation/failover.rst) both routers' modules hear
 * the subscribers' reports on the shared access segment, so both hold the
 * same groups. Only the active router (the MASTER, or a router alone)
 * forwards onto the access interfaces: two would deliver every packet
 * twice. The passive one keeps its upstream memberships, and (S,G) entries
 * with no access interface out, so that what arrives stops there without
 * an upcall a packet: a takeover is then one MRT_ADD_MFC per entry,
 * traffic already at the door, rather than joins upstream whose first
 * packets come after the upstream network (an IGMP/MLD querier, a PIM
 * join) has acted on them. The price is the upstream link's: each group
 * reaches both routers (once, on an upstream segment they share).
 *
 * A socket holds at most net.core.optmem_max octets of membership state
 * (20 KiB on 6.1: a few hundred groups) and igmp_max_memberships IPv4
 * groups, so groups are spread over as many sockets as they need.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <search.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <linux/leaseguard.h>

#include "binding.h"
#include "lgd.h"
#include "mcast.h"

#define LGD_MC_SOCK_GROUPS	256	/* groups per membership socket */
#define LGD_MC_GROUP_CHARGE	64	/* ip_mc_socklist, ipv6_mc_socklist */
#define LGD_MC_SFL_CHARGE	32	/* a source list's header */
#define LGD_MC_SFBLOCK		10	/* IP_SFBLOCK: a first source list */
#define LGD_MC_OPTMEM_DEFAULT	20480	/* net.core.optmem_max of 6.1 */
#define LGD_MC_SWEEP_MS		60000	/* idle (S,G) entries, failed joins */
#define LGD_MC_MFC_MAX		65536	/* (S,G) entries per family */
#define LGD_MC_RESYNC_MS	1000	/* a failed dump, tried again */
#define LGD_MC_EV_RCVBUF	(8 << 20)

/* An interface the module has told us of. */
struct lgd_mc_link {
	uint32_t ifindex;		/* first: the tree key */
	char name[IF_NAMESIZE];
	bool access;			/* LG_ROLE_ACCESS */
	uint32_t gen;			/* the last sync that saw it */
	unsigned int n_groups[LGD_MC_FAMILIES];	/* memberships */
};

/* A group's state on one access interface. */
struct lgd_mc_memb {
	uint32_t ifindex;
	uint8_t mode;			/* enum lg_mc_filter_mode */
	uint32_t gen;
	size_t n_src;
	struct lgd_mc_src *src;		/* sorted */
	struct lgd_mc_memb *next;
};

/* An (S,G) entry we installed. */
struct lgd_mc_mfc {
	struct lgd_mc_addr src;
	uint32_t oifs;			/* vif bits */
	uint64_t pkts;			/* at the last sweep */
	bool fresh;			/* installed since the last sweep */
};

struct lgd_mc_grp {
	struct lgd_mc_addr addr;	/* first: the tree key */
	int fi;
	struct lgd_mc_memb *membs;
	size_t n_membs;
	/* Upstream, as set: up_mode 0 is not joined. */
	uint8_t up_mode;
	bool up_stale;			/* the last change failed: retry */
	bool up_warned;
	int up_sock;
	size_t up_n;
	struct lgd_mc_addr *up_src;
	size_t up_charge;
	/* Forwarding, sorted by source. */
	size_t n_mfc, cap_mfc;
	struct lgd_mc_mfc *mfc;
	bool dirty;
	struct lgd_mc_grp *dirty_next;
};

/* A UDP socket holding upstream memberships. */
struct lgd_mc_sock {
	int fd;				/* -1: a free slot */
	unsigned int n_groups;
	size_t charge;			/* optmem it holds, about */
};

struct lgd_mc_stats {
	uint64_t joins, leaves, changes, up_errors, up_nobufs, capped;
	uint64_t upcalls, upcalls_ignored, mfc_adds, mfc_dels, mfc_errors;
	uint64_t no_vif;
};

struct lgd_mc_fam {
	int fi;
	const struct lgd_ctx *x;
	struct lgd_mc_conf conf;
	void *groups;			/* tsearch() of struct lgd_mc_grp */
	struct lgd_mc_sock *socks;
	size_t n_socks;
	bool up_active;			/* enabled, with an upstream */
	/* Limits of the kernel, read (and raised) with each configuration. */
	unsigned int sock_groups;
	size_t budget;			/* optmem per socket */
	size_t msf_cap;			/* sources in one filter */
	bool sysctl_warned, cap_warned, vif_warned, mfc_warned;
	/* force_*_version of the upstream interface, to restore. */
	bool forced;
	char forced_if[IF_NAMESIZE];
	long forced_orig;
	/* Forwarding. */
	struct lgd_mroute *mr;
	int up_vif;
	size_t n_mfc;
	bool passive;			/* lgd_mcast_set_active(): nothing out */
	struct lgd_mc_stats st;
};

struct lgd_mcast {
	const struct lgd_ctx *x;
	struct lg_nl ev;
	int epfd;
	struct lgd_mc_fam fam[LGD_MC_FAMILIES];
	void *links;			/* tsearch() of struct lgd_mc_link */
	struct lgd_querier *q;
	struct lgd_mc_grp *dirty;
	uint32_t gen;
	struct lgd_timer sweep;
	struct lgd_timer resync;
	uint32_t resync_ms;
	bool synced;			/* a sync went through once */
};

#define lgd_container_of(p, type, member) \
	((type *)((char *)(p) - offsetof(type, member)))

/* Epoll tags: the events, then each family's routing socket. */
#define LGD_MC_EP_EVENTS	0
#define LGD_MC_EP_MROUTE(fi)	(1 + (fi))

static const char *lgd_mc_ntop(int fi, const struct lgd_mc_addr *a,
			       char *buf)
{
	return inet_ntop(lgd_mc_af(fi), a->a, buf, INET6_ADDRSTRLEN);
}

static int lgd_mc_addr_cmp(const void *a, const void *b)
{
	return memcmp(a, b, sizeof(struct lgd_mc_addr));
}

/* Link-local groups: never proxied nor routed (224.0.0.0/24, ff0X::/16 X<=2). */
static bool lgd_mc_addr_local(int fi, const struct lgd_mc_addr *g)
{
	if (fi == LGD_MC_IGMP)
		return g->a[0] == 224 && !g->a[1] && !g->a[2];
	return g->a[0] != 0xff || (g->a[1] & 0x0f) <= 2;
}

/* The merge (RFC 3376 section 3.2) */

bool lgd_mc_wants(const struct lgd_mc_state *s, const struct lgd_mc_addr *src)
{
	const struct lgd_mc_src *x = NULL;

	if (s->n_src)
		x = bsearch(src, s->src, s->n_src, sizeof(*s->src),
			    lgd_mc_addr_cmp);
	if (s->mode == LG_MC_EXCLUDE)
		return !x || x->fwd;
	return x && x->fwd;
}

int lgd_mc_merge(const struct lgd_mc_state *v, size_t n, uint8_t *mode,
		 struct lgd_mc_addr **list, size_t *n_list)
{
	struct lgd_mc_addr *out;
	size_t i, j, k = 0, total = 0, ex = n;

	*mode = LG_MC_INCLUDE;
	*list = NULL;
	*n_list = 0;
	for (i = 0; i < n; i++) {
		total += v[i].n_src;
		if (v[i].mode == LG_MC_EXCLUDE &&
		    (ex == n || v[i].n_src < v[ex].n_src))
			ex = i;
	}
	if (ex < n) {
		/*
		 * EXCLUDE: what no state wants. Such a source is excluded by
		 * every EXCLUDE state, so the shortest list has them all.
		 */
		*mode = LG_MC_EXCLUDE;
		if (!v[ex].n_src)
			return 0;
		out = malloc(v[ex].n_src * sizeof(*out));
		if (!out)
			return -ENOMEM;
		for (j = 0; j < v[ex].n_src; j++) {
			const struct lgd_mc_addr *s = &v[ex].src[j].addr;

			for (i = 0; i < n; i++)
				if (lgd_mc_wants(&v[i], s))
					break;
			if (i == n)
				out[k++] = *s;
		}
	} else {
		/* INCLUDE: what some state wants. */
		if (!total)
			return 0;
		out = malloc(total * sizeof(*out));
		if (!out)
			return -ENOMEM;
		for (i = 0; i < n; i++)
			for (j = 0; j < v[i].n_src; j++)
				if (v[i].src[j].fwd)
					out[k++] = v[i].src[j].addr;
		qsort(out, k, sizeof(*out), lgd_mc_addr_cmp);
		for (i = j = 0; i < k; i++)
			if (!j || memcmp(&out[j - 1], &out[i], sizeof(*out)))
				out[j++] = out[i];
		k = j;
	}
	if (!k) {
		free(out);
		return 0;
	}
	*list = out;
	*n_list = k;
	return 0;
}

/* sysctls */

static int lgd_sysctl_get(const char *path, long *v)
{
	char buf[32];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return n < 0 ? -errno : -EINVAL;
	buf[n] = '\0';
	*v = strtol(buf, NULL, 10);
	return 0;
}

static int lgd_sysctl_set(const char *path, long v)
{
	char buf[32];
	int fd = open(path, O_WRONLY | O_CLOEXEC), len, err = 0;

	if (fd < 0)
		return -errno;
	len = snprintf(buf, sizeof(buf), "%ld\n", v);
	if (write(fd, buf, len) != len)
		err = -errno;
	close(fd);
	return err;
}

/* path's value, raised to want if lower: the value in force, or dflt. */
static long lgd_sysctl_raise(struct lgd_mc_fam *f, const char *path,
			     long want, long dflt)
{
	long cur;
	int err;

	err = lgd_sysctl_get(path, &cur);
	if (err) {
		/* mld_max_msf is global: only the initial namespace has it. */
		if (!f->sysctl_warned)
			lgd_log(err == -ENOENT ? LOG_NOTICE : LOG_WARNING,
				"%s: reading %s: %s; assuming %ld",
				lgd_mc_name(f->fi), path, strerror(-err), dflt);
		f->sysctl_warned = true;
		return dflt;
	}
	if (cur >= want)
		return cur;
	err = lgd_sysctl_set(path, want);
	if (err) {
		if (!f->sysctl_warned)
			lgd_warn("%s: cannot raise %s from %ld to %ld: %s",
				 lgd_mc_name(f->fi), path, cur, want,
				 strerror(-err));
		f->sysctl_warned = true;
		return cur;
	}
	lgd_notice("%s: raised %s from %ld to %ld", lgd_mc_name(f->fi), path,
		   cur, want);
	return want;
}

static size_t lgd_mc_sfl_charge(const struct lgd_mc_fam *f, size_t n)
{
	return n ? LGD_MC_SFL_CHARGE + n * lgd_mc_alen(f->fi) : 0;
}

/*
 * The kernel's limits for the family's configuration, raised where they
 * are below it: sources in one filter (igmp_max_msf, mld_max_msf, and
 * what MCAST_MSFILTER's optlen may be under optmem_max) and IPv4 groups
 * per socket (igmp_max_memberships). Returns whether the source cap
 * changed.
 */
static bool lgd_mc_limits(struct lgd_mc_fam *f)
{
	long optmem = LGD_MC_OPTMEM_DEFAULT, msf, memb, by_optlen, by_budget;
	size_t old = f->msf_cap;

	lgd_sysctl_get("/proc/sys/net/core/optmem_max", &optmem);
	if (f->fi == LGD_MC_IGMP) {
		msf = lgd_sysctl_raise(f, "/proc/sys/net/ipv4/igmp_max_msf",
				       f->conf.max_sources, 10);
		memb = lgd_sysctl_raise(f,
				"/proc/sys/net/ipv4/igmp_max_memberships",
				LGD_MC_SOCK_GROUPS, 20);
		f->sock_groups = memb < 1 ? 1 : memb > LGD_MC_SOCK_GROUPS ?
				 LGD_MC_SOCK_GROUPS : memb;
	} else {
		/* Not per namespace: only the initial one has it. */
		msf = lgd_sysctl_raise(f, "/proc/sys/net/ipv6/mld_max_msf",
				       f->conf.max_sources, 64);
		f->sock_groups = LGD_MC_SOCK_GROUPS;
	}
	f->budget = optmem > 2048 ? optmem - 256 : 1792;
	by_optlen = ((long)f->budget - (long)GROUP_FILTER_SIZE(0)) /
		    (long)sizeof(struct sockaddr_storage);
	/* The old list and the new one, both charged during a change. */
	by_budget = ((long)f->budget - LGD_MC_GROUP_CHARGE) / 2 -
		    LGD_MC_SFL_CHARGE;
	by_budget /= lgd_mc_alen(f->fi);
	if (msf > by_optlen)
		msf = by_optlen;
	if (msf > by_budget)
		msf = by_budget;
	f->msf_cap = msf > 0 ? msf : 0;
	return f->msf_cap != old;
}

static const char *lgd_mc_upname(const struct lgd_mc_fam *f, char *buf)
{
	if (f->conf.upstream_name[0])
		return strcpy(buf, f->conf.upstream_name);
	return lgd_ifname(f->x, f->conf.upstream, buf);
}

/* force_igmp_version, force_mld_version of the upstream interface. */
static void lgd_mc_force_version(struct lgd_mc_fam *f, bool on)
{
	const char *fmt = f->fi == LGD_MC_IGMP ?
			  "/proc/sys/net/ipv4/conf/%s/force_igmp_version" :
			  "/proc/sys/net/ipv6/conf/%s/force_mld_version";
	char path[128], name[IF_NAMESIZE];
	long cur = 0;
	int err;

	if (!on || (f->forced &&
		    strcmp(f->forced_if, lgd_mc_upname(f, name)))) {
		if (f->forced) {
			snprintf(path, sizeof(path), fmt, f->forced_if);
			lgd_sysctl_set(path, f->forced_orig);
			f->forced = false;
		}
		if (!on)
			return;
	}
	lgd_mc_upname(f, name);
	snprintf(path, sizeof(path), fmt, name);
	err = lgd_sysctl_get(path, &cur);
	if (!err && cur == f->conf.version)
		return;
	if (!err)
		err = lgd_sysctl_set(path, f->conf.version);
	if (err) {
		lgd_warn("%s: setting %s to %u: %s", lgd_mc_name(f->fi), path,
			 f->conf.version, strerror(-err));
		return;
	}
	if (!f->forced) {
		f->forced = true;
		f->forced_orig = cur;
		snprintf(f->forced_if, sizeof(f->forced_if), "%s", name);
	}
	lgd_info("%s: %s is now %u", lgd_mc_name(f->fi), path, f->conf.version);
}

/* Upstream memberships */

static void lgd_mc_sockaddr(int fi, const struct lgd_mc_addr *a,
			    struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (fi == LGD_MC_IGMP) {
		struct sockaddr_in *s = (struct sockaddr_in *)ss;

		s->sin_family = AF_INET;
		memcpy(&s->sin_addr, a->a, 4);
	} else {
		struct sockaddr_in6 *s = (struct sockaddr_in6 *)ss;

		s->sin6_family = AF_INET6;
		memcpy(&s->sin6_addr, a->a, 16);
	}
}

static int lgd_mc_level(const struct lgd_mc_fam *f)
{
	return f->fi == LGD_MC_MLD ? IPPROTO_IPV6 : IPPROTO_IP;
}

/* MCAST_JOIN_GROUP, MCAST_LEAVE_GROUP. */
static int lgd_mc_group_req(const struct lgd_mc_fam *f, int fd, int opt,
			    const struct lgd_mc_addr *grp)
{
	struct group_req gr = { .gr_interface = f->conf.upstream };

	lgd_mc_sockaddr(f->fi, grp, &gr.gr_group);
	return setsockopt(fd, lgd_mc_level(f), opt, &gr, sizeof(gr)) ?
	       -errno : 0;
}

static int lgd_mc_join_source(const struct lgd_mc_fam *f, int fd,
			      const struct lgd_mc_addr *grp,
			      const struct lgd_mc_addr *src)
{
	struct group_source_req gsr = { .gsr_interface = f->conf.upstream };

	lgd_mc_sockaddr(f->fi, grp, &gsr.gsr_group);
	lgd_mc_sockaddr(f->fi, src, &gsr.gsr_source);
	return setsockopt(fd, lgd_mc_level(f), MCAST_JOIN_SOURCE_GROUP, &gsr,
			  sizeof(gsr)) ? -errno : 0;
}

/* One MCAST_MSFILTER (setsourcefilter(3)): the whole new state at once. */
static int lgd_mc_msfilter(const struct lgd_mc_fam *f, int fd,
			   const struct lgd_mc_addr *grp, uint8_t mode,
			   const struct lgd_mc_addr *list, size_t n)
{
	size_t len = GROUP_FILTER_SIZE(n), i;
	struct sockaddr_storage *sl;
	struct group_filter *gf;
	int err = 0;

	gf = calloc(1, len > sizeof(*gf) ? len : sizeof(*gf));
	if (!gf)
		return -ENOMEM;
	gf->gf_interface = f->conf.upstream;
	lgd_mc_sockaddr(f->fi, grp, &gf->gf_group);
	gf->gf_fmode = mode == LG_MC_EXCLUDE ? MCAST_EXCLUDE : MCAST_INCLUDE;
	gf->gf_numsrc = n;
	sl = (void *)((char *)gf + offsetof(struct group_filter, gf_slist));
	for (i = 0; i < n; i++)
		lgd_mc_sockaddr(f->fi, &list[i], &sl[i]);
	if (setsockopt(fd, lgd_mc_level(f), MCAST_MSFILTER, gf, len))
		err = -errno;
	free(gf);
	return err;
}

/* A socket with room for need more octets, opened if none has. */
static int lgd_mc_sock_pick(struct lgd_mc_fam *f, size_t need, int avoid)
{
	struct lgd_mc_sock *s;
	size_t i, slot = f->n_socks;
	int fd;

	for (i = 0; i < f->n_socks; i++) {
		s = &f->socks[i];
		if (s->fd < 0) {
			if (slot == f->n_socks)
				slot = i;
			continue;
		}
		if ((int)i != avoid && s->n_groups < f->sock_groups &&
		    s->charge + need <= f->budget)
			return i;
	}
	fd = socket(lgd_mc_af(f->fi), SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (slot == f->n_socks) {
		s = realloc(f->socks, (f->n_socks + 1) * sizeof(*s));
		if (!s) {
			close(fd);
			return -ENOMEM;
		}
		f->socks = s;
		f->n_socks++;
	}
	s = &f->socks[slot];
	s->fd = fd;
	s->n_groups = 0;
	s->charge = 0;
	return slot;
}

static void lgd_mc_sock_put(struct lgd_mc_fam *f, int i, size_t charge)
{
	struct lgd_mc_sock *s = &f->socks[i];

	s->charge = s->charge > charge ? s->charge - charge : 0;
	if (--s->n_groups)
		return;
	close(s->fd);
	s->fd = -1;
}

/* Joins grp with mode and list on socket i: all of it, or nothing. */
static int lgd_mc_join_on(struct lgd_mc_fam *f, int i,
			  const struct lgd_mc_addr *grp, uint8_t mode,
			  const struct lgd_mc_addr *list, size_t n)
{
	int fd = f->socks[i].fd, err;

	/* INCLUDE from the start, never a moment of EXCLUDE({}). */
	if (mode == LG_MC_INCLUDE)
		err = lgd_mc_join_source(f, fd, grp, &list[0]);
	else
		err = lgd_mc_group_req(f, fd, MCAST_JOIN_GROUP, grp);
	if (err)
		return err;
	if (mode == LG_MC_INCLUDE ? n > 1 : n > 0) {
		err = lgd_mc_msfilter(f, fd, grp, mode, list, n);
		if (err)
			lgd_mc_group_req(f, fd, MCAST_LEAVE_GROUP, grp);
	}
	return err;
}

/*
 * Joins grp on a socket with room (not avoid), a new one if the chosen
 * one turns out full. Returns the socket, or -errno.
 */
static int lgd_mc_join(struct lgd_mc_fam *f, const struct lgd_mc_addr *grp,
		       uint8_t mode, const struct lgd_mc_addr *list, size_t n,
		       int avoid)
{
	size_t first = mode == LG_MC_INCLUDE ? LGD_MC_SFBLOCK : 0;
	size_t need = LGD_MC_GROUP_CHARGE + lgd_mc_sfl_charge(f, first) +
		      lgd_mc_sfl_charge(f, n);
	int i, err, tries;

	for (tries = 0; tries < 2; tries++) {
		i = lgd_mc_sock_pick(f, need, avoid);
		if (i < 0)
			return i;
		err = lgd_mc_join_on(f, i, grp, mode, list, n);
		if (!err) {
			f->socks[i].n_groups++;
			f->socks[i].charge += LGD_MC_GROUP_CHARGE +
					      lgd_mc_sfl_charge(f, n);
			return i;
		}
		if (!f->socks[i].n_groups) {
			/* Even an empty socket cannot: give up. */
			close(f->socks[i].fd);
			f->socks[i].fd = -1;
			return err;
		}
		if (err != -ENOBUFS && err != -ENOMEM)
			return err;
		/* Our estimate was short: that socket is full. */
		f->socks[i].charge = f->budget;
	}
	return err;
}

static void lgd_mc_up_record(struct lgd_mc_fam *f, struct lgd_mc_grp *g,
			     int sock, uint8_t mode, struct lgd_mc_addr *list,
			     size_t n)
{
	free(g->up_src);
	g->up_sock = sock;
	g->up_mode = mode;
	g->up_src = list;
	g->up_n = n;
	g->up_charge = mode ? LGD_MC_GROUP_CHARGE + lgd_mc_sfl_charge(f, n) : 0;
	g->up_stale = false;
	g->up_warned = false;
}

static void lgd_mc_up_fail(struct lgd_mc_fam *f, struct lgd_mc_grp *g,
			   const char *what, int err)
{
	char a[INET6_ADDRSTRLEN], ifn[IF_NAMESIZE];

	f->st.up_errors++;
	if (err == -ENOBUFS || err == -ENOMEM)
		f->st.up_nobufs++;
	g->up_stale = true;
	lgd_log(g->up_warned ? LOG_DEBUG : LOG_WARNING,
		"%s: %s %s on %s: %s%s", lgd_mc_name(f->fi), what,
		lgd_mc_ntop(f->fi, &g->addr, a),
		lgd_mc_upname(f, ifn), strerror(-err),
		err == -ENOBUFS || err == -ENOMEM ?
		" (kernel membership limits); tried again later" :
		"; tried again later");
	g->up_warned = true;
}

static const char *lgd_mc_mode_name(uint8_t mode)
{
	return mode == LG_MC_EXCLUDE ? "EXCLUDE" : "INCLUDE";
}

/* Makes grp's upstream state (mode, list[0..n)), which list is given to. */
static void lgd_mc_up_set(struct lgd_mc_fam *f, struct lgd_mc_grp *g,
			  uint8_t mode, struct lgd_mc_addr *list, size_t n)
{
	char a[INET6_ADDRSTRLEN], ifn[IF_NAMESIZE];
	struct lgd_mc_sock *s;
	int i, err;

	lgd_mc_upname(f, ifn);
	if (mode == LG_MC_INCLUDE && !n) {
		if (g->up_mode) {
			err = lgd_mc_group_req(f, f->socks[g->up_sock].fd,
					       MCAST_LEAVE_GROUP, &g->addr);
			if (err)
				lgd_debug("%s: leaving %s: %s", lgd_mc_name(f->fi),
					  lgd_mc_ntop(f->fi, &g->addr, a),
					  strerror(-err));
			lgd_mc_sock_put(f, g->up_sock, g->up_charge);
			f->st.leaves++;
			lgd_info("%s: left %s on %s", lgd_mc_name(f->fi),
				 lgd_mc_ntop(f->fi, &g->addr, a), ifn);
		}
		lgd_mc_up_record(f, g, -1, 0, NULL, 0);
		free(list);
		return;
	}
	if (!g->up_mode) {
		i = lgd_mc_join(f, &g->addr, mode, list, n, -1);
		if (i < 0) {
			free(list);
			lgd_mc_up_fail(f, g, "joining", i);
			return;
		}
		f->st.joins++;
		lgd_info("%s: joined %s on %s, %s of %zu sources",
			 lgd_mc_name(f->fi), lgd_mc_ntop(f->fi, &g->addr, a),
			 ifn, lgd_mc_mode_name(mode), n);
		lgd_mc_up_record(f, g, i, mode, list, n);
		return;
	}
	s = &f->socks[g->up_sock];
	err = -ENOBUFS;
	if (s->charge + lgd_mc_sfl_charge(f, n) <= f->budget)
		err = lgd_mc_msfilter(f, s->fd, &g->addr, mode, list, n);
	if (!err) {
		s->charge += LGD_MC_GROUP_CHARGE + lgd_mc_sfl_charge(f, n);
		s->charge -= s->charge > g->up_charge ? g->up_charge : s->charge;
		i = g->up_sock;
	} else if (err == -ENOBUFS || err == -ENOMEM) {
		/* No room left on its socket: onto another, then off this one. */
		i = lgd_mc_join(f, &g->addr, mode, list, n, g->up_sock);
		if (i >= 0) {
			/* f->socks may have moved: s is stale. */
			lgd_mc_group_req(f, f->socks[g->up_sock].fd,
					 MCAST_LEAVE_GROUP, &g->addr);
			lgd_mc_sock_put(f, g->up_sock, g->up_charge);
		}
		err = i < 0 ? i : 0;
	}
	if (err) {
		free(list);
		lgd_mc_up_fail(f, g, "changing", err);
		return;
	}
	f->st.changes++;
	lgd_debug("%s: %s on %s is now %s of %zu sources", lgd_mc_name(f->fi),
		  lgd_mc_ntop(f->fi, &g->addr, a), ifn, lgd_mc_mode_name(mode),
		  n);
	lgd_mc_up_record(f, g, i, mode, list, n);
}

/* What grp should be upstream, and what it is made to be. */
static void lgd_mc_up_apply(struct lgd_mc_fam *f, struct lgd_mc_grp *g)
{
	struct lgd_mc_state *v = NULL;
	struct lgd_mc_addr *list = NULL;
	uint8_t mode = LG_MC_INCLUDE;
	struct lgd_mc_memb *mb;
	char a[INET6_ADDRSTRLEN];
	size_t n = 0, i = 0;

	if (!f->up_active)
		return;
	if (g->n_membs && !lgd_mc_addr_local(f->fi, &g->addr)) {
		v = calloc(g->n_membs, sizeof(*v));
		if (!v)
			goto nomem;
		for (mb = g->membs; mb; mb = mb->next, i++) {
			v[i].mode = mb->mode;
			v[i].n_src = mb->n_src;
			v[i].src = mb->src;
		}
		if (lgd_mc_merge(v, g->n_membs, &mode, &list, &n))
			goto nomem;
		free(v);
	}
	if (n > f->msf_cap) {
		/* More than one filter takes: receive more, never less. */
		f->st.capped++;
		lgd_log(f->cap_warned ? LOG_DEBUG : LOG_WARNING,
			"%s: %s would filter %zu sources upstream, more than the kernel takes (%zu): %s",
			lgd_mc_name(f->fi), lgd_mc_ntop(f->fi, &g->addr, a), n,
			f->msf_cap, mode == LG_MC_INCLUDE ?
			"EXCLUDE({}) instead" : "only the first excluded");
		f->cap_warned = true;
		if (mode == LG_MC_INCLUDE) {
			mode = LG_MC_EXCLUDE;
			n = 0;
		} else {
			n = f->msf_cap;
		}
		if (!n) {
			free(list);
			list = NULL;
		}
	}
	if (!g->up_stale &&
	    (g->up_mode ? g->up_mode : LG_MC_INCLUDE) == mode &&
	    g->up_n == n && (!n || !memcmp(g->up_src, list, n * sizeof(*list)))) {
		free(list);
		return;
	}
	lgd_mc_up_set(f, g, mode, list, n);
	return;
nomem:
	free(v);
	lgd_mc_up_fail(f, g, "merging", -ENOMEM);
}

static void lgd_mc_up_reset_cb(const void *node, VISIT which, void *data)
{
	struct lgd_mc_grp *g = *(struct lgd_mc_grp *const *)node;

	(void)data;
	if (which != postorder && which != leaf)
		return;
	lgd_mc_up_record(NULL, g, -1, 0, NULL, 0);
}

/* Every group left at once: the sockets closed. */
static void lgd_mc_up_close(struct lgd_mc_fam *f)
{
	size_t i, n = 0;

	for (i = 0; i < f->n_socks; i++) {
		if (f->socks[i].fd < 0)
			continue;
		n += f->socks[i].n_groups;
		close(f->socks[i].fd);
	}
	free(f->socks);
	f->socks = NULL;
	f->n_socks = 0;
	twalk_r(f->groups, lgd_mc_up_reset_cb, NULL);
	if (n)
		lgd_info("%s: left %zu groups upstream", lgd_mc_name(f->fi), n);
	f->st.leaves += n;
}

/* Forwarding */

static void lgd_mc_dirty(struct lgd_mcast *m, struct lgd_mc_grp *g)
{
	if (g->dirty)
		return;
	g->dirty = true;
	g->dirty_next = m->dirty;
	m->dirty = g;
}

/* The access vifs whose state of g wants src. */
static uint32_t lgd_mc_oifs(struct lgd_mc_fam *f, struct lgd_mc_grp *g,
			    const struct lgd_mc_addr *src)
{
	char ifn[IF_NAMESIZE];
	struct lgd_mc_memb *mb;
	uint32_t oifs = 0;
	int vif;

	/* A BACKUP's entries hold what comes from upstream: the MASTER sends. */
	if (f->passive)
		return 0;
	for (mb = g->membs; mb; mb = mb->next) {
		struct lgd_mc_state s = { mb->mode, mb->n_src, mb->src };

		if (!lgd_mc_wants(&s, src))
			continue;
		vif = lgd_mroute_vif(f->mr, mb->ifindex, true);
		if (vif >= 0 && vif != f->up_vif) {
			oifs |= 1u << vif;
			continue;
		}
		f->st.no_vif++;
		lgd_log(f->vif_warned ? LOG_DEBUG : LOG_WARNING,
			"%s: no multicast routing vif for %s: %s%s",
			lgd_mc_name(f->fi), lgd_ifname(f->x, mb->ifindex, ifn),
			strerror(vif < 0 ? -vif : EINVAL),
			vif == -ENOSPC ?
			" (the kernel has 32; one is upstream)" : "");
		f->vif_warned = true;
	}
	return oifs;
}

static struct lgd_mc_mfc *lgd_mc_mfc_find(struct lgd_mc_grp *g,
					  const struct lgd_mc_addr *src)
{
	if (!g->n_mfc)
		return NULL;
	return bsearch(src, g->mfc, g->n_mfc, sizeof(*g->mfc),
		       lgd_mc_addr_cmp);
}

static void lgd_mc_mfc_log(struct lgd_mc_fam *f, struct lgd_mc_grp *g,
			   const struct lgd_mc_mfc *e, const char *what)
{
	char s[INET6_ADDRSTRLEN], a[INET6_ADDRSTRLEN];

	lgd_debug("%s: MFC %s (%s, %s): %d access vifs (0x%08x)",
		  lgd_mc_name(f->fi), what, lgd_mc_ntop(f->fi, &e->src, s),
		  lgd_mc_ntop(f->fi, &g->addr, a), __builtin_popcount(e->oifs),
		  e->oifs);
}

/* Removes entry i of g, from the kernel too if del. */
static void lgd_mc_mfc_drop(struct lgd_mc_fam *f, struct lgd_mc_grp *g,
			    size_t i, bool del)
{
	int err;

	if (del) {
		err = lgd_mroute_mfc_del(f->mr, &g->mfc[i].src, &g->addr,
					 f->up_vif);
		if (err && err != -ENOENT)
			f->st.mfc_errors++;
		f->st.mfc_dels++;
		lgd_mc_mfc_log(f, g, &g->mfc[i], "del");
	}
	memmove(&g->mfc[i], &g->mfc[i + 1],
		(g->n_mfc - i - 1) * sizeof(*g->mfc));
	g->n_mfc--;
	f->n_mfc--;
}

/* g's entries after its states changed: out where wanted, or gone. */
static void lgd_mc_fwd_apply(struct lgd_mc_fam *f, struct lgd_mc_grp *g)
{
	struct lgd_mc_mfc *e;
	uint32_t oifs;
	size_t i;
	int err;

	if (!f->mr)
		return;
	if (!g->n_membs) {
		while (g->n_mfc)
			lgd_mc_mfc_drop(f, g, g->n_mfc - 1, true);
		return;
	}
	for (i = 0; i < g->n_mfc; i++) {
		e = &g->mfc[i];
		oifs = lgd_mc_oifs(f, g, &e->src);
		if (oifs == e->oifs)
			continue;
		e->oifs = oifs;
		err = lgd_mroute_mfc_add(f->mr, &e->src, &g->addr, f->up_vif,
					 oifs);
		if (err) {
			f->st.mfc_errors++;
			lgd_warn("%s: updating an MFC entry: %s",
				 lgd_mc_name(f->fi), strerror(-err));
		}
		lgd_mc_mfc_log(f, g, e, "change");
	}
}

/* Groups */

static struct lgd_mc_grp *lgd_mc_grp_get(struct lgd_mc_fam *f,
					 const struct lgd_mc_addr *addr,
					 bool create)
{
	struct lgd_mc_grp **slot, *g;

	slot = tfind(addr, &f->groups, lgd_mc_addr_cmp);
	if (slot || !create)
		return slot ? *slot : NULL;
	g = calloc(1, sizeof(*g));
	if (!g)
		return NULL;
	g->addr = *addr;
	g->fi = f->fi;
	g->up_sock = -1;
	if (!tsearch(g, &f->groups, lgd_mc_addr_cmp)) {
		free(g);
		return NULL;
	}
	return g;
}

static void lgd_mc_memb_free(struct lgd_mc_memb *mb)
{
	free(mb->src);
	free(mb);
}

static void lgd_mc_grp_destroy(void *p)
{
	struct lgd_mc_grp *g = p;
	struct lgd_mc_memb *mb;

	while ((mb = g->membs)) {
		g->membs = mb->next;
		lgd_mc_memb_free(mb);
	}
	free(g->up_src);
	free(g->mfc);
	free(g);
}

/* Links */

static int lgd_mc_link_cmp(const void *a, const void *b)
{
	const struct lgd_mc_link *x = a, *y = b;

	return x->ifindex < y->ifindex ? -1 : x->ifindex > y->ifindex;
}

static struct lgd_mc_link *lgd_mc_link_get(struct lgd_mcast *m,
					   uint32_t ifindex, bool create)
{
	struct lgd_mc_link key = { .ifindex = ifindex }, **slot, *l;

	slot = tfind(&key, &m->links, lgd_mc_link_cmp);
	if (slot || !create)
		return slot ? *slot : NULL;
	l = calloc(1, sizeof(*l));
	if (!l)
		return NULL;
	l->ifindex = ifindex;
	if (!tsearch(l, &m->links, lgd_mc_link_cmp)) {
		free(l);
		return NULL;
	}
	return l;
}

static void lgd_mc_link_put(struct lgd_mcast *m, struct lgd_mc_link *l)
{
	if (l->access || l->n_groups[0] || l->n_groups[1])
		return;
	tdelete(l, &m->links, lgd_mc_link_cmp);
	free(l);
}

/* The queriers of l, for its role and the families' settings. */
static void lgd_mc_link_querier(struct lgd_mcast *m, struct lgd_mc_link *l)
{
	int fi;

	for (fi = 0; fi < LGD_MC_FAMILIES; fi++)
		lgd_querier_set(m->q, fi, l->ifindex,
				l->access && m->fam[fi].conf.enable);
}

/* Memberships */

/* (ifindex, grp) has state mode and src[0..n) (sorted, given to it). */
static void lgd_mc_memb_set(struct lgd_mcast *m, int fi, uint32_t ifindex,
			    const struct lgd_mc_addr *grp, uint8_t mode,
			    struct lgd_mc_src *src, size_t n)
{
	struct lgd_mc_fam *f = &m->fam[fi];
	struct lgd_mc_grp *g = lgd_mc_grp_get(f, grp, true);
	struct lgd_mc_memb *mb = NULL;
	struct lgd_mc_link *l;

	if (g)
		for (mb = g->membs; mb && mb->ifindex != ifindex; mb = mb->next)
			;
	if (g && !mb) {
		l = lgd_mc_link_get(m, ifindex, true);
		mb = l ? calloc(1, sizeof(*mb)) : NULL;
		if (!mb) {
			if (l)
				lgd_mc_link_put(m, l);
			lgd_mc_dirty(m, g);	/* freed if empty */
			g = NULL;
		} else {
			mb->ifindex = ifindex;
			mb->next = g->membs;
			g->membs = mb;
			g->n_membs++;
			l->n_groups[fi]++;
		}
	}
	if (!g) {
		free(src);
		lgd_err("%s: out of memory for a group: resyncing later",
			lgd_mc_name(fi));
		lgd_timer_arm(&m->resync, lgd_now_ms() + LGD_MC_RESYNC_MS);
		return;
	}
	mb->gen = m->gen;
	if (mb->mode == mode && mb->n_src == n &&
	    (!n || !memcmp(mb->src, src, n * sizeof(*src)))) {
		free(src);
		return;
	}
	free(mb->src);
	mb->mode = mode;
	mb->src = src;
	mb->n_src = n;
	lgd_mc_dirty(m, g);
}

static void lgd_mc_memb_unlink(struct lgd_mcast *m, struct lgd_mc_grp *g,
			       struct lgd_mc_memb *mb)
{
	struct lgd_mc_memb **pp;
	struct lgd_mc_link *l = lgd_mc_link_get(m, mb->ifindex, false);

	for (pp = &g->membs; *pp != mb; pp = &(*pp)->next)
		;
	*pp = mb->next;
	g->n_membs--;
	if (l) {
		l->n_groups[g->fi]--;
		lgd_mc_link_put(m, l);
	}
	lgd_mc_memb_free(mb);
	lgd_mc_dirty(m, g);
}

static void lgd_mc_memb_del(struct lgd_mcast *m, int fi, uint32_t ifindex,
			    const struct lgd_mc_addr *grp)
{
	struct lgd_mc_grp *g = lgd_mc_grp_get(&m->fam[fi], grp, false);
	struct lgd_mc_memb *mb;

	if (!g)
		return;
	for (mb = g->membs; mb && mb->ifindex != ifindex; mb = mb->next)
		;
	if (mb)
		lgd_mc_memb_unlink(m, g, mb);
}

struct lgd_mc_walk {
	struct lgd_mcast *m;
	uint32_t ifindex;		/* 0: memberships of an older sync */
	struct lgd_mc_link **links;	/* lgd_mc_links_cb() */
	size_t n, cap;
};

static void lgd_mc_memb_drop_cb(const void *node, VISIT which, void *data)
{
	struct lgd_mc_grp *g = *(struct lgd_mc_grp *const *)node;
	struct lgd_mc_walk *w = data;
	struct lgd_mc_memb *mb, *next;

	if (which != postorder && which != leaf)
		return;
	/* Unlinking members changes no tree: this walk goes on safely. */
	for (mb = g->membs; mb; mb = next) {
		next = mb->next;
		if (w->ifindex ? mb->ifindex == w->ifindex :
		    mb->gen != w->m->gen)
			lgd_mc_memb_unlink(w->m, g, mb);
	}
	if (!g->n_membs)
		lgd_mc_dirty(w->m, g);	/* maybe left from a failed create */
}

/* l's role: access, or not any more (its groups go). */
static void lgd_mc_link_set(struct lgd_mcast *m, uint32_t ifindex,
			    const char *name, bool access)
{
	struct lgd_mc_link *l = lgd_mc_link_get(m, ifindex, access);
	struct lgd_mc_walk w = { .m = m, .ifindex = ifindex };
	unsigned int had[LGD_MC_FAMILIES];
	int fi;

	if (!l)
		return;
	if (name && *name)
		snprintf(l->name, sizeof(l->name), "%s", name);
	l->gen = m->gen;
	if (l->access == access)
		return;
	l->access = access;
	lgd_debug("%s is %san access interface", l->name[0] ? l->name : "?",
		  access ? "" : "no longer ");
	lgd_mc_link_querier(m, l);
	if (access)
		return;
	/* The last membership to go frees l. */
	memcpy(had, l->n_groups, sizeof(had));
	if (!had[LGD_MC_IGMP] && !had[LGD_MC_MLD])
		lgd_mc_link_put(m, l);
	for (fi = 0; fi < LGD_MC_FAMILIES; fi++)
		if (had[fi])
			twalk_r(m->fam[fi].groups, lgd_mc_memb_drop_cb, &w);
}

/* The round: each dirty group applied once. */

static void lgd_mc_grp_free(struct lgd_mc_fam *f, struct lgd_mc_grp *g)
{
	tdelete(g, &f->groups, lgd_mc_addr_cmp);
	lgd_mc_grp_destroy(g);
}

/* Vifs of access interfaces that have no group of the family any more. */
static void lgd_mc_vif_gc(struct lgd_mcast *m, struct lgd_mc_fam *f)
{
	uint32_t v[LGD_MROUTE_MAX_VIFS];
	struct lgd_mc_link *l;
	size_t i, n;

	if (!f->mr)
		return;
	n = lgd_mroute_vifs(f->mr, v);
	for (i = 0; i < n; i++) {
		if (v[i] == f->conf.upstream)
			continue;
		l = lgd_mc_link_get(m, v[i], false);
		if (!l || !l->n_groups[f->fi])
			lgd_mroute_vif_del(f->mr, v[i]);
	}
}

static void lgd_mc_flush(struct lgd_mcast *m)
{
	struct lgd_mc_grp *g;
	struct lgd_mc_fam *f;
	int fi;

	while ((g = m->dirty)) {
		m->dirty = g->dirty_next;
		g->dirty = false;
		f = &m->fam[g->fi];
		lgd_mc_up_apply(f, g);
		lgd_mc_fwd_apply(f, g);
		if (!g->membs && !g->n_mfc && !g->up_mode)
			lgd_mc_grp_free(f, g);
	}
	for (fi = 0; fi < LGD_MC_FAMILIES; fi++)
		lgd_mc_vif_gc(m, &m->fam[fi]);
}

static void lgd_mc_dirty_cb(const void *node, VISIT which, void *data)
{
	struct lgd_mc_grp *g = *(struct lgd_mc_grp *const *)node;

	if (which == postorder || which == leaf)
		lgd_mc_dirty(data, g);
}

/* Upstream and forwarding: on, or off, for the family's settings. */

static void lgd_mc_mfc_forget_cb(const void *node, VISIT which, void *data)
{
	struct lgd_mc_grp *g = *(struct lgd_mc_grp *const *)node;

	(void)data;
	if (which != postorder && which != leaf)
		return;
	free(g->mfc);
	g->mfc = NULL;
	g->n_mfc = g->cap_mfc = 0;
}

static void lgd_mc_mroute_close(struct lgd_mcast *m, struct lgd_mc_fam *f)
{
	if (!f->mr)
		return;
	epoll_ctl(m->epfd, EPOLL_CTL_DEL, lgd_mroute_fd(f->mr), NULL);
	lgd_mroute_close(f->mr);
	f->mr = NULL;
	/* The kernel flushed them. */
	twalk_r(f->groups, lgd_mc_mfc_forget_cb, NULL);
	f->n_mfc = 0;
	lgd_info("%s: multicast routing stopped", lgd_mc_name(f->fi));
}

static void lgd_mc_mroute_open(struct lgd_mcast *m, struct lgd_mc_fam *f)
{
	struct epoll_event ev = { .events = EPOLLIN,
				  .data.u32 = LGD_MC_EP_MROUTE(f->fi) };
	char ifn[IF_NAMESIZE];
	int err;

	f->mr = lgd_mroute_open(f->fi, &err);
	if (!f->mr) {
		if (err == -EADDRINUSE)
			lgd_err("%s: another multicast router (mrouted, igmpproxy, pimd, smcroute...) runs in this namespace: no %s forwarding by leaseguardd; joins and queries go on",
				lgd_mc_name(f->fi),
				f->fi == LGD_MC_IGMP ? "IPv4" : "IPv6");
		else
			lgd_err("%s: multicast routing socket: %s: no forwarding",
				lgd_mc_name(f->fi), strerror(-err));
		return;
	}
	f->up_vif = lgd_mroute_vif(f->mr, f->conf.upstream, true);
	if (f->up_vif < 0) {
		lgd_err("%s: a vif for %s: %s: no forwarding",
			lgd_mc_name(f->fi), lgd_mc_upname(f, ifn),
			strerror(-f->up_vif));
		lgd_mroute_close(f->mr);
		f->mr = NULL;
		return;
	}
	if (epoll_ctl(m->epfd, EPOLL_CTL_ADD, lgd_mroute_fd(f->mr), &ev)) {
		lgd_err("%s: epoll: %s", lgd_mc_name(f->fi), strerror(errno));
		lgd_mroute_close(f->mr);
		f->mr = NULL;
		return;
	}
	lgd_info("%s: multicast routing from %s (vif %d)", lgd_mc_name(f->fi),
		 lgd_mc_upname(f, ifn), f->up_vif);
}

static void lgd_mc_up_stop(struct lgd_mcast *m, struct lgd_mc_fam *f)
{
	lgd_mc_mroute_close(m, f);
	lgd_mc_up_close(f);
	lgd_mc_force_version(f, false);
	f->up_active = false;
}

static void lgd_mc_up_start(struct lgd_mcast *m, struct lgd_mc_fam *f)
{
	f->up_active = true;
	lgd_mc_force_version(f, true);
	lgd_mc_mroute_open(m, f);
	twalk_r(f->groups, lgd_mc_dirty_cb, m);
}

/* Configuration */

static void lgd_mc_querier_cb(const void *node, VISIT which, void *data)
{
	struct lgd_mc_link *l = *(struct lgd_mc_link *const *)node;

	if (which == postorder || which == leaf)
		lgd_mc_link_querier(data, l);
}

static void lgd_mc_conf_log(const struct lgd_mc_fam *f)
{
	const struct lgd_mc_conf *c = &f->conf;
	char ifn[IF_NAMESIZE];

	if (!c->enable) {
		lgd_info("%s proxy: off", lgd_mc_name(f->fi));
		return;
	}
	lgd_info("%s proxy: on, upstream %s, version %u, robustness %u, query interval %u s, response %u ms, last member %u x %u ms",
		 lgd_mc_name(f->fi),
		 c->upstream ? lgd_mc_upname(f, ifn) : "none",
		 c->version, c->robustness, c->query_interval,
		 c->query_response_interval, c->last_member_count,
		 c->last_member_interval);
}

static void lgd_mc_conf_set(struct lgd_mcast *m, int fi,
			    const struct lgd_mc_conf *c)
{
	struct lgd_mc_fam *f = &m->fam[fi];
	struct lgd_mc_conf old = f->conf;
	bool active = c->enable && c->upstream;
	bool re_up = active != f->up_active ||
		     (active && c->upstream != old.upstream);

	if (!memcmp(&old, c, sizeof(old)))
		return;
	f->conf = *c;
	lgd_mc_conf_log(f);
	if (c->enable && lgd_mc_limits(f) && active && !re_up)
		twalk_r(f->groups, lgd_mc_dirty_cb, m);
	if (re_up) {
		if (f->up_active)
			lgd_mc_up_stop(m, f);
		if (active)
			lgd_mc_up_start(m, f);
	} else if (active && c->version != old.version) {
		lgd_mc_force_version(f, true);
	}
	if (c->enable != old.enable)
		twalk_r(m->links, lgd_mc_querier_cb, m);
	if (c->query_interval != old.query_interval ||
	    c->robustness != old.robustness)
		lgd_querier_reconf(m->q, fi);
}

/* Netlink */

static int lgd_mc_u32(const struct nlattr *a, uint32_t *v)
{
	if (!a)
		return 0;
	if (mnl_attr_validate(a, MNL_TYPE_U32) < 0)
		return -EBADMSG;
	*v = mnl_attr_get_u32(a);
	return 0;
}

static int lgd_mc_u8(const struct nlattr *a, uint8_t *v)
{
	if (!a)
		return 0;
	if (mnl_attr_validate(a, MNL_TYPE_U8) < 0)
		return -EBADMSG;
	*v = mnl_attr_get_u8(a);
	return 0;
}

static int lgd_mc_family(const struct nlattr *a, int *fi)
{
	uint8_t af = 0;

	if (!a || lgd_mc_u8(a, &af))
		return -EBADMSG;
	if (af != AF_INET && af != AF_INET6)
		return -EAFNOSUPPORT;	/* a newer module's: skipped */
	*fi = af == AF_INET6 ? LGD_MC_MLD : LGD_MC_IGMP;
	return 0;
}

static int lgd_mc_addr_attr(const struct nlattr *a, int fi,
			    struct lgd_mc_addr *addr)
{
	memset(addr, 0, sizeof(*addr));
	if (!a || mnl_attr_get_payload_len(a) != lgd_mc_alen(fi))
		return -EBADMSG;
	memcpy(addr->a, mnl_attr_get_payload(a), lgd_mc_alen(fi));
	return 0;
}

static uint32_t lgd_mc_clamp(uint32_t v, uint32_t lo, uint32_t hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

static int lgd_mc_conf_parse(const struct nlattr *nest, int *fi,
			     struct lgd_mc_conf *c)
{
	const struct nlattr *tb[LG_MCAST_A_MAX + 1];
	uint8_t u8 = 0;
	int err;

	err = lg_nl_parse_nest(nest, tb, LG_MCAST_A_MAX);
	if (!err)
		err = lgd_mc_family(tb[LG_MCAST_A_FAMILY], fi);
	if (err)
		return err;
	memset(c, 0, sizeof(*c));
	c->known = true;
	c->version = *fi == LGD_MC_MLD ? 2 : 3;
	c->robustness = 2;
	c->query_interval = 125;
	c->query_response_interval = 10000;
	c->last_member_interval = 1000;
	c->last_member_count = 2;
	c->max_groups = LG_MC_MAX_GROUPS_DEFAULT;
	c->max_sources = LG_MC_MAX_SOURCES_DEFAULT;
	err = lgd_mc_u8(tb[LG_MCAST_A_ENABLE], &u8) ?:
	      lgd_mc_u32(tb[LG_MCAST_A_UPSTREAM], &c->upstream) ?:
	      lgd_mc_u8(tb[LG_MCAST_A_VERSION], &c->version) ?:
	      lgd_mc_u32(tb[LG_MCAST_A_ROBUSTNESS], &c->robustness) ?:
	      lgd_mc_u32(tb[LG_MCAST_A_QUERY_INTERVAL], &c->query_interval) ?:
	      lgd_mc_u32(tb[LG_MCAST_A_QUERY_RESPONSE_INTERVAL],
			 &c->query_response_interval) ?:
	      lgd_mc_u32(tb[LG_MCAST_A_LAST_MEMBER_INTERVAL],
			 &c->last_member_interval) ?:
	      lgd_mc_u32(tb[LG_MCAST_A_LAST_MEMBER_COUNT],
			 &c->last_member_count) ?:
	      lgd_mc_u32(tb[LG_MCAST_A_MAX_GROUPS], &c->max_groups) ?:
	      lgd_mc_u32(tb[LG_MCAST_A_MAX_SOURCES], &c->max_sources);
	if (err)
		return err;
	c->enable = u8;
	if (tb[LG_MCAST_A_UPSTREAM_NAME] &&
	    !mnl_attr_validate(tb[LG_MCAST_A_UPSTREAM_NAME], MNL_TYPE_NUL_STRING))
		snprintf(c->upstream_name, sizeof(c->upstream_name), "%s",
			 mnl_attr_get_str(tb[LG_MCAST_A_UPSTREAM_NAME]));
	/* The module checks the ranges; what a timer divides must not be 0. */
	c->version = lgd_mc_clamp(c->version, 1, *fi == LGD_MC_MLD ? 2 : 3);
	c->robustness = lgd_mc_clamp(c->robustness, 1, 7);
	c->query_interval = lgd_mc_clamp(c->query_interval, 1, 31744);
	c->query_response_interval = lgd_mc_clamp(c->query_response_interval,
						  100, 3174400);
	c->last_member_interval = lgd_mc_clamp(c->last_member_interval, 100,
					       25500);
	c->last_member_count = lgd_mc_clamp(c->last_member_count, 1, 7);
	c->max_sources = lgd_mc_clamp(c->max_sources, 1,
				      LG_MC_MAX_SOURCES_LIMIT);
	return 0;
}

/* LG_A_MC_GROUP: the group, and its sources (sorted, malloc'ed). */
struct lgd_mc_gmsg {
	int fi;
	uint32_t ifindex;
	struct lgd_mc_addr grp;
	uint8_t mode;
	size_t n_src;
	struct lgd_mc_src *src;
};

static int lgd_mc_src_cmp(const void *a, const void *b)
{
	return lgd_mc_addr_cmp(&((const struct lgd_mc_src *)a)->addr,
			       &((const struct lgd_mc_src *)b)->addr);
}

static int lgd_mc_group_parse(const struct nlattr *nest,
			      struct lgd_mc_gmsg *gm)
{
	const struct nlattr *tb[LG_MC_GROUP_A_MAX + 1], *a;
	uint32_t mode = 0;
	size_t n = 0, i, j;
	int err;

	memset(gm, 0, sizeof(*gm));
	err = lg_nl_parse_nest(nest, tb, LG_MC_GROUP_A_MAX);
	if (!err)
		err = lgd_mc_family(tb[LG_MC_GROUP_A_FAMILY], &gm->fi);
	if (!err)
		err = lgd_mc_u32(tb[LG_MC_GROUP_A_IFINDEX], &gm->ifindex) ?:
		      lgd_mc_addr_attr(tb[LG_MC_GROUP_A_GROUP], gm->fi,
				       &gm->grp) ?:
		      lgd_mc_u32(tb[LG_MC_GROUP_A_FILTER_MODE], &mode);
	if (err)
		return err;
	if (!gm->ifindex)
		return -EBADMSG;
	gm->mode = mode == LG_MC_EXCLUDE ? LG_MC_EXCLUDE : LG_MC_INCLUDE;
	mnl_attr_for_each_nested(a, nest)
		if (mnl_attr_get_type(a) == LG_MC_GROUP_A_SOURCE)
			n++;
	if (!n)
		return 0;
	gm->src = calloc(n, sizeof(*gm->src));
	if (!gm->src)
		return -ENOMEM;
	mnl_attr_for_each_nested(a, nest) {
		const struct nlattr *stb[LG_MC_SOURCE_A_MAX + 1];
		struct lgd_mc_src *s = &gm->src[gm->n_src];
		uint8_t fwd = 1;

		if (mnl_attr_get_type(a) != LG_MC_GROUP_A_SOURCE)
			continue;
		err = lg_nl_parse_nest(a, stb, LG_MC_SOURCE_A_MAX) ?:
		      lgd_mc_addr_attr(stb[LG_MC_SOURCE_A_ADDR], gm->fi,
				       &s->addr) ?:
		      lgd_mc_u8(stb[LG_MC_SOURCE_A_FORWARD], &fwd);
		if (err) {
			free(gm->src);
			gm->src = NULL;
			return err;
		}
		s->fwd = fwd;
		gm->n_src++;
	}
	qsort(gm->src, gm->n_src, sizeof(*gm->src), lgd_mc_src_cmp);
	for (i = j = 0; i < gm->n_src; i++)
		if (!j || lgd_mc_src_cmp(&gm->src[j - 1], &gm->src[i]))
			gm->src[j++] = gm->src[i];
	gm->n_src = j;
	return 0;
}

static int lgd_mc_link_parse(const struct nlattr *nest, uint32_t *ifindex,
			     char *name, uint32_t *role)
{
	const struct nlattr *tb[LG_LINK_A_MAX + 1];
	int err;

	*ifindex = 0;
	*role = LG_ROLE_NONE;
	name[0] = '\0';
	err = lg_nl_parse_nest(nest, tb, LG_LINK_A_MAX) ?:
	      lgd_mc_u32(tb[LG_LINK_A_IFINDEX], ifindex) ?:
	      lgd_mc_u32(tb[LG_LINK_A_ROLE], role);
	if (err)
		return err;
	if (tb[LG_LINK_A_IFNAME] &&
	    !mnl_attr_validate(tb[LG_LINK_A_IFNAME], MNL_TYPE_NUL_STRING))
		snprintf(name, IF_NAMESIZE, "%s",
			 mnl_attr_get_str(tb[LG_LINK_A_IFNAME]));
	return *ifindex ? 0 : -EBADMSG;
}

/* A reply or an event with LG_A_LINK, LG_A_MCAST or LG_A_MC_GROUP. */
static int lgd_mc_msg(struct lgd_mcast *m, const struct nlmsghdr *nlh,
		      uint8_t cmd)
{
	const struct nlattr *tb[LG_A_MAX + 1];
	char name[IF_NAMESIZE], a[INET6_ADDRSTRLEN], ifn[IF_NAMESIZE];
	struct lgd_mc_gmsg gm;
	struct lgd_mc_conf c;
	struct lgd_mc_addr *v;
	uint32_t ifindex, role;
	size_t i;
	int fi, err;

	err = lg_nl_parse_msg(nlh, tb, LG_A_MAX);
	if (err)
		return err;
	switch (cmd) {
	case LG_CMD_LINK_GET:
	case LG_CMD_LINK_NTF:
	case LG_CMD_LINK_DEL_NTF:
		if (!tb[LG_A_LINK])
			return -EBADMSG;
		err = lgd_mc_link_parse(tb[LG_A_LINK], &ifindex, name, &role);
		if (err)
			return err;
		lgd_mc_link_set(m, ifindex, name, cmd != LG_CMD_LINK_DEL_NTF &&
			       role == LG_ROLE_ACCESS);
		return 0;
	case LG_CMD_MCAST_GET:
	case LG_CMD_MCAST_NTF:
		if (!tb[LG_A_MCAST])
			return -EBADMSG;
		err = lgd_mc_conf_parse(tb[LG_A_MCAST], &fi, &c);
		if (err)
			return err == -EAFNOSUPPORT ? 0 : err;
		lgd_mc_conf_set(m, fi, &c);
		return 0;
	case LG_CMD_MC_GROUP_GET:
	case LG_CMD_MC_GROUP_NTF:
	case LG_CMD_MC_GROUP_DEL_NTF:
	case LG_CMD_MC_QUERY_NTF:
		break;
	default:
		return 0;
	}
	if (!tb[LG_A_MC_GROUP])
		return -EBADMSG;
	err = lgd_mc_group_parse(tb[LG_A_MC_GROUP], &gm);
	if (err)
		return err == -EAFNOSUPPORT ? 0 : err;
	switch (cmd) {
	case LG_CMD_MC_GROUP_GET:
	case LG_CMD_MC_GROUP_NTF:
		if (lgd_mc_addr_local(gm.fi, &gm.grp))
			break;
		lgd_debug("%s: %s on %s: %s of %zu sources", lgd_mc_name(gm.fi),
			  lgd_mc_ntop(gm.fi, &gm.grp, a),
			  lgd_ifname(m->x, gm.ifindex, ifn),
			  lgd_mc_mode_name(gm.mode), gm.n_src);
		lgd_mc_memb_set(m, gm.fi, gm.ifindex, &gm.grp, gm.mode,
				gm.src, gm.n_src);
		return 0;
	case LG_CMD_MC_GROUP_DEL_NTF:
		lgd_debug("%s: %s gone from %s", lgd_mc_name(gm.fi),
			  lgd_mc_ntop(gm.fi, &gm.grp, a),
			  lgd_ifname(m->x, gm.ifindex, ifn));
		lgd_mc_memb_del(m, gm.fi, gm.ifindex, &gm.grp);
		break;
	case LG_CMD_MC_QUERY_NTF:
		if (!m->fam[gm.fi].conf.enable)
			break;
		v = gm.n_src ? calloc(gm.n_src, sizeof(*v)) : NULL;
		for (i = 0; v && i < gm.n_src; i++)
			v[i] = gm.src[i].addr;
		/* Without memory: a group-specific query, still right. */
		lgd_querier_request(m->q, gm.fi, gm.ifindex, &gm.grp, v,
				    v ? gm.n_src : 0);
		free(v);
		break;
	}
	free(gm.src);
	return 0;
}

static int lgd_mc_dump_cb(const struct nlmsghdr *nlh, void *data)
{
	return lgd_mc_msg(data, nlh, lg_nl_cmd(nlh));
}

static int lgd_mc_event_cb(const struct nlmsghdr *nlh, void *data)
{
	uint8_t cmd = lg_nl_cmd(nlh);
	int err;

	switch (cmd) {
	case LG_CMD_LINK_NTF:
	case LG_CMD_LINK_DEL_NTF:
	case LG_CMD_MCAST_NTF:
	case LG_CMD_MC_GROUP_NTF:
	case LG_CMD_MC_GROUP_DEL_NTF:
	case LG_CMD_MC_QUERY_NTF:
		break;
	default:
		return 0;
	}
	err = lgd_mc_msg(data, nlh, cmd);
	if (err == -ENOMEM) {
		lgd_err("multicast events: out of memory: resyncing");
		return -ENOBUFS;
	}
	if (err) {
		lgd_warn("a multicast event could not be parsed: resyncing");
		return -EBADMSG;
	}
	return 0;
}

/* Sync */

static void lgd_mc_links_cb(const void *node, VISIT which, void *data)
{
	struct lgd_mc_link *l = *(struct lgd_mc_link *const *)node;
	struct lgd_mc_walk *w = data;

	if ((which != postorder && which != leaf) || !l->access ||
	    l->gen == w->m->gen || w->n == w->cap)
		return;
	w->links[w->n++] = l;
}

static void lgd_mc_count_cb(const void *node, VISIT which, void *data)
{
	(void)node;
	if (which == postorder || which == leaf)
		(*(size_t *)data)++;
}

static int lgd_mc_sync(struct lgd_mcast *m)
{
	struct lg_nl *nl = m->x->nl;
	struct lgd_mc_walk w = { .m = m };
	size_t i;
	int fi, err;

	m->gen++;
	err = lg_nl_dump(nl, LG_CMD_LINK_GET, lgd_mc_dump_cb, NULL, m);
	if (err)
		goto out;
	/* Access interfaces the dump did not show are no longer. */
	twalk_r(m->links, lgd_mc_count_cb, &w.cap);
	w.links = calloc(w.cap + 1, sizeof(*w.links));
	if (!w.links) {
		err = -ENOMEM;
		goto out;
	}
	twalk_r(m->links, lgd_mc_links_cb, &w);
	for (i = 0; i < w.n; i++)
		lgd_mc_link_set(m, w.links[i]->ifindex, NULL, false);
	free(w.links);
	err = lg_nl_dump(nl, LG_CMD_MCAST_GET, lgd_mc_dump_cb, NULL, m);
	if (err)
		goto out;
	/* Another multicast router may have gone since. */
	for (fi = 0; fi < LGD_MC_FAMILIES; fi++)
		if (m->fam[fi].up_active && !m->fam[fi].mr)
			lgd_mc_mroute_open(m, &m->fam[fi]);
	err = lg_nl_dump(nl, LG_CMD_MC_GROUP_GET, lgd_mc_dump_cb, NULL, m);
	if (err)
		goto out;
	/* Memberships the dump did not show are gone. */
	w.ifindex = 0;
	for (fi = 0; fi < LGD_MC_FAMILIES; fi++)
		twalk_r(m->fam[fi].groups, lgd_mc_memb_drop_cb, &w);
	m->resync_ms = 0;
	m->synced = true;
	lgd_timer_stop(&m->resync);
out:
	lgd_mc_flush(m);
	if (err == -EOPNOTSUPP && !m->synced)
		return err;	/* a module without the commands */
	if (err) {
		m->resync_ms = m->resync_ms ? m->resync_ms * 2 : LGD_MC_RESYNC_MS;
		if (m->resync_ms > 30000)
			m->resync_ms = 30000;
		lgd_err("multicast state: dumping: %s; again in %u ms",
			strerror(-err), m->resync_ms);
		lgd_timer_arm(&m->resync, lgd_now_ms() + m->resync_ms);
	}
	return err;
}

static void lgd_mc_resync_fire(struct lgd_timer *t)
{
	lgd_mc_sync(lgd_container_of(t, struct lgd_mcast, resync));
}

void lgd_mcast_resync(struct lgd_mcast *m)
{
	if (m)
		lgd_mc_sync(m);
}

/* The sweep: idle (S,G) entries go, failed joins are tried again. */

static void lgd_mc_sweep_cb(const void *node, VISIT which, void *data)
{
	struct lgd_mc_grp *g = *(struct lgd_mc_grp *const *)node;
	struct lgd_mcast *m = data;
	struct lgd_mc_fam *f = &m->fam[g->fi];
	uint64_t pkts;
	size_t i;
	int err;

	if (which != postorder && which != leaf)
		return;
	if (g->up_stale)
		lgd_mc_dirty(m, g);
	for (i = g->n_mfc; f->mr && i-- > 0;) {
		struct lgd_mc_mfc *e = &g->mfc[i];

		err = lgd_mroute_sg_count(f->mr, &e->src, &g->addr, &pkts);
		if (err) {
			/* Gone from the kernel already. */
			lgd_mc_mfc_drop(f, g, i, false);
		} else if (!e->fresh && pkts == e->pkts) {
			lgd_mc_mfc_drop(f, g, i, true);
		} else {
			e->pkts = pkts;
			e->fresh = false;
			continue;
		}
		if (!g->n_mfc && !g->n_membs)
			lgd_mc_dirty(m, g);
	}
}

static void lgd_mc_sweep_fire(struct lgd_timer *t)
{
	struct lgd_mcast *m = lgd_container_of(t, struct lgd_mcast, sweep);
	int fi;

	for (fi = 0; fi < LGD_MC_FAMILIES; fi++)
		twalk_r(m->fam[fi].groups, lgd_mc_sweep_cb, m);
	lgd_mc_flush(m);
	lgd_timer_arm(&m->sweep, lgd_now_ms() + LGD_MC_SWEEP_MS);
}

/* Upcalls: (S,G) from upstream with no entry yet. */

static void lgd_mc_upcall(struct lgd_mcast *m, struct lgd_mc_fam *f,
			  const struct lgd_mc_upcall *u)
{
	struct lgd_mc_grp *g;
	struct lgd_mc_mfc *e;
	size_t i;
	int err;

	f->st.upcalls++;
	/* Downstream only; what subscribers send is not ours to route. */
	if (u->vif != f->up_vif || lgd_mc_addr_local(f->fi, &u->grp)) {
		f->st.upcalls_ignored++;
		return;
	}
	g = lgd_mc_grp_get(f, &u->grp, true);
	if (!g)
		return;
	e = lgd_mc_mfc_find(g, &u->src);
	if (!e) {
		if (f->n_mfc >= LGD_MC_MFC_MAX ||
		    lg_grow(&g->mfc, &g->cap_mfc, g->n_mfc, sizeof(*g->mfc))) {
			lgd_log(f->mfc_warned ? LOG_DEBUG : LOG_WARNING,
				"%s: %zu MFC entries: no more",
				lgd_mc_name(f->fi), f->n_mfc);
			f->mfc_warned = true;
			lgd_mc_dirty(m, g);	/* freed if empty */
			return;
		}
		for (i = g->n_mfc; i > 0 &&
		     lgd_mc_addr_cmp(&g->mfc[i - 1].src, &u->src) > 0; i--)
			;
		memmove(&g->mfc[i + 1], &g->mfc[i],
			(g->n_mfc - i) * sizeof(*g->mfc));
		e = &g->mfc[i];
		memset(e, 0, sizeof(*e));
		e->src = u->src;
		e->fresh = true;
		g->n_mfc++;
		f->n_mfc++;
	}
	/* Even with no way out: the upcalls stop. */
	e->oifs = lgd_mc_oifs(f, g, &u->src);
	err = lgd_mroute_mfc_add(f->mr, &e->src, &g->addr, f->up_vif, e->oifs);
	if (err) {
		f->st.mfc_errors++;
		lgd_warn("%s: adding an MFC entry: %s", lgd_mc_name(f->fi),
			 strerror(-err));
		lgd_mc_mfc_drop(f, g, e - g->mfc, false);
		lgd_mc_dirty(m, g);
		return;
	}
	f->st.mfc_adds++;
	lgd_mc_mfc_log(f, g, e, "add");
}

static void lgd_mc_mroute_input(struct lgd_mcast *m, int fi)
{
	struct lgd_mc_fam *f = &m->fam[fi];
	struct lgd_mc_upcall u;
	int i, ret;

	/* A bounded round: the rest at the next one (level-triggered). */
	for (i = 0; f->mr && i < 256; i++) {
		ret = lgd_mroute_read(f->mr, &u);
		if (ret == -EAGAIN || ret == -EINTR)
			return;
		if (ret < 0) {
			lgd_warn("%s: multicast routing socket: %s",
				 lgd_mc_name(fi), strerror(-ret));
			return;
		}
		if (ret)
			lgd_mc_upcall(m, f, &u);
	}
}

/* The loop's side */

void lgd_mcast_input(struct lgd_mcast *m)
{
	struct epoll_event evs[LGD_MC_FAMILIES + 1];
	int n, i, err;

	n = epoll_wait(m->epfd, evs, LGD_MC_FAMILIES + 1, 0);
	for (i = 0; i < n; i++) {
		uint32_t tag = evs[i].data.u32;

		if (tag != LGD_MC_EP_EVENTS) {
			lgd_mc_mroute_input(m, tag - LGD_MC_EP_MROUTE(0));
			continue;
		}
		do {
			err = lg_nl_read_events(&m->ev, lgd_mc_event_cb, m);
		} while (!err);
		if (err == -ENOBUFS || err == -EBADMSG) {
			if (err == -ENOBUFS)
				lgd_warn("multicast events lost: resyncing");
			lgd_mc_sync(m);
		} else if (err != -EAGAIN && err != -EINTR) {
			lgd_err("reading multicast events: %s", strerror(-err));
		}
	}
	lgd_mc_flush(m);
}

int lgd_mcast_fd(const struct lgd_mcast *m)
{
	return m->epfd;
}

void lgd_mcast_set_active(struct lgd_mcast *m, bool active)
{
	int fi;

	if (!m || m->fam[0].passive == !active)
		return;
	for (fi = 0; fi < LGD_MC_FAMILIES; fi++) {
		m->fam[fi].passive = !active;
		/* Every entry's access vifs computed again, in this round. */
		twalk_r(m->fam[fi].groups, lgd_mc_dirty_cb, m);
	}
	lgd_mc_flush(m);
	lgd_querier_set_active(m->q, active);
	for (fi = 0; fi < LGD_MC_FAMILIES; fi++)
		if (m->fam[fi].conf.enable)
			lgd_notice("%s: %s, %zu (S,G) entries", lgd_mc_name(fi),
				   active ? "forwarding onto the access interfaces" :
				   "passive: nothing forwarded onto the access interfaces, no queries",
				   m->fam[fi].n_mfc);
}

struct lgd_mcast *lgd_mcast_open(const struct lgd_ctx *x, bool active)
{
	struct epoll_event ev = { .events = EPOLLIN,
				  .data.u32 = LGD_MC_EP_EVENTS };
	struct lgd_mcast *m = calloc(1, sizeof(*m));
	int rcvbuf = LGD_MC_EV_RCVBUF, fd, fi, err;

	if (!m) {
		lgd_err("multicast: out of memory");
		return NULL;
	}
	m->x = x;
	m->epfd = -1;
	m->sweep.fire = lgd_mc_sweep_fire;
	m->resync.fire = lgd_mc_resync_fire;
	for (fi = 0; fi < LGD_MC_FAMILIES; fi++) {
		m->fam[fi].fi = fi;
		m->fam[fi].x = x;
		m->fam[fi].up_vif = -1;
	}
	err = lg_nl_open(&m->ev);
	if (err) {
		lgd_err("multicast events: %s", strerror(-err));
		free(m);
		return NULL;
	}
	/* Subscribe before dumping: no change can fall between the two. */
	err = lg_nl_join(&m->ev, LEASEGUARD_MCGRP_MCAST);
	if (err == -ENOENT) {
		lgd_notice("the leaseguard module has no IGMP/MLD proxy: multicast off");
		goto err_nl;
	}
	if (!err)
		err = lg_nl_join(&m->ev, LEASEGUARD_MCGRP_CONFIG);
	if (err) {
		lgd_err("multicast events: joining the groups: %s",
			strerror(-err));
		goto err_nl;
	}
	fd = lg_nl_fd(&m->ev);
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf)))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	m->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (m->epfd < 0 || epoll_ctl(m->epfd, EPOLL_CTL_ADD, fd, &ev)) {
		lgd_err("multicast: epoll: %s", strerror(errno));
		goto err_ep;
	}
	m->q = lgd_querier_open(x, &m->fam[LGD_MC_IGMP].conf,
				&m->fam[LGD_MC_MLD].conf);
	if (!m->q)
		goto err_ep;
	/* Before the first sync: a BACKUP's interfaces start without queries. */
	lgd_querier_set_active(m->q, active);
	for (fi = 0; fi < LGD_MC_FAMILIES; fi++)
		m->fam[fi].passive = !active;
	err = lgd_mc_sync(m);
	if (err == -EOPNOTSUPP) {
		lgd_notice("the leaseguard module has no IGMP/MLD proxy commands: multicast off");
		lgd_mcast_close(m);
		return NULL;
	}
	lgd_timer_arm(&m->sweep, lgd_now_ms() + LGD_MC_SWEEP_MS);
	return m;

err_ep:
	if (m->epfd >= 0)
		close(m->epfd);
err_nl:
	lg_nl_close(&m->ev);
	free(m);
	return NULL;
}

/* "lgctl mcast proxy": what the daemon holds and did, a line a family. */

/* The counters by name: for lgctl, and the log when the daemon stops. */
static const struct {
	const char *name;
	size_t off;
} lgd_mc_stat_names[] = {
#define LGD_MC_STAT(name, field) { name, offsetof(struct lgd_mc_stats, field) }
	LGD_MC_STAT("joins", joins),
	LGD_MC_STAT("leaves", leaves),
	LGD_MC_STAT("changes", changes),
	LGD_MC_STAT("upstream-errors", up_errors),
	LGD_MC_STAT("upstream-nobufs", up_nobufs),
	LGD_MC_STAT("capped", capped),
	LGD_MC_STAT("upcalls", upcalls),
	LGD_MC_STAT("upcalls-ignored", upcalls_ignored),
	LGD_MC_STAT("mfc-adds", mfc_adds),
	LGD_MC_STAT("mfc-dels", mfc_dels),
	LGD_MC_STAT("mfc-errors", mfc_errors),
	LGD_MC_STAT("no-vif", no_vif),
#undef LGD_MC_STAT
};

/* " name=value" for each counter. */
static void lgd_mc_stats_fmt(const struct lgd_mc_stats *s, char *buf,
			     size_t len)
{
	size_t i, at = 0;

	buf[0] = '\0';
	for (i = 0; i < sizeof(lgd_mc_stat_names) /
			sizeof(lgd_mc_stat_names[0]) && at < len; i++) {
		const uint64_t *v = (const uint64_t *)((const char *)s +
						       lgd_mc_stat_names[i].off);

		at += snprintf(buf + at, len - at, " %s=%llu",
			       lgd_mc_stat_names[i].name,
			       (unsigned long long)*v);
	}
}

struct lgd_mc_count {
	size_t groups, upstream, membs;
};

static void lgd_mc_count_grp_cb(const void *node, VISIT which, void *data)
{
	const struct lgd_mc_grp *g = *(const struct lgd_mc_grp *const *)node;
	struct lgd_mc_count *c = data;

	if (which != postorder && which != leaf)
		return;
	c->groups++;
	c->upstream += !!g->up_mode;
	c->membs += g->n_membs;
}

void lgd_mcast_show(const struct lgd_mcast *m, FILE *out)
{
	const struct lgd_mc_fam *f;
	int fi;

	for (fi = 0; fi < LGD_MC_FAMILIES; fi++) {
		struct lgd_mc_count c = { 0 };
		uint32_t vifs[LGD_MROUTE_MAX_VIFS];
		uint64_t sent, failed, held;
		size_t i, n_socks = 0;
		char buf[512];

		f = &m->fam[fi];
		twalk_r(f->groups, lgd_mc_count_grp_cb, &c);
		for (i = 0; i < f->n_socks; i++)
			n_socks += f->socks[i].fd >= 0;
		lgd_querier_counts(m->q, fi, &sent, &failed, &held);
		fprintf(out, "proxy family=%s enable=%d upstream=%s version=%u"
			" active=%d passive=%d groups=%zu memberships=%zu"
			" upstream-groups=%zu sockets=%zu routing=%d vifs=%zu"
			" mfc=%zu",
			fi == LGD_MC_MLD ? "mld" : "igmp", f->conf.enable,
			f->conf.upstream ? f->conf.upstream_name : "-",
			f->conf.version, f->up_active, f->passive, c.groups,
			c.membs, c.upstream, n_socks, !!f->mr,
			f->mr ? lgd_mroute_vifs(f->mr, vifs) : 0, f->n_mfc);
		lgd_mc_stats_fmt(&f->st, buf, sizeof(buf));
		fprintf(out, "%s queries=%llu query-errors=%llu queries-held=%llu\n",
			buf, (unsigned long long)sent,
			(unsigned long long)failed, (unsigned long long)held);
	}
}

static void lgd_mc_stats_log(const struct lgd_mc_fam *f)
{
	const struct lgd_mc_stats *s = &f->st;
	char buf[512];

	if (!s->joins && !s->upcalls && !s->up_errors)
		return;
	lgd_mc_stats_fmt(s, buf, sizeof(buf));
	lgd_info("%s counters:%s", lgd_mc_name(f->fi), buf);
}

void lgd_mcast_close(struct lgd_mcast *m)
{
	struct lgd_mc_fam *f;
	int fi;

	if (!m)
		return;
	lgd_timer_stop(&m->sweep);
	lgd_timer_stop(&m->resync);
	lgd_querier_close(m->q);
	for (fi = 0; fi < LGD_MC_FAMILIES; fi++) {
		f = &m->fam[fi];
		lgd_mc_up_stop(m, f);
		lgd_mc_stats_log(f);
		tdestroy(f->groups, lgd_mc_grp_destroy);
	}
	tdestroy(m->links, free);
	if (m->epfd >= 0)
		close(m->epfd);
	lg_nl_close(&m->ev);
	free(m);
}
