// SPDX-License-Identifier: GPL-2.0
/*
 * The netlink backend of leaseguardd: the interface of lib/nl.h (which the
 * shared binding model calls) over libnl-genl-3, as a long-running event
 * consumer like hostapd or wpa_supplicant has it. lgctl's backend is
 * lgctl/mnl.c, over libmnl; what does not depend on the library (dump
 * retries, batches, reply objects) is lib/nl.c.
 *
 * The family and its groups are resolved by genl_ctrl_resolve() and
 * genl_ctrl_resolve_grp(); every exchange is nl_send_auto() (or, for a
 * batch, nl_sendto() of many requests) and nl_recvmsgs() with a callback
 * set of the exchange's own: our own sequence check (a reply to an
 * earlier request, left by an error, is skipped rather than fatal),
 * NL_CB_DUMP_INTR noted and the dump read to its end, NLMSG_DONE and
 * NLMSG_ERROR parsed for their error and extended ACK. Requests are built
 * with genlmsg_put(); their attributes are put by the callers with
 * libmnl's mnl_attr_put_*() on the header, which only needs room in the
 * message (LG_NL_SBUF_SIZE).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include <linux/genetlink.h>
#include <linux/leaseguard.h>
#include <netlink/netlink.h>
#include <netlink/msg.h>
#include <netlink/attr.h>
#include <netlink/handlers.h>
#include <netlink/socket.h>
#include <netlink/genl/genl.h>
#include <netlink/genl/ctrl.h>

#include "lgd.h"
#include "nl.h"

#define LG_NL_SBUF_SIZE		8192	/* room for a request's attributes */
#define LG_NL_SOCK_BUF		212992	/* net.core.[rw]mem_default */

#ifndef SOL_NETLINK
#define SOL_NETLINK		270
#endif

/* One exchange on the request socket, as its callbacks see it. */
struct lg_genl_x {
	struct lg_nl *nl;
	uint32_t seq;			/* first sequence number of ours */
	uint32_t n_seq;			/* how many from seq on */
	uint16_t type;			/* replies passed to cb */
	lg_nl_cb_t cb;
	void *data;
	int cb_err;			/* cb's first error */
	int err;			/* the ACK's, or the dump's */
	bool done;			/* its NLMSG_DONE or NLMSG_ERROR */
	bool intr;			/* NLM_F_DUMP_INTR seen */
	/* Batches: every NLMSG_ERROR to ack(i0 + seq offset). */
	lg_nl_ack_t ack;
	size_t i0, acked;
};

static struct nl_sock *lg_sk(const struct lg_nl *nl)
{
	return nl->sk;
}

int lg_nl_parse_msg(const struct nlmsghdr *nlh, const struct nlattr **tb,
		    unsigned int max)
{
	memset(tb, 0, (max + 1) * sizeof(*tb));
	if (!genlmsg_valid_hdr((struct nlmsghdr *)nlh, 0))
		return -EBADMSG;
	if (genlmsg_parse((struct nlmsghdr *)nlh, 0, (struct nlattr **)tb,
			  max, NULL) < 0)
		return -EBADMSG;
	return 0;
}

int lg_nl_parse_nest(const struct nlattr *nest, const struct nlattr **tb,
		     unsigned int max)
{
	memset(tb, 0, (max + 1) * sizeof(*tb));
	if (nla_parse_nested((struct nlattr **)tb, max, (struct nlattr *)nest,
			     NULL) < 0)
		return -EBADMSG;
	return 0;
}

uint8_t lg_nl_cmd(const struct nlmsghdr *nlh)
{
	if (!genlmsg_valid_hdr((struct nlmsghdr *)nlh, 0))
		return 0;
	return genlmsg_hdr((struct nlmsghdr *)nlh)->cmd;
}

/* The extended ACK's TLVs from offset (unaligned) in nlh's payload. */
static void lg_nl_parse_ext(struct lg_nl *nl, struct nlmsghdr *nlh,
			    size_t offset)
{
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	size_t len = nlmsg_datalen(nlh);

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	offset = NLMSG_ALIGN(offset);
	if (offset >= len ||
	    nla_parse(tb, NLMSGERR_ATTR_MAX,
		      (struct nlattr *)((char *)nlmsg_data(nlh) + offset),
		      len - offset, NULL) < 0)
		return;
	if (tb[NLMSGERR_ATTR_MSG] && nla_len(tb[NLMSGERR_ATTR_MSG]) > 0 &&
	    !((char *)nla_data(tb[NLMSGERR_ATTR_MSG]))
		    [nla_len(tb[NLMSGERR_ATTR_MSG]) - 1])
		snprintf(nl->ext_msg, sizeof(nl->ext_msg), "%s",
			 nla_get_string(tb[NLMSGERR_ATTR_MSG]));
	if (tb[NLMSGERR_ATTR_OFFS] && nla_len(tb[NLMSGERR_ATTR_OFFS]) == 4)
		nl->ext_offs = nla_get_u32(tb[NLMSGERR_ATTR_OFFS]);
}

