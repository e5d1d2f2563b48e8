// SPDX-License-Identifier: GPL-2.0
/*
 * The netlink backend of lgctl (lib/nl.h): generic netlink over libmnl.
 * What does not depend on the library is in lib/nl.c.
 *
 * libmnl's mnl_cb_run() gives up on the first NLM_F_DUMP_INTR message and
 * leaves the rest of the dump in the socket, so replies are walked here:
 * a request always reads up to its NLMSG_DONE or NLMSG_ERROR.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include <linux/genetlink.h>
#include <linux/leaseguard.h>

#include "nl.h"

/* Dumps come in skbs of up to 32 KiB, more with large pages. */
#define LG_NL_RBUF_SIZE		65536
#define LG_NL_SBUF_SIZE		MNL_SOCKET_BUFFER_SIZE


struct lg_nl_tb {
	const struct nlattr **tb;
	unsigned int max;
};

static int lg_nl_tb_cb(const struct nlattr *attr, void *data)
{
	struct lg_nl_tb *t = data;
	unsigned int type = mnl_attr_get_type(attr);

	if (type <= t->max)
		t->tb[type] = attr;
	return MNL_CB_OK;
}

int lg_nl_parse_msg(const struct nlmsghdr *nlh, const struct nlattr **tb,
		    unsigned int max)
{
	struct lg_nl_tb t = { .tb = tb, .max = max };

	memset(tb, 0, (max + 1) * sizeof(*tb));
	if (mnl_nlmsg_get_payload_len(nlh) < GENL_HDRLEN)
		return -EBADMSG;
	if (mnl_attr_parse(nlh, GENL_HDRLEN, lg_nl_tb_cb, &t) < 0)
		return -EBADMSG;
	return 0;
}

int lg_nl_parse_nest(const struct nlattr *nest, const struct nlattr **tb,
		     unsigned int max)
{
	struct lg_nl_tb t = { .tb = tb, .max = max };

	memset(tb, 0, (max + 1) * sizeof(*tb));
	if (mnl_attr_parse_nested(nest, lg_nl_tb_cb, &t) < 0)
		return -EBADMSG;
	return 0;
}

uint8_t lg_nl_cmd(const struct nlmsghdr *nlh)
{
	const struct genlmsghdr *genl = mnl_nlmsg_get_payload(nlh);

	if (mnl_nlmsg_get_payload_len(nlh) < GENL_HDRLEN)
		return 0;
	return genl->cmd;
}

static int lg_nl_ext_cb(const struct nlattr *attr, void *data)
{
	struct lg_nl *nl = data;

	switch (mnl_attr_get_type(attr)) {
	case NLMSGERR_ATTR_MSG:
		if (mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) == 0)
			snprintf(nl->ext_msg, sizeof(nl->ext_msg), "%s",
				 mnl_attr_get_str(attr));
		break;
	case NLMSGERR_ATTR_OFFS:
		if (mnl_attr_validate(attr, MNL_TYPE_U32) == 0)
			nl->ext_offs = mnl_attr_get_u32(attr);
		break;
	}
	return MNL_CB_OK;
}

static void lg_nl_parse_ext(struct lg_nl *nl, const struct nlmsghdr *nlh,
			    size_t offset)
{
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	offset = MNL_ALIGN(offset);
	if (offset > mnl_nlmsg_get_payload_len(nlh))
		return;
	mnl_attr_parse(nlh, offset, lg_nl_ext_cb, nl);
}

/* NLMSG_ERROR: an ACK (error 0) or the request's error, maybe with extack. */
static int lg_nl_parse_error(struct lg_nl *nl, const struct nlmsghdr *nlh)
{
	const struct nlmsgerr *err = mnl_nlmsg_get_payload(nlh);
	size_t offset = sizeof(*err);

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*err))
		return -EBADMSG;
	/* Without NLM_F_CAPPED the whole request is echoed before the TLVs. */
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED) &&
	    err->msg.nlmsg_len > sizeof(struct nlmsghdr))
		offset += err->msg.nlmsg_len - sizeof(struct nlmsghdr);
	lg_nl_parse_ext(nl, nlh, offset);
	return err->error <= 0 ? err->error : -err->error;
}

