// SPDX-License-Identifier: GPL-2.0 OR MIT
//
// libdhcp_release_request.so: the Kea DHCPv6 hook library. One callout,
// buffer6_receive, sees each packet before Kea parses it: a
// RELEASE-REQUEST is handled here whole (ReleaseRequestHandler), the
// RELEASE-REQUEST-REPLY sent through Kea's interface manager, and the query
// dropped so that Kea's core does not log it as an unknown message. An
// RFC 5007 LEASEQUERY is answered the same way (LeaseQueryHandler). Every
// other packet passes untouched. The leases a RELEASE-REQUEST released go
// to the server's HA peers (ha_peers.h); dhcp6_srv_configured finds them
// in libdhcp_ha.so's configuration unless ha-peers names them, and
// pkt6_receive drops what a later library let through to Kea's core.
#include <dhcp/iface_mgr.h>
#include <dhcp/pkt6.h>
#include <dhcpsrv/cfgmgr.h>
#include <dhcpsrv/srv_config.h>
#include <hooks/hooks.h>
#include <process/daemon.h>
#include <stats/stats_mgr.h>

#include <cstdio>
#include <memory>

#include "ha_peers.h"
#include "leasequery.h"
#include "release_request.h"
#include "release_request_log.h"

using isc::dhcp::CfgMgr;
using isc::dhcp::DuidPtr;
using isc::dhcp::IfaceMgr;
using isc::dhcp::Pkt6;
using isc::dhcp::Pkt6Ptr;
using isc::hooks::CalloutHandle;
using isc::hooks::LibraryHandle;
using isc::stats::StatsMgr;
using leaseguard::HaPeer;
using leaseguard::HaPropagator;
using leaseguard::LeaseQueryHandler;
using leaseguard::LeaseQueryOutcome;
using leaseguard::ReleaseRequestConfig;
using leaseguard::ReleaseRequestHandler;
using leaseguard::ReleaseRequestOutcome;
using leaseguard::release_request_logger;

namespace {

const uint8_t RELAY_FORW = 12;

// Set by load(), read-only until unload(): safe for Kea's packet threads.
std::unique_ptr<ReleaseRequestHandler> handler;
std::unique_ptr<LeaseQueryHandler> lq_handler;
// Set by load() or dhcp6_srv_configured(), which run while Kea processes
// no packet; null: no HA peer.
std::unique_ptr<HaPropagator> ha;

void haStart(const std::vector<HaPeer>& peers, const std::string& from) {
    ha.reset();
    if (peers.empty()) {
        LOG_INFO(release_request_logger, leaseguard::RELEASE_REQUEST_HA_NONE)
            .arg(from);
        return;
    }
    std::string names;
    for (auto const& p : peers) {
        names += (names.empty() ? "" : ", ") + p.name + " " + p.url +
                 (p.tls() ? " (TLS)" : "");
    }
    ha.reset(new HaPropagator(peers, handler->config().ha_queue_limit));
    LOG_INFO(release_request_logger, leaseguard::RELEASE_REQUEST_HA_PEERS)
        .arg(names).arg(from);
}

// The statistics this hook keeps (statistic-get names), besides the
// subnets' assigned-nas and assigned-pds that a release lowers.
const char* const STAT_RECEIVED = "pkt6-release-request-received";
const char* const STAT_REPLY_SENT = "pkt6-release-request-reply-sent";
const char* const STAT_DISCARDED = "pkt6-release-request-discarded";
const char* const STAT_REFUSED = "pkt6-release-request-refused";
const char* const STAT_LQ_RECEIVED = "pkt6-leasequery-received";
const char* const STAT_LQ_REPLY_SENT = "pkt6-leasequery-reply-sent";
const char* const STAT_LQ_DISCARDED = "pkt6-leasequery-discarded";
const char* const STAT_LQ_REFUSED = "pkt6-leasequery-refused";
const char* const STATS[] = {
    STAT_RECEIVED, STAT_REPLY_SENT, STAT_DISCARDED, STAT_REFUSED,
    STAT_LQ_RECEIVED, STAT_LQ_REPLY_SENT, STAT_LQ_DISCARDED, STAT_LQ_REFUSED
};

void count(const char* name) {
    StatsMgr::instance().addValue(name, static_cast<int64_t>(1));
}

std::vector<uint8_t> serverDuid() {
    DuidPtr duid = CfgMgr::instance().getCurrentCfg()->getCfgDUID()->getCurrentDuid();
    return (duid ? duid->getDuid() : std::vector<uint8_t>());
}

// Back to where the query came from: the relay's address and port, out of
// the interface and from the address it arrived on.
bool sendReply(const Pkt6Ptr& query, uint8_t type, uint32_t xid,
               const std::vector<uint8_t>& bytes) {
    Pkt6Ptr reply(new Pkt6(type, xid));
    reply->setRemoteAddr(query->getRemoteAddr());
    reply->setRemotePort(query->getRemotePort());
    reply->setLocalAddr(query->getLocalAddr());
    reply->setLocalPort(query->getLocalPort());
    reply->setIface(query->getIface());
    reply->setIndex(query->getIndex());
    reply->getBuffer().writeData(bytes.data(), bytes.size());
    try {
        IfaceMgr::instance().send(reply);
        return (true);
    } catch (const std::exception& e) {
        LOG_ERROR(release_request_logger, leaseguard::RELEASE_REQUEST_SEND_FAILED)
            .arg(type == LQ_MSG_LEASEQUERY_REPLY ? "LEASEQUERY-REPLY" :
                 "RELEASE-REQUEST-REPLY")
            .arg(query->getRemoteAddr().toText()).arg(e.what());
        return (false);
    }
}

// An RFC 5007 LEASEQUERY, answered from the lease database.
void leasequery(CalloutHandle& handle, const Pkt6Ptr& query) {
    const std::vector<uint8_t>& data = query->data_;
    LeaseQueryOutcome out = lq_handler->handle(data.data(), data.size(),
                                               query->getRemoteAddr(),
                                               serverDuid());
    if (out.kind == LeaseQueryOutcome::Kind::NONE) {
        return;
    }
    count(STAT_LQ_RECEIVED);
    std::string from = query->getRemoteAddr().toText() + " on " + query->getIface();
    switch (out.kind) {
    case LeaseQueryOutcome::Kind::NONE:
        break;
    case LeaseQueryOutcome::Kind::DISCARDED:
        count(STAT_LQ_DISCARDED);
        LOG_INFO(release_request_logger, leaseguard::LEASEQUERY_DISCARDED)
            .arg(from).arg(out.why);
        break;
    case LeaseQueryOutcome::Kind::REFUSED:
        count(STAT_LQ_REFUSED);
        LOG_INFO(release_request_logger, leaseguard::LEASEQUERY_REFUSED)
            .arg(from).arg(out.why);
        break;
    case LeaseQueryOutcome::Kind::ANSWERED: {
        char xid[8];
        std::snprintf(xid, sizeof(xid), "%06x", out.xid);
        LOG_INFO(release_request_logger, leaseguard::LEASEQUERY_ANSWERED)
            .arg(from).arg(xid).arg(out.why).arg(dr_status_name(out.status))
            .arg(out.leases).arg(out.links);
        break;
    }
    }
    if (out.action == LeaseQueryOutcome::Action::REPLY &&
        sendReply(query, LQ_MSG_LEASEQUERY_REPLY, out.xid, out.reply)) {
        count(STAT_LQ_REPLY_SENT);
    }
    handle.setStatus(CalloutHandle::NEXT_STEP_DROP);
}

} // namespace