/* NLMSG_ERROR: the request's -errno (0: an ACK), its extack kept. */
static int lg_nl_parse_error(struct lg_nl *nl, struct nlmsghdr *nlh)
{
	const struct nlmsgerr *e = nlmsg_data(nlh);
	size_t offset = sizeof(*e);

	if (nlmsg_datalen(nlh) < (int)sizeof(*e))
		return -EBADMSG;
	/* Without NLM_F_CAPPED the whole request is echoed before the TLVs. */
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED) &&
	    e->msg.nlmsg_len > sizeof(struct nlmsghdr))
		offset += e->msg.nlmsg_len - sizeof(struct nlmsghdr);
	lg_nl_parse_ext(nl, nlh, offset);
	return e->error <= 0 ? e->error : -e->error;
}

/* Ours: the port is ours and the sequence number the exchange's. */
static int lg_nl_seq_cb(struct nl_msg *msg, void *arg)
{
	struct lg_genl_x *x = arg;
	struct nlmsghdr *nlh = nlmsg_hdr(msg);

	if (nlh->nlmsg_pid != nl_socket_get_local_port(lg_sk(x->nl)) ||
	    nlh->nlmsg_seq - x->seq >= x->n_seq)
		return NL_SKIP;
	return NL_OK;
}

static int lg_nl_intr_cb(struct nl_msg *msg, void *arg)
{
	struct lg_genl_x *x = arg;

	(void)msg;
	x->intr = true;
	return NL_OK;		/* the message is a reply all the same */
}

static int lg_nl_valid_cb(struct nl_msg *msg, void *arg)
{
	struct lg_genl_x *x = arg;
	struct nlmsghdr *nlh = nlmsg_hdr(msg);

	/* A failing cb stops the calls, not the reading. */
	if (nlh->nlmsg_type == x->type && x->cb && !x->cb_err)
		x->cb_err = x->cb(nlh, x->data);
	return NL_OK;
}

/* NLMSG_DONE: an int error, then maybe extack TLVs. */
static int lg_nl_finish_cb(struct nl_msg *msg, void *arg)
{
	struct lg_genl_x *x = arg;
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	int err = 0;

	if (nlmsg_datalen(nlh) >= (int)sizeof(int)) {
		memcpy(&err, nlmsg_data(nlh), sizeof(err));
		lg_nl_parse_ext(x->nl, nlh, sizeof(int));
	}
	x->err = err <= 0 ? err : -err;
	x->done = true;
	return NL_STOP;
}

/*
 * A batch's answer for request j (0 or its error): the requests before j
 * that sent none had none to send, they were done (lg_nl_batch_send()).
 */
static void lg_nl_batch_answer(struct lg_genl_x *x, size_t j, int err)
{
	for (; x->acked < j; x->acked++)
		x->ack(x->i0 + x->acked, 0, x->data);
	if (j < x->acked)
		return;		/* answered already: not the kernel's */
	x->ack(x->i0 + j, err, x->data);
	x->acked = j + 1;
}

static int lg_nl_ack_cb(struct nl_msg *msg, void *arg)
{
	struct lg_genl_x *x = arg;
	struct nlmsghdr *nlh = nlmsg_hdr(msg);

	if (x->ack) {
		lg_nl_batch_answer(x, nlh->nlmsg_seq - x->seq, 0);
		return NL_OK;
	}
	x->err = 0;
	x->done = true;
	return NL_STOP;
}

static int lg_nl_err_cb(struct sockaddr_nl *nla, struct nlmsgerr *e,
			void *arg)
{
	struct lg_genl_x *x = arg;
	struct nlmsghdr *nlh = (struct nlmsghdr *)((char *)e - NLMSG_HDRLEN);
	int err = lg_nl_parse_error(x->nl, nlh);

	(void)nla;
	/* The kernel's reason goes to the log; the caller logs the errno. */
	if (x->nl->ext_msg[0])
		lgd_log(x->ack ? LOG_DEBUG : LOG_INFO, "netlink: %s: %s",
			strerror(-err), x->nl->ext_msg);
	if (x->ack) {
		lg_nl_batch_answer(x, nlh->nlmsg_seq - x->seq, err);
		return NL_OK;
	}
	x->err = err;
	x->done = true;
	return NL_STOP;
}