/* NLMSG_DONE ends a dump: an int error, then maybe extack TLVs. */
static int lg_nl_parse_done(struct lg_nl *nl, const struct nlmsghdr *nlh)
{
	int err = 0;

	if (mnl_nlmsg_get_payload_len(nlh) >= sizeof(int)) {
		memcpy(&err, mnl_nlmsg_get_payload(nlh), sizeof(err));
		lg_nl_parse_ext(nl, nlh, sizeof(int));
	}
	return err <= 0 ? err : -err;
}

static int lg_nl_send(struct lg_nl *nl, const struct nlmsghdr *nlh)
{
	nl->ext_msg[0] = '\0';
	nl->ext_offs = -1;
	if (mnl_socket_sendto(nl->sock, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	return 0;
}

/*
 * Read the replies to request seq up to its NLMSG_DONE or NLMSG_ERROR,
 * passing each message of the given type to cb. A failing cb stops the
 * calls but not the reading, so the socket stays usable.
 */
static int lg_nl_recv(struct lg_nl *nl, uint32_t seq, uint16_t type,
		      lg_nl_cb_t cb, void *data, bool *intr)
{
	int cb_err = 0;

	for (;;) {
		const struct nlmsghdr *nlh = (const void *)nl->rbuf;
		ssize_t ret;
		int len, err;

		ret = mnl_socket_recvfrom(nl->sock, nl->rbuf, LG_NL_RBUF_SIZE);
		if (ret < 0)
			return cb_err ? cb_err : -errno;
		len = ret;
		for (; mnl_nlmsg_ok(nlh, len); nlh = mnl_nlmsg_next(nlh, &len)) {
			if (nlh->nlmsg_pid != nl->portid ||
			    nlh->nlmsg_seq != seq)
				continue;
			if ((nlh->nlmsg_flags & NLM_F_DUMP_INTR) && intr)
				*intr = true;
			switch (nlh->nlmsg_type) {
			case NLMSG_NOOP:
			case NLMSG_OVERRUN:
				continue;
			case NLMSG_ERROR:
				err = lg_nl_parse_error(nl, nlh);
				return cb_err ? cb_err : err;
			case NLMSG_DONE:
				err = lg_nl_parse_done(nl, nlh);
				return cb_err ? cb_err : err;
			}
			if (nlh->nlmsg_type != type || !cb || cb_err)
				continue;
			cb_err = cb(nlh, data);
		}
	}
}

/* A request header at buf, which must be zeroed (for the padding). */
static struct nlmsghdr *lg_nl_put_at(struct lg_nl *nl, void *buf,
				     uint16_t type, uint8_t cmd,
				     uint8_t version, uint16_t flags)
{
	struct nlmsghdr *nlh;
	struct genlmsghdr *genl;

	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = ++nl->seq;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = version;
	return nlh;
}

static struct nlmsghdr *lg_nl_put(struct lg_nl *nl, uint16_t type,
				  uint8_t cmd, uint8_t version, uint16_t flags)
{
	/* libmnl does not zero the padding after attributes */
	memset(nl->sbuf, 0, LG_NL_SBUF_SIZE);
	return lg_nl_put_at(nl, nl->sbuf, type, cmd, version, flags);
}

struct nlmsghdr *lg_nl_msg(struct lg_nl *nl, uint8_t cmd, uint16_t flags)
{
	return lg_nl_put(nl, nl->family_id, cmd, LEASEGUARD_GENL_VERSION,
			 flags);
}

int lg_nl_doit(struct lg_nl *nl, struct nlmsghdr *nlh, lg_nl_cb_t cb,
	       void *data)
{
	int err;

	/* The ACK ends the exchange, whether or not there is a reply. */
	nlh->nlmsg_flags |= NLM_F_ACK;
	err = lg_nl_send(nl, nlh);
	if (err)
		return err;
	return lg_nl_recv(nl, nlh->nlmsg_seq, nlh->nlmsg_type, cb, data,
			  NULL);
}

int lg_nl_dump_once(struct lg_nl *nl, struct nlmsghdr *nlh, lg_nl_cb_t cb,
		    void *data, bool *intr)
{
	int err;

	/* a new request each time, also when sent again (lg_nl_dump_req) */
	nlh->nlmsg_seq = ++nl->seq;
	err = lg_nl_send(nl, nlh);

	*intr = false;
	return err ?: lg_nl_recv(nl, nlh->nlmsg_seq, nl->family_id, cb, data,
				 intr);
}

/* The ACKs of the k requests from seq on, the first being request i0. */
static int lg_nl_batch_acks(struct lg_nl *nl, uint32_t seq, size_t k,
			    size_t i0, lg_nl_ack_t ack, void *data)
{
	size_t acked = 0;

	while (acked < k) {
		const struct nlmsghdr *nlh = (const void *)nl->rbuf;
		ssize_t ret;
		int len;

		ret = mnl_socket_recvfrom(nl->sock, nl->rbuf, LG_NL_RBUF_SIZE);
		if (ret < 0 && errno == EINTR)
			continue;
		if (ret < 0)
			return -errno;
		len = ret;
		for (; mnl_nlmsg_ok(nlh, len); nlh = mnl_nlmsg_next(nlh, &len)) {
			uint32_t j = nlh->nlmsg_seq - seq;

			if (nlh->nlmsg_pid != nl->portid || j >= k ||
			    nlh->nlmsg_type != NLMSG_ERROR)
				continue;
			ack(i0 + j, lg_nl_parse_error(nl, nlh), data);
			acked++;
		}
	}
	return 0;
}

struct nlmsghdr *lg_nl_batch_hdr(struct lg_nl *nl, void *buf, uint8_t cmd)
{
	return lg_nl_put_at(nl, buf, nl->family_id, cmd,
			    LEASEGUARD_GENL_VERSION, NLM_F_ACK);
}

int lg_nl_batch_send(struct lg_nl *nl, void *buf, size_t len,
		     uint32_t seq, size_t k, size_t i0, lg_nl_ack_t ack,
		     void *data)
{
	if (mnl_socket_sendto(nl->sock, buf, len) < 0)
		return -errno;
	return lg_nl_batch_acks(nl, seq, k, i0, ack, data);
}

static int lg_nl_family_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[CTRL_ATTR_MAX + 1];
	const struct nlattr *grp;
	struct lg_nl *nl = data;
	int err;

	err = lg_nl_parse_msg(nlh, tb, CTRL_ATTR_MAX);
	if (err)
		return err;
	if (!tb[CTRL_ATTR_FAMILY_ID] ||
	    mnl_attr_validate(tb[CTRL_ATTR_FAMILY_ID], MNL_TYPE_U16) < 0)
		return -EBADMSG;
	nl->family_id = mnl_attr_get_u16(tb[CTRL_ATTR_FAMILY_ID]);
	if (tb[CTRL_ATTR_VERSION] &&
	    mnl_attr_validate(tb[CTRL_ATTR_VERSION], MNL_TYPE_U32) == 0)
		nl->family_version = mnl_attr_get_u32(tb[CTRL_ATTR_VERSION]);
	if (!tb[CTRL_ATTR_MCAST_GROUPS])
		return 0;
	mnl_attr_for_each_nested(grp, tb[CTRL_ATTR_MCAST_GROUPS]) {
		const struct nlattr *gtb[CTRL_ATTR_MCAST_GRP_MAX + 1];
		struct lg_nl_group *g;

		if (nl->n_groups == LG_NL_MAX_GROUPS)
			break;
		if (lg_nl_parse_nest(grp, gtb, CTRL_ATTR_MCAST_GRP_MAX) ||
		    !gtb[CTRL_ATTR_MCAST_GRP_NAME] ||
		    !gtb[CTRL_ATTR_MCAST_GRP_ID] ||
		    mnl_attr_validate(gtb[CTRL_ATTR_MCAST_GRP_NAME],
				      MNL_TYPE_NUL_STRING) < 0 ||
		    mnl_attr_validate(gtb[CTRL_ATTR_MCAST_GRP_ID],
				      MNL_TYPE_U32) < 0)
			continue;
		g = &nl->groups[nl->n_groups++];
		snprintf(g->name, sizeof(g->name), "%s",
			 mnl_attr_get_str(gtb[CTRL_ATTR_MCAST_GRP_NAME]));
		g->id = mnl_attr_get_u32(gtb[CTRL_ATTR_MCAST_GRP_ID]);
	}
	return 0;
}

static int lg_nl_resolve(struct lg_nl *nl)
{
	struct nlmsghdr *nlh;
	int err;

	nlh = lg_nl_put(nl, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1, 0);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, LEASEGUARD_GENL_NAME);
	nl->family_id = 0;
	err = lg_nl_doit(nl, nlh, lg_nl_family_cb, nl);
	if (err == -ENOENT)
		return -LG_NL_ENOFAMILY;
	if (!err && !nl->family_id)
		return -EBADMSG;
	return err;
}

