/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Talking to the leaseguard genetlink family from tests, over libmnl:
 * open, build a request, collect replies and the ACK with its extack.
 * Replies go to a caller's mnl_cb_t; the ACK lands in struct lg_ack.
 */
#ifndef _LG_SELFTEST_LGNL_H
#define _LG_SELFTEST_LGNL_H

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/leaseguard.h>
#include <linux/netlink.h>

/*
 * What lg_talk() reads into. The kernel fills a dump's skbs up to the
 * largest read the socket has seen (at most 32 KiB), and to at least the
 * dump's min_dump_alloc: a program that dumps IGMP/MLD groups (whose
 * min_dump_alloc is above a page) defines it to 32768 before including
 * this file.
 */
#ifndef LGNL_RECV_SIZE
#define LGNL_RECV_SIZE			MNL_SOCKET_BUFFER_SIZE
#endif

struct lg_ack {
	int err;			/* 0 or -errno */
	char msg[256];			/* extack message */
	uint32_t miss_type;		/* NLMSGERR_ATTR_MISS_TYPE, or 0 */
	uint32_t offs;			/* NLMSGERR_ATTR_OFFS, or 0 */
	bool dump_intr;			/* a reply had NLM_F_DUMP_INTR */
};

struct lg_sock {
	struct mnl_socket *nl;
	uint16_t family;
	uint32_t seq;
	uint32_t mcgrp_config, mcgrp_bindings, mcgrp_mcast;
};

/* Runs a shell command; a test cannot go on if it fails. */
static inline void run(const char *cmd)
{
	if (system(cmd) != 0) {
		fprintf(stderr, "command failed: %s\n", cmd);
		exit(1);
	}
}

/* Writes TEXT to the file at PATH (a sysctl, a cgroup or id map file). */
static inline int write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	int ok;

	if (!f)
		return -1;
	ok = fputs(text, f) >= 0;
	return fclose(f) == 0 && ok ? 0 : -1;
}

/* Milliseconds of CLOCK_MONOTONIC since T0. */
static inline long long ms_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) * 1000LL +
	       (t.tv_nsec - t0->tv_nsec) / 1000000;
}

static int lgnl_ctrl_attr_cb(const struct nlattr *attr, void *data)
{
	struct lg_sock *s = data;
	const struct nlattr *grp, *a;

	if (mnl_attr_get_type(attr) == CTRL_ATTR_FAMILY_ID)
		s->family = mnl_attr_get_u16(attr);
	if (mnl_attr_get_type(attr) != CTRL_ATTR_MCAST_GROUPS)
		return MNL_CB_OK;
	mnl_attr_for_each_nested(grp, attr) {
		const char *name = NULL;
		uint32_t id = 0;

		mnl_attr_for_each_nested(a, grp) {
			if (mnl_attr_get_type(a) == CTRL_ATTR_MCAST_GRP_NAME)
				name = mnl_attr_get_str(a);
			if (mnl_attr_get_type(a) == CTRL_ATTR_MCAST_GRP_ID)
				id = mnl_attr_get_u32(a);
		}
		if (name && !strcmp(name, LEASEGUARD_MCGRP_CONFIG))
			s->mcgrp_config = id;
		if (name && !strcmp(name, LEASEGUARD_MCGRP_BINDINGS))
			s->mcgrp_bindings = id;
		if (name && !strcmp(name, LEASEGUARD_MCGRP_MCAST))
			s->mcgrp_mcast = id;
	}
	return MNL_CB_OK;
}

static int lgnl_ctrl_cb(const struct nlmsghdr *nlh, void *data)
{
	return mnl_attr_parse(nlh, GENL_HDRLEN, lgnl_ctrl_attr_cb, data);
}

