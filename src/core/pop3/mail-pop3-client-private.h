/* mail-pop3-client-private.h
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "mail-pop3-retrieved.h"

G_BEGIN_DECLS

MailPop3Retrieved *_mail_pop3_retrieved_new         (guint64            session,
                                                     guint              number,
                                                     const char        *uid,
                                                     GBytes            *bytes);
guint64            _mail_pop3_retrieved_get_session (MailPop3Retrieved *self);

G_END_DECLS