int lg_nl_open(struct lg_nl *nl)
{
	int one = 1, err;

	memset(nl, 0, sizeof(*nl));
	nl->ext_offs = -1;
	nl->seq = time(NULL);
	nl->sbuf = malloc(LG_NL_SBUF_SIZE);
	nl->rbuf = malloc(LG_NL_RBUF_SIZE);
	if (!nl->sbuf || !nl->rbuf) {
		err = -ENOMEM;
		goto err_free;
	}
	nl->sock = mnl_socket_open(NETLINK_GENERIC);
	if (!nl->sock) {
		err = -errno;
		goto err_free;
	}
	if (mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID) < 0) {
		err = -errno;
		goto err_close;
	}
	nl->portid = mnl_socket_get_portid(nl->sock);
	/* Both are optional: an old kernel just gives plain errors. */
	mnl_socket_setsockopt(nl->sock, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl->sock, NETLINK_CAP_ACK, &one, sizeof(one));
	err = lg_nl_resolve(nl);
	if (err)
		goto err_close;
	return 0;

err_close:
	mnl_socket_close(nl->sock);
	nl->sock = NULL;
err_free:
	free(nl->rbuf);
	free(nl->sbuf);
	nl->rbuf = nl->sbuf = NULL;
	return err;
}

void lg_nl_close(struct lg_nl *nl)
{
	if (nl->sock)
		mnl_socket_close(nl->sock);
	free(nl->rbuf);
	free(nl->sbuf);
	nl->sock = NULL;
	nl->rbuf = nl->sbuf = NULL;
}

