/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The netlink backend both programs (and the binding model of binding.c)
 * call: a generic netlink socket bound to the "leaseguard" family. Two
 * implementations: lgctl/mnl.c over libmnl, leaseguardd/genl.c over
 * libnl-genl-3, with lib/nl.c on top of either. Attributes are put and
 * read with libmnl's mnl_attr_*() under either: they work on the struct
 * nlattr of the message itself.
 *
 * Every function returns 0 or a negative errno and never prints (but
 * leaseguardd's backend logs the kernel's extended ACK messages). After a
 * failed request, lg_nl_ext_msg() gives the kernel's extended ACK message
 * (or NULL) and lg_nl_ext_offs() the offset of the attribute at fault in
 * the request (or -1).
 */
#ifndef LG_NL_H
#define LG_NL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/genetlink.h>
#include <libmnl/libmnl.h>

/* lg_nl_open(): the family is not registered (module not loaded). */
#define LG_NL_ENOFAMILY		ENOPKG

/* A dump interrupted (NLM_F_DUMP_INTR) this many times gives -EINTR. */
#define LG_NL_DUMP_TRIES	4

#define LG_NL_MAX_GROUPS	8
#define LG_NL_EXT_MSG_LEN	256

struct lg_nl_group {
	char name[GENL_NAMSIZ];
	uint32_t id;
};

struct mnl_socket;
struct nl_sock;
struct nl_msg;

struct lg_nl {
	union {
		struct mnl_socket *sock;	/* lgctl/mnl.c */
		struct nl_sock *sk;		/* leaseguardd/genl.c */
	};
	struct nl_msg *msg;		/* genl.c: the request being built */
	uint32_t portid;
	uint32_t seq;
	uint16_t family_id;
	uint32_t family_version;
	struct lg_nl_group groups[LG_NL_MAX_GROUPS];
	unsigned int n_groups;
	char *sbuf;			/* the request being built */
	char *rbuf;			/* replies */
	char ext_msg[LG_NL_EXT_MSG_LEN];
	int64_t ext_offs;
};

/*
 * Called for each reply (or, with lg_nl_read_events(), each notification) of
 * the family; returns 0 or a negative errno, which ends the exchange.
 */
typedef int (*lg_nl_cb_t)(const struct nlmsghdr *nlh, void *data);

int lg_nl_open(struct lg_nl *nl);
void lg_nl_close(struct lg_nl *nl);

/* Start a request; the caller adds attributes with mnl_attr_put_*(). */
struct nlmsghdr *lg_nl_msg(struct lg_nl *nl, uint8_t cmd, uint16_t flags);

/*
 * Send a request built by lg_nl_msg() without NLM_F_DUMP and collect the
 * reply and the ACK: cb (may be NULL) sees every reply message.
 */
int lg_nl_doit(struct lg_nl *nl, struct nlmsghdr *nlh, lg_nl_cb_t cb,
	       void *data);

/*
 * Dump: send nlh, built by lg_nl_msg(nl, cmd, NLM_F_DUMP) with its filter
 * attributes, and pass each reply to cb. When the kernel marks the dump
 * inconsistent, reset(data) is called and the dump is done again; after
 * LG_NL_DUMP_TRIES attempts this gives -EINTR.
 */
int lg_nl_dump_req(struct lg_nl *nl, struct nlmsghdr *nlh, lg_nl_cb_t cb,
		   void (*reset)(void *data), void *data);

/*
 * Dump cmd (no attributes). When the kernel marks the dump inconsistent,
 * reset(data) is called and the dump is done again; after
 * LG_NL_DUMP_TRIES attempts this gives -EINTR.
 */
int lg_nl_dump(struct lg_nl *nl, uint8_t cmd, lg_nl_cb_t cb,
	       void (*reset)(void *data), void *data);

/*
 * A dump done once, each reply to cb as it comes: for output that should
 * not wait for (or be held in memory until) the end. *intr says whether
 * the kernel marked it inconsistent.
 */
int lg_nl_dump_once(struct lg_nl *nl, struct nlmsghdr *nlh, lg_nl_cb_t cb,
		    void *data, bool *intr);

