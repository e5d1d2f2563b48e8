// SPDX-License-Identifier: GPL-2.0
/*
 * Access routes in rtnetlink (libmnl): PREFIX via CLIENT-LINK-LOCAL dev
 * ACCESS-IF for a delegated prefix, ADDR/128 dev ACCESS-IF for an
 * address. Each carries our protocol number, which is how they are told
 * from everybody else's: a route without it is never changed or removed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/socket.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <linux/rtnetlink.h>
#include <libmnl/libmnl.h>

#include "lgd.h"

/* Requests per sendmsg(): what fits in one batch buffer. */
#define LGD_BATCH_SIZE		(64 * 1024)
#define LGD_RBUF_SIZE		(64 * 1024)
/*
 * The kernel queues a batch's ACKs before sendmsg() returns, each one an
 * skb of up to about 1 KB truesize: the socket's receive buffer must hold
 * them all, or they overrun (ENOBUFS) and the rest of the batch is lost.
 */
#define LGD_RCVBUF_SIZE		(4 * 1024 * 1024)
#define LGD_ACK_TRUESIZE	2048

struct lgd_routes {
	struct mnl_socket *sock;
	uint32_t portid;
	uint32_t seq;
	uint32_t table, metric;
	uint8_t protocol;
	size_t batch_max;		/* requests per sendmsg() */
	char *batch, *rbuf;
};

struct lgd_routes *lgd_routes_open(const struct lgd_conf *c)
{
	struct lgd_routes *r = calloc(1, sizeof(*r));
	int one = 1, rcvbuf = LGD_RCVBUF_SIZE, fd;
	socklen_t len = sizeof(rcvbuf);

	if (!r)
		return NULL;
	r->batch = malloc(LGD_BATCH_SIZE);
	r->rbuf = malloc(LGD_RBUF_SIZE);
	r->sock = mnl_socket_open(NETLINK_ROUTE);
	if (!r->batch || !r->rbuf || !r->sock ||
	    mnl_socket_bind(r->sock, 0, MNL_SOCKET_AUTOPID) < 0) {
		lgd_err("rtnetlink: %s", strerror(errno));
		lgd_routes_close(r);
		return NULL;
	}
	/* Replies to a big batch must not overrun; errors come with text. */
	mnl_socket_setsockopt(r->sock, NETLINK_EXT_ACK, &one, sizeof(one));
	/* A failed request is not echoed back in its ACK. */
	mnl_socket_setsockopt(r->sock, NETLINK_CAP_ACK, &one, sizeof(one));
	/* Without CAP_NET_ADMIN, net.core.rmem_max caps it. */
	fd = mnl_socket_get_fd(r->sock);
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf)))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	if (getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, &len) || rcvbuf < 0)
		rcvbuf = 0;
	r->batch_max = rcvbuf / LGD_ACK_TRUESIZE ?: 1;
	r->portid = mnl_socket_get_portid(r->sock);
	r->seq = time(NULL);
	r->table = c->route_table;
	r->metric = c->route_metric;
	r->protocol = c->route_protocol;
	return r;
}

void lgd_routes_close(struct lgd_routes *r)
{
	if (!r)
		return;
	if (r->sock)
		mnl_socket_close(r->sock);
	free(r->batch);
	free(r->rbuf);
	free(r);
}

int lgd_route_cmp(const struct lgd_route *a, const struct lgd_route *b)
{
	int d = memcmp(a->dst, b->dst, 16);

	if (d)
		return d;
	if (a->plen != b->plen)
		return a->plen < b->plen ? -1 : 1;
	if (a->ifindex != b->ifindex)
		return a->ifindex < b->ifindex ? -1 : 1;
	if (a->has_gw != b->has_gw)
		return a->has_gw ? 1 : -1;
	return a->has_gw ? memcmp(a->gw, b->gw, 16) : 0;
}

const char *lgd_route_str(const struct lgd_route *rt, char *buf, size_t len)
{
	char dst[INET6_ADDRSTRLEN], gw[INET6_ADDRSTRLEN], dev[IF_NAMESIZE];

	inet_ntop(AF_INET6, rt->dst, dst, sizeof(dst));
	if (!if_indextoname(rt->ifindex, dev))
		snprintf(dev, sizeof(dev), "if%u", rt->ifindex);
	if (rt->has_gw)
		snprintf(buf, len, "%s/%u via %s dev %s", dst, rt->plen,
			 inet_ntop(AF_INET6, rt->gw, gw, sizeof(gw)), dev);
	else
		snprintf(buf, len, "%s/%u dev %s", dst, rt->plen, dev);
	return buf;
}