static int lg_nl_skip_cb(struct nl_msg *msg, void *arg)
{
	(void)msg, (void)arg;
	return NL_SKIP;
}

/* The callback set of exchange x. */
static struct nl_cb *lg_nl_x_cb(struct lg_genl_x *x)
{
	struct nl_cb *cb = nl_cb_alloc(NL_CB_DEFAULT);

	if (!cb)
		return NULL;
	nl_cb_set(cb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, lg_nl_seq_cb, x);
	nl_cb_set(cb, NL_CB_DUMP_INTR, NL_CB_CUSTOM, lg_nl_intr_cb, x);
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, lg_nl_valid_cb, x);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, lg_nl_finish_cb, x);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, lg_nl_ack_cb, x);
	nl_cb_set(cb, NL_CB_OVERRUN, NL_CB_CUSTOM, lg_nl_skip_cb, x);
	nl_cb_err(cb, NL_CB_CUSTOM, lg_nl_err_cb, x);
	return cb;
}

/* libnl's error of a receive, as the -errno the callers know. */
static int lg_nl_errno(int nlerr, int sys)
{
	switch (-nlerr) {
	case NLE_NOMEM:
		/* ENOBUFS (the socket overran) comes back as NLE_NOMEM */
		return sys == ENOBUFS ? -ENOBUFS : -ENOMEM;
	case NLE_AGAIN:
		return -EAGAIN;
	case NLE_INTR:
		return -EINTR;
	case NLE_BAD_SOCK:
		return -EBADF;
	case NLE_MSG_TRUNC:
	case NLE_MSG_OVERFLOW:
		return -EMSGSIZE;
	default:
		return -EIO;
	}
}

/*
 * Reads until exchange x is done (its NLMSG_DONE or NLMSG_ERROR; for a
 * batch, every ACK): each nl_recvmsgs() call reads one datagram, or a
 * multipart message to its end.
 */
static int lg_nl_run(struct lg_genl_x *x)
{
	struct nl_cb *cb = lg_nl_x_cb(x);
	int ret = 0, sys;

	if (!cb)
		return -ENOMEM;
	while (x->ack ? x->acked < x->n_seq : !x->done) {
		errno = 0;
		ret = nl_recvmsgs_report(lg_sk(x->nl), cb);
		sys = errno;
		/* Our callbacks stopped it: an error ACK is not libnl's. */
		if (x->ack ? x->acked >= x->n_seq : x->done) {
			ret = 0;
			break;
		}
		if (ret < 0) {
			ret = lg_nl_errno(ret, sys);
			break;
		}
		if (!ret) {		/* nothing read: a blocking socket's EOF */
			ret = -EIO;
			break;
		}
		ret = 0;
	}
	nl_cb_put(cb);
	if (ret)
		return x->cb_err ? x->cb_err : ret;
	if (x->ack)
		return x->cb_err;	/* a batch's replies (if any) */
	return x->cb_err ? x->cb_err : x->err;
}

static int lg_nl_send(struct lg_nl *nl, struct nlmsghdr *nlh)
{
	int ret;

	/* Requests are built by lg_nl_msg(), in nl->msg. */
	if (!nl->msg || nlh != nlmsg_hdr(nl->msg))
		return -EINVAL;
	/* The family is gone (family.c): its old ID may be somebody's next. */
	if (!nl->family_id)
		return -LG_NL_ENOFAMILY;
	nl->ext_msg[0] = '\0';
	nl->ext_offs = -1;
	nlh->nlmsg_seq = NL_AUTO_SEQ;	/* a new one, also when sent again */
	ret = nl_send_auto(lg_sk(nl), nl->msg);
	if (ret < 0)
		return ret == -NLE_NOMEM ? -ENOMEM : -EIO;
	return 0;
}

struct nlmsghdr *lg_nl_msg(struct lg_nl *nl, uint8_t cmd, uint16_t flags)
{
	/* The previous request goes: callers build and send one at a time. */
	nlmsg_free(nl->msg);
	nl->msg = nlmsg_alloc_size(LG_NL_SBUF_SIZE);
	if (!nl->msg)
		abort();	/* lgctl/mnl.c has its buffer; no -errno here */
	genlmsg_put(nl->msg, NL_AUTO_PORT, NL_AUTO_SEQ, nl->family_id, 0,
		    flags, cmd, LEASEGUARD_GENL_VERSION);
	return nlmsg_hdr(nl->msg);
}

