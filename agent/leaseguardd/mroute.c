// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel's multicast routing, as mrouted and igmpproxy drive it: one
 * raw socket per family holds the routing table (MRT_INIT on IPPROTO_IGMP,
 * MRT6_INIT on IPPROTO_ICMPV6; only one per namespace), takes vifs (one
 * per interface, at most 32, MAXVIFS and MAXMIFS), (S,G) entries, and
 * reads the kernel's upcalls: a packet for which no entry exists yet
 * (IGMPMSG_NOCACHE, MRT6MSG_NOCACHE). Closing the socket is MRT_DONE: the
 * kernel drops our vifs and entries and clears mc_forwarding.
 *
 * The IPv4 socket also gets every IGMP packet of the namespace: a socket
 * filter lets only upcalls through (their IP header has protocol 0), and
 * lgd_mroute_read() tells them apart once more. The IPv6 one gets no
 * ICMPv6 (ICMP6_FILTER blocks all); upcalls bypass that filter.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <netinet/icmp6.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <linux/filter.h>
#include <linux/mroute.h>
#include <linux/mroute6.h>

#include "lgd.h"
#include "mcast.h"

struct lgd_mroute {
	int fi;
	int fd;
	uint32_t vif[LGD_MROUTE_MAX_VIFS];	/* ifindex; 0: free */
};

static int lgd_mroute_socket(int fi)
{
	/* ldb [9] (the IP protocol); upcalls have 0. */
	struct sock_filter upcalls[] = {
		BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 9),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, 0xffff),
		BPF_STMT(BPF_RET | BPF_K, 0),
	};
	struct sock_fprog prog = { .len = 4, .filter = upcalls };
	struct icmp6_filter filt;
	int fd, one = 1, err;

	fd = socket(lgd_mc_af(fi), SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC,
		    fi == LGD_MC_MLD ? IPPROTO_ICMPV6 : IPPROTO_IGMP);
	if (fd < 0)
		return -errno;
	if (fi == LGD_MC_IGMP) {
		if (setsockopt(fd, IPPROTO_IP, MRT_INIT, &one, sizeof(one)))
			goto err;
		/* Without it, the IGMP packets are read and dropped here. */
		if (setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog,
			       sizeof(prog)))
			lgd_debug("IGMP multicast routing socket: filter: %s",
				  strerror(errno));
	} else {
		ICMP6_FILTER_SETBLOCKALL(&filt);
		if (setsockopt(fd, IPPROTO_ICMPV6, ICMP6_FILTER, &filt,
			       sizeof(filt)))
			lgd_debug("MLD multicast routing socket: filter: %s",
				  strerror(errno));
		if (setsockopt(fd, IPPROTO_IPV6, MRT6_INIT, &one, sizeof(one)))
			goto err;
	}
	return fd;
err:
	err = -errno;
	close(fd);
	return err;
}

struct lgd_mroute *lgd_mroute_open(int fi, int *err)
{
	struct lgd_mroute *mr = calloc(1, sizeof(*mr));

	if (!mr) {
		*err = -ENOMEM;
		return NULL;
	}
	mr->fi = fi;
	mr->fd = lgd_mroute_socket(fi);
	if (mr->fd < 0) {
		*err = mr->fd;
		free(mr);
		return NULL;
	}
	*err = 0;
	return mr;
}

void lgd_mroute_close(struct lgd_mroute *mr)
{
	if (!mr)
		return;
	/* MRT_DONE, then the close that would do it anyway. */
	setsockopt(mr->fd, mr->fi == LGD_MC_MLD ? IPPROTO_IPV6 : IPPROTO_IP,
		   mr->fi == LGD_MC_MLD ? MRT6_DONE : MRT_DONE, NULL, 0);
	close(mr->fd);
	free(mr);
}

int lgd_mroute_fd(const struct lgd_mroute *mr)
{
	return mr->fd;
}

static int lgd_mroute_vif_set(struct lgd_mroute *mr, int i, uint32_t ifindex,
			      bool add)
{
	int ret;

	if (mr->fi == LGD_MC_IGMP) {
		struct vifctl vc = {
			.vifc_vifi = i,
			.vifc_flags = VIFF_USE_IFINDEX,
			.vifc_threshold = 1,
			.vifc_lcl_ifindex = ifindex,
		};

		ret = setsockopt(mr->fd, IPPROTO_IP,
				 add ? MRT_ADD_VIF : MRT_DEL_VIF, &vc,
				 sizeof(vc));
	} else if (add) {
		struct mif6ctl mc = {
			.mif6c_mifi = i,
			.vifc_threshold = 1,
			.mif6c_pifi = ifindex,
		};

		ret = setsockopt(mr->fd, IPPROTO_IPV6, MRT6_ADD_MIF, &mc,
				 sizeof(mc));
	} else {
		mifi_t mifi = i;

		ret = setsockopt(mr->fd, IPPROTO_IPV6, MRT6_DEL_MIF, &mifi,
				 sizeof(mifi));
	}
	return ret ? -errno : 0;
}

int lgd_mroute_vif(struct lgd_mroute *mr, uint32_t ifindex, bool create)
{
	int i, free_vif = -1, err = -ENOSPC;

	for (i = 0; i < LGD_MROUTE_MAX_VIFS; i++) {
		if (mr->vif[i] == ifindex)
			return i;
		if (!mr->vif[i] && free_vif < 0)
			free_vif = i;
	}
	if (!create)
		return -ENOENT;
	/* mif6ctl holds a 16-bit ifindex. */
	if (!ifindex || (mr->fi == LGD_MC_MLD && ifindex > 0xffff))
		return -ERANGE;
	for (i = free_vif; i >= 0 && i < LGD_MROUTE_MAX_VIFS; i++) {
		if (mr->vif[i])
			continue;
		err = lgd_mroute_vif_set(mr, i, ifindex, true);
		if (!err) {
			mr->vif[i] = ifindex;
			return i;
		}
		/* Taken behind our back: the next one. */
		if (err != -EADDRINUSE)
			return err;
	}
	return err == -EADDRINUSE ? -ENOSPC : err;
}

