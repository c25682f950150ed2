/* mail-thread-context.h
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

GMainContext *mail_thread_context_new (const char *thread_name);

G_END_DECLS
