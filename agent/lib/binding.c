// SPDX-License-Identifier: GPL-2.0
/*
 * Bindings over netlink: parse, dump, get, delete and release. Shared by
 * lgctl and leaseguardd; printing stays in binding.c.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/leaseguard.h>

#include "binding.h"

/* Model */

static int lg_attr_u32(const struct nlattr *a, bool *has, uint32_t *v)
{
	if (!a)
		return 0;
	if (mnl_attr_validate(a, MNL_TYPE_U32) < 0)
		return -EBADMSG;
	*v = mnl_attr_get_u32(a);
	*has = true;
	return 0;
}

static int lg_attr_u64(const struct nlattr *a, bool *has, uint64_t *v)
{
	if (!a)
		return 0;
	if (mnl_attr_validate(a, MNL_TYPE_U64) < 0)
		return -EBADMSG;
	*v = mnl_attr_get_u64(a);
	*has = true;
	return 0;
}

/* An attribute of exactly len octets. */
static int lg_attr_bin(const struct nlattr *a, bool *has, void *v,
		       size_t len)
{
	if (!a)
		return 0;
	if (mnl_attr_get_payload_len(a) != len)
		return -EBADMSG;
	memcpy(v, mnl_attr_get_payload(a), len);
	*has = true;
	return 0;
}

static int lg_attr_duid(const struct nlattr *a, uint8_t *duid, size_t *len)
{
	size_t n;

	if (!a)
		return 0;
	n = mnl_attr_get_payload_len(a);
	if (n < 1 || n > LG_DUID_MAX)
		return -EBADMSG;
	memcpy(duid, mnl_attr_get_payload(a), n);
	*len = n;
	return 0;
}

static int lg_lease_parse(const struct nlattr *nest, struct lg_lease *l)
{
	const struct nlattr *tb[LG_LEASE_A_MAX + 1];
	bool has_addr = false;
	int err;

	err = lg_nl_parse_nest(nest, tb, LG_LEASE_A_MAX);
	if (!err)
		err = lg_attr_bin(tb[LG_LEASE_A_ADDR], &has_addr, l->addr,
				  sizeof(l->addr));
	if (!err && !has_addr)
		err = -EBADMSG;
	if (!err)
		err = lg_attr_u32(tb[LG_LEASE_A_PLEN], &l->has_plen, &l->plen);
	if (!err)
		err = lg_attr_u32(tb[LG_LEASE_A_PREFERRED], &l->has_preferred,
				  &l->preferred);
	if (!err)
		err = lg_attr_u32(tb[LG_LEASE_A_VALID], &l->has_valid,
				  &l->valid);
	if (!err)
		err = lg_attr_u64(tb[LG_LEASE_A_EXPIRES], &l->has_expires,
				  &l->expires);
	return err;
}

/* The leases: every LG_BINDING_A_LEASE of the nest, in order. */
static int lg_binding_parse_leases(const struct nlattr *nest,
				   struct lg_binding *b)
{
	const struct nlattr *a;
	size_t n = 0;
	int err;

	mnl_attr_for_each_nested(a, nest)
		if (mnl_attr_get_type(a) == LG_BINDING_A_LEASE)
			n++;
	if (!n)
		return 0;
	b->leases = calloc(n, sizeof(*b->leases));
	if (!b->leases)
		return -ENOMEM;
	mnl_attr_for_each_nested(a, nest) {
		if (mnl_attr_get_type(a) != LG_BINDING_A_LEASE)
			continue;
		err = lg_lease_parse(a, &b->leases[b->n_leases]);
		if (err)
			return err;
		b->n_leases++;
	}
	return 0;
}

void lg_binding_free(struct lg_binding *b)
{
	free(b->leases);
	free(b->interface_id);
	b->leases = NULL;
	b->interface_id = NULL;
	b->n_leases = b->interface_id_len = 0;
}

