// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <dhcp/duid.h>
#include <dhcpsrv/lease_mgr_factory.h>
#include <dhcpsrv/ncr_generator.h>
#include <exceptions/exceptions.h>
#include <stats/stats_mgr.h>
#include <util/strutil.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstring>
#include <sstream>

#include "release_request.h"
#include "release_request_log.h"

using isc::BadValue;
using isc::asiolink::IOAddress;
using isc::data::ConstElementPtr;
using isc::data::Element;
using isc::dhcp::DUID;
using isc::dhcp::DuidPtr;
using isc::dhcp::Lease;
using isc::dhcp::Lease6Collection;
using isc::dhcp::Lease6Ptr;
using isc::dhcp::LeaseMgr;
using isc::dhcp::LeaseMgrFactory;

namespace leaseguard {

namespace {

// RELAY-FORW and RELAY-REPL (RFC 8415 section 7.3), around a relayed
// request and its reply.
const int RELAY_FORW = 12;
const int RELAY_REPL = 13;
// DHCPv6 message types 1 to 37 are assigned (RFC 8415 and its extensions,
// 36 and 37 by RFC 9686): a RELEASE-REQUEST with one of their numbers
// would take that message from Kea's core (3, REQUEST: every client's).
// The kernel module refuses them too (kmod/netlink.c).
const int FIRST_UNASSIGNED_TYPE = 38;

void expectType(const std::string& name, const ConstElementPtr& e,
                Element::types type) {
    if (e->getType() != type) {
        isc_throw(BadValue, "'" << name << "' must be a "
                  << Element::typeToName(type) << ", not a "
                  << Element::typeToName(
                      static_cast<Element::types>(e->getType())));
    }
}

ReleaseRequestConfig::Refusal parseRefusal(const std::string& name,
                                           const ConstElementPtr& e,
                                           const std::string& reply) {
    expectType(name, e, Element::string);
    if (e->stringValue() == "drop") {
        return (ReleaseRequestConfig::Refusal::DROP);
    }
    if (e->stringValue() == reply) {
        return (ReleaseRequestConfig::Refusal::REPLY);
    }
    isc_throw(BadValue, "'" << name << "' is \"drop\" or \"" << reply
              << "\", not \"" << e->stringValue() << "\"");
}

uint8_t parseType(const std::string& name, const ConstElementPtr& e) {
    expectType(name, e, Element::integer);
    int64_t v = e->intValue();
    if (v < FIRST_UNASSIGNED_TYPE || v > 255) {
        isc_throw(BadValue, "'" << name << "' is an unassigned DHCPv6 message"
                  " type, " << FIRST_UNASSIGNED_TYPE << " to 255 (1 to "
                  << FIRST_UNASSIGNED_TYPE - 1 << " are assigned), not " << v);
    }
    return (static_cast<uint8_t>(v));
}

IOAddress parseAddress(const std::string& name, const ConstElementPtr& e) {
    IOAddress a = IOAddress::IPV4_ZERO_ADDRESS();
    expectType(name, e, Element::string);
    try {
        a = IOAddress(e->stringValue());
    } catch (const std::exception&) {
        a = IOAddress::IPV4_ZERO_ADDRESS();
    }
    if (!a.isV6() || a.isV6Zero() || a.isV6Multicast()) {
        isc_throw(BadValue, "'" << name << "' is a unicast IPv6 address, not \""
                  << e->stringValue() << "\"");
    }
    return (a);
}

// An entry of trusted-relays, or of trusted-intermediate-relays (list),
// which may also have a link-address.
ReleaseRequestConfig::TrustedRelay parseRelay(const std::string& list, size_t i,
                                              const ConstElementPtr& e) {
    const bool intermediate = list == "trusted-intermediate-relays";
    std::ostringstream where;
    where << list << "[" << i << "]";
    expectType(where.str(), e, Element::map);

    ReleaseRequestConfig::TrustedRelay relay;
    for (auto const& kv : e->mapValue()) {
        std::string name = where.str() + "." + kv.first;
        if (kv.first == "relay-id") {
            expectType(name, kv.second, Element::string);
            try {
                isc::util::str::decodeFormattedHexString(
                    kv.second->stringValue(), relay.relay_id);
            } catch (const std::exception&) {
                relay.relay_id.clear();
            }
            if (relay.relay_id.size() < DR_DUID_MIN ||
                relay.relay_id.size() > DR_DUID_MAX) {
                isc_throw(BadValue, "'" << name << "' is a DUID in hex (as"
                          " \"00:02:00:00:00:09:6c:67\"), 3 to 130 octets,"
                          " not \"" << kv.second->stringValue() << "\"");
            }
        } else if (kv.first == "address") {
            relay.address = parseAddress(name, kv.second);
        } else if (kv.first == "link-address" && intermediate) {
            relay.link_address = parseAddress(name, kv.second);
        } else if (intermediate) {
            isc_throw(BadValue, "unknown parameter '" << name << "' (a"
                      " trusted intermediate relay has \"address\" and/or"
                      " \"relay-id\", and maybe \"link-address\")");
        } else {
            isc_throw(BadValue, "unknown parameter '" << name << "' (a"
                      " trusted relay has \"relay-id\" and/or \"address\")");
        }
    }
    if (relay.relay_id.empty() && relay.address.isV6Zero()) {
        isc_throw(BadValue, "'" << where.str() << "' needs \"relay-id\","
                  " \"address\" or both");
    }
    return (relay);
}

// An entry of ha-peers: { "name": ..., "url": "http[s]://..." }, and maybe
// "basic-auth-user" and "basic-auth-password", and "trust-anchor",
// "cert-file" and "key-file" (TLS), as HA's own peers.
HaPeer parseHaPeer(size_t i, const ConstElementPtr& e) {
    std::ostringstream where;
    where << "ha-peers[" << i << "]";
    expectType(where.str(), e, Element::map);
    HaPeer peer;
    std::string user, password;
    for (auto const& kv : e->mapValue()) {
        std::string name = where.str() + "." + kv.first;
        expectType(name, kv.second, Element::string);
        if (kv.first == "name") {
            peer.name = kv.second->stringValue();
        } else if (kv.first == "url") {
            peer.url = kv.second->stringValue();
            try {
                parseHaUrl(peer.url);
            } catch (const std::exception& ex) {
                isc_throw(BadValue, "'" << name << "': " << ex.what());
            }
        } else if (kv.first == "trust-anchor") {
            peer.trust_anchor = kv.second->stringValue();
        } else if (kv.first == "cert-file") {
            peer.cert_file = kv.second->stringValue();
        } else if (kv.first == "key-file") {
            peer.key_file = kv.second->stringValue();
        } else if (kv.first == "basic-auth-user") {
            user = kv.second->stringValue();
        } else if (kv.first == "basic-auth-password") {
            password = kv.second->stringValue();
        } else {
            isc_throw(BadValue, "unknown parameter '" << name << "' (a peer"
                      " has \"name\" and \"url\", and maybe"
                      " \"basic-auth-user\", \"basic-auth-password\","
                      " \"trust-anchor\", \"cert-file\" and \"key-file\")");
        }
    }
    if (peer.name.empty() || peer.url.empty()) {
        isc_throw(BadValue, "'" << where.str() << "' needs \"name\" and \"url\"");
    }
    checkHaPeerTls(peer, "'" + where.str() + "'");
    if (!user.empty()) {
        peer.basic_auth = user + ":" + password;
    }
    return (peer);
}

bool sameBytes(const std::vector<uint8_t>& v, const uint8_t* p, size_t len) {
    return (v.size() == len && std::equal(v.begin(), v.end(), p));
}

std::string hex(const uint8_t* p, size_t len) {
    if (!len) {
        return ("none");
    }
    return (DUID(p, std::min(len, DUID::MAX_DUID_LEN)).toText());
}

std::string leaseName(Lease::Type type, const IOAddress& addr, int plen) {
    std::ostringstream s;
    s << (type == Lease::TYPE_PD ? "prefix " : "address ") << addr.toText();
    if (type == Lease::TYPE_PD) {
        s << "/" << plen;
    }
    return (s.str());
}

bool bound(const Lease6Ptr& l) {
    return (l && l->state_ == Lease::STATE_DEFAULT &&
            (l->type_ == Lease::TYPE_NA || l->type_ == Lease::TYPE_TA ||
             l->type_ == Lease::TYPE_PD));
}

// The lease type of an IA (or of a group of bare leases: an IAADDR is an
// IA_NA's or IA_TA's address, tried in that order), and its name.
Lease::Type leaseType(uint16_t ia_type) {
    switch (ia_type) {
    case DR_OPT_IA_PD:
    case DR_OPT_IAPREFIX:
        return (Lease::TYPE_PD);
    case DR_OPT_IA_TA:
        return (Lease::TYPE_TA);
    default:
        return (Lease::TYPE_NA);
    }
}

const char* iaName(uint16_t ia_type) {
    return (ia_type == DR_OPT_IA_PD ? "IA_PD" : ia_type == DR_OPT_IA_TA ?
            "IA_TA" : "IA_NA");
}

// A client's DUID as Kea holds it, or null when Kea cannot hold it (the
// codec takes 3 to 130 octets; Kea, 1 to 128): then Kea has no lease of it.
DuidPtr keaDuid(const dr_client& c) {
    if (c.duid.len > DUID::MAX_DUID_LEN) {
        return (DuidPtr());
    }
    return (DuidPtr(new DUID(c.duid.data, c.duid.len)));
}

} // namespace

ReleaseRequestConfig
ReleaseRequestConfig::parse(const ConstElementPtr& params) {
    ReleaseRequestConfig c;
    if (!params) {
        return (c);
    }
    expectType("parameters", params, Element::map);
    for (auto const& kv : params->mapValue()) {
        const std::string& name = kv.first;
        const ConstElementPtr& v = kv.second;
        if (name == "enabled") {
            expectType(name, v, Element::boolean);
            c.enabled = v->boolValue();
        } else if (name == "when-disabled") {
            c.when_disabled = parseRefusal(name, v, "not-configured");
        } else if (name == "untrusted") {
            c.untrusted = parseRefusal(name, v, "not-allowed");
        } else if (name == "trusted-relays" ||
                   name == "trusted-intermediate-relays") {
            expectType(name, v, Element::list);
            auto& list = name == "trusted-relays" ? c.trusted_relays :
                         c.trusted_intermediates;
            for (size_t i = 0; i < v->size(); ++i) {
                list.push_back(parseRelay(name, i, v->get(i)));
            }
        } else if (name == "leasequery") {
            expectType(name, v, Element::boolean);
            c.leasequery = v->boolValue();
        } else if (name == "release-request-type") {
            c.request_type = parseType(name, v);
        } else if (name == "release-reply-type") {
            c.reply_type = parseType(name, v);
        } else if (name == "ha-peers") {
            expectType(name, v, Element::list);
            c.ha_peers_set = true;
            for (size_t i = 0; i < v->size(); ++i) {
                c.ha_peers.push_back(parseHaPeer(i, v->get(i)));
            }
        } else if (name == "ha-queue-limit") {
            expectType(name, v, Element::integer);
            if (v->intValue() < 1 || v->intValue() > 1000000) {
                isc_throw(BadValue, "'ha-queue-limit' is 1 to 1000000, not "
                          << v->intValue());
            }
            c.ha_queue_limit = static_cast<size_t>(v->intValue());
        } else {
            isc_throw(BadValue, "unknown parameter '" << name << "' (known:"
                      " enabled, when-disabled, trusted-relays,"
                      " trusted-intermediate-relays, untrusted,"
                      " release-request-type, release-reply-type,"
                      " leasequery, ha-peers, ha-queue-limit)");
        }
    }
    if (c.request_type == c.reply_type) {
        isc_throw(BadValue, "'release-request-type' and 'release-reply-type'"
                  " are both " << int(c.request_type));
    }
    return (c);
}

std::string
ReleaseRequestConfig::summary() const {
    std::ostringstream s;
    s << (enabled ? "enabled" : "disabled")
      << ", types " << int(request_type) << "/" << int(reply_type)
      << ", " << trusted_relays.size() << " trusted relays"
      << ", " << trusted_intermediates.size() << " trusted intermediate relays"
      << ", untrusted: " << (untrusted == Refusal::DROP ? "drop" : "not-allowed");
    if (!enabled) {
        s << ", when disabled: "
          << (when_disabled == Refusal::DROP ? "drop" : "not-configured");
    }
    s << ", leasequery " << (leasequery ? "answered" : "not answered");
    if (ha_peers_set) {
        s << ", " << ha_peers.size() << " ha-peers";
    } else {
        s << ", HA peers from libdhcp_ha.so if loaded";
    }
    return (s.str());
}

bool
ReleaseRequestConfig::acceptsRelayed() const {
    return (!trusted_intermediates.empty() &&
            std::any_of(trusted_relays.begin(), trusted_relays.end(),
                        [](const TrustedRelay& r) {
                            return (!r.relay_id.empty());
                        }));
}

// Deletes a lease as Kea 2.2 does on a client's RELEASE (Dhcpv6Srv's
// releaseIA_NA/releaseIA_PD): from the lease database, the subnet's
// assigned-nas or assigned-pds statistic down by one, and a DNS removal
// queued when the lease had DNS updates (queueNCR checks that).
bool
ReleaseRequestHandler::releaseLease(const Lease6Ptr& lease,
                                    ReleaseRequestOutcome& out) const {
    std::string what = leaseName(lease->type_, lease->addr_, lease->prefixlen_);
    std::string duid = lease->duid_ ? lease->duid_->toText() : "none";
    try {
        if (!LeaseMgrFactory::instance().deleteLease(lease)) {
            LOG_ERROR(release_request_logger, RELEASE_REQUEST_LEASE_FAILED)
                .arg(duid).arg(what).arg("the lease database did not delete it");
            return (false);
        }
    } catch (const std::exception& e) {
        LOG_ERROR(release_request_logger, RELEASE_REQUEST_LEASE_FAILED)
            .arg(duid).arg(what).arg(e.what());
        return (false);
    }
    // Kea 2.2 counts no temporary addresses (it assigns none).
    if (lease->type_ != Lease::TYPE_TA) {
        isc::stats::StatsMgr::instance().addValue(
            isc::stats::StatsMgr::generateName("subnet", lease->subnet_id_,
                lease->type_ == Lease::TYPE_NA ? "assigned-nas" : "assigned-pds"),
            static_cast<int64_t>(-1));
    }
    try {
        isc::dhcp::queueNCR(isc::dhcp_ddns::CHG_REMOVE, lease);
    } catch (const std::exception& e) {
        // The lease is gone; a DNS update failing does not bring it back.
        LOG_ERROR(release_request_logger, RELEASE_REQUEST_LEASE_FAILED)
            .arg(duid).arg(what + " (DNS removal)").arg(e.what());
    }
    LOG_INFO(release_request_logger, RELEASE_REQUEST_LEASE_RELEASED)
        .arg(duid).arg(what).arg(lease->iaid_);
    ++out.released;
    out.deleted.push_back(lease);
    return (true);
}

// No IA listed: every lease of the DUID (draft 4.1.1).
uint16_t
ReleaseRequestHandler::releaseAll(const dr_client& client,
                                  ReleaseRequestOutcome& out) const {
    DuidPtr duid = keaDuid(client);
    Lease6Collection leases;
    uint16_t status = DR_STATUS_SUCCESS;
    size_t n = 0;

    if (duid) {
        try {
            leases = LeaseMgrFactory::instance().getLeases6(*duid);
        } catch (const std::exception& e) {
            LOG_ERROR(release_request_logger, RELEASE_REQUEST_LEASE_FAILED)
                .arg(duid->toText()).arg("any lease").arg(e.what());
            return (DR_STATUS_UNSPEC_FAIL);
        }
    }
    for (auto const& l : leases) {
        if (!bound(l)) {
            continue;
        }
        ++n;
        if (!releaseLease(l, out)) {
            status = DR_STATUS_UNSPEC_FAIL;
        }
    }
    if (!n) {
        LOG_INFO(release_request_logger, RELEASE_REQUEST_NO_BINDING)
            .arg(hex(client.duid.data, client.duid.len)).arg("any lease");
        return (DR_STATUS_NO_BINDING);
    }
    return (status);
}

// One IA: the leases it lists, or all of the DUID's in it (same type and
// IAID) when it lists none. A lease that is not this client's, or not in
// this IA, is not released: NoBinding, like Kea's answer to a RELEASE.
uint16_t
ReleaseRequestHandler::releaseIA(const dr_client& client, const dr_ia& ia,
                                 ReleaseRequestOutcome& out) const {
    Lease::Type type = leaseType(ia.type);
    LeaseMgr& lm = LeaseMgrFactory::instance();
    DuidPtr duid = keaDuid(client);
    bool no_binding = false, failed = false;

    if (!duid) {
        return (DR_STATUS_NO_BINDING);
    }
    try {
        std::vector<Lease6Ptr> todo;
        if (!ia.n_leases) {
            for (auto const& l : lm.getLeases6(type, *duid, ia.iaid)) {
                if (bound(l)) {
                    todo.push_back(l);
                }
            }
            if (todo.empty()) {
                no_binding = true;
                LOG_INFO(release_request_logger, RELEASE_REQUEST_NO_BINDING)
                    .arg(duid->toText())
                    .arg(std::string(iaName(ia.type)) + " iaid " +
                         std::to_string(ia.iaid));
            }
        }
        for (unsigned i = 0; i < ia.n_leases; ++i) {
            IOAddress addr = IOAddress::fromBytes(AF_INET6, ia.leases[i].addr);
            Lease6Ptr l = lm.getLease6(type, addr);
            if (bound(l) && l->duid_ && *l->duid_ == *duid &&
                l->iaid_ == ia.iaid &&
                (type != Lease::TYPE_PD || l->prefixlen_ == ia.leases[i].plen)) {
                // Listed twice: released once.
                if (std::none_of(todo.begin(), todo.end(), [&l](const Lease6Ptr& t) {
                        return (t->addr_ == l->addr_);
                    })) {
                    todo.push_back(l);
                }
                continue;
            }
            no_binding = true;
            LOG_INFO(release_request_logger, RELEASE_REQUEST_NO_BINDING)
                .arg(duid->toText())
                .arg(leaseName(type, addr, ia.leases[i].plen) + " (iaid " +
                     std::to_string(ia.iaid) + ")");
        }
        for (auto const& l : todo) {
            if (!releaseLease(l, out)) {
                failed = true;
            }
        }
    } catch (const std::exception& e) {
        LOG_ERROR(release_request_logger, RELEASE_REQUEST_LEASE_FAILED)
            .arg(duid->toText()).arg("iaid " + std::to_string(ia.iaid))
            .arg(e.what());
        failed = true;
    }
    // A lease still held outweighs one that was not there: the relay keeps
    // a binding on anything but Success and NoBinding.
    return (failed ? DR_STATUS_UNSPEC_FAIL :
            no_binding ? DR_STATUS_NO_BINDING : DR_STATUS_SUCCESS);
}

// Leases straight in a Client Data (RFC 5007's layout): each is released
// if it is this DUID's (an address in an IA_NA or IA_TA, a prefix of this
// length), whatever its IAID. Leaves in ia only those that failed, each
// with its status (NoBinding, UnspecFail), for the reply.
void
ReleaseRequestHandler::releaseBare(const dr_client& client, dr_ia& ia,
                                   ReleaseRequestOutcome& out) const {
    LeaseMgr& lm = LeaseMgrFactory::instance();
    DuidPtr duid = keaDuid(client);
    std::array<Lease6Ptr, DR_MAX_IA_LEASES> found;      // null: not found
    std::array<uint16_t, DR_MAX_IA_LEASES> status;

    for (unsigned i = 0; i < ia.n_leases; ++i) {
        const dr_lease& want = ia.leases[i];
        IOAddress addr = IOAddress::fromBytes(AF_INET6, want.addr);
        // Listed twice: released once, and both say how that went.
        unsigned j = 0;
        while (j < i && (memcmp(ia.leases[j].addr, want.addr, 16) ||
                         ia.leases[j].plen != want.plen)) {
            ++j;
        }
        if (j < i) {
            status[i] = status[j];
            continue;
        }
        status[i] = DR_STATUS_NO_BINDING;
        if (!duid) {
            continue;
        }
        try {
            for (Lease::Type type : ia.type == DR_OPT_IAPREFIX ?
                     std::vector<Lease::Type>{Lease::TYPE_PD} :
                     std::vector<Lease::Type>{Lease::TYPE_NA, Lease::TYPE_TA}) {
                Lease6Ptr l = lm.getLease6(type, addr);
                if (bound(l) && l->duid_ && *l->duid_ == *duid &&
                    (type != Lease::TYPE_PD || l->prefixlen_ == want.plen)) {
                    found[i] = l;
                    break;
                }
            }
        } catch (const std::exception& e) {
            LOG_ERROR(release_request_logger, RELEASE_REQUEST_LEASE_FAILED)
                .arg(duid->toText()).arg(leaseName(leaseType(ia.type), addr,
                                                   want.plen)).arg(e.what());
            status[i] = DR_STATUS_UNSPEC_FAIL;
            continue;
        }
        if (!found[i]) {
            LOG_INFO(release_request_logger, RELEASE_REQUEST_NO_BINDING)
                .arg(duid->toText())
                .arg(leaseName(leaseType(ia.type), addr, want.plen));
            continue;
        }
        status[i] = releaseLease(found[i], out) ?
                    uint16_t(DR_STATUS_SUCCESS) : uint16_t(DR_STATUS_UNSPEC_FAIL);
    }
    uint8_t kept = 0;
    for (unsigned i = 0; i < ia.n_leases; ++i) {
        if (status[i] == DR_STATUS_SUCCESS) {
            continue;
        }
        dr_lease& l = ia.leases[kept++];
        l = ia.leases[i];
        l.has_status = true;
        l.status = status[i];
    }
    ia.n_leases = kept;
}

// Releases what one Client Data asks for and leaves in it only what the
// reply must say (draft 4.3): nothing when every lease was released, the
// client's status when it named no IA, else the IAs that failed, and the
// bare leases that failed, each with its status.
void
ReleaseRequestHandler::release(dr_client& client,
                               ReleaseRequestOutcome& out) const {
    client.has_status = false;
    if (!client.n_ias) {
        uint16_t status = releaseAll(client, out);
        if (status != DR_STATUS_SUCCESS) {
            client.has_status = true;
            client.status = status;
        }
        return;
    }
    uint8_t kept = 0;
    for (unsigned i = 0; i < client.n_ias; ++i) {
        if (client.ias[i].type == DR_OPT_IAADDR ||
            client.ias[i].type == DR_OPT_IAPREFIX) {
            releaseBare(client, client.ias[i], out);
            if (client.ias[i].n_leases) {
                client.ias[kept++] = client.ias[i];
            }
            continue;
        }
        uint16_t status = releaseIA(client, client.ias[i], out);
        if (status == DR_STATUS_SUCCESS) {
            continue;
        }
        dr_ia& ia = client.ias[kept++];
        ia = client.ias[i];
        ia.n_leases = 0;        // "No other options are included in the IA"
        ia.has_status = true;
        ia.status = status;
    }
    client.n_ias = kept;
}

// One RELAY-FORW around the request (RFC 8415 section 9): the header and
// Interface-Id its RELAY-REPL echoes, the Relay-Id its relay may add (RFC
// 5460 section 5.4.1), and the message it carries.
struct ReleaseRequestHandler::RelayLayer {
    const uint8_t* header;          // RELAY_HEADER octets
    const uint8_t* ifid = nullptr;
    uint16_t ifid_len = 0;
    const uint8_t* relay_id = nullptr;
    uint16_t relay_id_len = 0;
    const uint8_t* inner = nullptr;
    uint16_t inner_len = 0;

