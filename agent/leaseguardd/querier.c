// SPDX-License-Identifier: GPL-2.0
/*
 * The querier of the access interfaces: General Queries every Query
 * Interval, after Robustness startup queries a quarter of it apart (RFC
 * 3376 8.6, 8.7; RFC 3810 9.6, 9.7), and the Group-Specific and Group-
 * and-Source-Specific Queries the module asks for (LG_CMD_MC_QUERY_NTF),
 * Last Member Query Count of them, Last Member Query Interval apart. The
 * module drops subscribers' queries, so we are always the querier.
 *
 * Two raw sockets send them; neither receives anything. IGMP: IPPROTO_IGMP
 * with the Router Alert option, TTL 1, the checksum ours. MLD:
 * IPPROTO_ICMPV6 with a Router Alert hop-by-hop header, hop limit 1, the
 * checksum the kernel's, and the interface's link-local as the source
 * (RFC 3810 5.1.14: the routing table would pick a global one for a
 * group-specific query to a global group).
 *
 * A router pair (Documentation/failover.rst) has one querier on the
 * access segment: the active router (the MASTER, or a router alone). A
 * passive one (BACKUP, FAULT, STOP, a role not yet known) sends nothing,
 * its general-query timers stopped, but keeps its interfaces and follows
 * the last-member rounds its module asks for without sending them (both
 * modules hear the same reports and Leaves, so both ask the same): a
 * takeover in the middle of a round finishes it. Taking over restarts
 * every interface as a fresh start (RFC 3376 8.7, RFC 3810 9.7): the
 * hosts have only answered the old master, whose queries may have
 * stopped a while ago, and the startup queries rebuild the state soon.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <ifaddrs.h>
#include <search.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/icmp6.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <linux/filter.h>

#include "lgd.h"
#include "mcast.h"

#define LGD_Q_MAX_PKT		1400	/* IP packet, headers included */
#define LGD_Q_IP4_HDRS		(20 + 4)	/* IPv4, Router Alert */
#define LGD_Q_IP6_HDRS		(40 + 8)	/* IPv6, hop-by-hop */
#define LGD_Q_DOWN_POLL_MS	5000	/* a down interface, looked at again */
#define LGD_Q_LL_REFRESH_MS	1000	/* getifaddrs() at most this often */

#define lgd_container_of(p, type, member) \
	((type *)((char *)(p) - offsetof(type, member)))

struct lgd_qsrc {
	struct lgd_mc_addr addr;
	unsigned int left;		/* queries still to send */
};

/* Specific queries pending for one group on one interface. */
struct lgd_qgrp {
	struct lgd_timer timer;
	struct lgd_qif *qif;
	struct lgd_mc_addr grp;
	unsigned int left;		/* group-specific queries to send */
	size_t n_src, cap_src;
	struct lgd_qsrc *src;
	struct lgd_qgrp *next;
};

/* One family on one access interface. */
struct lgd_qif {
	int fi;				/* first two: the tree key */
	uint32_t ifindex;
	struct lgd_timer timer;		/* the next General Query */
	struct lgd_querier *q;
	unsigned int startup;		/* startup queries left */
	bool down;
	bool has_ll;			/* MLD: ll is its link-local */
	struct lgd_mc_addr ll;
	struct lgd_qgrp *grps;
};

struct lgd_querier {
	const struct lgd_ctx *x;
	const struct lgd_mc_conf *conf[LGD_MC_FAMILIES];
	int fd[LGD_MC_FAMILIES];
	void *ifs;			/* tsearch() of struct lgd_qif */
	uint64_t ll_refreshed;
	bool passive;			/* a BACKUP's: nothing sent */
	uint64_t sent[LGD_MC_FAMILIES], errors[LGD_MC_FAMILIES];
	uint64_t held[LGD_MC_FAMILIES];	/* queries a passive router kept */
};

/* RFC 3376 4.1.1: (mant | 0x10) << (exp + 3) from 128 on. */
uint8_t lgd_igmp_code(uint32_t v)
{
	unsigned int exp = 0;

	if (v < 128)
		return v;
	if (v > 0x1f << 10)
		v = 0x1f << 10;
	while ((v >> (exp + 3)) > 0x1f)
		exp++;
	return 0x80 | exp << 4 | ((v >> (exp + 3)) & 0x0f);
}