int lg_binding_parse(const struct nlattr *nest, struct lg_binding *b)
{
	const struct nlattr *tb[LG_BINDING_A_MAX + 1];
	const struct nlattr *a;
	bool has_id = false, has_ifindex = false;
	int err;

	memset(b, 0, sizeof(*b));
	err = lg_nl_parse_nest(nest, tb, LG_BINDING_A_MAX);
	if (err)
		return err;
	err = lg_attr_u64(tb[LG_BINDING_A_ID], &has_id, &b->id);
	if (!err && !has_id)
		err = -EBADMSG;
	if (!err)
		err = lg_attr_u32(tb[LG_BINDING_A_IFINDEX], &has_ifindex,
				  &b->ifindex);
	if (!err)
		err = lg_attr_duid(tb[LG_BINDING_A_CLIENT_DUID],
				   b->client_duid, &b->client_duid_len);
	if (!err)
		err = lg_attr_u32(tb[LG_BINDING_A_IA_TYPE], &b->has_ia_type,
				  &b->ia_type);
	if (!err)
		err = lg_attr_u32(tb[LG_BINDING_A_IAID], &b->has_iaid,
				  &b->iaid);
	if (!err)
		err = lg_attr_u32(tb[LG_BINDING_A_STATE], &b->has_state,
				  &b->state);
	if (!err)
		err = lg_attr_bin(tb[LG_BINDING_A_CLIENT_LLADDR],
				  &b->has_client_lladdr, b->client_lladdr,
				  sizeof(b->client_lladdr));
	if (!err)
		err = lg_attr_bin(tb[LG_BINDING_A_CLIENT_MAC],
				  &b->has_client_mac, b->client_mac,
				  sizeof(b->client_mac));
	if (!err)
		err = lg_attr_duid(tb[LG_BINDING_A_SERVER_DUID],
				   b->server_duid, &b->server_duid_len);
	if (!err)
		err = lg_attr_bin(tb[LG_BINDING_A_SERVER_ADDR],
				  &b->has_server_addr, b->server_addr,
				  sizeof(b->server_addr));
	if (!err)
		err = lg_attr_u64(tb[LG_BINDING_A_CREATED], &b->has_created,
				  &b->created);
	if (!err)
		err = lg_attr_u64(tb[LG_BINDING_A_UPDATED], &b->has_updated,
				  &b->updated);
	if (!err)
		err = lg_attr_u64(tb[LG_BINDING_A_REPLIED], &b->has_replied,
				  &b->replied);
	if (!err)
		err = lg_attr_u32(tb[LG_BINDING_A_DEL_REASON],
				  &b->has_del_reason, &b->del_reason);
	if (!err)
		err = lg_attr_u32(tb[LG_BINDING_A_RELEASE_REASON],
				  &b->has_release_reason, &b->release_reason);
	if (!err)
		err = lg_attr_u32(tb[LG_BINDING_A_ORIGIN], &b->has_origin,
				  &b->origin);
	if (err)
		return err;

	a = tb[LG_BINDING_A_IFNAME];
	if (a) {
		if (mnl_attr_validate(a, MNL_TYPE_NUL_STRING) < 0)
			return -EBADMSG;
		snprintf(b->ifname, sizeof(b->ifname), "%s",
			 mnl_attr_get_str(a));
	} else if (!b->ifindex || !if_indextoname(b->ifindex, b->ifname)) {
		b->ifname[0] = '\0';
	}

	a = tb[LG_BINDING_A_INTERFACE_ID];
	if (a && mnl_attr_get_payload_len(a)) {
		b->interface_id_len = mnl_attr_get_payload_len(a);
		b->interface_id = malloc(b->interface_id_len);
		if (!b->interface_id) {
			b->interface_id_len = 0;
			return -ENOMEM;
		}
		memcpy(b->interface_id, mnl_attr_get_payload(a),
		       b->interface_id_len);
	}

	err = lg_binding_parse_leases(nest, b);
	if (err)
		lg_binding_free(b);
	return err;
}

int lg_binding_cb(const struct nlmsghdr *nlh, void *data)
{
	struct lg_binding_list *list = data;
	const struct nlattr *obj;
	int err;

	err = lg_nl_reply_obj(nlh, LG_CMD_BINDING_GET, LG_A_BINDING, &obj);
	if (err)
		return err < 0 ? err : 0;
	err = lg_grow(&list->v, &list->cap, list->n, sizeof(*list->v));
	if (!err)
		err = lg_binding_parse(obj, &list->v[list->n]);
	if (!err)
		list->n++;
	return err;
}