static void lgd_route_put(struct lgd_routes *r, struct nlmsghdr *nlh,
			  const struct lgd_route *rt)
{
	struct rtmsg *rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));

	rtm->rtm_family = AF_INET6;
	rtm->rtm_dst_len = rt->plen;
	rtm->rtm_table = r->table < 256 ? r->table : RT_TABLE_UNSPEC;
	rtm->rtm_protocol = r->protocol;
	rtm->rtm_scope = RT_SCOPE_UNIVERSE;
	rtm->rtm_type = RTN_UNICAST;
	mnl_attr_put(nlh, RTA_DST, 16, rt->dst);
	mnl_attr_put_u32(nlh, RTA_TABLE, r->table);
	mnl_attr_put_u32(nlh, RTA_PRIORITY, r->metric);
	mnl_attr_put_u32(nlh, RTA_OIF, rt->ifindex);
	if (rt->has_gw)
		mnl_attr_put(nlh, RTA_GATEWAY, 16, rt->gw);
}

/* The extended ACK text of an error message, or "". */
static const char *lgd_ext_msg(const struct nlmsghdr *nlh)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *a;
	unsigned int off = sizeof(*e);

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return "";
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += mnl_nlmsg_get_payload_len(&e->msg);
	mnl_attr_for_each(a, nlh, off)
		if (mnl_attr_get_type(a) == NLMSGERR_ATTR_MSG &&
		    !mnl_attr_validate(a, MNL_TYPE_NUL_STRING))
			return mnl_attr_get_str(a);
	return "";
}

/*
 * Reads the ACKs of the batch [first, first + n); the failed ones are
 * logged with their route. Returns the number failed or -errno.
 */
static int lgd_routes_acks(struct lgd_routes *r, uint32_t first, size_t n,
			   const struct lgd_route *v, bool add)
{
	size_t acked = 0;
	int failed = 0;
	char buf[160];

	while (!acked) {
		const struct nlmsghdr *nlh = (const void *)r->rbuf;
		ssize_t ret;
		int len;

		ret = mnl_socket_recvfrom(r->sock, r->rbuf, LGD_RBUF_SIZE);
		if (ret < 0)
			return -errno;
		len = ret;
		for (; mnl_nlmsg_ok(nlh, len); nlh = mnl_nlmsg_next(nlh, &len)) {
			const struct nlmsgerr *e;
			uint32_t i = nlh->nlmsg_seq - first;

			if (nlh->nlmsg_type != NLMSG_ERROR || i >= n)
				continue;
			/* Only the last asks for an ACK; errors come anyway. */
			if (i == n - 1)
				acked = 1;
			e = mnl_nlmsg_get_payload(nlh);
			/* Deleting what is gone already is done. */
			if (!e->error || (!add && e->error == -ESRCH))
				continue;
			failed++;
			lgd_warn("route %s %s: %s%s%s", add ? "add" : "del",
				 lgd_route_str(&v[i], buf, sizeof(buf)),
				 strerror(-e->error), *lgd_ext_msg(nlh) ? ": " : "",
				 lgd_ext_msg(nlh));
		}
	}
	return failed;
}

int lgd_routes_change(struct lgd_routes *r, const struct lgd_route *v,
		      size_t n, bool add)
{
	size_t done = 0;
	int failed = 0;

	while (done < n) {
		uint32_t first = r->seq;
		struct nlmsghdr *last = NULL;
		size_t off = 0, k = 0;
		int ret;

		/* A route request is under 128 bytes: 256 is room to spare. */
		while (done + k < n && k < r->batch_max &&
		       off + 256 <= LGD_BATCH_SIZE) {
			struct nlmsghdr *nlh = mnl_nlmsg_put_header(r->batch + off);

			nlh->nlmsg_type = add ? RTM_NEWROUTE : RTM_DELROUTE;
			/* EXCL: a route of somebody else's is never replaced. */
			nlh->nlmsg_flags = NLM_F_REQUEST |
				(add ? NLM_F_CREATE | NLM_F_EXCL : 0);
			last = nlh;
			nlh->nlmsg_seq = r->seq++;
			lgd_route_put(r, nlh, &v[done + k]);
			off += NLMSG_ALIGN(nlh->nlmsg_len);
			k++;
		}
		last->nlmsg_flags |= NLM_F_ACK;
		if (mnl_socket_sendto(r->sock, r->batch, off) < 0)
			return -errno;
		ret = lgd_routes_acks(r, first, k, v + done, add);
		if (ret < 0)
			return ret;
		failed += ret;
		done += k;
	}
	return failed;
}

