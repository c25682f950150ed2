/* mail-store-error.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "mail-store-error.h"

G_DEFINE_QUARK (mail-store-error-quark, mail_store_error)