uint32_t lgd_igmp_code_value(uint8_t code)
{
	if (code < 128)
		return code;
	return (uint32_t)((code & 0x0f) | 0x10) << (((code >> 4) & 7) + 3);
}

/* RFC 3810 5.1.3: (mant | 0x1000) << (exp + 3) from 32768 on. */
uint16_t lgd_mld_code(uint32_t v)
{
	unsigned int exp = 0;

	if (v < 32768)
		return v;
	if (v > 0x1fffu << 10)
		v = 0x1fffu << 10;
	while ((v >> (exp + 3)) > 0x1fff)
		exp++;
	return 0x8000 | exp << 12 | ((v >> (exp + 3)) & 0x0fff);
}

uint32_t lgd_mld_code_value(uint16_t code)
{
	if (code < 32768)
		return code;
	return (uint32_t)((code & 0x0fff) | 0x1000) << (((code >> 12) & 7) + 3);
}

static uint16_t lgd_csum(const uint8_t *p, size_t len)
{
	uint32_t sum = 0;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += p[i] << 8 | p[i + 1];
	if (len & 1)
		sum += p[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return ~sum;
}

static void lgd_put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v;
}

/* Resv, S (0), QRV, then QQIC: the same two octets in IGMPv3 and MLDv2. */
static void lgd_put_qrv_qqic(uint8_t *p, const struct lgd_mc_conf *c)
{
	p[0] = c->robustness <= 7 ? c->robustness : 0;
	p[1] = lgd_igmp_code(c->query_interval);
}

size_t lgd_igmp_query(uint8_t *buf, size_t len, uint8_t version,
		      const struct lgd_mc_conf *c, uint32_t mrt_ms,
		      const struct lgd_mc_addr *grp,
		      const struct lgd_mc_addr *src, size_t n_src)
{
	uint32_t ds = mrt_ms / 100;	/* units of 1/10 s */
	size_t need = version >= 3 ? 12 + 4 * n_src : 8, i;
	uint16_t sum;

	if (need > len || (version < 3 && n_src) || n_src > 0xffff ||
	    (version == 1 && grp))
		return 0;
	memset(buf, 0, need);
	buf[0] = 0x11;
	if (grp)
		memcpy(buf + 4, grp->a, 4);
	if (version == 2)
		buf[1] = ds > 255 ? 255 : ds ? ds : 1;
	if (version >= 3) {
		buf[1] = lgd_igmp_code(ds ? ds : 1);
		lgd_put_qrv_qqic(buf + 8, c);
		lgd_put16(buf + 10, n_src);
		for (i = 0; i < n_src; i++)
			memcpy(buf + 12 + 4 * i, src[i].a, 4);
	}
	sum = lgd_csum(buf, need);
	lgd_put16(buf + 2, sum);
	return need;
}

size_t lgd_mld_query(uint8_t *buf, size_t len, uint8_t version,
		     const struct lgd_mc_conf *c, uint32_t mrt_ms,
		     const struct lgd_mc_addr *grp,
		     const struct lgd_mc_addr *src, size_t n_src)
{
	size_t need = version >= 2 ? 28 + 16 * n_src : 24, i;

	if (need > len || (version < 2 && n_src) || n_src > 0xffff)
		return 0;
	memset(buf, 0, need);
	buf[0] = 130;			/* Multicast Listener Query */
	if (grp)
		memcpy(buf + 8, grp->a, 16);
	if (version < 2) {
		lgd_put16(buf + 4, mrt_ms > 0xffff ? 0xffff : mrt_ms);
		return need;
	}
	lgd_put16(buf + 4, lgd_mld_code(mrt_ms));
	lgd_put_qrv_qqic(buf + 24, c);
	lgd_put16(buf + 26, n_src);
	for (i = 0; i < n_src; i++)
		memcpy(buf + 28 + 16 * i, src[i].a, 16);
	return need;
}

static int lgd_qif_cmp(const void *a, const void *b)
{
	const struct lgd_qif *x = a, *y = b;

	if (x->fi != y->fi)
		return x->fi < y->fi ? -1 : 1;
	return x->ifindex < y->ifindex ? -1 : x->ifindex > y->ifindex;
}