int lg_nl_join(struct lg_nl *nl, const char *group)
{
	unsigned int i;

	for (i = 0; i < nl->n_groups; i++) {
		if (strcmp(nl->groups[i].name, group))
			continue;
		if (mnl_socket_setsockopt(nl->sock, NETLINK_ADD_MEMBERSHIP,
					  &nl->groups[i].id,
					  sizeof(nl->groups[i].id)) < 0)
			return -errno;
		return 0;
	}
	return -ENOENT;
}

int lg_nl_fd(const struct lg_nl *nl)
{
	return mnl_socket_get_fd(nl->sock);
}

int lg_nl_read_events(struct lg_nl *nl, lg_nl_cb_t cb, void *data)
{
	const struct nlmsghdr *nlh = (const void *)nl->rbuf;
	ssize_t ret;
	int len, err;

	ret = mnl_socket_recvfrom(nl->sock, nl->rbuf, LG_NL_RBUF_SIZE);
	if (ret < 0)
		return -errno;
	len = ret;
	for (; mnl_nlmsg_ok(nlh, len); nlh = mnl_nlmsg_next(nlh, &len)) {
		if (nlh->nlmsg_type != nl->family_id)
			continue;
		err = cb(nlh, data);
		if (err)
			return err;
	}
	return 0;
}
