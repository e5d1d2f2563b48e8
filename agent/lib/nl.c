// SPDX-License-Identifier: GPL-2.0
/*
 * What the two netlink backends of nl.h share, whatever the library:
 * lgctl/mnl.c (libmnl) and leaseguardd/genl.c (libnl-genl-3) each do the
 * socket, the exchanges and the parsing; these are built on those.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/leaseguard.h>

#include "nl.h"

/*
 * A batch's ACKs: each is an skb of its own in the receive buffer
 * (truesize ~768 bytes with NETLINK_CAP_ACK); one that does not fit is
 * lost (ENOBUFS), so a batch holds no more requests than the buffer has
 * room for ACKs.
 */
#define LG_NL_BATCH_RCVBUF	(2 << 20)	/* asked for; doubled */
#define LG_NL_ACK_TRUESIZE	1024
/* Requests sent with one sendmsg(): under the send buffer, less 32. */
#define LG_NL_BATCH_SIZE	65536

int lg_nl_reply_obj(const struct nlmsghdr *nlh, uint8_t cmd,
		    unsigned int attr, const struct nlattr **obj)
{
	const struct nlattr *tb[LG_A_MAX + 1];

	if (lg_nl_cmd(nlh) != cmd)
		return 1;
	if (attr > LG_A_MAX || lg_nl_parse_msg(nlh, tb, LG_A_MAX) ||
	    !tb[attr])
		return -EBADMSG;
	*obj = tb[attr];
	return 0;
}

const char *lg_nl_ext_msg(const struct lg_nl *nl)
{
	return nl->ext_msg[0] ? nl->ext_msg : NULL;
}

int64_t lg_nl_ext_offs(const struct lg_nl *nl)
{
	return nl->ext_offs;
}

int lg_nl_dump_req(struct lg_nl *nl, struct nlmsghdr *nlh, lg_nl_cb_t cb,
		   void (*reset)(void *data), void *data)
{
	int tries, err;

	for (tries = 0; tries < LG_NL_DUMP_TRIES; tries++) {
		bool intr;

		if (tries && reset)
			reset(data);
		/* the request stays built: it goes again, as a new one */
		err = lg_nl_dump_once(nl, nlh, cb, data, &intr);
		if (err || !intr)
			return err;
	}
	return -EINTR;
}

int lg_nl_dump(struct lg_nl *nl, uint8_t cmd, lg_nl_cb_t cb,
	       void (*reset)(void *data), void *data)
{
	return lg_nl_dump_req(nl, lg_nl_msg(nl, cmd, NLM_F_DUMP), cb, reset,
			      data);
}

size_t lg_nl_batch_max(struct lg_nl *nl, int want)
{
	int fd = lg_nl_fd(nl), rcvbuf = 0;
	socklen_t len = sizeof(rcvbuf);

	if (getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, &len) == 0 &&
	    rcvbuf < 2 * want)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &want, sizeof(want));
	len = sizeof(rcvbuf);
	if (getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, &len) < 0 ||
	    rcvbuf < 2 * LG_NL_ACK_TRUESIZE)
		return 1;
	/* Half: the buffer may hold something else already. */
	return rcvbuf / 2 / LG_NL_ACK_TRUESIZE;
}

int lg_nl_batch(struct lg_nl *nl, uint8_t cmd, size_t n, lg_nl_put_t put,
		lg_nl_ack_t ack, void *data)
{
	size_t i = 0, max;
	char *buf;
	int err = 0;

	if (!n)
		return 0;
	max = lg_nl_batch_max(nl, LG_NL_BATCH_RCVBUF);
	buf = malloc(LG_NL_BATCH_SIZE);
	if (!buf)
		return -ENOMEM;
	while (!err && i < n) {
		size_t off = 0, i0 = i;
		uint32_t seq = 0;

		memset(buf, 0, LG_NL_BATCH_SIZE);
		while (i < n && i - i0 < max &&
		       LG_NL_BATCH_SIZE - off >= LG_NL_BATCH_REQ_MAX) {
			struct nlmsghdr *nlh = lg_nl_batch_hdr(nl, buf + off,
							       cmd);

			if (i == i0)
				seq = nlh->nlmsg_seq;
			put(nlh, i++, data);
			off += NLMSG_ALIGN(nlh->nlmsg_len);
		}
		nl->ext_msg[0] = '\0';
		nl->ext_offs = -1;
		err = lg_nl_batch_send(nl, buf, off, seq, i - i0, i0, ack,
				       data);
	}
	free(buf);
	return err;
}