static struct lgd_qif *lgd_qif_find(struct lgd_querier *q, int fi,
				    uint32_t ifindex)
{
	struct lgd_qif key = { .fi = fi, .ifindex = ifindex }, **slot;

	slot = tfind(&key, &q->ifs, lgd_qif_cmp);
	return slot ? *slot : NULL;
}

/* Up and running; an interface we cannot ask about is tried anyway. */
static bool lgd_qif_up(struct lgd_qif *qif)
{
	struct ifreq ifr = {};
	char name[IF_NAMESIZE];

	lgd_ifname(qif->q->x, qif->ifindex, name);
	memcpy(ifr.ifr_name, name, sizeof(name));
	if (ioctl(qif->q->fd[LGD_MC_IGMP], SIOCGIFFLAGS, &ifr) < 0)
		return true;
	return (ifr.ifr_flags & (IFF_UP | IFF_RUNNING)) ==
	       (IFF_UP | IFF_RUNNING);
}

struct lgd_ll_walk {
	struct lgd_querier *q;
	struct ifaddrs *ifa;
};

static void lgd_ll_cb(const void *node, VISIT which, void *data)
{
	struct lgd_qif *qif = *(struct lgd_qif *const *)node;
	struct lgd_ll_walk *w = data;
	struct ifaddrs *i;

	if ((which != postorder && which != leaf) || qif->fi != LGD_MC_MLD)
		return;
	qif->has_ll = false;
	for (i = w->ifa; i; i = i->ifa_next) {
		const struct sockaddr_in6 *s6 = (const void *)i->ifa_addr;

		if (!s6 || s6->sin6_family != AF_INET6 ||
		    !IN6_IS_ADDR_LINKLOCAL(&s6->sin6_addr) ||
		    s6->sin6_scope_id != qif->ifindex)
			continue;
		memcpy(qif->ll.a, &s6->sin6_addr, 16);
		qif->has_ll = true;
		break;
	}
}

/* The link-locals of all MLD interfaces, one getifaddrs() for all. */
static void lgd_ll_refresh(struct lgd_querier *q)
{
	struct lgd_ll_walk w = { .q = q };
	uint64_t now = lgd_now_ms();

	if (q->ll_refreshed && now - q->ll_refreshed < LGD_Q_LL_REFRESH_MS)
		return;
	q->ll_refreshed = now;
	if (getifaddrs(&w.ifa) < 0) {
		lgd_warn("MLD querier: getifaddrs: %s", strerror(errno));
		return;
	}
	twalk_r(q->ifs, lgd_ll_cb, &w);
	freeifaddrs(w.ifa);
}

static void lgd_q_send(struct lgd_qif *qif, const uint8_t *pkt, size_t len,
		       const struct lgd_mc_addr *dst)
{
	struct lgd_querier *q = qif->q;
	char ifn[IF_NAMESIZE], a[INET6_ADDRSTRLEN];
	ssize_t ret;
	int err;

	if (qif->fi == LGD_MC_IGMP) {
		struct ip_mreqn mreq = { .imr_ifindex = qif->ifindex };
		struct sockaddr_in sin = { .sin_family = AF_INET };

		memcpy(&sin.sin_addr, dst->a, 4);
		ret = setsockopt(q->fd[0], IPPROTO_IP, IP_MULTICAST_IF, &mreq,
				 sizeof(mreq));
		if (!ret)
			ret = sendto(q->fd[0], pkt, len, 0,
				     (struct sockaddr *)&sin, sizeof(sin));
	} else {
		char cbuf[CMSG_SPACE(sizeof(struct in6_pktinfo))] = {};
		struct sockaddr_in6 sin6 = { .sin6_family = AF_INET6,
					     .sin6_scope_id = qif->ifindex };
		struct iovec iov = { .iov_base = (void *)pkt, .iov_len = len };
		struct msghdr msg = {
			.msg_name = &sin6, .msg_namelen = sizeof(sin6),
			.msg_iov = &iov, .msg_iovlen = 1,
			.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
		};
		struct cmsghdr *cm = CMSG_FIRSTHDR(&msg);
		struct in6_pktinfo pi = { .ipi6_ifindex = qif->ifindex };

		if (!qif->has_ll)
			lgd_ll_refresh(q);
		if (qif->has_ll)
			memcpy(&pi.ipi6_addr, qif->ll.a, 16);
		memcpy(&sin6.sin6_addr, dst->a, 16);
		cm->cmsg_level = IPPROTO_IPV6;
		cm->cmsg_type = IPV6_PKTINFO;
		cm->cmsg_len = CMSG_LEN(sizeof(pi));
		memcpy(CMSG_DATA(cm), &pi, sizeof(pi));
		ret = sendmsg(q->fd[1], &msg, 0);
		/* The link-local went away: looked up again next time. */
		if (ret < 0 && (errno == EADDRNOTAVAIL || errno == EINVAL))
			qif->has_ll = false;
	}
	if (ret >= 0) {
		q->sent[qif->fi]++;
		return;
	}
	err = errno;
	q->errors[qif->fi]++;
	/* A link going down under us, or no address yet: not worth a warning. */
	lgd_log(err == ENETDOWN || err == ENXIO || err == ENODEV ||
		err == EADDRNOTAVAIL || err == ENETUNREACH ?
		LOG_DEBUG : LOG_WARNING,
		"%s query to %s on %s: %s", lgd_mc_name(qif->fi),
		inet_ntop(lgd_mc_af(qif->fi), dst->a, a, sizeof(a)),
		lgd_ifname(qif->q->x, qif->ifindex, ifn), strerror(err));
}