int lg_nl_doit(struct lg_nl *nl, struct nlmsghdr *nlh, lg_nl_cb_t cb,
	       void *data)
{
	struct lg_genl_x x = { .nl = nl, .n_seq = 1, .type = nlh->nlmsg_type,
			       .cb = cb, .data = data };
	int err;

	/* The ACK ends the exchange, whether or not there is a reply. */
	nlh->nlmsg_flags |= NLM_F_ACK;
	err = lg_nl_send(nl, nlh);
	if (err)
		return err;
	x.seq = nlh->nlmsg_seq;
	return lg_nl_run(&x);
}

int lg_nl_dump_once(struct lg_nl *nl, struct nlmsghdr *nlh, lg_nl_cb_t cb,
		    void *data, bool *intr)
{
	struct lg_genl_x x = { .nl = nl, .n_seq = 1, .type = nl->family_id,
			       .cb = cb, .data = data };
	int err;

	*intr = false;
	err = lg_nl_send(nl, nlh);
	if (err)
		return err;
	x.seq = nlh->nlmsg_seq;
	err = lg_nl_run(&x);
	*intr = x.intr;
	return err;
}

struct nlmsghdr *lg_nl_batch_hdr(struct lg_nl *nl, void *buf, uint8_t cmd)
{
	struct nlmsghdr *nlh = buf;
	struct genlmsghdr *genl = nlmsg_data(nlh);

	nlh->nlmsg_len = NLMSG_HDRLEN + GENL_HDRLEN;
	nlh->nlmsg_type = nl->family_id;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = nl_socket_use_seq(lg_sk(nl));
	nlh->nlmsg_pid = nl_socket_get_local_port(lg_sk(nl));
	genl->cmd = cmd;
	genl->version = LEASEGUARD_GENL_VERSION;
	return nlh;
}

int lg_nl_batch_send(struct lg_nl *nl, void *buf, size_t len,
		     uint32_t seq, size_t k, size_t i0, lg_nl_ack_t ack,
		     void *data)
{
	return lg_nl_batch_send_replies(nl, buf, len, seq, k, i0, ack, NULL,
					data);
}

int lg_nl_batch_send_replies(struct lg_nl *nl, void *buf, size_t len,
			     uint32_t seq, size_t k, size_t i0,
			     lg_nl_ack_t ack, lg_nl_cb_t reply, void *data)
{
	struct lg_genl_x x = { .nl = nl, .seq = seq, .n_seq = k, .ack = ack,
			       .data = data, .i0 = i0,
			       .type = reply ? nl->family_id : 0,
			       .cb = reply };
	struct nlmsghdr *nlh = buf;
	int rem = len, err;

	if (!nl->family_id)
		return -LG_NL_ENOFAMILY;
	/*
	 * Only the last request asks for an ACK. The kernel answers an
	 * error whatever the flags (netlink_rcv_skb()), in order, with the
	 * request's sequence number: each failure still comes back, and the
	 * last ACK says that those before it which sent nothing were done.
	 * One ACK a batch, not one a request: an skb less for the kernel to
	 * build and queue, and a read less here, per restored binding.
	 */
	for (; NLMSG_OK(nlh, rem); nlh = NLMSG_NEXT(nlh, rem))
		if (rem > (int)NLMSG_ALIGN(nlh->nlmsg_len))
			nlh->nlmsg_flags &= ~NLM_F_ACK;
	if (nl_sendto(lg_sk(nl), buf, len) < 0)
		return -EIO;
	/*
	 * A batch's answers are ACKs (and capped errors), one small datagram
	 * each, well inside libnl's 16 KiB buffer: read once, not peeked at
	 * first (a system call less an ACK; a restore reads one a binding).
	 */
	nl_socket_disable_msg_peek(lg_sk(nl));
	err = lg_nl_run(&x);
	nl_socket_enable_msg_peek(lg_sk(nl));
	return err;
}

