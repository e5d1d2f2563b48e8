/* SPDX-License-Identifier: GPL-2.0 */
/* The version lgctl and leaseguardd print (-V). */
#ifndef LG_VERSION_H
#define LG_VERSION_H

#define LG_VERSION	"0.1"

#endif /* LG_VERSION_H */
