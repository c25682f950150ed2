/* mail-address.h
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean mail_address_parse (const char  *address,
                             char       **local_part,
                             char       **domain);

G_END_DECLS
