// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <log/message_initializer.h>

#include "release_request_log.h"

namespace leaseguard {

isc::log::Logger release_request_logger("release-request");

const isc::log::MessageID RELEASE_REQUEST_LOADED = "RELEASE_REQUEST_LOADED";
const isc::log::MessageID RELEASE_REQUEST_LOAD_FAILED = "RELEASE_REQUEST_LOAD_FAILED";
const isc::log::MessageID RELEASE_REQUEST_NO_TRUSTED_RELAYS = "RELEASE_REQUEST_NO_TRUSTED_RELAYS";
const isc::log::MessageID RELEASE_REQUEST_NO_RELAYED = "RELEASE_REQUEST_NO_RELAYED";
const isc::log::MessageID RELEASE_REQUEST_DISCARDED = "RELEASE_REQUEST_DISCARDED";
const isc::log::MessageID RELEASE_REQUEST_REFUSED = "RELEASE_REQUEST_REFUSED";
const isc::log::MessageID RELEASE_REQUEST_PROCESSED = "RELEASE_REQUEST_PROCESSED";
const isc::log::MessageID RELEASE_REQUEST_LEASE_RELEASED = "RELEASE_REQUEST_LEASE_RELEASED";
const isc::log::MessageID RELEASE_REQUEST_NO_BINDING = "RELEASE_REQUEST_NO_BINDING";
const isc::log::MessageID RELEASE_REQUEST_LEASE_FAILED = "RELEASE_REQUEST_LEASE_FAILED";
const isc::log::MessageID RELEASE_REQUEST_SEND_FAILED = "RELEASE_REQUEST_SEND_FAILED";
const isc::log::MessageID RELEASE_REQUEST_HA_PEERS = "RELEASE_REQUEST_HA_PEERS";
const isc::log::MessageID RELEASE_REQUEST_HA_NONE = "RELEASE_REQUEST_HA_NONE";
const isc::log::MessageID RELEASE_REQUEST_HA_CONFIG_FAILED = "RELEASE_REQUEST_HA_CONFIG_FAILED";
const isc::log::MessageID RELEASE_REQUEST_HA_QUEUED = "RELEASE_REQUEST_HA_QUEUED";
const isc::log::MessageID RELEASE_REQUEST_HA_SENT = "RELEASE_REQUEST_HA_SENT";
const isc::log::MessageID RELEASE_REQUEST_HA_FAILED = "RELEASE_REQUEST_HA_FAILED";
const isc::log::MessageID RELEASE_REQUEST_HA_BACK = "RELEASE_REQUEST_HA_BACK";
const isc::log::MessageID RELEASE_REQUEST_HA_QUEUE_FULL = "RELEASE_REQUEST_HA_QUEUE_FULL";
const isc::log::MessageID RELEASE_REQUEST_HA_UNSENT = "RELEASE_REQUEST_HA_UNSENT";
const isc::log::MessageID LEASEQUERY_DISCARDED = "LEASEQUERY_DISCARDED";
const isc::log::MessageID LEASEQUERY_REFUSED = "LEASEQUERY_REFUSED";
const isc::log::MessageID LEASEQUERY_ANSWERED = "LEASEQUERY_ANSWERED";

namespace {

const char* messages[] = {
    "RELEASE_REQUEST_LOADED", "release-request hook loaded: %1",
    "RELEASE_REQUEST_LOAD_FAILED", "release-request hook not loaded: %1",
    "RELEASE_REQUEST_NO_TRUSTED_RELAYS",
        "no trusted-relays: every RELEASE-REQUEST and LEASEQUERY will be refused",
    "RELEASE_REQUEST_NO_RELAYED",
        "trusted-intermediate-relays are listed, but no trusted relay has a"
        " relay-id: every relayed RELEASE-REQUEST will be refused",
    "RELEASE_REQUEST_DISCARDED", "RELEASE-REQUEST from %1 discarded: %2",
    "RELEASE_REQUEST_REFUSED", "RELEASE-REQUEST from %1 refused (%2): %3",
    "RELEASE_REQUEST_PROCESSED",
        "RELEASE-REQUEST from %1 (xid 0x%2): %3 clients, %4 leases released, %5 clients failed",
    "RELEASE_REQUEST_LEASE_RELEASED",
        "duid=[%1]: %2 (iaid %3) released at the relay's request",
    "RELEASE_REQUEST_NO_BINDING", "duid=[%1]: no binding for %2",
    "RELEASE_REQUEST_LEASE_FAILED", "duid=[%1]: %2 not released: %3",
    "RELEASE_REQUEST_SEND_FAILED",
        "%1 to %2 not sent: %3",
    "RELEASE_REQUEST_HA_PEERS",
        "releases are sent to the HA peers %1 (%2)",
    "RELEASE_REQUEST_HA_NONE",
        "releases are sent to no HA peer: %1",
    "RELEASE_REQUEST_HA_CONFIG_FAILED",
        "releases are sent to no HA peer: libdhcp_ha.so's configuration: %1",
    "RELEASE_REQUEST_HA_QUEUED",
        "%1 released leases queued for the HA peers",
    "RELEASE_REQUEST_HA_SENT",
        "HA peer %1 took the released leases: %2; %3 commands left",
    "RELEASE_REQUEST_HA_FAILED",
        "HA peer %1 (%2) did not take the released leases: %3; %4 commands queued, failure %5, retry in %6 ms",
    "RELEASE_REQUEST_HA_BACK",
        "HA peer %1 answers again, after %2 failures",
    "RELEASE_REQUEST_HA_QUEUE_FULL",
        "HA peer %1: queue full (%2 commands), the oldest dropped: that peer keeps those leases",
    "RELEASE_REQUEST_HA_UNSENT",
        "HA peer %1: %2 commands never sent (the hook is unloading): that peer keeps those leases",
    "LEASEQUERY_DISCARDED", "LEASEQUERY from %1 discarded: %2",
    "LEASEQUERY_REFUSED", "LEASEQUERY from %1 refused (NotAllowed): %2",
    "LEASEQUERY_ANSWERED",
        "LEASEQUERY from %1 (xid 0x%2): %3; replied %4, %5 leases, %6 links",
    NULL
};

const isc::log::MessageInitializer initializer(messages);

} // namespace
} // namespace leaseguard
