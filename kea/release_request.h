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

namespace leaseguard {

// The hook's "parameters", parsed and checked. Defaults: enabled, refusals
// dropped silently, no relay trusted (draft section 5: an unknown relay's
// request MUST be discarded or rejected), message types 240 and 241 (the
// same defaults as leaseguard's kernel module and agent).
struct ReleaseRequestConfig {
    enum class Refusal { DROP, REPLY };

    // A relay the server accepts: every field it has must match. An empty
    // relay_id or an unspecified address is not part of the match.
    struct TrustedRelay {
        std::vector<uint8_t> relay_id;
        isc::asiolink::IOAddress address = isc::asiolink::IOAddress::IPV6_ZERO_ADDRESS();
    };

    bool enabled = true;
    Refusal when_disabled = Refusal::DROP;  // REPLY: NotConfigured
    Refusal untrusted = Refusal::DROP;      // REPLY: NotAllowed
    std::vector<TrustedRelay> trusted_relays;
    uint8_t request_type = 240;
    uint8_t reply_type = 241;

    // Parses the hook library's parameters (a map, or null for none).
    // Throws isc::BadValue naming the parameter and what is wrong with it;
    // unknown parameters are errors, so that a typo cannot weaken security.
    static ReleaseRequestConfig parse(const isc::data::ConstElementPtr& params);

    // A line for the log: what is configured.
    std::string summary() const;
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
};

class ReleaseRequestHandler {
public:
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
                                        const std::vector<uint8_t>& server_duid) const;
    bool trusted(const dr_msg& m, const isc::asiolink::IOAddress& source) const;
    void release(dr_client& client, ReleaseRequestOutcome& out) const;
    uint16_t releaseAll(const dr_client& client,
                        ReleaseRequestOutcome& out) const;
    uint16_t releaseIA(const dr_client& client, const dr_ia& ia,
                       ReleaseRequestOutcome& out) const;
    bool releaseLease(const isc::dhcp::Lease6Ptr& lease,
                      ReleaseRequestOutcome& out) const;

    ReleaseRequestConfig config_;
};

} // namespace leaseguard

#endif
