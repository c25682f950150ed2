/* mail-secret-buffer-private.h
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "mail-secret-buffer.h"

G_BEGIN_DECLS

/* Called with each block of storage a secret buffer gives back (when it grows, and when it
 * is freed), after the wipe and before the free: for tests, which check that what is
 * given back holds nothing. */
typedef void (*MailSecretReleaseFunc) (const guint8 *data,
                                       gsize         size,
                                       gpointer      user_data);

void _mail_secret_buffer_set_release_func (MailSecretReleaseFunc func,
                                           gpointer              user_data);

G_END_DECLS