/*
 * A query about grp (NULL: general) and its sources src[0..n), split into
 * as many packets as the sources need.
 */
static void lgd_q_query(struct lgd_qif *qif, const struct lgd_mc_addr *grp,
			const struct lgd_mc_addr *src, size_t n)
{
	const struct lgd_mc_conf *c = qif->q->conf[qif->fi];
	struct lgd_mc_addr dst = {};
	uint8_t pkt[LGD_Q_MAX_PKT];
	uint32_t mrt = grp ? c->last_member_interval :
		       c->query_response_interval;
	bool v3 = lgd_mc_v3(qif->fi, c->version);
	size_t per, k, len;

	if (qif->q->passive) {
		qif->q->held[qif->fi]++;
		return;
	}
	if (qif->fi == LGD_MC_IGMP) {
		per = (LGD_Q_MAX_PKT - LGD_Q_IP4_HDRS - 12) / 4;
		if (grp) {
			dst = *grp;
		} else {
			dst.a[0] = 224;		/* 224.0.0.1, all systems */
			dst.a[3] = 1;
		}
	} else {
		per = (LGD_Q_MAX_PKT - LGD_Q_IP6_HDRS - 28) / 16;
		if (grp) {
			dst = *grp;
		} else {
			dst.a[0] = 0xff;	/* ff02::1, all nodes */
			dst.a[1] = 0x02;
			dst.a[15] = 1;
		}
	}
	if (!v3)
		n = 0;		/* v2/v1: group-specific only */
	do {
		k = n < per ? n : per;
		len = qif->fi == LGD_MC_IGMP ?
		      lgd_igmp_query(pkt, sizeof(pkt), c->version, c, mrt, grp,
				     src, k) :
		      lgd_mld_query(pkt, sizeof(pkt), c->version, c, mrt, grp,
				    src, k);
		if (len)
			lgd_q_send(qif, pkt, len, &dst);
		src += k;
		n -= k;
	} while (n);
}

static void lgd_qgrp_free(struct lgd_qgrp *g)
{
	lgd_timer_stop(&g->timer);
	free(g->src);
	free(g);
}

