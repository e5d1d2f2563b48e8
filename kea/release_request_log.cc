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
    "LEASEQUERY_DISCARDED", "LEASEQUERY from %1 discarded: %2",
    "LEASEQUERY_REFUSED", "LEASEQUERY from %1 refused (NotAllowed): %2",
    "LEASEQUERY_ANSWERED",
        "LEASEQUERY from %1 (xid 0x%2): %3; replied %4, %5 leases, %6 links",
    NULL
};

const isc::log::MessageInitializer initializer(messages);

} // namespace
} // namespace leaseguard
