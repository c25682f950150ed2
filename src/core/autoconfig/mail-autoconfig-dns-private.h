/* mail-autoconfig-dns-private.h
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "mail-autoconfig-dns.h"

G_BEGIN_DECLS

void _mail_autoconfig_srv_sort (GPtrArray *records,
                                GRand     *rand);

G_END_DECLS