static void lg_binding_list_reset(void *data)
{
	struct lg_binding_list *list = data;
	size_t i;

	for (i = 0; i < list->n; i++)
		lg_binding_free(&list->v[i]);
	list->n = 0;
}

void lg_binding_list_free(struct lg_binding_list *list)
{
	lg_binding_list_reset(list);
	free(list->v);
	memset(list, 0, sizeof(*list));
}

/*
 * LG_A_BINDING with the selectors that are set; for cmd DEL or RELEASE,
 * with the reason (and cancel) too.
 */
static void lg_binding_put_sel(struct nlmsghdr *nlh, uint8_t cmd,
			       const struct lg_binding_sel *sel)
{
	struct nlattr *nest;

	nest = mnl_attr_nest_start(nlh, LG_A_BINDING);
	if (sel->has_id)
		mnl_attr_put_u64(nlh, LG_BINDING_A_ID, sel->id);
	if (sel->ifindex)
		mnl_attr_put_u32(nlh, LG_BINDING_A_IFINDEX, sel->ifindex);
	if (sel->duid_len)
		mnl_attr_put(nlh, LG_BINDING_A_CLIENT_DUID, sel->duid_len,
			     sel->duid);
	if (sel->has_addr)
		mnl_attr_put(nlh, LG_BINDING_A_ADDR, sizeof(sel->addr),
			     sel->addr);
	if (sel->all)
		mnl_attr_put(nlh, LG_BINDING_A_ALL, 0, NULL);
	if (cmd == LG_CMD_BINDING_DEL && sel->reason)
		mnl_attr_put_u32(nlh, LG_BINDING_A_DEL_REASON, sel->reason);
	if (cmd == LG_CMD_BINDING_RELEASE && sel->reason)
		mnl_attr_put_u32(nlh, LG_BINDING_A_RELEASE_REASON, sel->reason);
	if (cmd == LG_CMD_BINDING_RELEASE && sel->cancel)
		mnl_attr_put(nlh, LG_BINDING_A_RELEASE_CANCEL, 0, NULL);
	mnl_attr_nest_end(nlh, nest);
}

/* A dump request with the filter the kernel takes: interface, DUID. */
struct nlmsghdr *lg_binding_dump_msg(struct lg_nl *nl,
				     const struct lg_binding_sel *sel)
{
	struct nlmsghdr *nlh;

	nlh = lg_nl_msg(nl, LG_CMD_BINDING_GET, NLM_F_DUMP);
	if (sel && (sel->ifindex || sel->duid_len)) {
		struct lg_binding_sel f = {
			.ifindex = sel->ifindex,
			.duid_len = sel->duid_len,
		};

		memcpy(f.duid, sel->duid, sel->duid_len);
		lg_binding_put_sel(nlh, LG_CMD_BINDING_GET, &f);
	}
	return nlh;
}

int lg_binding_dump(struct lg_nl *nl, const struct lg_binding_sel *sel,
		    struct lg_binding_list *list)
{
	return lg_nl_dump_req(nl, lg_binding_dump_msg(nl, sel), lg_binding_cb,
			      lg_binding_list_reset, list);
}

int lg_binding_get(struct lg_nl *nl, const struct lg_binding_sel *sel,
		   struct lg_binding *b)
{
	struct lg_binding_list list = {};
	struct lg_binding_sel s = {};
	struct nlmsghdr *nlh;
	int err;

	/* one of ID or ADDR; IFINDEX only with ADDR */
	if (sel->has_id) {
		s.has_id = true;
		s.id = sel->id;
	} else if (sel->has_addr) {
		s.has_addr = true;
		memcpy(s.addr, sel->addr, sizeof(s.addr));
		s.ifindex = sel->ifindex;
	} else {
		return -EINVAL;
	}
	nlh = lg_nl_msg(nl, LG_CMD_BINDING_GET, 0);
	lg_binding_put_sel(nlh, LG_CMD_BINDING_GET, &s);
	err = lg_nl_doit(nl, nlh, lg_binding_cb, &list);
	if (!err && list.n != 1)
		err = -EBADMSG;
	if (!err) {
		*b = list.v[0];
		list.n = 0;	/* b owns its leases now */
	}
	lg_binding_list_free(&list);
	return err;
}