static void lgd_qgrp_fire(struct lgd_timer *t)
{
	struct lgd_qgrp *g = lgd_container_of(t, struct lgd_qgrp, timer);
	struct lgd_qif *qif = g->qif;
	const struct lgd_mc_conf *c = qif->q->conf[qif->fi];
	struct lgd_mc_addr *v;
	struct lgd_qgrp **pp;
	size_t i, n = 0;

	if (!lgd_qif_up(qif)) {
		g->left = 0;
		g->n_src = 0;
	}
	/* The version went down to one without sources: ask about the group. */
	if (!lgd_mc_v3(qif->fi, c->version)) {
		for (i = 0; i < g->n_src; i++)
			if (g->src[i].left > g->left)
				g->left = g->src[i].left;
		g->n_src = 0;
	}
	if (g->left) {
		lgd_q_query(qif, &g->grp, NULL, 0);
		g->left--;
	}
	v = g->n_src ? calloc(g->n_src, sizeof(*v)) : NULL;
	for (i = 0; v && i < g->n_src; i++)
		v[n++] = g->src[i].addr;
	if (n)
		lgd_q_query(qif, &g->grp, v, n);
	free(v);
	/* Those asked about often enough go; the others stay, in order. */
	for (i = n = 0; i < g->n_src; i++)
		if (--g->src[i].left)
			g->src[n++] = g->src[i];
	g->n_src = n;
	if (g->left || g->n_src) {
		lgd_timer_arm(&g->timer,
			      lgd_now_ms() + c->last_member_interval);
		return;
	}
	for (pp = &qif->grps; *pp != g; pp = &(*pp)->next)
		;
	*pp = g->next;
	lgd_qgrp_free(g);
}

static int lgd_qsrc_cmp(const void *a, const void *b)
{
	const struct lgd_qsrc *x = a, *y = b;

	return memcmp(x->addr.a, y->addr.a, 16);
}

void lgd_querier_request(struct lgd_querier *q, int fi, uint32_t ifindex,
			 const struct lgd_mc_addr *grp,
			 const struct lgd_mc_addr *src, size_t n_src)
{
	struct lgd_qif *qif = lgd_qif_find(q, fi, ifindex);
	const struct lgd_mc_conf *c = q->conf[fi];
	struct lgd_qgrp *g;
	char a[INET6_ADDRSTRLEN], ifn[IF_NAMESIZE];
	size_t i;

	if (!qif)
		return;
	if (fi == LGD_MC_IGMP && c->version == 1) {
		lgd_debug("IGMP: no group-specific query in version 1 (%s on %s)",
			  inet_ntop(AF_INET, grp->a, a, sizeof(a)),
			  lgd_ifname(q->x, ifindex, ifn));
		return;
	}
	for (g = qif->grps; g; g = g->next)
		if (!memcmp(g->grp.a, grp->a, 16))
			break;
	if (!g) {
		g = calloc(1, sizeof(*g));
		if (!g)
			goto nomem;
		g->qif = qif;
		g->grp = *grp;
		g->timer.fire = lgd_qgrp_fire;
		g->next = qif->grps;
		qif->grps = g;
	}
	lgd_debug("%s: %s-specific query for %s on %s (%zu sources)",
		  lgd_mc_name(fi), n_src ? "group-and-source" : "group",
		  inet_ntop(lgd_mc_af(fi), grp->a, a, sizeof(a)),
		  lgd_ifname(q->x, ifindex, ifn), n_src);
	if (!n_src || !lgd_mc_v3(fi, c->version)) {
		g->left = c->last_member_count;
	} else {
		for (i = 0; i < n_src; i++) {
			struct lgd_qsrc key = { .addr = src[i] }, *s;

			s = g->n_src ? bsearch(&key, g->src, g->n_src,
					       sizeof(key), lgd_qsrc_cmp) :
				       NULL;
			if (s) {
				s->left = c->last_member_count;
				continue;
			}
			if (g->n_src == g->cap_src) {
				size_t cap = g->cap_src ? 2 * g->cap_src : 8;

				s = realloc(g->src, cap * sizeof(*s));
				if (!s)
					goto nomem;
				g->src = s;
				g->cap_src = cap;
			}
			key.left = c->last_member_count;
			g->src[g->n_src++] = key;
			qsort(g->src, g->n_src, sizeof(key), lgd_qsrc_cmp);
		}
	}
	/* Now, and then every LMQI with what is left. */
	lgd_timer_arm(&g->timer, lgd_now_ms());
	return;
nomem:
	lgd_err("%s querier: out of memory", lgd_mc_name(fi));
	if (g && (g->left || g->n_src))
		lgd_timer_arm(&g->timer, lgd_now_ms());
}