extern "C" {

int version() {
    return (KEA_HOOKS_VERSION);
}

int multi_threading_compatible() {
    return (1);
}

int load(LibraryHandle& library) {
    try {
        const std::string& proc = isc::process::Daemon::getProcName();
        if (proc != "kea-dhcp6") {
            isc_throw(isc::Unexpected, "this is a DHCPv6 hook, loaded by "
                      << proc << " and not kea-dhcp6");
        }
        ReleaseRequestConfig config =
            ReleaseRequestConfig::parse(library.getParameters());
        handler.reset(new ReleaseRequestHandler(config));
        lq_handler.reset(new LeaseQueryHandler(config));
        if (config.ha_peers_set) {
            haStart(config.ha_peers, "ha-peers");
        }
        for (const char* name : STATS) {
            StatsMgr::instance().setValue(name, static_cast<int64_t>(0));
        }
        LOG_INFO(release_request_logger, leaseguard::RELEASE_REQUEST_LOADED)
            .arg(config.summary());
        if ((config.enabled || config.leasequery) &&
            config.trusted_relays.empty()) {
            LOG_WARN(release_request_logger,
                     leaseguard::RELEASE_REQUEST_NO_TRUSTED_RELAYS);
        } else if (config.enabled && !config.trusted_intermediates.empty() &&
                   !config.acceptsRelayed()) {
            LOG_WARN(release_request_logger,
                     leaseguard::RELEASE_REQUEST_NO_RELAYED);
        }
    } catch (const std::exception& e) {
        LOG_ERROR(release_request_logger, leaseguard::RELEASE_REQUEST_LOAD_FAILED)
            .arg(e.what());
        return (1);
    }
    return (0);
}

int unload() {
    ha.reset();                 // joins the senders' threads
    handler.reset();
    lq_handler.reset();
    for (const char* name : STATS) {
        StatsMgr::instance().del(name);
    }
    return (0);
}

int buffer6_receive(CalloutHandle& handle) {
    if (!handler || handle.getStatus() == CalloutHandle::NEXT_STEP_DROP) {
        return (0);
    }
    Pkt6Ptr query;
    handle.getArgument("query6", query);
    const std::vector<uint8_t>& data = query->data_;
    if (!data.empty() && data[0] == LQ_MSG_LEASEQUERY) {
        leasequery(handle, query);
        return (0);
    }
    if (data.empty() || (data[0] != handler->config().request_type &&
                         data[0] != RELAY_FORW)) {
        return (0);
    }
    ReleaseRequestOutcome out = handler->handle(data.data(), data.size(),
                                                query->getRemoteAddr(),
                                                serverDuid());
    if (out.kind == ReleaseRequestOutcome::Kind::NONE) {
        return (0);         // a relayed client message: Kea's
    }

    count(STAT_RECEIVED);
    std::string from = query->getRemoteAddr().toText() + " on " + query->getIface();
    switch (out.kind) {
    case ReleaseRequestOutcome::Kind::NONE:
        break;
    case ReleaseRequestOutcome::Kind::DISCARDED:
        count(STAT_DISCARDED);
        LOG_INFO(release_request_logger, leaseguard::RELEASE_REQUEST_DISCARDED)
            .arg(from).arg(out.why);
        break;
    case ReleaseRequestOutcome::Kind::REFUSED:
        count(STAT_REFUSED);
        LOG_INFO(release_request_logger, leaseguard::RELEASE_REQUEST_REFUSED)
            .arg(from).arg(out.why)
            .arg(out.action == ReleaseRequestOutcome::Action::REPLY ?
                 std::string("replied ") + dr_status_name(out.status) :
                 std::string("dropped"));
        break;
    case ReleaseRequestOutcome::Kind::PROCESSED: {
        char xid[8];
        std::snprintf(xid, sizeof(xid), "%06x", out.xid);
        LOG_INFO(release_request_logger, leaseguard::RELEASE_REQUEST_PROCESSED)
            .arg(from + ", " + out.why).arg(xid).arg(out.clients)
            .arg(out.released).arg(out.failed_clients);
        break;
    }
    }
    if (ha && !out.deleted.empty()) {
        ha->leasesDeleted(out.deleted);
        LOG_DEBUG(release_request_logger, isc::log::DBGLVL_TRACE_BASIC,
                  leaseguard::RELEASE_REQUEST_HA_QUEUED).arg(out.deleted.size());
    }
    if (out.action == ReleaseRequestOutcome::Action::REPLY &&
        sendReply(query, handler->config().reply_type, out.xid, out.reply)) {
        count(STAT_REPLY_SENT);
    }
    // Handled (or deliberately ignored) here: Kea's core must not see it.
    handle.setStatus(CalloutHandle::NEXT_STEP_DROP);
    return (0);
}

// The server's configuration is committed: without ha-peers, the peers
// are those of the server's own libdhcp_ha.so, if it loads it. (Read
// here, not in load(): Kea loads the libraries before this one is told
// of the configuration they came in.)
int dhcp6_srv_configured(CalloutHandle& handle) {
    if (!handler || handler->config().ha_peers_set) {
        return (0);
    }
    try {
        isc::dhcp::SrvConfigPtr cfg;
        try {
            handle.getArgument("server_config", cfg);
        } catch (const std::exception&) {
        }
        if (!cfg) {
            cfg = CfgMgr::instance().getCurrentCfg();
        }
        const std::string ha_lib = "libdhcp_ha.so";
        for (auto const& lib : cfg->getHooksConfig().get()) {
            const std::string& name = lib.first;
            if (name.size() >= ha_lib.size() &&
                !name.compare(name.size() - ha_lib.size(), ha_lib.size(), ha_lib)) {
                haStart(leaseguard::haPeersFromHaConfig(lib.second),
                        "libdhcp_ha.so's peers");
                return (0);
            }
        }
        haStart(std::vector<HaPeer>(), "no libdhcp_ha.so, no ha-peers");
    } catch (const std::exception& e) {
        ha.reset();
        LOG_ERROR(release_request_logger,
                  leaseguard::RELEASE_REQUEST_HA_CONFIG_FAILED).arg(e.what());
    }
    return (0);
}

// A RELEASE-REQUEST (or LEASEQUERY) is the hook's, done in
// buffer6_receive, which dropped it. A library listed after this one
// could undo that by setting NEXT_STEP_SKIP ("parsed, go on"), as
// libdhcp_ha.so does for a query in its scope (Kea 2.2's leaves a dropped
// packet alone, measured in selftests/kea-ha.sh). Kea's core would then
// take the request for an unknown message: here it is dropped again.
int pkt6_receive(CalloutHandle& handle) {
    if (!handler) {
        return (0);
    }
    Pkt6Ptr query;
    handle.getArgument("query6", query);
    if (query->getType() == handler->config().request_type ||
        (query->getType() == LQ_MSG_LEASEQUERY && handler->config().leasequery &&
         query->relay_info_.empty())) {
        handle.setStatus(CalloutHandle::NEXT_STEP_DROP);
    }
    return (0);
}

} // extern "C"