struct lgd_dump {
	struct lgd_routes *r;
	struct lgd_route *v;
	size_t n, cap;
	int err;
};

static int lgd_route_attr_cb(const struct nlattr *a, void *data)
{
	const struct nlattr **tb = data;
	unsigned int type = mnl_attr_get_type(a);

	if (type <= RTA_MAX)
		tb[type] = a;
	return MNL_CB_OK;
}

static void lgd_dump_one(struct lgd_dump *d, const struct nlmsghdr *nlh)
{
	const struct rtmsg *rtm = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[RTA_MAX + 1] = {};
	struct lgd_route *rt;
	uint32_t table;

	if (nlh->nlmsg_type != RTM_NEWROUTE || rtm->rtm_family != AF_INET6 ||
	    rtm->rtm_protocol != d->r->protocol)
		return;
	if (mnl_attr_parse(nlh, sizeof(*rtm), lgd_route_attr_cb, tb) < 0)
		return;
	table = tb[RTA_TABLE] ? mnl_attr_get_u32(tb[RTA_TABLE]) :
		rtm->rtm_table;
	if (table != d->r->table || !tb[RTA_OIF] ||
	    (tb[RTA_DST] && mnl_attr_get_payload_len(tb[RTA_DST]) != 16) ||
	    (tb[RTA_GATEWAY] && mnl_attr_get_payload_len(tb[RTA_GATEWAY]) != 16))
		return;
	if (d->n == d->cap) {
		size_t cap = d->cap ? 2 * d->cap : 256;
		struct lgd_route *v = realloc(d->v, cap * sizeof(*v));

		if (!v) {
			d->err = -ENOMEM;
			return;
		}
		d->v = v;
		d->cap = cap;
	}
	rt = &d->v[d->n++];
	memset(rt, 0, sizeof(*rt));
	if (tb[RTA_DST])
		memcpy(rt->dst, mnl_attr_get_payload(tb[RTA_DST]), 16);
	rt->plen = rtm->rtm_dst_len;
	rt->ifindex = mnl_attr_get_u32(tb[RTA_OIF]);
	if (tb[RTA_GATEWAY]) {
		rt->has_gw = true;
		memcpy(rt->gw, mnl_attr_get_payload(tb[RTA_GATEWAY]), 16);
	}
}

int lgd_routes_dump(struct lgd_routes *r, struct lgd_route **v, size_t *n)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct lgd_dump d = { .r = r };
	struct nlmsghdr *nlh;
	struct rtmsg *rtm;
	uint32_t seq = r->seq++;

	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_GETROUTE;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = seq;
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = AF_INET6;
	if (mnl_socket_sendto(r->sock, nlh, nlh->nlmsg_len) < 0)
		return -errno;

	for (;;) {
		const struct nlmsghdr *m = (const void *)r->rbuf;
		ssize_t ret;
		int len;

		ret = mnl_socket_recvfrom(r->sock, r->rbuf, LGD_RBUF_SIZE);
		if (ret < 0) {
			free(d.v);
			return -errno;
		}
		len = ret;
		for (; mnl_nlmsg_ok(m, len); m = mnl_nlmsg_next(m, &len)) {
			if (m->nlmsg_seq != seq)
				continue;
			if (m->nlmsg_type == NLMSG_DONE)
				goto done;
			if (m->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *e =
					mnl_nlmsg_get_payload(m);

				free(d.v);
				return e->error ?: -EIO;
			}
			lgd_dump_one(&d, m);
		}
	}
done:
	if (d.err) {
		free(d.v);
		return d.err;
	}
	*v = d.v;
	*n = d.n;
	return 0;
}