int lg_nl_open(struct lg_nl *nl)
{
	int one = 1, fd, err;

	memset(nl, 0, sizeof(*nl));
	nl->ext_offs = -1;
	nl->sk = nl_socket_alloc();
	if (!nl->sk)
		return -ENOMEM;
	/* Our own ACK flags and sequence checks, per exchange. */
	nl_socket_disable_auto_ack(nl->sk);
	nl_socket_enable_msg_peek(nl->sk);
	err = genl_connect(nl->sk);
	if (err) {
		err = -EIO;
		goto err_free;
	}
	/*
	 * libnl's connect leaves 32 KiB buffers: too small to send a batch
	 * (64 KiB, lib/nl.c) in one go. Back to the kernel's defaults, as
	 * lgctl's sockets have them (the kernel doubles what it is given).
	 */
	nl_socket_set_buffer_size(nl->sk, LG_NL_SOCK_BUF / 2,
				  LG_NL_SOCK_BUF / 2);
	fd = nl_socket_get_fd(nl->sk);
	/* Both are optional: an old kernel just gives plain errors. */
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	nl->portid = nl_socket_get_local_port(nl->sk);
	err = lg_nl_resolve(nl);
	if (err)
		goto err_free;
	return 0;

err_free:
	nl_socket_free(nl->sk);
	nl->sk = NULL;
	return err;
}

int lg_nl_resolve(struct lg_nl *nl)
{
	int id = genl_ctrl_resolve(nl->sk, LEASEGUARD_GENL_NAME);

	nl->family_id = id > 0 ? id : 0;
	if (id == -NLE_OBJ_NOTFOUND)
		return -LG_NL_ENOFAMILY;
	return id < 0 ? -EIO : 0;
}

void lg_nl_close(struct lg_nl *nl)
{
	nlmsg_free(nl->msg);
	free(nl->rbuf);
	nl->rbuf = NULL;
	if (nl->sk)
		nl_socket_free(nl->sk);
	nl->msg = NULL;
	nl->sk = NULL;
}

int lg_nl_join(struct lg_nl *nl, const char *group)
{
	struct nl_sock *sk = nl_socket_alloc();
	int id = -NLE_NOMEM;

	/*
	 * Resolved on a socket of its own: one that has joined a group
	 * already may hold an event where the controller's reply should be.
	 */
	if (sk && !genl_connect(sk))
		id = genl_ctrl_resolve_grp(sk, LEASEGUARD_GENL_NAME, group);
	nl_socket_free(sk);
	if (id == -NLE_OBJ_NOTFOUND)
		return -ENOENT;
	if (id < 0)
		return -EIO;
	if (nl_socket_add_membership(nl->sk, id) < 0)
		return errno ? -errno : -EIO;
	return 0;
}

int lg_nl_fd(const struct lg_nl *nl)
{
	return nl_socket_get_fd(nl->sk);
}

/*
 * Events are read from the socket's descriptor, not with nl_recvmsgs():
 * per datagram, libnl allocates a callback set and a 16 KiB buffer,
 * receives twice (MSG_PEEK first: lg_nl_open() enables it for dumps)
 * and copies each message into an nl_msg of its own (two callocs), all
 * to hand cb the header it had: work per notification, at the kernel's
 * snooping rate (14,500 bindings/s in the QEMU guest), that only delays
 * leaseguardd. Here: one recvmsg() per datagram into the socket's own
 * buffer, kept from one read to the next. The socket stays libnl's
 * (joins, close); its requests and dumps still go through libnl.
 */
#define LG_NL_EV_BUF		65536	/* above any one notification */

int lg_nl_read_events(struct lg_nl *nl, lg_nl_cb_t cb, void *data)
{
	struct sockaddr_nl sa;
	struct iovec iov;
	struct msghdr mh = { .msg_name = &sa, .msg_namelen = sizeof(sa),
			     .msg_iov = &iov, .msg_iovlen = 1 };
	const struct nlmsghdr *nlh;
	ssize_t ret;
	int len, err;

	if (!nl->rbuf) {
		nl->rbuf = malloc(LG_NL_EV_BUF);
		if (!nl->rbuf)
			return -ENOMEM;
	}
	iov.iov_base = nl->rbuf;
	iov.iov_len = LG_NL_EV_BUF;
	ret = recvmsg(nl_socket_get_fd(nl->sk), &mh, 0);
	if (ret < 0)
		return -errno;	/* ENOBUFS: the socket overran */
	if (!ret)
		return -EAGAIN;
	/* Not all of it: a notification is lost, as if by an overrun. */
	if (mh.msg_flags & MSG_TRUNC)
		return -ENOBUFS;
	len = ret;
	for (nlh = (const void *)nl->rbuf; NLMSG_OK(nlh, len);
	     nlh = NLMSG_NEXT(nlh, len)) {
		if (nlh->nlmsg_type != nl->family_id)
			continue;
		err = cb(nlh, data);
		if (err)
			return err;
	}
	return 0;
}