    IOAddress link() const { return (IOAddress::fromBytes(AF_INET6, header + 2)); }
    IOAddress peer() const { return (IOAddress::fromBytes(AF_INET6, header + 18)); }
};

namespace {

using RelayLayer = ReleaseRequestHandler::RelayLayer;

const uint16_t OPT_RELAY_MSG = 9;
const size_t RELAY_HEADER = 34;     // msg-type, hop-count, link, peer
// How deep a RELEASE-REQUEST may be wrapped: RFC 8415's HOP_COUNT_LIMIT
// is 8 by default, and a relay may not go past 32.
const size_t MAX_RELAYS = 32;

uint16_t get16(const uint8_t* p) {
    return (static_cast<uint16_t>(p[0] << 8 | p[1]));
}

// False when the RELAY-FORW is malformed, or carries no message.
bool parseRelayForw(const uint8_t* buf, size_t len, RelayLayer& l) {
    if (len < RELAY_HEADER) {
        return (false);
    }
    l.header = buf;
    for (size_t off = RELAY_HEADER; off < len; ) {
        if (len - off < 4 || len - off - 4 < get16(buf + off + 2)) {
            return (false);
        }
        uint16_t code = get16(buf + off), olen = get16(buf + off + 2);
        const uint8_t* val = buf + off + 4;
        if (code == OPT_RELAY_MSG || code == DR_OPT_INTERFACE_ID ||
            code == DR_OPT_RELAY_ID) {
            const uint8_t*& where = code == OPT_RELAY_MSG ? l.inner :
                                    code == DR_OPT_RELAY_ID ? l.relay_id : l.ifid;
            if (where) {
                return (false);     // twice
            }
            where = val;
            (code == OPT_RELAY_MSG ? l.inner_len :
             code == DR_OPT_RELAY_ID ? l.relay_id_len : l.ifid_len) = olen;
        }
        off += 4 + olen;
    }
    return (l.inner && l.inner_len);
}

void putOption(std::vector<uint8_t>& out, uint16_t code, const uint8_t* val,
               size_t len) {
    uint8_t h[4] = {uint8_t(code >> 8), uint8_t(code), uint8_t(len >> 8),
                    uint8_t(len)};
    out.insert(out.end(), h, h + 4);
    out.insert(out.end(), val, val + len);
}

// The reply, wrapped in a RELAY-REPL for each RELAY-FORW, innermost first:
// hop-count, link and peer addresses and Interface-Id copied (RFC 8415
// section 18.3.10). False if it outgrows an option.
bool wrapReply(const RelayLayer* relays, size_t n, std::vector<uint8_t>& reply) {
    for (const RelayLayer* l = relays + n; l-- != relays; ) {
        if (reply.size() > 0xffff) {
            return (false);
        }
        std::vector<uint8_t> out(l->header, l->header + RELAY_HEADER);
        out[0] = RELAY_REPL;
        if (l->ifid) {
            putOption(out, DR_OPT_INTERFACE_ID, l->ifid, l->ifid_len);
        }
        putOption(out, OPT_RELAY_MSG, reply.data(), reply.size());
        reply.swap(out);
    }
    return (true);
}

} // namespace

// The trust model: see ReleaseRequestConfig in release_request.h.
std::string
ReleaseRequestHandler::untrusted(const dr_msg& m, const IOAddress& source,
                                 const RelayLayer* relays, size_t n) const {
    // The path, from the relay that sent it here inwards: each RELAY-FORW
    // was made by a relay the operator accepts requests through.
    for (size_t i = 0; i < n; ++i) {
        const RelayLayer& l = relays[i];
        IOAddress from = i ? relays[i - 1].peer() : source;
        bool ok = std::any_of(config_.trusted_intermediates.begin(),
                              config_.trusted_intermediates.end(),
                              [&](const ReleaseRequestConfig::TrustedRelay& r) {
            return ((r.address.isV6Zero() || r.address == from) &&
                    (r.relay_id.empty() ||
                     (l.relay_id && sameBytes(r.relay_id, l.relay_id,
                                              l.relay_id_len))) &&
                    (r.link_address.isV6Zero() || r.link_address == l.link()));
        });
        if (!ok) {
            return ("relayed by " + from.toText() +
                    ", not a trusted intermediate relay");
        }
    }
    // The originator: by its Relay-Id, and its address when it sent the
    // request itself, or as the first intermediate relay saw it.
    IOAddress origin = n ? relays[n - 1].peer() : source;
    bool address_only = false;
    for (auto const& r : config_.trusted_relays) {
        if (n && r.relay_id.empty()) {
            // Address trust is for unrelayed requests only. Say so when
            // it is what the operator may have counted on.
            address_only = address_only || r.address == source ||
                           r.address == origin;
            continue;
        }
        if (!r.relay_id.empty() &&
            !sameBytes(r.relay_id, m.relay_id.data, m.relay_id.len)) {
            continue;
        }
        if (!r.address.isV6Zero() && r.address != origin) {
            continue;
        }
        return ("");
    }
    return (address_only ? "not a trusted relay (a relayed request needs a"
            " trusted relay-id; an address alone is trusted only unrelayed)" :
            "not a trusted relay");
}

ReleaseRequestOutcome
ReleaseRequestHandler::handle(const uint8_t* buf, size_t len,
                              const IOAddress& source,
                              const std::vector<uint8_t>& server_duid) const {
    // A RELEASE-REQUEST that intermediate relays forwarded (draft 4.2)
    // arrives in RELAY-FORWs. A relay message that is malformed, too deep
    // or not around a RELEASE-REQUEST is Kea's core's to judge. Every
    // relayed client message walks this: no allocation here.
    std::array<RelayLayer, MAX_RELAYS> relays;
    size_t n = 0;
    while (len && buf[0] == RELAY_FORW && n < MAX_RELAYS) {
        RelayLayer& l = relays[n++];
        if (!parseRelayForw(buf, len, l)) {
            return (ReleaseRequestOutcome());
        }
        buf = l.inner;
        len = l.inner_len;
    }
    if (!len || buf[0] != config_.request_type) {
        return (ReleaseRequestOutcome());
    }
    ReleaseRequestOutcome out = handleRequest(buf, len, source, server_duid,
                                              relays.data(), n);
    if (!n) {
        return (out);
    }
    out.why += (out.why.empty() ? "" : ", ") + std::string("through ") +
               std::to_string(n) + (n == 1 ? " relay" : " relays");
    if (out.action == ReleaseRequestOutcome::Action::REPLY &&
        !wrapReply(relays.data(), n, out.reply)) {
        out.action = ReleaseRequestOutcome::Action::DROP;
        out.why += "; the reply outgrew its RELAY-REPL: not sent";
    }
    return (out);
}

ReleaseRequestOutcome
ReleaseRequestHandler::handleRequest(const uint8_t* buf, size_t len,
                                     const IOAddress& source,
                                     const std::vector<uint8_t>& server_duid,
                                     const RelayLayer* relays, size_t n) const {
    ReleaseRequestOutcome out;
    out.action = ReleaseRequestOutcome::Action::DROP;
    out.kind = ReleaseRequestOutcome::Kind::DISCARDED;

    // A Client Data is at least 4 + 4 + 3 octets: this many always fit.
    std::vector<dr_client> clients(std::min<size_t>(len / 11 + 1, 0xffff));
    dr_msg m = {};
    m.clients = clients.data();
    m.max_clients = static_cast<uint16_t>(clients.size());
    // Both layouts of a Client Data (draft 4.1.1's IAs, RFC 5007's bare
    // IAADDR/IAPREFIX), and IA_TA.
    m.parse_flags = DR_PARSE_IA_TA | DR_PARSE_BARE_LEASES;
    dr_err err = dr_parse(buf, len, &m);
    if (err != DR_OK) {
        out.why = std::string("malformed (") + dr_err_name(err) + ")";
        return (out);
    }
    out.xid = m.xid;
    // Draft 3.2.1. (A Client Data without Client Identifier is DR_ERR_NO_CLIENT_ID.)
    if (!m.relay_id.len) {
        out.why = "no Relay Identifier option";
    } else if (!m.n_clients) {
        out.why = "no Client Data option";
    } else if (!m.server_id.len) {
        out.why = "no Server Identifier option";
    } else if (m.server_id.len != server_duid.size() ||
               !std::equal(server_duid.begin(), server_duid.end(),
                           m.server_id.data)) {
        out.why = "Server Identifier " + hex(m.server_id.data, m.server_id.len)
                  + " is not this server's";
    }
    if (!out.why.empty()) {
        return (out);
    }

    dr_msg reply = {};
    reply.type = config_.reply_type;
    reply.xid = m.xid;
    reply.server_id = m.server_id;      // equal to ours
    reply.ifid = m.ifid;                // draft 3.1.2: echoed
    reply.has_status = true;
    reply.status = DR_STATUS_SUCCESS;

    out.kind = ReleaseRequestOutcome::Kind::REFUSED;
    ReleaseRequestConfig::Refusal refusal = ReleaseRequestConfig::Refusal::DROP;
    std::string relay = "relay-id " + hex(m.relay_id.data, m.relay_id.len);
    std::string distrust;
    if (!config_.enabled) {
        out.why = relay + ", disabled";
        refusal = config_.when_disabled;
        reply.status = DR_STATUS_NOT_CONFIGURED;
    } else if (!(distrust = untrusted(m, source, relays, n)).empty()) {
        out.why = relay + ", " + distrust;
        refusal = config_.untrusted;
        reply.status = DR_STATUS_NOT_ALLOWED;
    } else {
        out.kind = ReleaseRequestOutcome::Kind::PROCESSED;
        out.why = relay;
        out.clients = m.n_clients;
        uint16_t kept = 0;
        for (unsigned i = 0; i < m.n_clients; ++i) {
            release(m.clients[i], out);
            if (m.clients[i].has_status || m.clients[i].n_ias) {
                m.clients[kept++] = m.clients[i];
            }
        }
        reply.clients = m.clients;
        reply.n_clients = kept;
        out.failed_clients = kept;
    }
    if (out.kind == ReleaseRequestOutcome::Kind::REFUSED &&
        refusal == ReleaseRequestConfig::Refusal::DROP) {
        return (out);
    }

    out.action = ReleaseRequestOutcome::Action::REPLY;
    out.status = reply.status;
    out.reply.resize(0xffff);
    size_t built = dr_build(&reply, out.reply.data(), out.reply.size());
    if (!built) {
        // Failures of more clients than one message holds (a request near
        // 64 KiB whose clients all failed): say it of the whole request.
        reply.n_clients = 0;
        reply.status = out.status = DR_STATUS_UNSPEC_FAIL;
        built = dr_build(&reply, out.reply.data(), out.reply.size());
    }
    out.reply.resize(built);
    return (out);
}

} // namespace leaseguard