int lg_binding_del(struct lg_nl *nl, const struct lg_binding_sel *sel)
{
	struct nlmsghdr *nlh;

	nlh = lg_nl_msg(nl, LG_CMD_BINDING_DEL, 0);
	lg_binding_put_sel(nlh, LG_CMD_BINDING_DEL, sel);
	return lg_nl_doit(nl, nlh, NULL, NULL);
}

int lg_binding_release(struct lg_nl *nl, const struct lg_binding_sel *sel)
{
	struct nlmsghdr *nlh;

	nlh = lg_nl_msg(nl, LG_CMD_BINDING_RELEASE, 0);
	lg_binding_put_sel(nlh, LG_CMD_BINDING_RELEASE, sel);
	return lg_nl_doit(nl, nlh, NULL, NULL);
}

static int lg_binding_new_cb(const struct nlmsghdr *nlh, void *data)
{
	struct lg_binding_list *list = data;
	const struct nlattr *obj;
	int err;

	err = lg_nl_reply_obj(nlh, LG_CMD_BINDING_NEW, LG_A_BINDING, &obj);
	if (err)
		return err < 0 ? err : 0;
	err = lg_grow(&list->v, &list->cap, list->n, sizeof(*list->v));
	if (!err)
		err = lg_binding_parse(obj, &list->v[list->n]);
	if (!err)
		list->n++;
	return err;
}

void lg_binding_put_new(struct nlmsghdr *nlh, const struct lg_binding *b,
			bool replace)
{
	struct nlattr *nest, *lnest;
	size_t i;

	nest = mnl_attr_nest_start(nlh, LG_A_BINDING);
	mnl_attr_put_u32(nlh, LG_BINDING_A_IFINDEX, b->ifindex);
	mnl_attr_put(nlh, LG_BINDING_A_CLIENT_DUID, b->client_duid_len,
		     b->client_duid);
	mnl_attr_put_u32(nlh, LG_BINDING_A_IA_TYPE, b->ia_type);
	mnl_attr_put_u32(nlh, LG_BINDING_A_IAID, b->iaid);
	mnl_attr_put(nlh, LG_BINDING_A_CLIENT_LLADDR,
		     sizeof(b->client_lladdr), b->client_lladdr);
	if (b->has_client_mac)
		mnl_attr_put(nlh, LG_BINDING_A_CLIENT_MAC,
			     sizeof(b->client_mac), b->client_mac);
	mnl_attr_put(nlh, LG_BINDING_A_SERVER_ADDR, sizeof(b->server_addr),
		     b->server_addr);
	if (b->server_duid_len)
		mnl_attr_put(nlh, LG_BINDING_A_SERVER_DUID, b->server_duid_len,
			     b->server_duid);
	if (b->interface_id_len)
		mnl_attr_put(nlh, LG_BINDING_A_INTERFACE_ID,
			     b->interface_id_len, b->interface_id);
	if (b->has_created)
		mnl_attr_put_u64(nlh, LG_BINDING_A_CREATED, b->created);
	if (b->has_replied)
		mnl_attr_put_u64(nlh, LG_BINDING_A_REPLIED, b->replied);
	if (b->has_origin)
		mnl_attr_put_u32(nlh, LG_BINDING_A_ORIGIN, b->origin);
	if (replace)
		mnl_attr_put(nlh, LG_BINDING_A_REPLACE, 0, NULL);
	for (i = 0; i < b->n_leases; i++) {
		const struct lg_lease *l = &b->leases[i];

		lnest = mnl_attr_nest_start(nlh, LG_BINDING_A_LEASE);
		mnl_attr_put(nlh, LG_LEASE_A_ADDR, sizeof(l->addr), l->addr);
		mnl_attr_put_u32(nlh, LG_LEASE_A_PLEN,
				 l->has_plen ? l->plen : 128);
		mnl_attr_put_u32(nlh, LG_LEASE_A_PREFERRED,
				 l->has_preferred ? l->preferred : l->valid);
		mnl_attr_put_u32(nlh, LG_LEASE_A_VALID, l->valid);
		mnl_attr_nest_end(nlh, lnest);
	}
	mnl_attr_nest_end(nlh, nest);
}

