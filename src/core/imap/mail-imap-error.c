/* mail-imap-error.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "mail-imap-error.h"

G_DEFINE_QUARK (mail-imap-error-quark, mail_imap_error)
