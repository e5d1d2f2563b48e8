/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The binding model both programs share: struct lg_binding parsed from an
 * LG_A_BINDING nest, and the requests on bindings (dump, get, delete,
 * release, move, batches) over the netlink backend of nl.h.
 */
#ifndef LG_BINDING_H
#define LG_BINDING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <errno.h>
#include <net/if.h>

#include "hex.h"
#include "nl.h"

/*
 * Room for one more element in a growing array (*v, n used, *cap
 * allocated): 0 or -ENOMEM, *v unchanged then.
 */
static inline int lg_grow(void *v, size_t *cap, size_t n, size_t size)
{
	void **p = v, *nv;
	size_t ncap;

	if (n < *cap)
		return 0;
	ncap = *cap ? 2 * *cap : 16;
	nv = realloc(*p, ncap * size);
	if (!nv)
		return -ENOMEM;
	*p = nv;
	*cap = ncap;
	return 0;
}

/* Octet strings (DUIDs, MACs, Interface-Ids) as "00:01:0a" */
#define LG_DUID_MIN	3
#define LG_DUID_MAX	130

/* Bindings: the model of LG_A_BINDING. */
struct lg_lease {
	uint8_t addr[16];
	bool has_plen, has_preferred, has_valid, has_expires;
	uint32_t plen;
	uint32_t preferred;
	uint32_t valid;
	uint64_t expires;		/* CLOCK_REALTIME seconds */
};

struct lg_binding {
	uint64_t id;
	uint32_t ifindex;		/* 0: absent */
	char ifname[IF_NAMESIZE];
	size_t client_duid_len;		/* 0: absent */
	uint8_t client_duid[LG_DUID_MAX];
	bool has_ia_type, has_iaid, has_state, has_del_reason;
	uint32_t ia_type;
	uint32_t iaid;
	uint32_t state;
	uint32_t del_reason;
	bool has_release_reason;	/* LG_BINDING_RELEASING only */
	uint32_t release_reason;	/* enum lg_release_reason */
	bool has_origin;		/* absent from an older module */
	uint32_t origin;		/* enum lg_binding_origin */
	bool has_client_lladdr, has_client_mac, has_server_addr;
	uint8_t client_lladdr[16];
	uint8_t client_mac[6];
	uint8_t server_addr[16];
	size_t server_duid_len;		/* 0: absent */
	uint8_t server_duid[LG_DUID_MAX];
	size_t interface_id_len;	/* 0: absent */
	uint8_t *interface_id;
	bool has_created, has_updated;
	uint64_t created, updated;	/* CLOCK_REALTIME seconds */
	/* The last server transaction (LG_BINDING_A_REPLIED). */
	bool has_replied;		/* absent from an older module */
	uint64_t replied;		/* CLOCK_REALTIME ms */
	struct lg_lease *leases;
	size_t n_leases;
};

struct lg_binding_list {
	struct lg_binding *v;
	size_t n, cap;
};

/*
 * A dump filter, or the selectors of a GET, DEL or RELEASE; 0 lengths are
 * absent.
 */
struct lg_binding_sel {
	uint64_t id;
	bool has_id;
	uint32_t ifindex;		/* 0: absent */
	size_t duid_len;
	uint8_t duid[LG_DUID_MAX];
	bool has_addr;
	uint8_t addr[16];
	bool all;
	/*
	 * DEL: enum lg_binding_del_reason; RELEASE: enum lg_release_reason.
	 * 0: not sent (the kernel's default).
	 */
	uint32_t reason;
	bool cancel;			/* RELEASE: bound again */
};

int lg_binding_parse(const struct nlattr *nest, struct lg_binding *b);
void lg_binding_free(struct lg_binding *b);
void lg_binding_list_free(struct lg_binding_list *list);
/* Dump with the filter's ifindex and duid (sel may be NULL). */
int lg_binding_dump(struct lg_nl *nl, const struct lg_binding_sel *sel,
		    struct lg_binding_list *list);
/* By the selector's id, or its addr (and ifindex); -ENOENT: none. */
int lg_binding_get(struct lg_nl *nl, const struct lg_binding_sel *sel,
		   struct lg_binding *b);
/* The selectors of sel, and its reason (if not 0). */
int lg_binding_del(struct lg_nl *nl, const struct lg_binding_sel *sel);
/* The selectors of sel, its reason (if not 0) and cancel. */
int lg_binding_release(struct lg_nl *nl, const struct lg_binding_sel *sel);
/*
 * LG_CMD_BINDING_NEW: make binding b (ifindex, client_duid, ia_type, iaid,
 * client_lladdr, server_addr and at least one lease required; client_mac,
 * server_duid, interface_id, created, replied and origin if set). The leases'
 * preferred and valid are what is left of them, in seconds from now; a
 * lease without has_plen is an address (128), without has_preferred its
 * preferred is its valid. With replace, a binding of the same key is
 * updated instead of refused (-EEXIST). The kernel's binding goes to out
 * (lg_binding_free() it); with out NULL the kernel is not asked for it
 * (no NLM_F_ECHO) and only ACKs.
 */
int lg_binding_new(struct lg_nl *nl, const struct lg_binding *b, bool replace,
		   struct lg_binding *out);
/*
 * The LG_A_BINDING of lg_binding_new()'s request, put into nlh: for a
 * caller that sends many in one batch (lg_nl_batch_hdr()).
 */
void lg_binding_put_new(struct nlmsghdr *nlh, const struct lg_binding *b,
			bool replace);
/* A client a binding may be anchored to (LG_A_ANCHOR). */
struct lg_anchor {
	uint8_t lladdr[16];
	bool has_lladdr, has_mac;
	uint8_t mac[6];
};

/* LG_A_ANCHOR of an LG_CMD_BINDING_ANCHOR_NTF; -EBADMSG without lladdr. */
int lg_anchor_parse(const struct nlattr *nest, struct lg_anchor *a);
/* LG_CMD_BINDING_MOVE: binding id is a's from now on. */
int lg_binding_move(struct lg_nl *nl, uint64_t id, const struct lg_anchor *a);
/*
 * cmd (LG_CMD_BINDING_DEL or LG_CMD_BINDING_RELEASE) of each of the n
 * bindings ids[], with reason (if not 0) and, to release, cancel: one
 * request per ID, batched (lg_nl_batch(): nl should have joined no
 * group). *n_failed (may be NULL): the requests that did not succeed,
 * -ENOENT (the binding is gone) included, and those whose ACK a socket
 * error left unread. Returns 0, the -errno of the socket, or else the
 * first error of a request other than -ENOENT.
 */
int lg_binding_batch(struct lg_nl *nl, uint8_t cmd, const uint64_t *ids,
		     size_t n, uint32_t reason, bool cancel, size_t *n_failed);
/* A dump request with the filter of sel; each reply appends to a list. */
struct nlmsghdr *lg_binding_dump_msg(struct lg_nl *nl,
				     const struct lg_binding_sel *sel);
int lg_binding_cb(const struct nlmsghdr *nlh, void *data);

#endif /* LG_BINDING_H */