int lg_binding_new(struct lg_nl *nl, const struct lg_binding *b, bool replace,
		   struct lg_binding *out)
{
	struct lg_binding_list list = {};
	struct nlmsghdr *nlh;
	int err;

	/* The binding comes back only if asked for: a restore needs the ACK. */
	nlh = lg_nl_msg(nl, LG_CMD_BINDING_NEW, out ? NLM_F_ECHO : 0);
	lg_binding_put_new(nlh, b, replace);
	err = lg_nl_doit(nl, nlh, lg_binding_new_cb, &list);
	if (!err && out && list.n != 1)
		err = -EBADMSG;
	if (!err && out) {
		*out = list.v[0];
		list.n = 0;	/* out owns its leases now */
	}
	lg_binding_list_free(&list);
	return err;
}

int lg_anchor_parse(const struct nlattr *nest, struct lg_anchor *a)
{
	const struct nlattr *tb[LG_BINDING_A_MAX + 1];
	int err;

	memset(a, 0, sizeof(*a));
	err = lg_nl_parse_nest(nest, tb, LG_BINDING_A_MAX);
	if (!err)
		err = lg_attr_bin(tb[LG_BINDING_A_CLIENT_LLADDR],
				  &a->has_lladdr, a->lladdr, sizeof(a->lladdr));
	if (!err)
		err = lg_attr_bin(tb[LG_BINDING_A_CLIENT_MAC], &a->has_mac,
				  a->mac, sizeof(a->mac));
	return err ?: a->has_lladdr ? 0 : -EBADMSG;
}

int lg_binding_move(struct lg_nl *nl, uint64_t id, const struct lg_anchor *a)
{
	struct nlmsghdr *nlh = lg_nl_msg(nl, LG_CMD_BINDING_MOVE, 0);
	struct nlattr *nest;

	nest = mnl_attr_nest_start(nlh, LG_A_BINDING);
	mnl_attr_put_u64(nlh, LG_BINDING_A_ID, id);
	mnl_attr_nest_end(nlh, nest);
	nest = mnl_attr_nest_start(nlh, LG_A_ANCHOR);
	mnl_attr_put(nlh, LG_BINDING_A_CLIENT_LLADDR, 16, a->lladdr);
	if (a->has_mac)
		mnl_attr_put(nlh, LG_BINDING_A_CLIENT_MAC, 6, a->mac);
	mnl_attr_nest_end(nlh, nest);
	return lg_nl_doit(nl, nlh, NULL, NULL);
}

/* A batch of one command over binding IDs. */
struct lg_binding_batch {
	const uint64_t *ids;
	uint8_t cmd;
	uint32_t reason;
	bool cancel;
	size_t acked, failed;
	int err;			/* the first but -ENOENT */
};

static void lg_binding_batch_put(struct nlmsghdr *nlh, size_t i, void *data)
{
	const struct lg_binding_batch *b = data;
	struct lg_binding_sel sel = {
		.id = b->ids[i],
		.has_id = true,
		.reason = b->reason,
		.cancel = b->cancel,
	};

	lg_binding_put_sel(nlh, b->cmd, &sel);
}

static void lg_binding_batch_ack(size_t i, int err, void *data)
{
	struct lg_binding_batch *b = data;

	(void)i;
	b->acked++;
	if (!err)
		return;
	b->failed++;
	if (err != -ENOENT && !b->err)
		b->err = err;
}

int lg_binding_batch(struct lg_nl *nl, uint8_t cmd, const uint64_t *ids,
		     size_t n, uint32_t reason, bool cancel, size_t *n_failed)
{
	struct lg_binding_batch b = {
		.ids = ids,
		.cmd = cmd,
		.reason = reason,
		.cancel = cancel,
	};
	int err;

	if (cmd != LG_CMD_BINDING_DEL && cmd != LG_CMD_BINDING_RELEASE) {
		if (n_failed)
			*n_failed = n;
		return -EINVAL;
	}
	err = lg_nl_batch(nl, cmd, n, lg_binding_batch_put,
			  lg_binding_batch_ack, &b);
	if (n_failed)
		*n_failed = b.failed + (n - b.acked);
	return err ?: b.err;
}
