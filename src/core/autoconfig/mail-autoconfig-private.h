/* mail-autoconfig-private.h
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* For the unit tests. */
gboolean mail_autoconfig_text_asks_for_app_password (const char *text);

G_END_DECLS
