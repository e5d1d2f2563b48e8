// SPDX-License-Identifier: GPL-2.0 OR MIT
//
// RFC 5007 LEASEQUERY for Kea's DHCPv6 server (Debian's Kea 2.2 has no
// leasequery hook): answer a trusted requestor's query by address or by
// client-id from Kea's lease database, so that leaseguardd can recover a
// binding it lost (RFC 7513 section 7, issue 20 item 4).
//
// Like ReleaseRequestHandler, this is logic with no hook in it: the
// callout hands it the packet's bytes, source address and the server's
// DUID, and sends what it returns. The unit tests drive it the same way,
// against Kea's memfile lease manager and a staged subnet configuration.
//
// What it answers (RFC 5007 sections 4.1.2 and 4.3):
// - Who may ask: a trusted relay of the hook's "trusted-relays" (the ones
//   trusted with RELEASE-REQUEST): a Relay-Id in the entry must equal the
//   query's Client Identifier (leaseguardd uses one DUID for both), an
//   address must equal the query's source. Only unrelayed queries are
//   answered; anyone else gets NotAllowed.
// - A message that is no LEASEQUERY (no Client Identifier, options running
//   past the message) or names another server is discarded; a good message
//   with a bad LQ_QUERY gets MalformedQuery, another query-type
//   UnknownQueryType, a link-address no subnet has NotConfigured.
// - A link is a subnet, or the shared network it is in: the link of a
//   link-address is the subnets whose prefix holds it or whose relay
//   addresses list it. A lease is bound when it is in the default state
//   and not expired (declined, expired and reclaimed leases are not).
// - QUERY_BY_ADDRESS: the lease of that address, or the delegated prefix
//   holding it (delegated lengths of the configured PD pools, then the
//   address as a prefix). Bound, and on the link-address's link if one is
//   given: the reply has the client's Client Data with all of its bound
//   leases on that link (4.1.2.2: "all of the client's ... on the link").
//   Bound elsewhere, or not bound: Success without Client Data. No link
//   given, no lease, and the address in no subnet nor PD pool:
//   NotConfigured.
// - QUERY_BY_CLIENTID: the client's bound leases on the link-address's
//   link; with 0::0, on every link, and if that is more than one, an
//   LQ_CLIENT_LINK with a link-address for each (its first subnet's prefix)
//   instead of a Client Data (4.1.2.5).
// - The Client Data: CLIENTID, IAADDR/IAPREFIX with the lifetimes left
//   (lifetime less the time since the lease's last transaction; infinite
//   stays infinite), and CLT_TIME, the seconds since the client's latest
//   transaction among them. When the query's ORO asks for
//   OPTION_LQ_RELAY_DATA and Kea kept the relays of the client's latest
//   transaction ("store-extended-info": true), the Client Data has the
//   relay data too: those RELAY-FORWs without the client's message (its
//   innermost peer-address is the client's link-local address, its options
//   the relay's Interface-Id). When the query's ORO asks for OPTION_IA_NA or
//   OPTION_IA_PD, the leases of that kind come again in their IAs, with
//   Kea's IAIDs ("The IAs" in dhcp6_leasequery.h): leaseguard keys a
//   binding by its IAID.
#ifndef LEASEGUARD_KEA_LEASEQUERY_H
#define LEASEGUARD_KEA_LEASEQUERY_H

#include <asiolink/io_address.h>
#include <dhcpsrv/lease.h>

#include <cstdint>
#include <ctime>
#include <string>
#include <vector>

#include "dhcp6_leasequery.h"
#include "release_request.h"

namespace leaseguard {

struct LeaseQueryOutcome {
    enum class Action {
        PASS,       // not ours to answer: Kea's core has it
        DROP,       // discarded (why says why)
        REPLY,      // send reply, then drop the query
    };
    enum class Kind {
        NONE,       // PASS
        DISCARDED,  // not a LEASEQUERY one can answer
        REFUSED,    // NotAllowed
        ANSWERED,   // every other status
    };

    Action action = Action::PASS;
    Kind kind = Kind::NONE;
    std::string why;                // what was asked and what was found
    std::vector<uint8_t> reply;     // REPLY: the LEASEQUERY-REPLY
    uint32_t xid = 0;
    uint16_t status = 0;            // REPLY: its status
    size_t leases = 0;              // ... leases in its Client Data
    size_t links = 0;               // ... links in its LQ_CLIENT_LINK
};

class LeaseQueryHandler {
public:
    explicit LeaseQueryHandler(const ReleaseRequestConfig& config)
        : config_(config) {}

    // Handles the UDP payload buf[0..len) from source, at a server whose
    // DUID is server_duid: a LEASEQUERY, else PASS. Reads the lease
    // database (LeaseMgrFactory::instance()) and the current subnets
    // (CfgMgr); never throws. now: the clock the lifetimes are counted on.
    LeaseQueryOutcome handle(const uint8_t* buf, size_t len,
                             const isc::asiolink::IOAddress& source,
                             const std::vector<uint8_t>& server_duid,
                             time_t now = time(0)) const;

private:
    bool trusted(const lq_query& q, const isc::asiolink::IOAddress& source) const;

    ReleaseRequestConfig config_;
};

} // namespace leaseguard

#endif