/* Opens a socket in the current netns and resolves the family. */
static inline int lg_open(struct lg_sock *s)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct genlmsghdr *genl;
	struct nlmsghdr *nlh;
	int one = 1, ret;

	memset(s, 0, sizeof(*s));
	s->nl = mnl_socket_open(NETLINK_GENERIC);
	if (!s->nl || mnl_socket_bind(s->nl, 0, MNL_SOCKET_AUTOPID) < 0)
		return -errno;
	mnl_socket_setsockopt(s->nl, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(s->nl, NETLINK_CAP_ACK, &one, sizeof(one));

	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = GENL_ID_CTRL;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	nlh->nlmsg_seq = ++s->seq;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = CTRL_CMD_GETFAMILY;
	genl->version = 1;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, LEASEGUARD_GENL_NAME);
	if (mnl_socket_sendto(s->nl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	ret = mnl_socket_recvfrom(s->nl, buf, sizeof(buf));
	if (ret < 0)
		return -errno;
	ret = mnl_cb_run(buf, ret, s->seq, 0, lgnl_ctrl_cb, s);
	return ret < 0 ? -errno : 0;
}

static inline void lg_close(struct lg_sock *s)
{
	if (s->nl)
		mnl_socket_close(s->nl);
	s->nl = NULL;
}

static inline struct nlmsghdr *lg_msg(struct lg_sock *s, char *buf,
				      uint8_t cmd, uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *genl;

	nlh->nlmsg_type = s->family;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	nlh->nlmsg_seq = ++s->seq;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = LEASEGUARD_GENL_VERSION;
	return nlh;
}

static int lgnl_extack_cb(const struct nlattr *attr, void *data)
{
	struct lg_ack *ack = data;

	switch (mnl_attr_get_type(attr)) {
	case NLMSGERR_ATTR_MSG:
		snprintf(ack->msg, sizeof(ack->msg), "%s",
			 mnl_attr_get_str(attr));
		break;
	case NLMSGERR_ATTR_OFFS:
		ack->offs = mnl_attr_get_u32(attr);
		break;
	case NLMSGERR_ATTR_MISS_TYPE:
		ack->miss_type = mnl_attr_get_u32(attr);
		break;
	}
	return MNL_CB_OK;
}

static int lgnl_error_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	struct lg_ack *ack = data;

	ack->err = e->error;
	if (nlh->nlmsg_flags & NLM_F_ACK_TLVS)
		mnl_attr_parse(nlh, sizeof(*e), lgnl_extack_cb, ack);
	return MNL_CB_STOP;
}

static void lgnl_done_cb(const struct nlmsghdr *nlh, struct lg_ack *ack)
{
	const int *err = mnl_nlmsg_get_payload(nlh);

	ack->err = *err;
	if (nlh->nlmsg_flags & NLM_F_ACK_TLVS)
		mnl_attr_parse(nlh, sizeof(*err), lgnl_extack_cb, ack);
}

/*
 * Sends @nlh; every reply goes to @cb(@data) (may be NULL), the ACK to
 * @ack. Returns the ACK's error (0 or -errno; for a dump, the error its
 * NLMSG_DONE carries). Messages are walked here, not by mnl_cb_run(),
 * which gives up at the first NLM_F_DUMP_INTR.
 */
static inline int lg_talk(struct lg_sock *s, struct nlmsghdr *nlh, mnl_cb_t cb,
			  void *data, struct lg_ack *ack)
{
	uint32_t seq = nlh->nlmsg_seq;
	char buf[LGNL_RECV_SIZE];
	const struct nlmsghdr *m;
	int len;

	memset(ack, 0, sizeof(*ack));
	if (mnl_socket_sendto(s->nl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	for (;;) {
		len = mnl_socket_recvfrom(s->nl, buf, sizeof(buf));
		if (len < 0)
			return -errno;
		for (m = (void *)buf; mnl_nlmsg_ok(m, len);
		     m = mnl_nlmsg_next(m, &len)) {
			if (m->nlmsg_seq != seq)
				continue;
			if (m->nlmsg_flags & NLM_F_DUMP_INTR)
				ack->dump_intr = true;
			if (m->nlmsg_type == NLMSG_ERROR) {
				lgnl_error_cb(m, ack);
				return ack->err;
			}
			/* A dump that failed says why in its DONE message. */
			if (m->nlmsg_type == NLMSG_DONE) {
				if (mnl_nlmsg_get_payload_len(m) >= sizeof(int))
					lgnl_done_cb(m, ack);
				return ack->err;
			}
			if (cb && cb(m, data) < MNL_CB_OK)
				return -EIO;
		}
	}
}

static inline int lg_join(struct lg_sock *s, uint32_t grp)
{
	return mnl_socket_setsockopt(s->nl, NETLINK_ADD_MEMBERSHIP, &grp,
				     sizeof(grp));
}

/*
 * Receives one datagram of notifications, waiting at most @ms; each
 * message goes to @cb. Returns 0, or -EAGAIN when nothing came.
 */
static inline int lg_recv(struct lg_sock *s, int ms, mnl_cb_t cb, void *data)
{
	struct timeval tv = { .tv_sec = ms / 1000, .tv_usec = ms % 1000 * 1000 };
	char buf[MNL_SOCKET_BUFFER_SIZE];
	int ret;

	setsockopt(mnl_socket_get_fd(s->nl), SOL_SOCKET, SO_RCVTIMEO, &tv,
		   sizeof(tv));
	ret = mnl_socket_recvfrom(s->nl, buf, sizeof(buf));
	if (ret < 0)
		return -errno;
	return mnl_cb_run(buf, ret, 0, 0, cb, data) < 0 ? -errno : 0;
}

#endif /* _LG_SELFTEST_LGNL_H */