/*
 * Batch: n requests of command cmd, put(nlh, i, data) adding the
 * attributes of the i-th (at most LG_NL_BATCH_REQ_MAX bytes in all), sent
 * as many at a time as fit 64 KiB and the receive buffer has room for the
 * ACKs of (it is enlarged first where privileges allow). Every ACK is
 * read: ack(i, err, data) gets 0 or the i-th request's -errno. Returns 0,
 * or the -errno of the socket, which ends the batch (ACKs not read yet
 * are lost, and skipped by later requests). The socket should have
 * joined no group, so that events do not crowd the ACKs out.
 */
#define LG_NL_BATCH_REQ_MAX	256

typedef void (*lg_nl_put_t)(struct nlmsghdr *nlh, size_t i, void *data);
typedef void (*lg_nl_ack_t)(size_t i, int err, void *data);

int lg_nl_batch(struct lg_nl *nl, uint8_t cmd, size_t n, lg_nl_put_t put,
		lg_nl_ack_t ack, void *data);
/*
 * How many ACKs nl's receive buffer takes: first made want bytes (the
 * kernel doubles it) where privileges allow (SO_RCVBUFFORCE), else as it
 * is; half of it, as something else may be queued already. At least 1.
 */
size_t lg_nl_batch_max(struct lg_nl *nl, int want);
/*
 * For lg_nl_batch() (lib/nl.c), from the backend: a request header of
 * cmd at buf (zeroed), with NLM_F_ACK and a sequence number of its own,
 * following the previous one's; and the sending of len bytes of k
 * requests, the first numbered seq, then the reading of their ACKs, each
 * to ack(i0 + its place in the batch). The backend may change the
 * requests' flags in buf (genl.c: only the last one asks for an ACK).
 */
struct nlmsghdr *lg_nl_batch_hdr(struct lg_nl *nl, void *buf, uint8_t cmd);
int lg_nl_batch_send(struct lg_nl *nl, void *buf, size_t len,
		     uint32_t seq, size_t k, size_t i0, lg_nl_ack_t ack,
		     void *data);
/*
 * leaseguardd's backend only (genl.c): lg_nl_batch_send() of requests
 * that also ask for a reply (NLM_F_ECHO): each reply of the family goes to
 * reply(nlh, data) as it is read, the request it answers by nlh's
 * sequence number (seq + its place in the batch). A reply's error stops
 * the calls, not the reading, and is returned once every ACK is in.
 */
int lg_nl_batch_send_replies(struct lg_nl *nl, void *buf, size_t len,
			     uint32_t seq, size_t k, size_t i0,
			     lg_nl_ack_t ack, lg_nl_cb_t reply, void *data);

/*
 * Multicast: join a group of the family by name (-ENOENT: the module has
 * no such group), then read events when lg_nl_fd() is readable.
 * lg_nl_read_events() reads one datagram and passes each notification of
 * the family in it to cb; it stops at cb's first non-zero return, which it
 * returns. -ENOBUFS means events were lost (the socket overran); the
 * socket stays usable.
 */
int lg_nl_join(struct lg_nl *nl, const char *group);
int lg_nl_fd(const struct lg_nl *nl);
int lg_nl_read_events(struct lg_nl *nl, lg_nl_cb_t cb, void *data);

const char *lg_nl_ext_msg(const struct lg_nl *nl);
int64_t lg_nl_ext_offs(const struct lg_nl *nl);

/*
 * The object of a reply to cmd, nest attribute attr: 0 with *obj, 1 when
 * nlh answers another command (to be skipped), or -EBADMSG.
 */
int lg_nl_reply_obj(const struct nlmsghdr *nlh, uint8_t cmd,
		    unsigned int attr, const struct nlattr **obj);

/* The genl command of a message of the family. */
uint8_t lg_nl_cmd(const struct nlmsghdr *nlh);

/*
 * Fill tb[0..max] with the attributes of a message of the family, or of a
 * nest; attributes above max (from a newer module) are ignored.
 */
int lg_nl_parse_msg(const struct nlmsghdr *nlh, const struct nlattr **tb,
		    unsigned int max);
int lg_nl_parse_nest(const struct nlattr *nest, const struct nlattr **tb,
		     unsigned int max);

#endif /* LG_NL_H */