static void lgd_qif_fire(struct lgd_timer *t)
{
	struct lgd_qif *qif = lgd_container_of(t, struct lgd_qif, timer);
	const struct lgd_mc_conf *c = qif->q->conf[qif->fi];
	uint64_t next = c->query_interval * 1000ull;
	char ifn[IF_NAMESIZE];

	if (qif->q->passive)
		return;		/* the takeover starts it again */
	if (!lgd_qif_up(qif)) {
		if (!qif->down)
			lgd_debug("%s querier: %s is down", lgd_mc_name(qif->fi),
				  lgd_ifname(qif->q->x, qif->ifindex, ifn));
		qif->down = true;
		lgd_timer_arm(&qif->timer, lgd_now_ms() + LGD_Q_DOWN_POLL_MS);
		return;
	}
	if (qif->down) {
		/* Back up: its hosts may have missed everything. */
		qif->down = false;
		qif->startup = c->robustness;
	}
	lgd_q_query(qif, NULL, NULL, 0);
	if (qif->startup && --qif->startup)
		next = next / 4 ? next / 4 : 1;
	lgd_timer_arm(&qif->timer, lgd_now_ms() + next);
}

static void lgd_qif_free(void *p)
{
	struct lgd_qif *qif = p;
	struct lgd_qgrp *g;

	lgd_timer_stop(&qif->timer);
	while ((g = qif->grps)) {
		qif->grps = g->next;
		lgd_qgrp_free(g);
	}
	free(qif);
}

void lgd_querier_set(struct lgd_querier *q, int fi, uint32_t ifindex,
		     bool on)
{
	struct lgd_qif *qif = lgd_qif_find(q, fi, ifindex);
	char ifn[IF_NAMESIZE];

	if (!on) {
		if (!qif)
			return;
		tdelete(qif, &q->ifs, lgd_qif_cmp);
		lgd_qif_free(qif);
		lgd_info("%s querier stopped on %s", lgd_mc_name(fi),
			 lgd_ifname(q->x, ifindex, ifn));
		return;
	}
	if (qif)
		return;
	qif = calloc(1, sizeof(*qif));
	if (qif) {
		/* The key first: tsearch() compares it. */
		qif->fi = fi;
		qif->ifindex = ifindex;
	}
	if (!qif || !tsearch(qif, &q->ifs, lgd_qif_cmp)) {
		free(qif);
		lgd_err("%s querier on %s: out of memory", lgd_mc_name(fi),
			lgd_ifname(q->x, ifindex, ifn));
		return;
	}
	qif->q = q;
	qif->timer.fire = lgd_qif_fire;
	qif->startup = q->conf[fi]->robustness;
	lgd_info("%s querier %s on %s (version %u)", lgd_mc_name(fi),
		 q->passive ? "ready (passive: no queries)" : "started",
		 lgd_ifname(q->x, ifindex, ifn), q->conf[fi]->version);
	if (!q->passive)
		lgd_timer_arm(&qif->timer, lgd_now_ms());
}

static void lgd_role_cb(const void *node, VISIT which, void *data)
{
	struct lgd_qif *qif = *(struct lgd_qif *const *)node;
	struct lgd_querier *q = data;

	if (which != postorder && which != leaf)
		return;
	if (q->passive) {
		lgd_timer_stop(&qif->timer);
		return;
	}
	/* A fresh start: it looks at the link again, and asks at once. */
	qif->down = false;
	qif->startup = q->conf[qif->fi]->robustness;
	lgd_timer_arm(&qif->timer, lgd_now_ms());
}

void lgd_querier_set_active(struct lgd_querier *q, bool active)
{
	if (!q || q->passive == !active)
		return;
	q->passive = !active;
	twalk_r(q->ifs, lgd_role_cb, q);
	lgd_info("queriers %s", active ?
		 "active: startup queries on every access interface" :
		 "passive: no queries");
}

bool lgd_querier_active(const struct lgd_querier *q)
{
	return q && !q->passive;
}

struct lgd_reconf {
	int fi;
	uint64_t when;			/* the next General Query at the latest */
};

static void lgd_reconf_cb(const void *node, VISIT which, void *data)
{
	struct lgd_qif *qif = *(struct lgd_qif *const *)node;
	struct lgd_reconf *r = data;

	if ((which != postorder && which != leaf) || qif->fi != r->fi ||
	    qif->q->passive)
		return;
	if (!qif->timer.slot || qif->timer.when > r->when)
		lgd_timer_arm(&qif->timer, r->when);
}

