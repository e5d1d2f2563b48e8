// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <cc/data.h>
#include <dhcp/duid.h>
#include <dhcpsrv/cfgmgr.h>
#include <dhcpsrv/lease_mgr_factory.h>
#include <dhcpsrv/pool.h>
#include <dhcpsrv/shared_network.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <map>
#include <set>
#include <sstream>

#include <util/strutil.h>

#include "leasequery.h"

using isc::asiolink::IOAddress;
using isc::data::ConstElementPtr;
using isc::data::Element;
using isc::dhcp::CfgMgr;
using isc::dhcp::DUID;
using isc::dhcp::Lease;
using isc::dhcp::Lease6Collection;
using isc::dhcp::Lease6Ptr;
using isc::dhcp::LeaseMgrFactory;
using isc::dhcp::Pool6;
using isc::dhcp::SharedNetwork6Ptr;
using isc::dhcp::ConstSubnet6Ptr;
using isc::dhcp::SubnetID;

namespace leaseguard {

namespace {

// A link (section "A link is a subnet, or the shared network it is in" of
// leasequery.h): its subnets, and the link-address the server gives it.
struct Link {
    std::set<SubnetID> subnets;
    IOAddress address = IOAddress::IPV6_ZERO_ADDRESS();
};

// The link of a subnet: its shared network's subnets, or itself.
Link linkOf(const ConstSubnet6Ptr& subnet) {
    Link link;
    SharedNetwork6Ptr net;
    subnet->getSharedNetwork(net);
    if (!net) {
        link.subnets.insert(subnet->getID());
        link.address = subnet->get().first;
        return (link);
    }
    // The first subnet's prefix names the network, whichever one is asked.
    for (auto const& s : *net->getAllSubnets()) {
        if (link.subnets.empty() || s->getID() < *link.subnets.begin()) {
            link.address = s->get().first;
        }
        link.subnets.insert(s->getID());
    }
    return (link);
}

// The link a requestor names with a link-address; no subnets: none.
Link linkOfAddress(const IOAddress& addr) {
    Link link;
    auto cfg = CfgMgr::instance().getCurrentCfg();
    for (auto const& subnet : *cfg->getCfgSubnets6()->getAll()) {
        bool here = subnet->inRange(addr) || subnet->hasRelayAddress(addr);
        std::string name = subnet->getSharedNetworkName();
        if (!here && !name.empty()) {
            SharedNetwork6Ptr net =
                cfg->getCfgSharedNetworks6()->getByName(name);
            here = net && net->hasRelayAddress(addr);
        }
        if (!here) {
            continue;
        }
        Link l = linkOf(subnet);
        if (link.subnets.empty()) {
            link.address = l.address;
        }
        link.subnets.insert(l.subnets.begin(), l.subnets.end());
    }
    return (link);
}

// The link a lease is on, by its subnet. A subnet since removed from the
// configuration is a link of its own, with no address.
Link linkOfLease(const Lease6Ptr& lease) {
    auto subnets = CfgMgr::instance().getCurrentCfg()->getCfgSubnets6();
    ConstSubnet6Ptr subnet = subnets->getBySubnetId(lease->subnet_id_);
    if (!subnet) {
        Link link;
        link.subnets.insert(lease->subnet_id_);
        return (link);
    }
    return (linkOf(subnet));
}

bool bound(const Lease6Ptr& l, time_t now) {
    if (!l || l->state_ != Lease::STATE_DEFAULT || !l->duid_ ||
        (l->type_ != Lease::TYPE_NA && l->type_ != Lease::TYPE_PD)) {
        return (false);
    }
    return (l->valid_lft_ == Lease::INFINITY_LFT ||
            l->cltt_ + static_cast<time_t>(l->valid_lft_) > now);
}

// What is left of a lifetime of a lease last renewed at cltt.
uint32_t left(uint32_t lifetime, time_t cltt, time_t now) {
    if (lifetime == Lease::INFINITY_LFT) {
        return (lifetime);
    }
    time_t elapsed = now > cltt ? now - cltt : 0;
    return (elapsed < static_cast<time_t>(lifetime) ?
            static_cast<uint32_t>(lifetime - elapsed) : 0);
}

// The delegated prefix lengths of every PD pool, longest first: where a
// prefix holding an address can start.
std::vector<uint8_t> delegatedLengths() {
    std::set<uint8_t> lens;
    auto cfg = CfgMgr::instance().getCurrentCfg();
    for (auto const& subnet : *cfg->getCfgSubnets6()->getAll()) {
        for (auto const& pool : subnet->getPools(Lease::TYPE_PD)) {
            auto p6 = boost::dynamic_pointer_cast<Pool6>(pool);
            if (p6) {
                lens.insert(p6->getLength());
            }
        }
    }
    return (std::vector<uint8_t>(lens.rbegin(), lens.rend()));
}

IOAddress masked(const IOAddress& addr, uint8_t plen) {
    std::vector<uint8_t> b = addr.toBytes();
    for (size_t i = 0; i < b.size(); ++i) {
        int keep = std::min(8, std::max(0, plen - int(i) * 8));
        b[i] &= static_cast<uint8_t>(0xff00 >> keep);
    }
    return (IOAddress::fromBytes(AF_INET6, b.data()));
}

// The bound lease of addr: an address, or a delegated prefix holding it.
Lease6Ptr findByAddress(const IOAddress& addr, time_t now) {
    auto& lm = LeaseMgrFactory::instance();
    Lease6Ptr l = lm.getLease6(Lease::TYPE_NA, addr);
    if (bound(l, now)) {
        return (l);
    }
    std::vector<uint8_t> lens = delegatedLengths();
    lens.push_back(128);        // the prefix's own address, whatever length
    for (uint8_t plen : lens) {
        l = lm.getLease6(Lease::TYPE_PD, masked(addr, plen));
        if (bound(l, now) && masked(addr, l->prefixlen_) == l->addr_) {
            return (l);
        }
    }
    return (Lease6Ptr());
}

// Whether the server has a subnet or a PD pool for addr at all.
bool configured(const IOAddress& addr) {
    auto cfg = CfgMgr::instance().getCurrentCfg();
    for (auto const& subnet : *cfg->getCfgSubnets6()->getAll()) {
        if (subnet->inRange(addr) || subnet->inPool(Lease::TYPE_PD, addr)) {
            return (true);
        }
    }
    return (false);
}

// The relays Kea kept for a lease with "store-extended-info" (Kea 2.2:
// user-context {"ISC": {"relays": [{"hop", "link", "peer", "options"},
// ...]}}, outermost relay first), as RFC 5007 4.1.2.4's relay data: the
// RELAY-FORWs, each in the one before's RELAY_MSG, the innermost without
// the client's message. peer: the outermost relay's peer-address (Kea
// keeps no source address; its own leasequery hook says the same). False
// when there is none, or it is not what Kea writes.
bool relayData(const Lease6Ptr& lease, uint8_t* peer, std::vector<uint8_t>& msg) {
    ConstElementPtr ctx = lease->getContext();
    ConstElementPtr isc = ctx && ctx->getType() == Element::map ?
                          ctx->get("ISC") : ConstElementPtr();
    ConstElementPtr relays = isc && isc->getType() == Element::map ?
                             isc->get("relays") : ConstElementPtr();
    if (!relays || relays->getType() != Element::list || relays->empty() ||
        relays->size() > 32) {
        return (false);
    }
    // Each relay's header and options, outermost first.
    std::vector<std::vector<uint8_t>> layers;
    for (auto const& r : relays->listValue()) {
        if (r->getType() != Element::map) {
            return (false);
        }
        ConstElementPtr hop = r->get("hop"), link = r->get("link"),
                        from = r->get("peer"), opts = r->get("options");
        if (!hop || hop->getType() != Element::integer ||
            hop->intValue() < 0 || hop->intValue() > 255 ||
            !link || link->getType() != Element::string ||
            !from || from->getType() != Element::string ||
            (opts && opts->getType() != Element::string)) {
            return (false);
        }
        std::vector<uint8_t> l = {12, uint8_t(hop->intValue())};   // RELAY-FORW
        try {
            IOAddress la(link->stringValue()), pa(from->stringValue());
            if (!la.isV6() || !pa.isV6()) {
                return (false);
            }
            std::vector<uint8_t> a = la.toBytes(), b = pa.toBytes();
            l.insert(l.end(), a.begin(), a.end());
            l.insert(l.end(), b.begin(), b.end());
            std::vector<uint8_t> o;
            if (opts && !opts->stringValue().empty()) {
                isc::util::str::decodeFormattedHexString(opts->stringValue(), o);
            }
            l.insert(l.end(), o.begin(), o.end());
        } catch (const std::exception&) {
            return (false);
        }
        layers.push_back(l);
    }
    std::copy(layers[0].begin() + 18, layers[0].begin() + 34, peer);
    // From the innermost out: each around what is inside it.
    msg = layers.back();
    for (size_t i = layers.size() - 1; i-- > 0; ) {
        if (msg.size() > 60000) {
            return (false);
        }
        std::vector<uint8_t> outer = layers[i];
        uint8_t h[4] = {0, 9, uint8_t(msg.size() >> 8), uint8_t(msg.size())};
        outer.insert(outer.end(), h, h + 4);
        outer.insert(outer.end(), msg.begin(), msg.end());
        msg.swap(outer);
    }
    return (msg.size() <= 60000);
}

} // namespace

bool
LeaseQueryHandler::trusted(const lq_query& q, const IOAddress& source) const {
    return (std::any_of(config_.trusted_relays.begin(),
                        config_.trusted_relays.end(),
                        [&](const ReleaseRequestConfig::TrustedRelay& r) {
        return ((r.relay_id.empty() ||
                 (r.relay_id.size() == q.client_id.len &&
                  std::equal(r.relay_id.begin(), r.relay_id.end(),
                             q.client_id.data))) &&
                (r.address.isV6Zero() || r.address == source));
    }));
}

LeaseQueryOutcome
LeaseQueryHandler::handle(const uint8_t* buf, size_t len,
                          const IOAddress& source,
                          const std::vector<uint8_t>& server_duid,
                          time_t now) const {
    LeaseQueryOutcome out;
    if (!config_.leasequery || !len || buf[0] != LQ_MSG_LEASEQUERY) {
        return (out);
    }
    out.action = LeaseQueryOutcome::Action::DROP;
    out.kind = LeaseQueryOutcome::Kind::DISCARDED;

    lq_query q;
    bool in_query = false;
    lq_err err = lq_parse_query(buf, len, &q, &in_query);
    if (err != LQ_OK && !in_query) {
        out.why = std::string("malformed (") + lq_err_name(err) + ")";
        return (out);
    }
    out.xid = q.xid;
    // RFC 5007 4.3.1: for another server.
    if (q.server_id.len &&
        (q.server_id.len != server_duid.size() ||
         !std::equal(server_duid.begin(), server_duid.end(),
                     q.server_id.data))) {
        out.why = "Server Identifier " +
                  DUID(q.server_id.data, std::min<size_t>(q.server_id.len,
                       DUID::MAX_DUID_LEN)).toText() + " is not this server's";
        return (out);
    }

    std::vector<lq_lease> leases;
    std::vector<uint8_t> links;
    std::vector<uint8_t> duid;
    std::vector<uint8_t> relay_msg;
    bool relay_data = false;
    std::string text;
    time_t clt = 0;
    lq_reply r = {};
    r.xid = q.xid;
    r.client_id = q.client_id;
    r.server_id = {server_duid.data(), uint16_t(server_duid.size())};
    r.has_status = true;
    r.status = DR_STATUS_SUCCESS;
    out.action = LeaseQueryOutcome::Action::REPLY;
    out.kind = LeaseQueryOutcome::Kind::ANSWERED;
    std::string requestor = "requestor " +
        DUID(q.client_id.data, std::min<size_t>(q.client_id.len,
             DUID::MAX_DUID_LEN)).toText();
    IOAddress link_addr = IOAddress::fromBytes(AF_INET6, q.link_addr);

    if (!trusted(q, source)) {
        out.kind = LeaseQueryOutcome::Kind::REFUSED;
        r.status = DR_STATUS_NOT_ALLOWED;
        out.why = requestor + ", not a trusted relay";
    } else if (err != LQ_OK) {
        r.status = DR_STATUS_MALFORMED_QUERY;
        out.why = requestor + ", malformed query (" + lq_err_name(err) + ")";
    } else if (q.query_type != LQ_QUERY_BY_ADDRESS &&
               q.query_type != LQ_QUERY_BY_CLIENTID) {
        r.status = DR_STATUS_UNKNOWN_QUERY_TYPE;
        out.why = requestor + ", query-type " + std::to_string(q.query_type);
    } else {
        try {
            Link want;
            bool any_link = link_addr.isV6Zero();
            if (!any_link) {
                want = linkOfAddress(link_addr);
            }
            std::vector<Lease6Ptr> found;
            std::ostringstream what;
            if (q.query_type == LQ_QUERY_BY_ADDRESS) {
                IOAddress addr = IOAddress::fromBytes(AF_INET6, q.addr);
                what << "by address " << addr.toText();
            } else {
                what << "by client-id " << DUID(q.query_client_id.data,
                    std::min<size_t>(q.query_client_id.len,
                                     DUID::MAX_DUID_LEN)).toText();
            }
            if (!any_link) {
                what << " on link " << link_addr.toText();
            }
            out.why = requestor + ", " + what.str();

            if (!any_link && want.subnets.empty()) {
                r.status = DR_STATUS_NOT_CONFIGURED;
                text = "no link for " + link_addr.toText();
            } else if (q.query_type == LQ_QUERY_BY_ADDRESS) {
                IOAddress addr = IOAddress::fromBytes(AF_INET6, q.addr);
                Lease6Ptr l = findByAddress(addr, now);
                Link on = l ? linkOfLease(l) : Link();
                if (!l && any_link && !configured(addr)) {
                    r.status = DR_STATUS_NOT_CONFIGURED;
                    text = "address not in a configured subnet";
                } else if (!l) {
                    text = "no binding";
                } else if (!any_link && !want.subnets.count(l->subnet_id_)) {
                    // RFC 5007 4.1.2.1: only the client on that link.
                    text = "bound on another link";
                } else {
                    // 4.1.2.2: all of the client's leases on the link.
                    for (auto const& c : LeaseMgrFactory::instance().getLeases6(*l->duid_)) {
                        if (bound(c, now) && on.subnets.count(c->subnet_id_)) {
                            found.push_back(c);
                        }
                    }
                }
            } else if (q.query_client_id.len <= DUID::MAX_DUID_LEN) {
                DUID client(q.query_client_id.data, q.query_client_id.len);
                std::map<std::string, Link> on;    // by its first subnet
                for (auto const& c : LeaseMgrFactory::instance().getLeases6(client)) {
                    if (!bound(c, now) ||
                        (!any_link && !want.subnets.count(c->subnet_id_))) {
                        continue;
                    }
                    Link l = linkOfLease(c);
                    on[std::to_string(*l.subnets.begin())] = l;
                    found.push_back(c);
                }
                if (any_link && on.size() > 1) {
                    // 4.1.2.5: ask again on each. A link-address each.
                    for (auto const& kv : on) {
                        std::vector<uint8_t> a = kv.second.address.toBytes();
                        links.insert(links.end(), a.begin(), a.end());
                    }
                    found.clear();
                    text = "client on " + std::to_string(on.size()) + " links";
                } else if (found.empty()) {
                    text = "no binding";
                }
            } else {
                text = "no binding";    // Kea holds no DUID that long
            }

            // "The IAs" (dhcp6_leasequery.h): IAIDs when the ORO asks.
            const uint16_t* oro = q.oro;
            const uint16_t* oro_end = q.oro + q.n_oro;
            bool ia_na = std::find(oro, oro_end, uint16_t(DR_OPT_IA_NA)) != oro_end;
            bool ia_pd = std::find(oro, oro_end, uint16_t(DR_OPT_IA_PD)) != oro_end;
            // 4.1.2.4: relay data only when asked, from the lease of the
            // client's latest transaction that has it.
            bool want_relay = std::find(oro, oro_end,
                uint16_t(LQ_OPT_LQ_RELAY_DATA)) != oro_end;
            Lease6Ptr latest;
            for (auto const& l : found) {
                if (want_relay && (!latest || l->cltt_ > latest->cltt_) &&
                    relayData(l, r.relay_peer, relay_msg)) {
                    latest = l;
                }
            }
            if (latest) {
                relayData(latest, r.relay_peer, relay_msg);
                relay_data = true;
            }
            // Addresses, then prefixes; each in address order.
            std::sort(found.begin(), found.end(),
                      [](const Lease6Ptr& a, const Lease6Ptr& b) {
                return (a->type_ != b->type_ ? a->type_ == Lease::TYPE_NA :
                        a->addr_ < b->addr_);
            });
            for (auto const& l : found) {
                lq_lease ll = {};
                std::vector<uint8_t> a = l->addr_.toBytes();
                std::copy(a.begin(), a.end(), ll.addr);
                ll.prefix = l->type_ == Lease::TYPE_PD;
                ll.plen = ll.prefix ? l->prefixlen_ : 128;
                ll.has_iaid = ll.prefix ? ia_pd : ia_na;
                ll.iaid = ll.has_iaid ? l->iaid_ : 0;
                ll.preferred = left(l->preferred_lft_, l->cltt_, now);
                ll.valid = left(l->valid_lft_, l->cltt_, now);
                leases.push_back(ll);
                clt = std::max(clt, l->cltt_);
            }
            if (!found.empty()) {
                duid = found.front()->duid_->getDuid();
            }
        } catch (const std::exception& e) {
            r.status = DR_STATUS_UNSPEC_FAIL;
            text = std::string("lease database: ") + e.what();
            leases.clear();
            links.clear();
        }
    }

    if (!leases.empty() && duid.size() >= DR_DUID_MIN &&
        leases.size() <= 0xffff) {
        r.has_client = true;
        r.client_duid = {duid.data(), uint16_t(duid.size())};
        r.leases = leases.data();
        r.n_leases = uint16_t(leases.size());
        r.has_clt_time = true;
        r.clt_time = static_cast<uint32_t>(now > clt ? now - clt : 0);
        r.has_relay_data = relay_data;
        r.relay_msg = {relay_msg.data(), uint16_t(relay_msg.size())};
    }
    if (!links.empty()) {
        r.links = links.data();
        r.n_links = uint16_t(links.size() / 16);
    }
    if (!text.empty()) {
        r.status_text = {reinterpret_cast<const uint8_t*>(text.data()),
                         uint16_t(std::min<size_t>(text.size(), 1024))};
    }
    out.reply.resize(0xffff);
    size_t n = lq_build_reply(&r, out.reply.data(), out.reply.size());
    if (!n && r.has_relay_data) {
        // The relay data is what was asked besides: without it, then.
        r.has_relay_data = false;
        n = lq_build_reply(&r, out.reply.data(), out.reply.size());
    }
    if (!n) {
        // More leases than one message holds: say so, with none.
        r.has_client = false;
        r.has_relay_data = false;
        r.n_links = 0;
        r.status = DR_STATUS_UNSPEC_FAIL;
        text = "reply too long";
        r.status_text = {reinterpret_cast<const uint8_t*>(text.data()),
                         uint16_t(text.size())};
        n = lq_build_reply(&r, out.reply.data(), out.reply.size());
    }
    out.reply.resize(n);
    out.status = r.status;
    out.leases = r.has_client ? r.n_leases : 0;
    out.links = r.n_links;
    if (!text.empty()) {
        out.why += ": " + text;
    }
    return (out);
}

} // namespace leaseguard
