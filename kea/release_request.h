// SPDX-License-Identifier: GPL-2.0 OR MIT
//
// The server side of the relay-initiated release
// (draft-gandhewar-dhc-v6-relay-initiated-release-01, sections 3.2.1, 4.3
// and 5) for Kea's DHCPv6 server: validate a RELEASE-REQUEST, decide
// whether its relay may ask, release the named leases the way Kea releases
// on a client's RELEASE, and build the RELEASE-REQUEST-REPLY.
//
// This is the hook's logic with no hook in it: the callouts
// (release_request_callouts.cc) hand it the packet's bytes, source address
// and the server's DUID, and send what it returns. The unit tests drive it
// the same way, against Kea's real memfile lease manager.
#ifndef LEASEGUARD_KEA_RELEASE_REQUEST_H
#define LEASEGUARD_KEA_RELEASE_REQUEST_H

#include <asiolink/io_address.h>
#include <cc/data.h>
#include <dhcpsrv/lease.h>

#include <cstdint>
#include <string>
#include <vector>

#include "dhcp6_release.h"
#include "ha_peers.h"

namespace leaseguard {

// The hook's "parameters", parsed and checked. Defaults: enabled, refusals
// dropped silently, no relay trusted (draft section 5: an unknown relay's
// request MUST be discarded or rejected), no intermediate relay accepted,
// message types 240 and 241 (the same defaults as leaseguard's kernel
// module and agent).
//
// The trust model. The originator of a RELEASE-REQUEST is the relay its
// Relay-Id names; the RELAY-FORWs around it, if any, are transit.
// - trusted-relays: the originators. An unrelayed request (straight to
//   Kea) matches an entry by its Relay-Id and/or its source address. A
//   relayed one matches only an entry with a relay-id; the entry's
//   address, if any, is compared with the innermost RELAY-FORW's
//   peer-address (where the first intermediate relay got it from).
//   Address trust alone never covers a relayed request: any relay on the
//   path could otherwise forward a subscriber's forgery as its own.
// - trusted-intermediate-relays: the relays a request may come through.
//   Each RELAY-FORW must match an entry: its sender's address (the
//   request's source for the outermost, else the peer-address of the
//   RELAY-FORW around it), the Relay-Id option in it (RFC 5460 5.4.1) and
//   its link-address, as far as the entry has them. None listed: relayed
//   requests are refused.
struct ReleaseRequestConfig {
    enum class Refusal { DROP, REPLY };

    // A relay the server accepts: every field it has must match. An empty
    // relay_id or an unspecified address is not part of the match;
    // link_address is for intermediate relays only.
    struct TrustedRelay {
        std::vector<uint8_t> relay_id;
        isc::asiolink::IOAddress address = isc::asiolink::IOAddress::IPV6_ZERO_ADDRESS();
        isc::asiolink::IOAddress link_address = isc::asiolink::IOAddress::IPV6_ZERO_ADDRESS();
    };

    bool enabled = true;
    Refusal when_disabled = Refusal::DROP;  // REPLY: NotConfigured
    Refusal untrusted = Refusal::DROP;      // REPLY: NotAllowed
    std::vector<TrustedRelay> trusted_relays;
    std::vector<TrustedRelay> trusted_intermediates;
    // RFC 5007 LEASEQUERY answered (leasequery.h), to trusted_relays only.
    bool leasequery = true;
    uint8_t request_type = 240;
    uint8_t reply_type = 241;
    // The Kea HA peers each release is sent to (ha_peers.h): ha-peers,
    // when given (ha_peers_set; [] for none), else those of the server's
    // own libdhcp_ha.so, read when the server is configured.
    bool ha_peers_set = false;
    std::vector<HaPeer> ha_peers;
    size_t ha_queue_limit = 4096;   // commands per peer

    // Parses the hook library's parameters (a map, or null for none).
    // Throws isc::BadValue naming the parameter and what is wrong with it;
    // unknown parameters are errors, so that a typo cannot weaken security.
    static ReleaseRequestConfig parse(const isc::data::ConstElementPtr& params);

    // A line for the log: what is configured.
    std::string summary() const;

    // Whether a relayed request can be accepted at all: an intermediate
    // relay is listed and a trusted relay has a relay-id.
    bool acceptsRelayed() const;
};

// What the server does with one packet.
struct ReleaseRequestOutcome {
    enum class Action {
        PASS,       // not a RELEASE-REQUEST: Kea's core handles it
        DROP,       // discarded or silently refused (why says which)
        REPLY,      // send reply, then drop the query
    };
    enum class Kind {
        NONE,       // PASS
        DISCARDED,  // malformed, or invalid (draft 3.2.1)
        REFUSED,    // disabled, or an untrusted relay
        PROCESSED,  // leases released; the reply says which failed
    };

    Action action = Action::PASS;
    Kind kind = Kind::NONE;
    std::string why;                // DISCARDED or REFUSED: the reason
    std::vector<uint8_t> reply;     // REPLY: the RELEASE-REQUEST-REPLY
    uint32_t xid = 0;
    uint16_t status = 0;            // REPLY: its top-level status
    size_t clients = 0;             // PROCESSED: Client Data in the request
    size_t released = 0;            // ... leases released
    size_t failed_clients = 0;      // ... Client Data in the reply
    isc::dhcp::Lease6Collection deleted;    // ... the leases released
};

class ReleaseRequestHandler {
public:
    // One RELAY-FORW around a request (defined in release_request.cc).
    struct RelayLayer;

    explicit ReleaseRequestHandler(const ReleaseRequestConfig& config)
        : config_(config) {}

    const ReleaseRequestConfig& config() const { return config_; }

    // Handles the UDP payload buf[0..len) that arrived from source, at a
    // server whose DUID is server_duid: a RELEASE-REQUEST, or one that
    // intermediate relays wrapped in RELAY-FORWs (the reply then comes
    // wrapped in as many RELAY-REPLs, for the outermost relay). Releases
    // leases through LeaseMgrFactory::instance(); never throws.
    ReleaseRequestOutcome handle(const uint8_t* buf, size_t len,
                                 const isc::asiolink::IOAddress& source,
                                 const std::vector<uint8_t>& server_duid) const;

private:
    ReleaseRequestOutcome handleRequest(const uint8_t* buf, size_t len,
                                        const isc::asiolink::IOAddress& source,
                                        const std::vector<uint8_t>& server_duid,
                                        const RelayLayer* relays, size_t n) const;
    // "" when the request may be processed, else why not.
    std::string untrusted(const dr_msg& m, const isc::asiolink::IOAddress& source,
                          const RelayLayer* relays, size_t n) const;
    void release(dr_client& client, ReleaseRequestOutcome& out) const;
    uint16_t releaseAll(const dr_client& client,
                        ReleaseRequestOutcome& out) const;
    uint16_t releaseIA(const dr_client& client, const dr_ia& ia,
                       ReleaseRequestOutcome& out) const;
    void releaseBare(const dr_client& client, dr_ia& ia,
                     ReleaseRequestOutcome& out) const;
    bool releaseLease(const isc::dhcp::Lease6Ptr& lease,
                      ReleaseRequestOutcome& out) const;

    ReleaseRequestConfig config_;
};

} // namespace leaseguard

#endif