void lgd_querier_reconf(struct lgd_querier *q, int fi)
{
	struct lgd_reconf r = { .fi = fi };

	r.when = lgd_now_ms() + q->conf[fi]->query_interval * 1000ull;
	twalk_r(q->ifs, lgd_reconf_cb, &r);
}

static int lgd_q_socket4(void)
{
	/* Sends only: a filter that takes no packet. */
	struct sock_filter drop = BPF_STMT(BPF_RET | BPF_K, 0);
	struct sock_fprog prog = { .len = 1, .filter = &drop };
	uint8_t ra[4] = { 0x94, 0x04, 0, 0 };	/* Router Alert, RFC 2113 */
	int fd, ttl = 1, loop = 0, tos = 0xc0;

	fd = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK,
		    IPPROTO_IGMP);
	if (fd < 0)
		return -1;
	if (setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog,
		       sizeof(prog)) ||
	    setsockopt(fd, IPPROTO_IP, IP_OPTIONS, ra, sizeof(ra)) ||
	    setsockopt(fd, IPPROTO_IP, IP_MULTICAST_TTL, &ttl, sizeof(ttl)) ||
	    setsockopt(fd, IPPROTO_IP, IP_MULTICAST_LOOP, &loop,
		       sizeof(loop)) ||
	    setsockopt(fd, IPPROTO_IP, IP_TOS, &tos, sizeof(tos))) {
		close(fd);
		return -1;
	}
	return fd;
}

static int lgd_q_socket6(void)
{
	/* Hop-by-hop: Router Alert (RFC 2711) "MLD", then PadN. */
	uint8_t hbh[8] = { 0, 0, 5, 2, 0, 0, 1, 0 };
	struct icmp6_filter filt;
	int fd, hops = 1, loop = 0;

	ICMP6_FILTER_SETBLOCKALL(&filt);
	fd = socket(AF_INET6, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK,
		    IPPROTO_ICMPV6);
	if (fd < 0)
		return -1;
	if (setsockopt(fd, IPPROTO_ICMPV6, ICMP6_FILTER, &filt,
		       sizeof(filt)) ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_HOPOPTS, hbh, sizeof(hbh)) ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, &hops,
		       sizeof(hops)) ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_LOOP, &loop,
		       sizeof(loop))) {
		close(fd);
		return -1;
	}
	return fd;
}

struct lgd_querier *lgd_querier_open(const struct lgd_ctx *x,
				     const struct lgd_mc_conf *igmp,
				     const struct lgd_mc_conf *mld)
{
	struct lgd_querier *q = calloc(1, sizeof(*q));

	if (!q) {
		lgd_err("querier: out of memory");
		return NULL;
	}
	q->x = x;
	q->conf[LGD_MC_IGMP] = igmp;
	q->conf[LGD_MC_MLD] = mld;
	q->fd[LGD_MC_IGMP] = lgd_q_socket4();
	if (q->fd[LGD_MC_IGMP] < 0) {
		lgd_err("IGMP querier: raw socket: %s", strerror(errno));
		goto err;
	}
	q->fd[LGD_MC_MLD] = lgd_q_socket6();
	if (q->fd[LGD_MC_MLD] < 0) {
		lgd_err("MLD querier: raw socket: %s", strerror(errno));
		close(q->fd[LGD_MC_IGMP]);
		goto err;
	}
	return q;
err:
	free(q);
	return NULL;
}

void lgd_querier_counts(const struct lgd_querier *q, int fi, uint64_t *sent,
			uint64_t *failed, uint64_t *held)
{
	*sent = q ? q->sent[fi] : 0;
	*failed = q ? q->errors[fi] : 0;
	*held = q ? q->held[fi] : 0;
}

void lgd_querier_close(struct lgd_querier *q)
{
	int fi;

	if (!q)
		return;
	tdestroy(q->ifs, lgd_qif_free);
	for (fi = 0; fi < LGD_MC_FAMILIES; fi++) {
		if (q->sent[fi] || q->errors[fi])
			lgd_info("%s querier: %llu queries sent, %llu failed",
				 lgd_mc_name(fi),
				 (unsigned long long)q->sent[fi],
				 (unsigned long long)q->errors[fi]);
		close(q->fd[fi]);
	}
	free(q);
}
