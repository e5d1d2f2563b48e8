// SPDX-License-Identifier: GPL-2.0 OR MIT
//
// The hook's logger ("kea-dhcp6.release-request" in Kea's "loggers") and
// its messages, written out as Kea's message compiler would generate them
// (kea-dev ships no compiler).
#ifndef LEASEGUARD_KEA_RELEASE_REQUEST_LOG_H
#define LEASEGUARD_KEA_RELEASE_REQUEST_LOG_H

#include <log/logger.h>
#include <log/macros.h>
#include <log/message_types.h>

namespace leaseguard {

extern isc::log::Logger release_request_logger;

extern const isc::log::MessageID RELEASE_REQUEST_LOADED;
extern const isc::log::MessageID RELEASE_REQUEST_LOAD_FAILED;
extern const isc::log::MessageID RELEASE_REQUEST_NO_TRUSTED_RELAYS;
extern const isc::log::MessageID RELEASE_REQUEST_NO_RELAYED;
extern const isc::log::MessageID RELEASE_REQUEST_DISCARDED;
extern const isc::log::MessageID RELEASE_REQUEST_REFUSED;
extern const isc::log::MessageID RELEASE_REQUEST_PROCESSED;
extern const isc::log::MessageID RELEASE_REQUEST_LEASE_RELEASED;
extern const isc::log::MessageID RELEASE_REQUEST_NO_BINDING;
extern const isc::log::MessageID RELEASE_REQUEST_LEASE_FAILED;
extern const isc::log::MessageID RELEASE_REQUEST_SEND_FAILED;
extern const isc::log::MessageID RELEASE_REQUEST_HA_PEERS;
extern const isc::log::MessageID RELEASE_REQUEST_HA_NONE;
extern const isc::log::MessageID RELEASE_REQUEST_HA_CONFIG_FAILED;
extern const isc::log::MessageID RELEASE_REQUEST_HA_QUEUED;
extern const isc::log::MessageID RELEASE_REQUEST_HA_SENT;
extern const isc::log::MessageID RELEASE_REQUEST_HA_FAILED;
extern const isc::log::MessageID RELEASE_REQUEST_HA_BACK;
extern const isc::log::MessageID RELEASE_REQUEST_HA_QUEUE_FULL;
extern const isc::log::MessageID RELEASE_REQUEST_HA_UNSENT;
extern const isc::log::MessageID LEASEQUERY_DISCARDED;
extern const isc::log::MessageID LEASEQUERY_REFUSED;
extern const isc::log::MessageID LEASEQUERY_ANSWERED;

} // namespace leaseguard

#endif