void lgd_mroute_vif_del(struct lgd_mroute *mr, uint32_t ifindex)
{
	int i = lgd_mroute_vif(mr, ifindex, false);

	if (i < 0)
		return;
	mr->vif[i] = 0;
	/* EADDRNOTAVAIL: the kernel dropped it with its interface. */
	lgd_mroute_vif_set(mr, i, ifindex, false);
}

size_t lgd_mroute_vifs(const struct lgd_mroute *mr, uint32_t *v)
{
	size_t i, n = 0;

	for (i = 0; i < LGD_MROUTE_MAX_VIFS; i++)
		if (mr->vif[i])
			v[n++] = mr->vif[i];
	return n;
}

static void lgd_sin6(struct sockaddr_in6 *s, const struct lgd_mc_addr *a)
{
	memset(s, 0, sizeof(*s));
	s->sin6_family = AF_INET6;
	memcpy(&s->sin6_addr, a->a, 16);
}

static int lgd_mroute_mfc(struct lgd_mroute *mr, const struct lgd_mc_addr *src,
			  const struct lgd_mc_addr *grp, int iif, uint32_t oifs,
			  bool add)
{
	int i, ret;

	if (mr->fi == LGD_MC_IGMP) {
		struct mfcctl mc = { .mfcc_parent = iif };

		memcpy(&mc.mfcc_origin, src->a, 4);
		memcpy(&mc.mfcc_mcastgrp, grp->a, 4);
		for (i = 0; i < LGD_MROUTE_MAX_VIFS && i < MAXVIFS; i++)
			mc.mfcc_ttls[i] = oifs & (1u << i) ? 1 : 0;
		ret = setsockopt(mr->fd, IPPROTO_IP,
				 add ? MRT_ADD_MFC : MRT_DEL_MFC, &mc,
				 sizeof(mc));
	} else {
		struct mf6cctl mc = { .mf6cc_parent = iif };

		lgd_sin6(&mc.mf6cc_origin, src);
		lgd_sin6(&mc.mf6cc_mcastgrp, grp);
		for (i = 0; i < LGD_MROUTE_MAX_VIFS && i < MAXMIFS; i++)
			if (oifs & (1u << i))
				IF_SET(i, &mc.mf6cc_ifset);
		ret = setsockopt(mr->fd, IPPROTO_IPV6,
				 add ? MRT6_ADD_MFC : MRT6_DEL_MFC, &mc,
				 sizeof(mc));
	}
	return ret ? -errno : 0;
}

int lgd_mroute_mfc_add(struct lgd_mroute *mr, const struct lgd_mc_addr *src,
		       const struct lgd_mc_addr *grp, int iif, uint32_t oifs)
{
	return lgd_mroute_mfc(mr, src, grp, iif, oifs, true);
}

int lgd_mroute_mfc_del(struct lgd_mroute *mr, const struct lgd_mc_addr *src,
		       const struct lgd_mc_addr *grp, int iif)
{
	return lgd_mroute_mfc(mr, src, grp, iif, 0, false);
}

int lgd_mroute_sg_count(struct lgd_mroute *mr, const struct lgd_mc_addr *src,
			const struct lgd_mc_addr *grp, uint64_t *pkts)
{
	if (mr->fi == LGD_MC_IGMP) {
		struct sioc_sg_req req = {};

		memcpy(&req.src, src->a, 4);
		memcpy(&req.grp, grp->a, 4);
		if (ioctl(mr->fd, SIOCGETSGCNT, &req) < 0)
			return -errno;
		*pkts = req.pktcnt;
	} else {
		struct sioc_sg_req6 req = {};

		lgd_sin6(&req.src, src);
		lgd_sin6(&req.grp, grp);
		if (ioctl(mr->fd, SIOCGETSGCNT_IN6, &req) < 0)
			return -errno;
		*pkts = req.pktcnt;
	}
	return 0;
}

int lgd_mroute_read(struct lgd_mroute *mr, struct lgd_mc_upcall *u)
{
	/* An upcall is a header; an IGMP packet may be larger: cut short. */
	uint8_t buf[128];
	ssize_t len;

	len = recv(mr->fd, buf, sizeof(buf), MSG_TRUNC);
	if (len < 0)
		return -errno;
	memset(u, 0, sizeof(*u));
	if (mr->fi == LGD_MC_IGMP) {
		struct igmpmsg im;

		if ((size_t)len < sizeof(im))
			return 0;
		memcpy(&im, buf, sizeof(im));
		/* A real IGMP packet: this is the IP protocol, 2. */
		if (im.im_mbz || im.im_msgtype != IGMPMSG_NOCACHE)
			return 0;
		u->vif = im.im_vif | im.im_vif_hi << 8;
		memcpy(u->src.a, &im.im_src, 4);
		memcpy(u->grp.a, &im.im_dst, 4);
	} else {
		struct mrt6msg im;

		if ((size_t)len < sizeof(im))
			return 0;
		memcpy(&im, buf, sizeof(im));
		/* A real ICMPv6 message: this is its type, never 0. */
		if (im.im6_mbz || im.im6_msgtype != MRT6MSG_NOCACHE)
			return 0;
		u->vif = im.im6_mif;
		memcpy(u->src.a, &im.im6_src, 16);
		memcpy(u->grp.a, &im.im6_dst, 16);
	}
	return 1;
}
