/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * leaseguard: DHCPv6 lease snooping, source-address validation and
 * IGMP/MLD proxy state for an IPv6 access router.
 *
 * This header is the manual of the generic netlink family "leaseguard".
 *
 * Conventions
 * -----------
 * - Family name LEASEGUARD_GENL_NAME, version LEASEGUARD_GENL_VERSION.
 *   A request of a higher version is refused (-EOPNOTSUPP); 0 is a
 *   caller that does not say, and is served as version 1.
 *   The family is per network namespace: every request acts on the
 *   namespace of the socket that sends it.
 * - Every request carries its arguments in nested attributes; every
 *   attribute of every command is validated against a per-command policy.
 *   An attribute that a command does not take is rejected (-EINVAL), and so
 *   is an unknown attribute: the kernel never ignores what you sent.
 *   Attributes are in host byte order: one flagged NLA_F_NET_BYTEORDER is
 *   rejected (-EINVAL).
 * - Every rejection by the family comes with an extended ACK message
 *   (NETLINK_EXT_ACK) and, where one attribute is at fault, that
 *   attribute's offset; a missing attribute is named by
 *   NLMSGERR_ATTR_MISS_TYPE (and _MISS_NEST). A dump's message comes in
 *   its NLMSG_DONE. Generic netlink itself refuses, before the family sees
 *   the request and without a message: a message shorter than its
 *   genetlink header (-EINVAL); a command the family does not have
 *   (notifications' IDs included), a dump of a command that has no dump,
 *   or a plain request of a dump-only command (-EOPNOTSUPP); a caller
 *   without the privilege a command needs (-EPERM).
 * - Commands that change state need CAP_NET_ADMIN in the user namespace
 *   that owns the network namespace (GENL_UNS_ADMIN_PERM); otherwise
 *   -EPERM. So do the commands that name subscribers (DUIDs, MACs,
 *   addresses, multicast memberships): LG_CMD_BINDING_GET,
 *   LG_CMD_SAVI_GET and LG_CMD_MC_GROUP_GET, and so does joining the
 *   multicast groups LEASEGUARD_MCGRP_BINDINGS and LEASEGUARD_MCGRP_MCAST
 *   (GENL_MCAST_CAP_NET_ADMIN: -EPERM from bind() or
 *   NETLINK_ADD_MEMBERSHIP). Public, as interface names and counters are
 *   in rtnetlink: LG_CMD_LINK_GET, LG_CMD_STATS_GET, LG_CMD_CONFIG_GET,
 *   LG_CMD_MCAST_GET and the group LEASEGUARD_MCGRP_CONFIG. The root of
 *   an unprivileged user namespace (unshare -Urn) manages the network
 *   namespaces it owns, and is nobody in the others.
 * - Memory that a request makes the module keep (per-namespace state,
 *   interface configurations, static entries, the pending-request table of
 *   the first access interface) is charged to the memory cgroup of the
 *   caller (for a namespace's initial state, of its creator). What
 *   packets create (bindings, and those LG_CMD_BINDING_NEW makes as if
 *   snooped; multicast groups and their sources) is
 *   charged to the memory cgroup of whoever first gave one of the
 *   namespace's interfaces a role, though it is made in softirq; it may
 *   take that cgroup past memory.max rather than fail. In the initial
 *   namespace it is charged to nobody. The limits of the namespace and
 *   its interfaces, which its administrator sets, bound it.
 * - Dumps may be interrupted by a concurrent change: the last message then
 *   carries NLM_F_DUMP_INTR and the caller should dump again.
 * - Notifications use their own command IDs (LG_CMD_*_NTF) and go to the
 *   multicast group named in their description; they carry the same
 *   attributes as the matching GET reply.
 * - Readers must ignore attributes they do not know, so that a newer
 *   module works with an older tool. Counter nests (LG_*_STATS) hold only
 *   NLA_U64 counters, and new counters get new ids, so an older tool can
 *   print them generically; their *_PAD attribute is padding, not data.
 *
 * Commands
 * --------
 * LG_CMD_LINK_GET
 *   Read the leaseguard configuration of one interface, or of all of them.
 *
 *   Request (doit):
 *     LG_A_LINK: NLA_NESTED
 *       LG_LINK_A_IFINDEX: NLA_U32, required, > 0
 *   Reply: one LG_CMD_LINK_GET message:
 *     LG_A_LINK: NLA_NESTED
 *       LG_LINK_A_IFINDEX: NLA_U32
 *       LG_LINK_A_IFNAME:  NLA_NUL_STRING
 *       LG_LINK_A_ROLE:    NLA_U32, enum lg_role
 *       LG_LINK_A_MAX_BINDINGS: NLA_U32
 *       LG_LINK_A_BINDINGS: NLA_U32, bindings on the interface when the
 *                          message was built (a snapshot: a change of the
 *                          count alone sends no notification)
 *       LG_LINK_A_SAVI_MODE: NLA_U32, enum lg_savi_mode
 *       LG_LINK_A_SAVI_ANCHOR: NLA_U32, enum lg_savi_anchor
 *       LG_LINK_A_DHCP6_SHIELD: NLA_U8, 0 or 1
 *       LG_LINK_A_RELEASE_TRUSTED: NLA_U8, 0 or 1
 *       LG_LINK_A_RELEASE_FORWARD: NLA_U8, 0 or 1
 *       LG_LINK_A_MISS_RATE: NLA_U32
 *       LG_LINK_A_SAVI_ENTRIES: NLA_U32, static entries on the interface
 *       LG_LINK_A_STATS:   NLA_NESTED, the interface's counters:
 *         LG_LINK_STATS_A_*: NLA_U64 each (enum lg_link_stats_attrs)
 *   Errors: -ENODEV when the interface does not exist, -ENOENT when it
 *   exists but has no leaseguard configuration (its role is "none").
 *
 *   Dump (NLM_F_DUMP): no attributes (LG_A_LINK: -EINVAL); one message
 *   as above for every configured interface, in ascending ifindex order.
 *
 * LG_CMD_LINK_SET (GENL_UNS_ADMIN_PERM)
 *   Configure one interface. Attributes that are absent keep their value.
 *   Setting the role to LG_ROLE_NONE removes the configuration (and the
 *   interface's counters). The configuration is dropped on its own when
 *   the interface is unregistered or leaves the namespace.
 *
 *   Request:
 *     LG_A_LINK: NLA_NESTED, required
 *       LG_LINK_A_IFINDEX: NLA_U32, required, > 0
 *       LG_LINK_A_ROLE:    NLA_U32, enum lg_role, <= LG_ROLE_MAX
 *       LG_LINK_A_MAX_BINDINGS: NLA_U32, 1..LG_MAX_BINDINGS_LIMIT: at most
 *                          this many bindings on the interface (default
 *                          LG_LINK_MAX_BINDINGS_DEFAULT; and see
 *                          "Binding limits" below)
 *       LG_LINK_A_SAVI_MODE: NLA_U32, enum lg_savi_mode (default off)
 *       LG_LINK_A_SAVI_ANCHOR: NLA_U32, enum lg_savi_anchor (default none)
 *       LG_LINK_A_DHCP6_SHIELD: NLA_U8, 0 or 1 (default 1)
 *       LG_LINK_A_RELEASE_TRUSTED: NLA_U8, 0 or 1 (default 0)
 *       LG_LINK_A_RELEASE_FORWARD: NLA_U8, 0 or 1 (default 1)
 *       LG_LINK_A_MISS_RATE: NLA_U32, 0..LG_MISS_RATE_LIMIT: at most this
 *                          many LG_CMD_SAVI_MISS_NTF per second from the
 *                          interface (default LG_LINK_MISS_RATE_DEFAULT;
 *                          0 sends none)
 *   SAVI_MODE, SAVI_ANCHOR, DHCP6_SHIELD and RELEASE_TRUSTED apply to
 *   access interfaces only (see "Source-address validation" below); any
 *   role keeps them, so that a role change does not lose them.
 *   RELEASE_FORWARD applies to any role (see "Intermediate relays"
 *   below). Reply: the ACK only. Role none on an interface that has no
 *   configuration succeeds and changes nothing.
 *   An interface that stops being an access interface loses its bindings
 *   (LG_BINDING_DEL_INTERFACE). Lowering the limit keeps the bindings
 *   already there; only new ones are refused.
 *   Errors: -ENODEV no such interface; -EOPNOTSUPP the interface is a
 *   loopback device, or a MAC anchor on a device that is not Ethernet;
 *   -ENOENT the interface has no role and the request sets something
 *   else without giving it one; -ERANGE a value out of its range;
 *   -EINVAL an attribute missing, malformed or not taken by the command,
 *   or role access on the IGMP or MLD upstream interface (LG_CMD_MCAST_SET).
 *   Sends LG_CMD_LINK_NTF, or LG_CMD_LINK_DEL_NTF when the role became
 *   none, if anything changed.
 *
 * LG_CMD_STATS_GET
 *   Read the namespace-wide counters.
 *
 *   Request (doit): no attributes.
 *   Reply:
 *     LG_A_STATS: NLA_NESTED
 *       LG_STATS_A_*: NLA_U64 each (enum lg_stats_attrs)
 *
 * LG_CMD_CONFIG_GET
 *   Read the namespace-wide configuration.
 *   Request: no attributes. Reply:
 *     LG_A_CONFIG: NLA_NESTED
 *       LG_CONFIG_A_MAX_BINDINGS: NLA_U32
 *       LG_CONFIG_A_RELEASE_REQUEST_TYPE: NLA_U32
 *       LG_CONFIG_A_RELEASE_REPLY_TYPE: NLA_U32
 *       LG_CONFIG_A_MISS_RATE: NLA_U32
 *
 * LG_CMD_CONFIG_SET (GENL_UNS_ADMIN_PERM)
 *   Change the namespace-wide configuration; absent attributes keep their
 *   value. Request:
 *     LG_A_CONFIG: NLA_NESTED, required
 *       LG_CONFIG_A_MAX_BINDINGS: NLA_U32, 1..LG_MAX_BINDINGS_LIMIT: at most
 *                          this many bindings in the namespace (default
 *                          LG_MAX_BINDINGS_DEFAULT; see "Binding limits")
 *       LG_CONFIG_A_RELEASE_REQUEST_TYPE: NLA_U32, 38..255: the DHCPv6
 *                          message type of RELEASE-REQUEST (default
 *                          LG_RELEASE_REQUEST_TYPE_DEFAULT)
 *       LG_CONFIG_A_RELEASE_REPLY_TYPE: NLA_U32, 38..255: the type of
 *                          RELEASE-REQUEST-REPLY (default
 *                          LG_RELEASE_REPLY_TYPE_DEFAULT)
 *       LG_CONFIG_A_MISS_RATE: NLA_U32, 0..LG_MISS_RATE_LIMIT: at most
 *                          this many LG_CMD_SAVI_MISS_NTF per second in
 *                          the namespace (default LG_MISS_RATE_DEFAULT;
 *                          0 sends none)
 *   The two types must differ; 1..37 are assigned by IANA (RFC 8415 and
 *   its extensions). Lowering the limit keeps the bindings
 *   already there. No notification is sent. Errors: -ERANGE a value out
 *   of range; -EINVAL LG_A_CONFIG missing, an attribute it does not take,
 *   or the two types equal.
 *
 * Binding limits
 * --------------
 * LG_CONFIG_A_MAX_BINDINGS bounds the memory of a namespace's bindings:
 * about 250 bytes each with one lease (Documentation/benchmarks.rst), so
 * the default 262144 is some 64 MiB. LG_LINK_A_MAX_BINDINGS bounds what
 * one access interface's subscribers can take of it (default 65536).
 * Because four interfaces at their own limit would fill the namespace,
 * half of the namespace limit is held in reserve for the interfaces that
 * are not full: each access interface's reserve is
 *   min(LG_LINK_A_MAX_BINDINGS, LG_CONFIG_A_MAX_BINDINGS / 2 /
 *       max(access interfaces, LG_RESERVE_LINKS))
 * (2048 bindings with the defaults and up to 64 access interfaces). An
 * interface below its reserve learns a new binding whenever the
 * namespace is not full. One at or past its reserve learns it only if
 * the namespace keeps room for the unused reserves of all the others;
 * otherwise it is refused and counted in LG_STATS_A_BINDINGS_LIMITED.
 * So however its subscribers behave, an interface never keeps another
 * from holding its reserve, and half of the namespace (more with fewer
 * than 64 interfaces) is free for whichever interfaces need it. The
 * reserves are recomputed when an interface gains or loses the access
 * role or changes its limit, and when LG_CONFIG_A_MAX_BINDINGS changes;
 * bindings over a new limit or reserve are kept, and a reserve that the
 * others hold already comes free as their bindings end. With the sum of
 * the interfaces' limits at most the namespace's, no interface is ever
 * refused below its own limit.
 *
 * Bindings
 * --------
 * leaseguard learns what a DHCPv6 server leased to each subscriber by
 * snooping the exchange on access interfaces (see Documentation/). A
 * binding is one IA of one client on one access interface: the key is
 * (access interface, client DUID, IA type, IAID). It holds the IA's
 * leases: IA_NA addresses (prefix length 128) and IA_PD prefixes, each with
 * its lifetimes. A lease ends at its valid lifetime; a binding with no
 * lease left is deleted. Every binding has an ID, unique in its namespace
 * and never reused while the module is loaded.
 *
 * Binding attributes (LG_A_BINDING: NLA_NESTED) in replies and
 * notifications:
 *   LG_BINDING_A_ID:           NLA_U64
 *   LG_BINDING_A_IFINDEX:      NLA_U32, the access interface
 *   LG_BINDING_A_IFNAME:       NLA_NUL_STRING
 *   LG_BINDING_A_CLIENT_DUID:  NLA_BINARY, 3..130 octets
 *   LG_BINDING_A_IA_TYPE:      NLA_U32, enum lg_ia_type
 *   LG_BINDING_A_IAID:         NLA_U32
 *   LG_BINDING_A_STATE:        NLA_U32, enum lg_binding_state
 *   LG_BINDING_A_CLIENT_LLADDR: NLA_BINARY, 16 octets: the IPv6 source
 *                              address of the client's request
 *   LG_BINDING_A_CLIENT_MAC:   NLA_BINARY, 6 octets: the Ethernet source
 *                              of the client's request (absent if unknown)
 *   LG_BINDING_A_SERVER_DUID:  NLA_BINARY, 3..130 octets
 *   LG_BINDING_A_SERVER_ADDR:  NLA_BINARY, 16 octets: where the server's
 *                              answer came from, as the relay saw it (the
 *                              source of the RELAY-REPL; for a server on
 *                              this machine, the source of its REPLY)
 *   LG_BINDING_A_INTERFACE_ID: NLA_BINARY: the Interface-Id option of the
 *                              RELAY-REPL (absent if there was none)
 *   LG_BINDING_A_CREATED:      NLA_U64, CLOCK_REALTIME seconds
 *   LG_BINDING_A_UPDATED:      NLA_U64, CLOCK_REALTIME seconds of the last
 *                              REPLY that granted or refreshed a lease
 *   LG_BINDING_A_REPLIED:      NLA_U64, CLOCK_REALTIME milliseconds of the
 *                              last server transaction: when the REPLY
 *                              (in its RELAY-REPL) that created or last
 *                              refreshed the binding's leases was snooped
 *                              here, or what LG_CMD_BINDING_NEW gave. It is
 *                              the server's time, not the binding's last
 *                              change: a client's RELEASE or DECLINE, a
 *                              relay-initiated release (LG_BINDING_RELEASING
 *                              and back), a move of the anchor or an expiry
 *                              leave it as it was. Failover partners
 *                              compare it: the newest server transaction
 *                              wins (Documentation/failover.rst)
 *   LG_BINDING_A_LEASE:        NLA_NESTED, once per lease:
 *     LG_LEASE_A_ADDR:         NLA_BINARY, 16 octets (prefix: host bits 0)
 *     LG_LEASE_A_PLEN:         NLA_U32, 128 for IA_NA
 *     LG_LEASE_A_PREFERRED:    NLA_U32, seconds, as granted
 *     LG_LEASE_A_VALID:        NLA_U32, seconds, as granted
 *     LG_LEASE_A_EXPIRES:      NLA_U64, CLOCK_REALTIME seconds when the
 *                              valid lifetime ends (0xffffffff granted:
 *                              never, and this is absent)
 *   LG_BINDING_A_DEL_REASON:   NLA_U32, enum lg_binding_del_reason, in
 *                              LG_CMD_BINDING_DEL_NTF only
 *   LG_BINDING_A_RELEASE_REASON: NLA_U32, enum lg_release_reason: why
 *                              the binding is LG_BINDING_RELEASING (only
 *                              in that state)
 *   LG_BINDING_A_ORIGIN:       NLA_U32, enum lg_binding_origin: how the
 *                              binding came to this router (always sent)
 *
 * LG_CMD_BINDING_GET (GENL_UNS_ADMIN_PERM)
 *   Request (doit): one binding, by ID or by an address it leases.
 *     LG_A_BINDING: NLA_NESTED, required, one of:
 *       LG_BINDING_A_ID:      NLA_U64
 *       LG_BINDING_A_ADDR:    NLA_BINARY, 16 octets: the binding whose
 *                             address is this, or whose prefix holds it
 *                             (the longest prefix wins; without IFINDEX,
 *                             the access interfaces are tried in ifindex
 *                             order and the first that has one wins)
 *       (LG_BINDING_A_IFINDEX: NLA_U32, optional with ADDR: only there)
 *   Reply: one LG_CMD_BINDING_GET message with LG_A_BINDING.
 *   Errors: -ENOENT no such binding.
 *
 *   Dump (NLM_F_DUMP): every binding in ID order, or only those that match
 *   every attribute of the optional filter:
 *     LG_A_BINDING: NLA_NESTED
 *       LG_BINDING_A_ID:          NLA_U64
 *       LG_BINDING_A_ADDR:        NLA_BINARY, 16 octets: bindings with a
 *                                 lease that is this address or holds it
 *       LG_BINDING_A_IFINDEX:     NLA_U32
 *       LG_BINDING_A_CLIENT_DUID: NLA_BINARY, 3..130 octets
 *   A dump during which bindings were created or deleted ends with
 *   NLM_F_DUMP_INTR. Either way each binding that existed for the whole
 *   dump is in it exactly once; lifetime refreshes do not interrupt dumps.
 *
 * LG_CMD_BINDING_DEL (GENL_UNS_ADMIN_PERM)
 *   Delete bindings here, on this router only (nothing is sent to the
 *   server): the bindings that match every selector given.
 *     LG_A_BINDING: NLA_NESTED, required, at least one of:
 *       LG_BINDING_A_ID:          NLA_U64
 *       LG_BINDING_A_IFINDEX:     NLA_U32
 *       LG_BINDING_A_CLIENT_DUID: NLA_BINARY, 3..130 octets
 *       LG_BINDING_A_ADDR:        NLA_BINARY, 16 octets
 *       LG_BINDING_A_ALL:         NLA_FLAG, every binding (alone)
 *       LG_BINDING_A_DEL_REASON:  NLA_U32, optional: LG_BINDING_DEL_ADMIN
 *                                 (the default) or
 *                                 LG_BINDING_DEL_RELAY_RELEASE (what
 *                                 leaseguardd says when the server
 *                                 confirmed its RELEASE-REQUEST)
 *   Each deleted binding sends LG_CMD_BINDING_DEL_NTF with that reason.
 *   Errors: -ENOENT when the selectors matched nothing (ALL on an empty
 *   table succeeds); -ERANGE another reason.
 *
 * LG_CMD_BINDING_RELEASE (GENL_UNS_ADMIN_PERM)
 *   Ask for a relay-initiated release (draft-gandhewar-dhc-v6-relay-
 *   initiated-release) of the bindings that match every selector given:
 *   the kernel only marks them LG_BINDING_RELEASING and notifies;
 *   leaseguardd, which listens, sends the RELEASE-REQUEST to the server
 *   and deletes the bindings (LG_BINDING_DEL_RELAY_RELEASE) when the
 *   server confirms, or cancels the release when it refuses or does not
 *   answer. Until then the leases apply as before: a releasing binding
 *   is refreshed by the server's REPLY messages like a bound one and
 *   still validates its addresses.
 *     LG_A_BINDING: NLA_NESTED, required:
 *       LG_BINDING_A_ID, IFINDEX, CLIENT_DUID, ADDR, ALL: selectors as
 *                                 in LG_CMD_BINDING_DEL, at least one
 *       LG_BINDING_A_RELEASE_REASON: NLA_U32, enum lg_release_reason,
 *                                 optional, default LG_RELEASE_ADMIN
 *       LG_BINDING_A_RELEASE_CANCEL: NLA_FLAG: the release is over
 *                                 without one, the binding is
 *                                 LG_BINDING_BOUND again (no REASON
 *                                 with it)
 *   Each binding whose state changes sends LG_CMD_BINDING_UPD_NTF; one
 *   that is releasing already keeps its first reason and sends nothing,
 *   and so does a bound one that a CANCEL matches.
 *   Errors: -ENOENT when the selectors matched nothing (ALL on an empty
 *   table succeeds); -EINVAL no selector, ALL with another, or CANCEL
 *   with a REASON; -ERANGE a reason out of range; -ENOMEM (the bindings
 *   changed before it stay changed).
 *
 * LG_CMD_BINDING_NEW (GENL_UNS_ADMIN_PERM)
 *   Create a binding that was not snooped here: one restored from
 *   leaseguardd's store after a reload or reboot, recovered by LEASEQUERY,
 *   or synchronised from a failover partner. It holds what snooping would
 *   have learned and passes the same checks as a snooped binding.
 *     LG_A_BINDING: NLA_NESTED, required:
 *       LG_BINDING_A_IFINDEX:       NLA_U32, required: an access interface
 *       LG_BINDING_A_CLIENT_DUID:   NLA_BINARY, 3..130 octets, required
 *       LG_BINDING_A_IA_TYPE:       NLA_U32, required, enum lg_ia_type
 *       LG_BINDING_A_IAID:          NLA_U32, required
 *       LG_BINDING_A_CLIENT_LLADDR: NLA_BINARY, 16 octets, required,
 *                                   link-local unicast
 *       LG_BINDING_A_CLIENT_MAC:    NLA_BINARY, 6 octets, unicast
 *       LG_BINDING_A_SERVER_ADDR:   NLA_BINARY, 16 octets, required, unicast
 *       LG_BINDING_A_SERVER_DUID:   NLA_BINARY, 3..130 octets
 *       LG_BINDING_A_INTERFACE_ID:  NLA_BINARY, 1..32 octets
 *       LG_BINDING_A_CREATED:       NLA_U64, CLOCK_REALTIME seconds, not in
 *                                   the future (default: now)
 *       LG_BINDING_A_REPLIED:       NLA_U64, CLOCK_REALTIME milliseconds,
 *                                   1..INT64_MAX (default: now): the last
 *                                   server transaction, as the router that
 *                                   saw it recorded it (a restored,
 *                                   LEASEQUERY-recovered or synchronised
 *                                   binding carries the original). Not
 *                                   checked against this clock: a
 *                                   partner's may run a little ahead, and a
 *                                   refusal would lose the binding
 *       LG_BINDING_A_ORIGIN:        NLA_U32, LG_BINDING_ORIGIN_RESTORED (the
 *                                   default), _LEASEQUERY or _SYNCED
 *       LG_BINDING_A_REPLACE:       NLA_FLAG: update a binding with the
 *                                   same key instead of failing (below)
 *       LG_BINDING_A_LEASE:         NLA_NESTED, 1..LG_BINDING_MAX_LEASES:
 *         LG_LEASE_A_ADDR:          NLA_BINARY, 16 octets, required, unicast
 *                                   and not link-local
 *         LG_LEASE_A_PLEN:          NLA_U32, required: 128 for IA_NA,
 *                                   1..128 for IA_PD (host bits zero)
 *         LG_LEASE_A_PREFERRED:     NLA_U32, required: seconds from now
 *         LG_LEASE_A_VALID:         NLA_U32, required: seconds from now,
 *                                   1..0xffffffff (infinite), >= PREFERRED
 *   The lifetimes are what is left of the lease, not what the server first
 *   granted: a binding's lease ends VALID seconds after this request, and
 *   later replies and notifications give these as PREFERRED and VALID. The
 *   binding is LG_BINDING_BOUND; its UPDATED is now, its REPLIED the
 *   request's (or now).
 *   Checks, as for a snooped binding: the interface's and the namespace's
 *   limits (see "Binding limits"; a refusal is counted as a snooped one's
 *   is: in LG_STATS_A_BINDINGS_LIMITED, or at the interface's own limit in
 *   its LG_LINK_STATS_A_BINDINGS_LIMITED), and no lease may be one that
 *   another binding on the interface holds (the same address, or the same
 *   prefix).
 *   Without REPLACE a binding with the same key (interface, DUID, IA type,
 *   IAID) is an error. With REPLACE it is updated instead, as a REPLY
 *   would update it: its leases become these, its server these, its
 *   ORIGIN and REPLIED these (REPLIED now if the request has none), and
 *   it keeps its ID, CREATED, state and anchor (CLIENT_LLADDR is kept;
 *   CLIENT_MAC and INTERFACE_ID are those of the request only if it had
 *   none). REPLACE is an attribute, not
 *   NLM_F_REPLACE, because generic netlink refuses any nlmsg_flags but
 *   REQUEST, ACK, ECHO and DUMP (-EINVAL, "ambiguous or reserved bits set
 *   in nlmsg_flags").
 *   Reply: with NLM_F_ECHO, one LG_CMD_BINDING_NEW message with
 *   LG_A_BINDING as in the LG_CMD_BINDING_GET reply (then the ACK, if
 *   NLM_F_ACK asked for it); without NLM_F_ECHO none, only the ACK: a
 *   restore of many bindings wants to know each one's fate, not to read
 *   each one back. Sends LG_CMD_BINDING_NEW_NTF (or, replaced,
 *   LG_CMD_BINDING_UPD_NTF) with its ORIGIN either way.
 *   Errors: -EINVAL a required attribute missing (extack names it), one it
 *   does not take, or a value out of place (a client address that is not
 *   link-local unicast, a MAC or server address that is not unicast, a
 *   lease that is not unicast or is link-local, a PLEN for IA_NA other
 *   than 128, host bits set, PREFERRED above VALID, the same lease twice,
 *   more than LG_BINDING_MAX_LEASES leases, CREATED in the future: extack
 *   says which); -ERANGE a value or length out of the ranges above (the
 *   policy's: IA_TYPE, ORIGIN, PLEN, VALID 0, REPLIED 0 or above
 *   INT64_MAX, the lengths); -ENODEV the
 *   interface is not an access interface here; -EEXIST the key exists
 *   (no REPLACE); -EADDRINUSE a lease is another binding's (extack points
 *   at that LEASE); -ENOSPC a binding limit; -ENOMEM.
 *
 * In replies and notifications, ID, IFINDEX, CLIENT_DUID, IA_TYPE, IAID,
 * STATE, CLIENT_LLADDR, SERVER_ADDR, CREATED, UPDATED and REPLIED are
 * always present, and every LEASE has ADDR, PLEN, PREFERRED and VALID; IFNAME,
 * CLIENT_MAC, SERVER_DUID, INTERFACE_ID and EXPIRES only when known. A
 * binding has at least one LEASE, unless memory ran out while its leases
 * were indexed (counted in LG_STATS_A_DHCP6_NOMEM).
 *
 * LG_CMD_BINDING_NEW_NTF, LG_CMD_BINDING_UPD_NTF, LG_CMD_BINDING_DEL_NTF
 *   (multicast group LEASEGUARD_MCGRP_BINDINGS)
 *   A binding was created; changed (a lease added, refreshed or removed,
 *   the server's identity changed, or LG_CMD_BINDING_RELEASE changed its
 *   state); or deleted. Each carries the whole
 *   binding as in the LG_CMD_BINDING_GET reply, as it is after the change
 *   (for DEL, as it was, plus LG_BINDING_A_DEL_REASON).
 *
 * Binding anchors (RFC 7513)
 * --------------------------
 * A binding is anchored to the client that got it: the Ethernet source
 * (CLIENT_MAC) and IPv6 source (CLIENT_LLADDR) of its request. Its DUID
 * and IAIDs travel in clear in multicast, so a neighbour on a shared
 * segment can ask for a client's IA in its own name: a REPLY to a request
 * from another anchor (another MAC; without a MAC, another link-local)
 * refreshes the binding's leases, as the server's word, but the binding
 * keeps its anchor: its MAC (the SAVI anchor), link-local (the delegated
 * prefix's next hop) and Interface-Id stay. The kernel tells instead:
 *
 * LG_CMD_BINDING_ANCHOR_NTF (multicast group LEASEGUARD_MCGRP_BINDINGS)
 *   Another anchor asked for a binding and the server answered it:
 *     LG_A_BINDING: the binding as in the LG_CMD_BINDING_GET reply
 *     LG_A_ANCHOR: NLA_NESTED, the other anchor:
 *       LG_BINDING_A_CLIENT_LLADDR: NLA_BINARY, 16 octets
 *       LG_BINDING_A_CLIENT_MAC:    NLA_BINARY, 6 octets (absent if unknown)
 *   Counted in LG_STATS_A_ANCHOR_CONFLICTS. A client that really moved
 *   (a new MAC or link-local) looks the same: leaseguardd probes the
 *   binding's anchor (RFC 7513's address-conflict detection: unicast
 *   Neighbor Solicitations to its link-local at its MAC) and moves the
 *   binding only if nobody answers.
 *
 * LG_CMD_BINDING_MOVE (GENL_UNS_ADMIN_PERM)
 *   Anchor a binding to another client:
 *     LG_A_BINDING: NLA_NESTED, required
 *       LG_BINDING_A_ID: NLA_U64, required
 *     LG_A_ANCHOR: NLA_NESTED, required
 *       LG_BINDING_A_CLIENT_LLADDR: NLA_BINARY, 16 octets, required, unicast
 *       LG_BINDING_A_CLIENT_MAC:    NLA_BINARY, 6 octets, unicast; absent:
 *                                  no MAC (the binding then validates
 *                                  nothing under LG_SAVI_ANCHOR_MAC)
 *   Sends LG_CMD_BINDING_UPD_NTF if the anchor changed. Errors: -ENOENT no
 *   such binding; -EINVAL an attribute missing or not unicast; -ENOMEM.
 *
 * Source-address validation
 * -------------------------
 * On an access interface whose LG_LINK_A_SAVI_MODE is not off, every IPv6
 * packet that arrives is checked before anything else sees it (before
 * defragmentation, conntrack and routing). Its source address is valid
 * when it is:
 *   - link-local (fe80::/10);
 *   - the unspecified address ::, in a Neighbor Solicitation (Duplicate
 *     Address Detection) or an MLD report or done, only;
 *   - an IA_NA address of a binding on this interface;
 *   - inside an IA_PD prefix of a binding on this interface;
 *   - inside a static entry of this interface (LG_CMD_SAVI_ADD).
 * With LG_SAVI_ANCHOR_MAC, a source that a binding validates must also
 * come from the binding's client MAC (the Ethernet source); a binding
 * whose MAC is unknown validates nothing. Static entries have no anchor.
 * In LG_SAVI_MONITOR mode an invalid packet passes and is counted (and
 * logged, rate-limited); in LG_SAVI_ENFORCE mode it is dropped, counted
 * and logged.
 *
 * A binding the router lost (a reload or reboot, a store that was lost
 * too) is recovered from the data plane (RFC 7513 section 7): the kernel
 * tells of a source it could not validate, and leaseguardd asks the
 * servers with a LEASEQUERY (RFC 5007) and restores what they answer
 * with LG_CMD_BINDING_NEW (origin LG_BINDING_ORIGIN_LEASEQUERY).
 *
 * LG_CMD_SAVI_MISS_NTF (multicast group LEASEGUARD_MCGRP_BINDINGS)
 *   A packet arrived on an access interface in LG_SAVI_MONITOR or
 *   LG_SAVI_ENFORCE mode from a source that is not link-local or ::, and
 *   that no binding and no static entry of the interface validates
 *   (counted in LG_LINK_STATS_A_SAVI_DROP_SOURCE or _MONITORED). A source
 *   that a binding holds for another MAC (LG_LINK_STATS_A_SAVI_DROP_MAC)
 *   is not missing and sends nothing.
 *     LG_A_MISS: NLA_NESTED
 *       LG_MISS_A_IFINDEX:  NLA_U32, the access interface
 *       LG_MISS_A_SRC_ADDR: NLA_BINARY, 16 octets, the packet's source
 *       LG_MISS_A_SRC_MAC:  NLA_BINARY, 6 octets, its Ethernet source
 *                           (absent on an interface without one)
 *   What a subscriber's spoofed sources can cost is bounded, in this
 *   order:
 *   - a source sent from an interface in the last LG_MISS_HOLDDOWN_MS
 *     is not sent again from it (each interface remembers its last
 *     LG_MISS_RECENT sources), counted in LG_LINK_STATS_A_SAVI_MISS_REPEATED;
 *   - at most LG_LINK_A_MISS_RATE per second from the interface, and
 *     LG_CONFIG_A_MISS_RATE per second in the namespace (token buckets
 *     that hold one second's worth), counted in
 *     LG_LINK_STATS_A_SAVI_MISS_LIMITED (and, for the namespace's budget,
 *     LG_STATS_A_SAVI_MISS_LIMITED too).
 *   Sent ones are counted in LG_LINK_STATS_A_SAVI_MISS_SENT; one that
 *   cannot be allocated is counted in LG_LINK_STATS_A_SAVI_MISS_LIMITED
 *   (its source is in the holddown all the same). Setting a rate fills
 *   its bucket. Nothing is built, sent or counted while nobody listens to
 *   the group.
 *
 * DHCPv6-Shield (RFC 7610), on access interfaces with LG_LINK_A_DHCP6_SHIELD,
 * in any SAVI mode, drops what only a server or relay may send: UDP to
 * the client port 546; to port 547, ADVERTISE, REPLY, RECONFIGURE,
 * RELAY-REPL, LEASEQUERY-REPLY/-DONE/-DATA, DHCPV4-RESPONSE and
 * ADDR-REG-REPLY. It walks the whole extension-header chain and drops a
 * first fragment that does not hold the complete upper-layer header
 * (RFC 7112) and a packet that ends inside its header chain. Unless
 * LG_LINK_A_RELEASE_TRUSTED is set, it also drops RELEASE-REQUEST and
 * RELEASE-REQUEST-REPLY (draft-gandhewar-dhc-v6-relay-initiated-release
 * section 4.1.2), also when a RELAY-FORW carries them. What it cannot
 * check whole it drops, whatever LG_LINK_A_RELEASE_TRUSTED says (RFC 7610
 * section 5): on port 547, a first fragment (atomic ones too), and a
 * RELAY-FORW (or, trusted, a release message) that does not parse whole:
 * longer than 2048 bytes, nested deeper than 9 relay layers, malformed
 * (a bad option length or DUID, bytes after the last option...), or a UDP
 * length that does not fit the packet.
 *
 * Intermediate relays (draft section 4.2): an interface of any role
 * whose LG_LINK_A_RELEASE_FORWARD is 0 does not let RELEASE-REQUEST or
 * RELEASE-REQUEST-REPLY be relayed across it. Dropped are, arriving on it
 * or leaving by it:
 *   - those inside a RELAY-FORW or RELAY-REPL, at any nesting depth (a
 *     relay agent on this router relays them);
 *   - those the router forwards as IPv6 packets, bare or inside.
 * The bare messages this router itself sends or receives (leaseguardd's
 * own exchange with the server) are not relayed and not affected. Only
 * UDP to port 547 is looked into. What cannot be seen into is dropped
 * too, in the same places: relay messages nested deeper than 32 (RFC
 * 3315's HOP_COUNT_LIMIT), a first fragment that cuts the relay layers
 * or leaves out the UDP header (RFC 7112), and a relay layer that is
 * short, has no Relay Message or two, or whose options do not fill it
 * exactly (servers may read those differently). Each drop is counted in
 * LG_LINK_STATS_A_RELEASE_FWD_DROP of the interface that refused (the
 * one the packet arrived on, if both did).
 *
 * Static entry attributes (LG_A_SAVI: NLA_NESTED):
 *   LG_SAVI_A_IFINDEX: NLA_U32, the access interface
 *   LG_SAVI_A_IFNAME:  NLA_NUL_STRING, replies only
 *   LG_SAVI_A_ADDR:    NLA_BINARY, 16 octets, host bits zero
 *   LG_SAVI_A_PLEN:    NLA_U32, 0..128
 *   LG_SAVI_A_WIDE:    NLA_FLAG: the entry is shorter than
 *                      LG_SAVI_WIDE_PLEN (in replies too)
 *
 * LG_CMD_SAVI_GET (GENL_UNS_ADMIN_PERM)
 *   Dump (NLM_F_DUMP): every static entry, by interface; optional filter:
 *     LG_A_SAVI: NLA_NESTED
 *       LG_SAVI_A_IFINDEX: NLA_U32
 *
 * LG_CMD_SAVI_ADD (GENL_UNS_ADMIN_PERM)
 *   Add a static entry: LG_A_SAVI with IFINDEX, ADDR and PLEN, required;
 *   WIDE, optional. An entry is a prefix that subscribers may send from,
 *   so a prefix no subscriber may send from is refused (-EINVAL), with
 *   WIDE too: one inside ff00::/8 (multicast), fe80::/10 (link-local,
 *   valid anyway) or ::ffff:0:0/96 (IPv4-mapped). A prefix shorter than
 *   LG_SAVI_WIDE_PLEN (an LIR's allocation) is refused (-EINVAL) unless
 *   WIDE says it is meant: ::/0 with WIDE turns validation off for every
 *   global source on the interface (a trusted downstream router, say).
 *   WIDE on a longer prefix changes nothing; a longer prefix that
 *   overlaps ::/96 (the unspecified and loopback addresses) is refused
 *   (-EINVAL).
 *   Errors: -ENODEV no such interface; -EOPNOTSUPP not an access
 *   interface; -EINVAL host bits set, or refused as above; -EEXIST the
 *   entry exists; -ENOSPC the interface has LG_SAVI_MAX_ENTRIES entries.
 *
 * LG_CMD_SAVI_DEL (GENL_UNS_ADMIN_PERM)
 *   Delete a static entry: LG_A_SAVI with IFINDEX, ADDR and PLEN (not
 *   WIDE: -EINVAL). Errors: -ENOENT no such entry.
 *
 * Static entries go with the interface's access role. Adding or deleting
 * one sends LG_CMD_LINK_NTF (LG_LINK_A_SAVI_ENTRIES changed).
 *
 * LG_CMD_LINK_NTF (multicast group LEASEGUARD_MCGRP_CONFIG)
 *   An interface's configuration was created or changed; attributes as in
 *   the LG_CMD_LINK_GET reply.
 *
 * LG_CMD_LINK_DEL_NTF (multicast group LEASEGUARD_MCGRP_CONFIG)
 *   An interface's configuration is gone, by LG_CMD_LINK_SET with role
 *   none or because the interface went away:
 *     LG_A_LINK: NLA_NESTED
 *       LG_LINK_A_IFINDEX: NLA_U32
 *       LG_LINK_A_IFNAME:  NLA_NUL_STRING
 *
 * IGMP/MLD proxy
 * --------------
 * leaseguard is the router side of IGMP (v1..v3) and MLD (v1, v2) on
 * access interfaces, for an RFC 4605 proxy whose host side is the one
 * upstream interface of the family. The module snoops the subscribers'
 * reports and leaves, keeps the RFC 3376 section 6 / RFC 3810 section 7
 * state of every group on every access interface (filter mode, sources,
 * timers, older-version compatibility), and drops forwarded multicast
 * that the outgoing access interface's state does not want. leaseguardd
 * sends the queries, merges the state of all access interfaces on the
 * upstream interface and programs the kernel's multicast routing
 * (Documentation/mcast.rst). Each family is configured on its own:
 *
 * Proxy configuration (LG_A_MCAST: NLA_NESTED):
 *   LG_MCAST_A_FAMILY:     NLA_U8, AF_INET (IGMP) or AF_INET6 (MLD);
 *                          required in requests
 *   LG_MCAST_A_ENABLE:     NLA_U8, 0 or 1 (default 0). Off: reports are not
 *                          snooped, forwarded multicast is not filtered, and
 *                          turning it off deletes the family's groups.
 *   LG_MCAST_A_UPSTREAM:   NLA_U32, ifindex of the upstream interface, 0 for
 *                          none (default); not an access interface. It is
 *                          reset to 0 when the interface goes away.
 *   LG_MCAST_A_UPSTREAM_NAME: NLA_NUL_STRING, replies only
 *   LG_MCAST_A_VERSION:    NLA_U8, IGMP 1..3 (default 3), MLD 1..2
 *                          (default 2): the querier's version, the highest
 *                          a group's compatibility mode reaches, and the
 *                          version of the upstream interface's reports.
 *   LG_MCAST_A_ROBUSTNESS: NLA_U32, 1..7 (default 2), RFC 3376 8.1
 *   LG_MCAST_A_QUERY_INTERVAL: NLA_U32, seconds, 1..31744 (default 125)
 *   LG_MCAST_A_QUERY_RESPONSE_INTERVAL: NLA_U32, milliseconds, 100..3174400
 *                          (default 10000); less than the query interval
 *   LG_MCAST_A_LAST_MEMBER_INTERVAL: NLA_U32, milliseconds, 100..25500
 *                          (default 1000)
 *   LG_MCAST_A_LAST_MEMBER_COUNT: NLA_U32, 1..7 (default 2)
 *   LG_MCAST_A_MAX_GROUPS: NLA_U32, 1..LG_MC_MAX_GROUPS_LIMIT: groups of
 *                          the family per access interface (default
 *                          LG_MC_MAX_GROUPS_DEFAULT)
 *   LG_MCAST_A_MAX_SOURCES: NLA_U32, 1..LG_MC_MAX_SOURCES_LIMIT: sources
 *                          per group (default LG_MC_MAX_SOURCES_DEFAULT)
 *   LG_MCAST_A_GROUPS:     NLA_U32, replies only: groups of the family on
 *                          all access interfaces now
 *   LG_MCAST_A_MAX_GROUPS_HOST: NLA_U32, 1..LG_MC_MAX_GROUPS_LIMIT: groups
 *                          of the family that one host may create on an
 *                          access interface (default
 *                          LG_MC_MAX_GROUPS_HOST_DEFAULT). A host is its
 *                          Ethernet source address, or on an interface
 *                          without one the report's IP source address. A
 *                          group counts against the host whose report
 *                          created it until it is deleted; reports for a
 *                          group that exists are never refused by it.
 *   LG_MCAST_A_NS_MAX_GROUPS: NLA_U32, 1..LG_MC_NS_MAX_GROUPS_LIMIT: groups
 *                          of the family on all access interfaces of the
 *                          namespace (default LG_MC_NS_MAX_GROUPS_DEFAULT)
 *   LG_MCAST_A_NS_MAX_SOURCES: NLA_U32, 1..LG_MC_NS_MAX_SOURCES_LIMIT:
 *                          sources of all the family's groups in the
 *                          namespace (default LG_MC_NS_MAX_SOURCES_DEFAULT);
 *                          a record that would go beyond is refused whole
 *   LG_MCAST_A_SOURCES:    NLA_U32, replies only: sources of all the
 *                          family's groups now
 * A new group needs room under MAX_GROUPS, MAX_GROUPS_HOST and
 * NS_MAX_GROUPS; each refusal is counted (LG_LINK_STATS_A_MC_GROUPS_LIMITED,
 * LG_LINK_STATS_A_MC_HOST_LIMITED, LG_STATS_A_MC_NS_LIMITED). At the
 * defaults one host can hold 64 of an interface's 256 groups, so a
 * shared interface keeps room for three more such hosts; and a namespace
 * holds at most 8192 groups of a family (32 interfaces at their limit)
 * and 65536 sources: about 8192 * 0.5 KiB + 65536 * 64 B (a source is 32
 * octets, its state is rounded up to a power of two) = 8 MiB per family
 * whatever the subscribers send.
 * The timers follow: Group Membership Interval and Older Version Host
 * Present Timeout = ROBUSTNESS * QUERY_INTERVAL + QUERY_RESPONSE_INTERVAL,
 * Last Member Query Time = LAST_MEMBER_COUNT * LAST_MEMBER_INTERVAL.
 *
 * LG_CMD_MCAST_GET
 *   Request (doit): LG_A_MCAST with FAMILY. Reply: LG_A_MCAST, whole.
 *   Dump: no attributes (LG_A_MCAST: -EINVAL); IGMP then MLD.
 *
 * LG_CMD_MCAST_SET (GENL_UNS_ADMIN_PERM)
 *   Change one family's configuration; absent attributes keep their value.
 *   Lowering a limit keeps the groups and sources already there: a group
 *   with more sources than MAX_SOURCES is refreshed by its reports, and
 *   only refused more sources.
 *   Errors: -EAFNOSUPPORT FAMILY is neither; -ENODEV no such upstream
 *   interface; -EINVAL the upstream interface is an access interface, or
 *   the query response interval is not less than the query interval;
 *   -ERANGE a value out of its range. Sends LG_CMD_MCAST_NTF if anything
 *   changed.
 *
 * LG_CMD_MCAST_NTF (multicast group LEASEGUARD_MCGRP_CONFIG)
 *   A family's configuration changed; LG_A_MCAST as in the GET reply.
 *
 * Group state (LG_A_MC_GROUP: NLA_NESTED), one group on one access
 * interface:
 *   LG_MC_GROUP_A_IFINDEX:   NLA_U32
 *   LG_MC_GROUP_A_IFNAME:    NLA_NUL_STRING
 *   LG_MC_GROUP_A_FAMILY:    NLA_U8, AF_INET or AF_INET6
 *   LG_MC_GROUP_A_GROUP:     NLA_BINARY, 4 or 16 octets
 *   LG_MC_GROUP_A_FILTER_MODE: NLA_U32, enum lg_mc_filter_mode
 *   LG_MC_GROUP_A_COMPAT:    NLA_U8, the version the group runs in: the
 *                            lowest a host used within the Older Version
 *                            Host Present Timeout, at most VERSION
 *   LG_MC_GROUP_A_UP_TIME:   NLA_U32, seconds since the group appeared here
 *   LG_MC_GROUP_A_TIMER:     NLA_U32, milliseconds left on the group timer
 *                            (EXCLUDE mode; 0 in INCLUDE)
 *   LG_MC_GROUP_A_SOURCE:    NLA_NESTED, once per source, in address order:
 *     LG_MC_SOURCE_A_ADDR:   NLA_BINARY, 4 or 16 octets
 *     LG_MC_SOURCE_A_UP_TIME: NLA_U32, seconds
 *     LG_MC_SOURCE_A_TIMER:  NLA_U32, milliseconds left; 0 (EXCLUDE mode
 *                            only): the source is excluded
 *     LG_MC_SOURCE_A_FORWARD: NLA_U8, 1 if traffic from the source is
 *                            wanted here (INCLUDE: all listed; EXCLUDE:
 *                            those with a running timer)
 *   LG_MC_GROUP_A_DEL_REASON: NLA_U32, enum lg_mc_del_reason, in
 *                            LG_CMD_MC_GROUP_DEL_NTF only
 * An EXCLUDE group forwards every source but those with FORWARD 0; an
 * INCLUDE group only those listed.
 *
 * LG_CMD_MC_GROUP_GET (GENL_UNS_ADMIN_PERM)
 *   Request (doit): LG_A_MC_GROUP with IFINDEX, FAMILY and GROUP. Reply:
 *   LG_A_MC_GROUP. Errors: -ENOENT no such group there; -EINVAL GROUP's
 *   length is not the family's.
 *   Dump: every group, by interface and then address, or only those that
 *   match the optional LG_A_MC_GROUP with IFINDEX and/or FAMILY. A dump
 *   during which groups came or went ends with NLM_F_DUMP_INTR. Each of
 *   its skbs has room for a group of LG_MC_MAX_SOURCES_LIMIT sources
 *   (about 14 KiB): read it with a buffer of 32 KiB
 *   (MNL_SOCKET_DUMP_SIZE), or messages are cut short (MSG_TRUNC).
 *
 * LG_CMD_MC_GROUP_NTF (multicast group LEASEGUARD_MCGRP_MCAST)
 *   A group appeared, or its filter mode, sources or what it forwards
 *   changed (timers alone send nothing); LG_A_MC_GROUP as in the reply.
 *
 * LG_CMD_MC_GROUP_DEL_NTF (multicast group LEASEGUARD_MCGRP_MCAST)
 *   A group is gone from an interface: LG_A_MC_GROUP with IFINDEX, IFNAME
 *   (absent when the interface itself is going away), FAMILY, GROUP and
 *   DEL_REASON.
 *
 * LG_CMD_MC_QUERY_NTF (multicast group LEASEGUARD_MCGRP_MCAST)
 *   A report asked for a group-specific query (no SOURCE) or a group-and-
 *   source-specific query (the SOURCEs to ask about, ADDR only) on an
 *   interface, RFC 3376 section 6.4.2: LG_A_MC_GROUP with IFINDEX,
 *   FAMILY, GROUP and SOURCE. The module has already lowered the timers to
 *   the Last Member Query Time; the querier sends LAST_MEMBER_COUNT
 *   queries, LAST_MEMBER_INTERVAL apart.
 *
 * Counters: LG_STATS_A_MC_* and LG_LINK_STATS_A_MC_*. A subscriber's query
 * is dropped (a subscriber must not become the querier of its link).
 * Any-source joins of a Source-Specific Multicast group (232.0.0.0/8,
 * ff3x::/32; RFC 4607): IS_EX and TO_EX records, IGMPv1/v2 and MLDv1
 * reports, are ignored as RFC 4604 section 3.1 says, and counted
 * (LG_LINK_STATS_A_MC_SSM_ASM_IGNORED); source-specific joins of those
 * groups are kept as usual.
 */
#ifndef _UAPI_LINUX_LEASEGUARD_H
#define _UAPI_LINUX_LEASEGUARD_H

#define LEASEGUARD_GENL_NAME		"leaseguard"
#define LEASEGUARD_GENL_VERSION		1

#define LEASEGUARD_MCGRP_CONFIG		"config"	/* anybody */
#define LEASEGUARD_MCGRP_BINDINGS	"bindings"	/* CAP_NET_ADMIN */
#define LEASEGUARD_MCGRP_MCAST		"mcast"		/* CAP_NET_ADMIN */

#define LG_MAX_BINDINGS_DEFAULT		262144	/* per namespace */
#define LG_LINK_MAX_BINDINGS_DEFAULT	65536	/* per access interface */
#define LG_MAX_BINDINGS_LIMIT		16777216
#define LG_RESERVE_LINKS		64	/* see "Binding limits" */
#define LG_SAVI_MAX_ENTRIES		4096	/* static entries per interface */
#define LG_SAVI_WIDE_PLEN		32	/* shorter needs LG_SAVI_A_WIDE */
#define LG_BINDING_MAX_LEASES		4	/* leases (IAADDR, IAPREFIX) of a binding */
#define LG_LINK_MISS_RATE_DEFAULT	10	/* LG_CMD_SAVI_MISS_NTF/s, per interface */
#define LG_MISS_RATE_DEFAULT		100	/* LG_CMD_SAVI_MISS_NTF/s, per namespace */
#define LG_MISS_RATE_LIMIT		100000
#define LG_MISS_HOLDDOWN_MS		1000	/* a source sent again after */
#define LG_MISS_RECENT			16	/* sources remembered per interface */
#define LG_MC_MAX_GROUPS_DEFAULT	256	/* per access interface */
#define LG_MC_MAX_GROUPS_LIMIT		65536
#define LG_MC_MAX_SOURCES_DEFAULT	64	/* per group */
#define LG_MC_MAX_SOURCES_LIMIT		256
#define LG_MC_MAX_GROUPS_HOST_DEFAULT	64	/* per host on an interface */
#define LG_MC_NS_MAX_GROUPS_DEFAULT	8192	/* per namespace and family */
#define LG_MC_NS_MAX_GROUPS_LIMIT	1048576
#define LG_MC_NS_MAX_SOURCES_DEFAULT	65536	/* per namespace and family */
#define LG_MC_NS_MAX_SOURCES_LIMIT	16777216

/*
 * RELEASE-REQUEST and RELEASE-REQUEST-REPLY have no IANA numbers yet. The
 * defaults are from the unassigned range, far from 38 and 39 (which IANA
 * hands out next), so that a future assignment cannot collide with them.
 */
#define LG_RELEASE_REQUEST_TYPE_DEFAULT	240
#define LG_RELEASE_REPLY_TYPE_DEFAULT	241

enum lg_cmd {
	LG_CMD_UNSPEC,
	LG_CMD_LINK_GET,
	LG_CMD_LINK_SET,
	LG_CMD_STATS_GET,
	LG_CMD_LINK_NTF,
	LG_CMD_LINK_DEL_NTF,
	LG_CMD_CONFIG_GET,
	LG_CMD_CONFIG_SET,
	LG_CMD_BINDING_GET,
	LG_CMD_BINDING_DEL,
	LG_CMD_BINDING_NEW_NTF,
	LG_CMD_BINDING_UPD_NTF,
	LG_CMD_BINDING_DEL_NTF,
	LG_CMD_SAVI_GET,
	LG_CMD_SAVI_ADD,
	LG_CMD_SAVI_DEL,
	LG_CMD_BINDING_RELEASE,
	LG_CMD_MCAST_GET,
	LG_CMD_MCAST_SET,
	LG_CMD_MCAST_NTF,
	LG_CMD_MC_GROUP_GET,
	LG_CMD_MC_GROUP_NTF,
	LG_CMD_MC_GROUP_DEL_NTF,
	LG_CMD_MC_QUERY_NTF,
	LG_CMD_BINDING_ANCHOR_NTF,
	LG_CMD_BINDING_MOVE,
	LG_CMD_BINDING_NEW,
	LG_CMD_SAVI_MISS_NTF,

	__LG_CMD_MAX
};

#define LG_CMD_MAX (__LG_CMD_MAX - 1)

/* Top-level attributes: each carries one object, nested. */
enum lg_attrs {
	LG_A_UNSPEC,
	LG_A_LINK,		/* nest, enum lg_link_attrs */
	LG_A_STATS,		/* nest, enum lg_stats_attrs */
	LG_A_CONFIG,		/* nest, enum lg_config_attrs */
	LG_A_BINDING,		/* nest, enum lg_binding_attrs */
	LG_A_SAVI,		/* nest, enum lg_savi_attrs */
	LG_A_MCAST,		/* nest, enum lg_mcast_attrs */
	LG_A_MC_GROUP,		/* nest, enum lg_mc_group_attrs */
	LG_A_ANCHOR,		/* nest, enum lg_binding_attrs */
	LG_A_MISS,		/* nest, enum lg_miss_attrs */

	__LG_A_MAX
};

#define LG_A_MAX (__LG_A_MAX - 1)

/*
 * What an interface is to the access router.
 * @LG_ROLE_NONE: leaseguard leaves the interface alone.
 * @LG_ROLE_ACCESS: subscribers are behind it: DHCPv6 and IGMP/MLD are
 *	snooped here and the per-interface policies apply.
 * @LG_ROLE_UPSTREAM: towards the DHCPv6 servers and multicast sources.
 */
enum lg_role {
	LG_ROLE_NONE,
	LG_ROLE_ACCESS,
	LG_ROLE_UPSTREAM,

	__LG_ROLE_MAX
};

#define LG_ROLE_MAX (__LG_ROLE_MAX - 1)

enum lg_link_attrs {
	LG_LINK_A_UNSPEC,
	LG_LINK_A_IFINDEX,	/* u32 */
	LG_LINK_A_IFNAME,	/* string, replies only */
	LG_LINK_A_ROLE,		/* u32, enum lg_role */
	LG_LINK_A_STATS,	/* nest, enum lg_link_stats_attrs; replies only */
	LG_LINK_A_MAX_BINDINGS,	/* u32 */
	LG_LINK_A_BINDINGS,	/* u32, replies only */
	LG_LINK_A_SAVI_MODE,	/* u32, enum lg_savi_mode */
	LG_LINK_A_SAVI_ANCHOR,	/* u32, enum lg_savi_anchor */
	LG_LINK_A_DHCP6_SHIELD,	/* u8 */
	LG_LINK_A_RELEASE_TRUSTED, /* u8 */
	LG_LINK_A_SAVI_ENTRIES,	/* u32, replies only */
	LG_LINK_A_RELEASE_FORWARD, /* u8 */
	LG_LINK_A_MISS_RATE,	/* u32 */

	__LG_LINK_A_MAX
};

#define LG_LINK_A_MAX (__LG_LINK_A_MAX - 1)

/*
 * Source-address validation on an access interface.
 * @LG_SAVI_OFF: no check.
 * @LG_SAVI_MONITOR: check, count and log invalid sources; drop nothing.
 * @LG_SAVI_ENFORCE: drop packets from invalid sources.
 */
enum lg_savi_mode {
	LG_SAVI_OFF,
	LG_SAVI_MONITOR,
	LG_SAVI_ENFORCE,

	__LG_SAVI_MODE_MAX
};

#define LG_SAVI_MODE_MAX (__LG_SAVI_MODE_MAX - 1)

/*
 * What a binding's address is anchored to, besides the interface.
 * @LG_SAVI_ANCHOR_NONE: the interface only (one subscriber per interface).
 * @LG_SAVI_ANCHOR_MAC: also the client's MAC (subscribers sharing one
 *	interface, e.g. an N:1 VLAN).
 */
enum lg_savi_anchor {
	LG_SAVI_ANCHOR_NONE,
	LG_SAVI_ANCHOR_MAC,

	__LG_SAVI_ANCHOR_MAX
};

#define LG_SAVI_ANCHOR_MAX (__LG_SAVI_ANCHOR_MAX - 1)

/*
 * Per-interface counters, since the interface was configured.
 * @LG_LINK_STATS_A_RX_PACKETS, @LG_LINK_STATS_A_RX_BYTES: IPv6 packets
 *	(and their bytes, from the IPv6 header on) that arrived on the
 *	interface and were seen by leaseguard's receive hook.
 * @LG_LINK_STATS_A_DHCP6_SNOOPED: DHCPv6 messages parsed on the interface
 *	(client messages in, server messages out).
 * @LG_LINK_STATS_A_BINDINGS_LIMITED: leases not learned because the
 *	interface had LG_LINK_A_MAX_BINDINGS bindings.
 * @LG_LINK_STATS_A_SAVI_PASSED: packets whose source was checked and valid.
 * @LG_LINK_STATS_A_SAVI_DROP_SOURCE: dropped: the source is not link-local
 *	and no binding or static entry of this interface holds it.
 * @LG_LINK_STATS_A_SAVI_DROP_UNSPECIFIED: dropped: source :: but neither
 *	Duplicate Address Detection nor an MLD report.
 * @LG_LINK_STATS_A_SAVI_DROP_MAC: dropped: a binding holds the source but
 *	the Ethernet source is not its client's (LG_SAVI_ANCHOR_MAC).
 * @LG_LINK_STATS_A_SAVI_MONITORED: invalid sources passed in monitor mode
 *	(they are not counted in the DROP counters).
 * @LG_LINK_STATS_A_SHIELD_DROP_SERVER: dropped: a DHCPv6 server or relay
 *	message from a subscriber (RFC 7610).
 * @LG_LINK_STATS_A_SHIELD_DROP_RELEASE: dropped: RELEASE-REQUEST or
 *	RELEASE-REQUEST-REPLY from a subscriber.
 * @LG_LINK_STATS_A_SHIELD_DROP_HIDDEN: dropped: the shield cannot see it
 *	whole. The header chain hides or cuts the upper-layer header (a
 *	first fragment without it, RFC 7112; a packet ending inside its
 *	header chain), or a DHCPv6 message to port 547 is fragmented, or a
 *	RELAY-FORW (or trusted release message) does not parse whole.
 * @LG_LINK_STATS_A_RELEASE_FWD_DROP: forwarded RELEASE-REQUEST or
 *	RELEASE-REQUEST-REPLY dropped: in or out by this interface, whose
 *	LG_LINK_A_RELEASE_FORWARD is 0 (counted on the interface that refused).
 */
enum lg_link_stats_attrs {
	LG_LINK_STATS_A_UNSPEC,
	LG_LINK_STATS_A_PAD,
	LG_LINK_STATS_A_RX_PACKETS,	/* u64 */
	LG_LINK_STATS_A_RX_BYTES,	/* u64 */
	LG_LINK_STATS_A_DHCP6_SNOOPED,	/* u64 */
	LG_LINK_STATS_A_BINDINGS_LIMITED, /* u64 */
	LG_LINK_STATS_A_SAVI_PASSED,	/* u64 */
	LG_LINK_STATS_A_SAVI_DROP_SOURCE, /* u64 */
	LG_LINK_STATS_A_SAVI_DROP_UNSPECIFIED, /* u64 */
	LG_LINK_STATS_A_SAVI_DROP_MAC,	/* u64 */
	LG_LINK_STATS_A_SAVI_MONITORED,	/* u64 */
	LG_LINK_STATS_A_SHIELD_DROP_SERVER, /* u64 */
	LG_LINK_STATS_A_SHIELD_DROP_RELEASE, /* u64 */
	LG_LINK_STATS_A_SHIELD_DROP_HIDDEN, /* u64 */
	LG_LINK_STATS_A_RELEASE_FWD_DROP, /* u64 */
	LG_LINK_STATS_A_MC_REPORTS,	/* u64, reports and leaves snooped */
	LG_LINK_STATS_A_MC_QUERY_DROP,	/* u64, a subscriber's query */
	LG_LINK_STATS_A_MC_GROUPS_LIMITED, /* u64, new group refused */
	LG_LINK_STATS_A_MC_SOURCES_LIMITED, /* u64, record refused */
	LG_LINK_STATS_A_MC_FWD_PASSED,	/* u64, forwarded here: wanted */
	LG_LINK_STATS_A_MC_FWD_DROP,	/* u64, forwarded here: unwanted */
	/* u64, new group refused: its host had MAX_GROUPS_HOST groups */
	LG_LINK_STATS_A_MC_HOST_LIMITED,
	/* u64, any-source join of an SSM group: ignored (RFC 4604 3.1) */
	LG_LINK_STATS_A_MC_SSM_ASM_IGNORED,
	LG_LINK_STATS_A_SAVI_MISS_SENT,	/* u64, LG_CMD_SAVI_MISS_NTF sent */
	/* u64: a miss not sent, its source sent in the last holddown */
	LG_LINK_STATS_A_SAVI_MISS_REPEATED,
	/* u64: a miss not sent: over a rate (or no memory) */
	LG_LINK_STATS_A_SAVI_MISS_LIMITED,

	__LG_LINK_STATS_A_MAX
};

#define LG_LINK_STATS_A_MAX (__LG_LINK_STATS_A_MAX - 1)

/*
 * Namespace-wide counters, since the module was loaded in the namespace.
 * Per-interface counters are in each LG_LINK_A_STATS.
 * @LG_STATS_A_LINKS_GONE: configurations dropped because their interface
 *	was unregistered or left the namespace.
 * @LG_STATS_A_BINDINGS: bindings now (a gauge, not a counter).
 * @LG_STATS_A_BINDINGS_CREATED, @LG_STATS_A_BINDINGS_DELETED: since load.
 * @LG_STATS_A_BINDINGS_LIMITED: leases not learned because the namespace
 *	had LG_CONFIG_A_MAX_BINDINGS bindings, or because what it had left
 *	was the reserve of other interfaces (see "Binding limits").
 * @LG_STATS_A_LEASES_EXPIRED: leases that reached their valid lifetime.
 * @LG_STATS_A_DHCP6_UNMATCHED: server replies that matched no client
 *	request seen on an access interface (by transaction-id and DUID).
 * @LG_STATS_A_DHCP6_TOO_BIG: DHCPv6 messages too large to snoop.
 * @LG_STATS_A_DHCP6_NOMEM: leases not learned for want of memory.
 * @LG_STATS_A_DHCP6_MALFORMED_*: DHCPv6 messages dropped from snooping
 *	(never from the wire) as malformed, by reason: shorter than their
 *	header; an option running past its container; an option of the wrong
 *	length; a bad DUID; a prefix longer than 128; an option that may
 *	appear once appearing twice; relays nested too deep; a relay message
 *	without its Relay Message option; a relay message carrying the wrong
 *	kind of message; a bad UDP checksum (CSUM, checked before anything
 *	is parsed).
 * @LG_STATS_A_DHCP6_REPLY_FROM_ACCESS: server messages not learned from
 *	because they had arrived on an access interface (a subscriber posing
 *	as a server; DHCPv6-Shield off).
 */
enum lg_stats_attrs {
	LG_STATS_A_UNSPEC,
	LG_STATS_A_PAD,
	LG_STATS_A_LINKS_GONE,		/* u64 */
	LG_STATS_A_BINDINGS,		/* u64 */
	LG_STATS_A_BINDINGS_CREATED,	/* u64 */
	LG_STATS_A_BINDINGS_DELETED,	/* u64 */
	LG_STATS_A_BINDINGS_LIMITED,	/* u64 */
	LG_STATS_A_LEASES_EXPIRED,	/* u64 */
	LG_STATS_A_DHCP6_UNMATCHED,	/* u64 */
	LG_STATS_A_DHCP6_TOO_BIG,	/* u64 */
	LG_STATS_A_DHCP6_NOMEM,		/* u64 */
	LG_STATS_A_DHCP6_MALFORMED_SHORT,	/* u64 */
	LG_STATS_A_DHCP6_MALFORMED_OPT_OVERRUN,	/* u64 */
	LG_STATS_A_DHCP6_MALFORMED_OPT_LEN,	/* u64 */
	LG_STATS_A_DHCP6_MALFORMED_DUID,	/* u64 */
	LG_STATS_A_DHCP6_MALFORMED_PREFIX_LEN,	/* u64 */
	LG_STATS_A_DHCP6_MALFORMED_DUPLICATE,	/* u64 */
	LG_STATS_A_DHCP6_MALFORMED_HOPS,	/* u64 */
	LG_STATS_A_DHCP6_MALFORMED_NO_RELAY_MSG, /* u64 */
	LG_STATS_A_DHCP6_MALFORMED_TYPE,	/* u64 */
	LG_STATS_A_DHCP6_REPLY_FROM_ACCESS,	/* u64 */
	LG_STATS_A_MC_GROUPS,		/* u64, gauge: all families */
	LG_STATS_A_MC_GROUPS_CREATED,	/* u64 */
	LG_STATS_A_MC_GROUPS_DELETED,	/* u64 */
	LG_STATS_A_MC_RECORDS,		/* u64, records applied */
	/* u64: unknown type, link scope, or ignored by compatibility mode */
	LG_STATS_A_MC_RECORDS_IGNORED,
	LG_STATS_A_MC_NOMEM,		/* u64 */
	LG_STATS_A_MC_MALFORMED_SHORT,	/* u64, the mc_err of the parser */
	LG_STATS_A_MC_MALFORMED_CSUM,	/* u64 */
	LG_STATS_A_MC_MALFORMED_TYPE,	/* u64 */
	LG_STATS_A_MC_MALFORMED_RECORD,	/* u64 */
	LG_STATS_A_MC_MALFORMED_GROUP,	/* u64 */
	LG_STATS_A_MC_MALFORMED_SOURCE,	/* u64 */
	/* u64: TTL/hop limit not 1, or an MLD source not link-local or :: */
	LG_STATS_A_MC_MALFORMED_IP,
	LG_STATS_A_DHCP6_MALFORMED_CSUM,	/* u64 */
	/* u64: a reply to another anchor's request: the binding's anchor kept */
	LG_STATS_A_ANCHOR_CONFLICTS,
	/* u64: new group or record refused by NS_MAX_GROUPS/NS_MAX_SOURCES */
	LG_STATS_A_MC_NS_LIMITED,
	/* u64: a miss not sent, over LG_CONFIG_A_MISS_RATE */
	LG_STATS_A_SAVI_MISS_LIMITED,

	__LG_STATS_A_MAX
};

#define LG_STATS_A_MAX (__LG_STATS_A_MAX - 1)

enum lg_config_attrs {
	LG_CONFIG_A_UNSPEC,
	LG_CONFIG_A_MAX_BINDINGS,	/* u32 */
	LG_CONFIG_A_RELEASE_REQUEST_TYPE, /* u32 */
	LG_CONFIG_A_RELEASE_REPLY_TYPE,	/* u32 */
	LG_CONFIG_A_MISS_RATE,		/* u32 */

	__LG_CONFIG_A_MAX
};

#define LG_CONFIG_A_MAX (__LG_CONFIG_A_MAX - 1)

/* The IA a binding is for. */
enum lg_ia_type {
	LG_IA_NA = 1,		/* non-temporary addresses */
	LG_IA_PD,		/* delegated prefixes */

	__LG_IA_MAX
};

#define LG_IA_MAX (__LG_IA_MAX - 1)

/*
 * @LG_BINDING_BOUND: the server granted the leases.
 * @LG_BINDING_RELEASING: a release was asked for (see leaseguardd) and the
 *	server has not answered yet; the leases still apply.
 */
enum lg_binding_state {
	LG_BINDING_BOUND = 1,
	LG_BINDING_RELEASING,

	__LG_BINDING_STATE_MAX
};

#define LG_BINDING_STATE_MAX (__LG_BINDING_STATE_MAX - 1)

/*
 * How a binding came to this router.
 * @LG_BINDING_ORIGIN_SNOOPED: learned from a DHCPv6 exchange seen here.
 * @LG_BINDING_ORIGIN_RESTORED: LG_CMD_BINDING_NEW from leaseguardd's store
 *	(after a module reload or a reboot), or by an administrator.
 * @LG_BINDING_ORIGIN_LEASEQUERY: LG_CMD_BINDING_NEW with what a server's
 *	LEASEQUERY-REPLY said (RFC 5007; RFC 7513 section 7).
 * @LG_BINDING_ORIGIN_SYNCED: LG_CMD_BINDING_NEW with what the failover
 *	partner sent.
 * A snooped REPLY that refreshes a binding makes it LG_BINDING_ORIGIN_SNOOPED.
 */
enum lg_binding_origin {
	LG_BINDING_ORIGIN_SNOOPED = 1,
	LG_BINDING_ORIGIN_RESTORED,
	LG_BINDING_ORIGIN_LEASEQUERY,
	LG_BINDING_ORIGIN_SYNCED,

	__LG_BINDING_ORIGIN_MAX
};

#define LG_BINDING_ORIGIN_MAX (__LG_BINDING_ORIGIN_MAX - 1)

/*
 * Why a binding went away.
 * @LG_BINDING_DEL_EXPIRED: every lease reached its valid lifetime.
 * @LG_BINDING_DEL_CLIENT_RELEASE: the server confirmed the client's RELEASE.
 * @LG_BINDING_DEL_CLIENT_DECLINE: the server confirmed the client's DECLINE.
 * @LG_BINDING_DEL_ADMIN: LG_CMD_BINDING_DEL.
 * @LG_BINDING_DEL_INTERFACE: the access interface went away or stopped
 *	being an access interface.
 * @LG_BINDING_DEL_SERVER: the server gave every lease a valid lifetime of 0.
 * @LG_BINDING_DEL_SUPERSEDED: the server leased its last address or prefix
 *	to another client on the same interface.
 * @LG_BINDING_DEL_RELAY_RELEASE: the server confirmed the relay's
 *	RELEASE-REQUEST (Success or NoBinding): leaseguardd deleted it.
 */
enum lg_binding_del_reason {
	LG_BINDING_DEL_EXPIRED = 1,
	LG_BINDING_DEL_CLIENT_RELEASE,
	LG_BINDING_DEL_CLIENT_DECLINE,
	LG_BINDING_DEL_ADMIN,
	LG_BINDING_DEL_INTERFACE,
	LG_BINDING_DEL_SERVER,
	LG_BINDING_DEL_SUPERSEDED,
	LG_BINDING_DEL_RELAY_RELEASE,

	__LG_BINDING_DEL_MAX
};

#define LG_BINDING_DEL_MAX (__LG_BINDING_DEL_MAX - 1)

/*
 * Why a relay-initiated release was asked for (the draft's triggers, 1.2).
 * @LG_RELEASE_ADMIN: LG_CMD_BINDING_RELEASE from an administrator.
 * @LG_RELEASE_LINK_DOWN: the access interface stayed down too long.
 * @LG_RELEASE_UNREACHABLE: the client's link-local stopped answering
 *	neighbor solicitations for too long.
 * @LG_RELEASE_REPLACED: another client was bound on a single-subscriber
 *	interface.
 * @LG_RELEASE_MOVED: the client was bound on another interface.
 */
enum lg_release_reason {
	LG_RELEASE_ADMIN = 1,
	LG_RELEASE_LINK_DOWN,
	LG_RELEASE_UNREACHABLE,
	LG_RELEASE_REPLACED,
	LG_RELEASE_MOVED,

	__LG_RELEASE_MAX
};

#define LG_RELEASE_MAX (__LG_RELEASE_MAX - 1)

enum lg_binding_attrs {
	LG_BINDING_A_UNSPEC,
	LG_BINDING_A_PAD,
	LG_BINDING_A_ID,		/* u64 */
	LG_BINDING_A_IFINDEX,		/* u32 */
	LG_BINDING_A_IFNAME,		/* string, replies only */
	LG_BINDING_A_CLIENT_DUID,	/* binary */
	LG_BINDING_A_IA_TYPE,		/* u32, enum lg_ia_type */
	LG_BINDING_A_IAID,		/* u32 */
	LG_BINDING_A_STATE,		/* u32, enum lg_binding_state */
	LG_BINDING_A_CLIENT_LLADDR,	/* binary, 16 */
	LG_BINDING_A_CLIENT_MAC,	/* binary, 6 */
	LG_BINDING_A_SERVER_DUID,	/* binary */
	LG_BINDING_A_SERVER_ADDR,	/* binary, 16 */
	LG_BINDING_A_INTERFACE_ID,	/* binary */
	LG_BINDING_A_CREATED,		/* u64 */
	LG_BINDING_A_UPDATED,		/* u64 */
	LG_BINDING_A_LEASE,		/* nest, enum lg_lease_attrs; multi */
	LG_BINDING_A_DEL_REASON,	/* u32, enum lg_binding_del_reason */
	LG_BINDING_A_ADDR,		/* binary, 16; requests only */
	LG_BINDING_A_ALL,		/* flag; requests only */
	LG_BINDING_A_RELEASE_REASON,	/* u32, enum lg_release_reason */
	LG_BINDING_A_RELEASE_CANCEL,	/* flag; requests only */
	LG_BINDING_A_ORIGIN,		/* u32, enum lg_binding_origin */
	LG_BINDING_A_REPLACE,		/* flag; LG_CMD_BINDING_NEW only */
	LG_BINDING_A_REPLIED,		/* u64, ms */

	__LG_BINDING_A_MAX
};

#define LG_BINDING_A_MAX (__LG_BINDING_A_MAX - 1)

enum lg_lease_attrs {
	LG_LEASE_A_UNSPEC,
	LG_LEASE_A_PAD,
	LG_LEASE_A_ADDR,		/* binary, 16 */
	LG_LEASE_A_PLEN,		/* u32 */
	LG_LEASE_A_PREFERRED,		/* u32 */
	LG_LEASE_A_VALID,		/* u32 */
	LG_LEASE_A_EXPIRES,		/* u64 */

	__LG_LEASE_A_MAX
};

#define LG_LEASE_A_MAX (__LG_LEASE_A_MAX - 1)

enum lg_savi_attrs {
	LG_SAVI_A_UNSPEC,
	LG_SAVI_A_IFINDEX,		/* u32 */
	LG_SAVI_A_IFNAME,		/* string, replies only */
	LG_SAVI_A_ADDR,			/* binary, 16 */
	LG_SAVI_A_PLEN,			/* u32 */
	LG_SAVI_A_WIDE,			/* flag */

	__LG_SAVI_A_MAX
};

#define LG_SAVI_A_MAX (__LG_SAVI_A_MAX - 1)

enum lg_mcast_attrs {
	LG_MCAST_A_UNSPEC,
	LG_MCAST_A_FAMILY,		/* u8, AF_INET or AF_INET6 */
	LG_MCAST_A_ENABLE,		/* u8 */
	LG_MCAST_A_UPSTREAM,		/* u32, ifindex */
	LG_MCAST_A_UPSTREAM_NAME,	/* string, replies only */
	LG_MCAST_A_VERSION,		/* u8 */
	LG_MCAST_A_ROBUSTNESS,		/* u32 */
	LG_MCAST_A_QUERY_INTERVAL,	/* u32, s */
	LG_MCAST_A_QUERY_RESPONSE_INTERVAL, /* u32, ms */
	LG_MCAST_A_LAST_MEMBER_INTERVAL, /* u32, ms */
	LG_MCAST_A_LAST_MEMBER_COUNT,	/* u32 */
	LG_MCAST_A_MAX_GROUPS,		/* u32 */
	LG_MCAST_A_MAX_SOURCES,		/* u32 */
	LG_MCAST_A_GROUPS,		/* u32, replies only */
	LG_MCAST_A_MAX_GROUPS_HOST,	/* u32 */
	LG_MCAST_A_NS_MAX_GROUPS,	/* u32 */
	LG_MCAST_A_NS_MAX_SOURCES,	/* u32 */
	LG_MCAST_A_SOURCES,		/* u32, replies only */

	__LG_MCAST_A_MAX
};

#define LG_MCAST_A_MAX (__LG_MCAST_A_MAX - 1)

/* A group's filter mode (RFC 3376 section 6). */
enum lg_mc_filter_mode {
	LG_MC_INCLUDE = 1,
	LG_MC_EXCLUDE,
};

/* Why a group went away from an interface. */
enum lg_mc_del_reason {
	LG_MC_DEL_EXPIRED = 1,	/* its timers ran out: nobody answered */
	LG_MC_DEL_LEFT,		/* a record left it INCLUDE({}) */
	LG_MC_DEL_INTERFACE,	/* not an access interface any more */
	LG_MC_DEL_DISABLED,	/* the family was disabled */

	__LG_MC_DEL_MAX
};

#define LG_MC_DEL_MAX (__LG_MC_DEL_MAX - 1)

enum lg_mc_group_attrs {
	LG_MC_GROUP_A_UNSPEC,
	LG_MC_GROUP_A_IFINDEX,		/* u32 */
	LG_MC_GROUP_A_IFNAME,		/* string, replies only */
	LG_MC_GROUP_A_FAMILY,		/* u8 */
	LG_MC_GROUP_A_GROUP,		/* binary, 4 or 16 */
	LG_MC_GROUP_A_FILTER_MODE,	/* u32, enum lg_mc_filter_mode */
	LG_MC_GROUP_A_COMPAT,		/* u8 */
	LG_MC_GROUP_A_UP_TIME,		/* u32, s */
	LG_MC_GROUP_A_TIMER,		/* u32, ms */
	LG_MC_GROUP_A_SOURCE,		/* nest, enum lg_mc_source_attrs */
	LG_MC_GROUP_A_DEL_REASON,	/* u32, enum lg_mc_del_reason */

	__LG_MC_GROUP_A_MAX
};

#define LG_MC_GROUP_A_MAX (__LG_MC_GROUP_A_MAX - 1)

enum lg_mc_source_attrs {
	LG_MC_SOURCE_A_UNSPEC,
	LG_MC_SOURCE_A_ADDR,		/* binary, 4 or 16 */
	LG_MC_SOURCE_A_UP_TIME,		/* u32, s */
	LG_MC_SOURCE_A_TIMER,		/* u32, ms */
	LG_MC_SOURCE_A_FORWARD,		/* u8 */

	__LG_MC_SOURCE_A_MAX
};

#define LG_MC_SOURCE_A_MAX (__LG_MC_SOURCE_A_MAX - 1)

/* LG_A_MISS of LG_CMD_SAVI_MISS_NTF: a source no binding validates. */
enum lg_miss_attrs {
	LG_MISS_A_UNSPEC,
	LG_MISS_A_IFINDEX,		/* u32 */
	LG_MISS_A_SRC_ADDR,		/* binary, 16 */
	LG_MISS_A_SRC_MAC,		/* binary, 6 */

	__LG_MISS_A_MAX
};

#define LG_MISS_A_MAX (__LG_MISS_A_MAX - 1)

#endif /* _UAPI_LINUX_LEASEGUARD_H */
